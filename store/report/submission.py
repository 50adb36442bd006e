"""Reconciling, submitting and revising the monthly report (C5).

Each department's figures are confirmed with the department (who, which day)
before submission; a confirmation stands only while the figures it saw are the
figures now. A total that swings more than the configured percentage from the
previous month needs an explanatory note. Submitting records who, when and to
whom, and locks the month (store.months). A later correction changes the
figures: the next revision is numbered and lists its differences. Nothing is
deleted: confirmations and revisions only accumulate.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from peewee import fn

from store import clock, operators, settings
from store.cards import codes, months
from store.dates import parse_date
from store.errors import InvalidInput, NotAllowed
from store.i18n import _, language
from store.report import figures as report
from store.report.figures import Report, Trend
from store.report.models import ReportConfirm, ReportRevision
from store.text import check_line
from store.vault.database import db
from store.vault.session import Session

Figures = dict[str, dict[str, list[int]]]
"""{"total" or a department: {key: [cases, persons]}} for the month, keys as the report's
lines ("SCQS:new", "SCQS:concluded/TQGS", "all:open"; persons -1 on the 合计 lines, never
added across stages), plus "ytd": {key: [cases, persons]} (the unit's year to date, for the
next month's check K05) and "rates": {key: [numerator, denominator]}. Revisions kept before
cases had events have the old keys ("SCQS", "SCQS/TQGS", "SCQS/", "all") and no "ytd"."""

NOT_COMPARED = ("ytd", "rates")
"""Kept with a revision, but not among its differences: the year to date changes with every
earlier month's correction, which that month's own revision answers."""


def _figures(built: Report, period: str, department: str | None) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for line in built.lines:
        count = built.count(period, line.key, department)
        if line.total:
            found[line.key] = [count.cases, -1]
        elif count.cases or count.persons:
            found[line.key] = [count.cases, int(count.persons or 0)]
    return found


def figures_of(built: Report) -> Figures:
    """The month's figures as they are kept with a confirmation or a revision."""
    kept: Figures = {"total": _figures(built, "month", None),
                     **{d: _figures(built, "month", d) for d in built.departments}}
    if "ytd" in built.ranges:
        kept["ytd"] = _figures(built, "ytd", None)
    kept["rates"] = {r.key: [r.value().numerator, r.value().denominator] for r in built.rates}
    return kept


def old_shape(figures: Figures) -> bool:
    """Figures kept before cases had events (keys "SCQS", "SCQS/TQGS", "all")."""
    return not any(":" in key for key in figures.get("total", {}))


def _department_figures(built: Report, department: str) -> dict[str, list[int]]:
    """A department's figures as a confirmation keeps them (its totals even when 0)."""
    return _figures(built, "month", department)


@dataclass(frozen=True)
class DepartmentState:
    """A department's cases of the month and its latest confirmation of them."""

    department: str
    cases: int
    confirmed_by: str
    confirmed_on: str
    current: bool
    """The confirmation saw the figures as they are now."""


@dataclass(frozen=True)
class Swing:
    """A total that moved more than the setting allows from the month before."""

    code: str
    """A business type or a department; '' for the unit's total."""
    before: int
    now: int
    kind: str = ""
    """"type", "department" or '' (the unit)."""
    measure: str = "cases"
    figure: str = "new"
    """"new" (新收) or "concluded" (审结)."""

    @property
    def percent(self) -> float:
        return 100.0 * (self.now - self.before) / self.before


@dataclass(frozen=True)
class Revision:
    """A submission (revision 1) or a later revision of a month's report."""

    month: str
    revision: int
    at: str
    by: str
    submitted_to: str
    note: str
    swing_note: str
    figures: Figures
    differences: list[Difference]
    by_name: str = ""
    """The full name of the operator `by` (a login), as screens and paper show it."""


@dataclass(frozen=True)
class Difference:
    """A figure that changed since the revision before."""

    where: str
    """"total" or a department code."""
    line: str
    """A key of the figures ("SCQS:new"; "SCQS/TQGS" in revisions kept before cases had
    events)."""
    before: tuple[int, int]
    after: tuple[int, int]


def _departments_to_confirm(built: Report) -> list[str]:
    """Every department in use, and any other with counted cards: one with no cards confirms
    a zero return (零报告), so that a missing return is never taken for none."""
    active = [c.code for c in codes.all_codes("department")]
    return active + [d for d in built.departments if d not in active]


def departments(month: str, built: Report | None = None) -> list[DepartmentState]:
    """Each department (see above) and whether it has confirmed its figures as they are."""
    built = built or report.build(month, checks=False)
    newest = (ReportConfirm.select(fn.max(ReportConfirm.id))
              .where(ReportConfirm.month == built.month).group_by(ReportConfirm.department))
    latest = {c.department: c for c in ReportConfirm.select().where(ReportConfirm.id.in_(newest))}
    found = []
    for department in _departments_to_confirm(built):
        confirmed = latest.get(department)
        cases = built.count("month", "all:new", department).cases
        if confirmed is None:
            found.append(DepartmentState(department, cases, "", "", False))
            continue
        now = _department_figures(built, department)
        found.append(DepartmentState(department, cases, confirmed.confirmed_by,
                                     confirmed.confirmed_on, json.loads(confirmed.figures) == now))
    return found


def confirm(session: Session, month_text: str, department: str, confirmed_by: str,
            confirmed_on: str) -> None:
    """Record that a department confirmed its figures of the month (C5)."""
    month = report.check_month(month_text)
    who = check_line(confirmed_by, 40,
                     _("name the department's person who confirmed the figures"))
    day: date = parse_date(confirmed_on)
    if day > clock.today():
        raise InvalidInput(_("the confirmation date is in the future"))
    if day.isoformat()[:7] < month:
        raise InvalidInput(_("the figures of {month} are confirmed in {month} or later").format(
            month=month))
    built = report.build(month, checks=False)
    if department not in _departments_to_confirm(built):
        raise InvalidInput(_("{department} is not a department in use").format(
            department=department))
    if month in months.locked():
        raise NotAllowed(_("{month} is already submitted; a change goes into a revision")
                         .format(month=month))
    figures = _department_figures(built, department)
    with db.atomic():
        ReportConfirm.insert(month=month, department=department, confirmed_by=who,
                             confirmed_on=day.isoformat(), figures=json.dumps(figures),
                             recorded_by=session.actor.name, recorded_at=clock.stamp()).execute()
        session.audit.append(session.actor.name, "report.confirm", "report",
                             f"{month}:{department}", new={"confirmed_by": who,
                                                           "confirmed_on": day.isoformat(),
                                                           "cases": figures["all:new"][0]})


def swings(built: Report) -> list[Swing]:
    """Totals that moved more than the setting from the previous month: 新收 and 审结 of the
    unit and of each department in cases, and of each business type in cases and in persons
    (persons are not added across business types). A total with nothing to compare with (0
    the month before) has no swing."""
    limit = settings.current().swing_percent
    totals: list[tuple[str, str, str, str]] = []  # kind, code, figure, key
    for figure in ("new", "concluded"):
        totals.append(("", "", figure, f"all:{figure}"))
        totals += [("type", line.business_type, figure, line.key) for line in built.lines
                   if line.business_type and line.kind == figure and line.outcome is None]
        totals += [("department", d, figure, f"all:{figure}") for d in built.departments]
    found = []
    for kind, code, figure, key in totals:
        where = code if kind == "department" else None
        now, was = built.count("month", key, where), built.count("prev", key, where)
        for measure, old, new in (("cases", was.cases, now.cases),
                                  ("persons", was.persons, now.persons)):
            if old and new is not None and abs(new - old) * 100 > limit * old:
                found.append(Swing(code, old, new, kind, measure, figure))
    return found


def swing_name(swing: Swing, names: dict[str, str]) -> str:
    """What moved: the unit ("all"), a business type or a department, its 新收 or 审结, and
    "(persons)" for persons."""
    where = names.get(swing.code, swing.code) if swing.code else _("all")
    zh, en = report.LABELS[swing.figure]
    what = f"{where} {en if language() == 'en' else zh}"
    return _("{where} (persons)").format(where=what) if swing.measure == "persons" else what


def revisions(month: str) -> list[Revision]:
    """Every revision of a month's report, the submission (1) first."""
    done = list(ReportRevision.select().where(ReportRevision.month == month)
                .order_by(ReportRevision.revision))
    names = operators.display_names() if done else {}
    return [Revision(r.month, r.revision, r.at, r.by, r.submitted_to, r.note, r.swing_note,
                     json.loads(r.figures),
                     [Difference(where, line, tuple(before), tuple(after))
                      for where, line, before, after in json.loads(r.differences)],
                     operators.display_name(r.by, names))
            for r in done]


def differences(before: Figures, after: Figures) -> list[Difference]:
    """The month's figures that differ, the unit's first, then each department's."""
    found = []
    places = (set(before) | set(after)) - set(NOT_COMPARED)
    for where in sorted(places, key=lambda w: (w != "total", w)):
        old, new = before.get(where, {}), after.get(where, {})
        for line in sorted(set(old) | set(new)):
            was, now = tuple(old.get(line, [0, 0])), tuple(new.get(line, [0, 0]))
            if was != now:
                found.append(Difference(where, line, was, now))  # type: ignore[arg-type]
    return found


def _changed(last: Revision, built: Report | None = None) -> list[Difference]:
    """What differs from the last revision: a revision kept before cases had events is
    compared with the old report regenerated from today's cards (store.report.legacy)."""
    if old_shape(last.figures):
        from store.report import legacy

        return differences(last.figures, legacy.figures(last.month))
    return differences(last.figures, figures_of(built or report.build(last.month,
                                                                      checks=False)))


def pending(month: str, built: Report | None = None) -> list[Difference]:
    """What changed since the last revision (nothing if the month is not submitted);
    `built`: the month's report when the caller has it already (it is not built again)."""
    done = revisions(month)
    if not done:
        return []
    return _changed(done[-1], built)


def submit(session: Session, month_text: str, submitted_to: str, note: str = "",
           swing_note: str = "") -> Revision:
    """Submit the month's report (revision 1) and lock the month, in one transaction.
    Refused, naming what is missing, while a department has not confirmed its current
    figures, a swing has no note, or cards still wait for review."""
    month = report.check_month(month_text)
    to = check_line(submitted_to, 100)
    if not to:
        raise InvalidInput(_("say to whom the report goes (e.g. 市人民检察院)"))
    note, swing_note = check_line(note, 500), check_line(swing_note, 500)
    if revisions(month):
        raise NotAllowed(_("{month} is already submitted; make a revision instead").format(
            month=month))
    cutoff = settings.current().cutoff_date(month)  # 0: the month's last day
    if clock.today() < cutoff:
        raise NotAllowed(_("{month} still takes cards until {day}: it cannot be submitted "
                           "before then").format(month=month, day=cutoff.isoformat()))
    built = report.build(month, checks=False)
    missing = [d.department for d in departments(month, built) if not d.current]
    if missing:
        raise NotAllowed(_("not yet confirmed with the department (or changed since): "
                           "{departments}").format(departments=", ".join(missing)))
    moved = swings(built)
    if moved and not swing_note:
        raise NotAllowed(_("totals moved more than {limit}% from last month ({which}): "
                           "explain them in a note first").format(
            limit=settings.current().swing_percent,
            which=", ".join(swing_name(s, report.line_names()) for s in moved)))
    figures = figures_of(built)
    with db.atomic():
        months.lock(session, month, _("report submitted to {to}").format(to=to))
        _record(session, month, 1, to, note, swing_note, figures, [])
    return revisions(month)[-1]


def revise(session: Session, month_text: str, note: str, submitted_to: str = "") -> Revision:
    """A numbered revision of a submitted report, listing what changed since the last."""
    month = report.check_month(month_text)
    done = revisions(month)
    if not done:
        raise NotAllowed(_("{month} is not submitted yet").format(month=month))
    note = check_line(note, 500)
    if not note:
        raise InvalidInput(_("say why the report is revised"))
    built = report.build(month, checks=False)
    changed = _changed(done[-1], built)
    figures = figures_of(built)  # kept in the current shape from now on
    if not changed:
        raise NotAllowed(_("nothing changed since revision {n}").format(n=done[-1].revision))
    to = check_line(submitted_to, 100) or done[-1].submitted_to
    with db.atomic():
        _record(session, month, done[-1].revision + 1, to, note, "", figures, changed)
    return revisions(month)[-1]


def _record(session: Session, month: str, number: int, to: str, note: str, swing_note: str,
            figures: Figures, changed: list[Difference]) -> None:
    dumped = json.dumps([[d.where, d.line, list(d.before), list(d.after)] for d in changed],
                        ensure_ascii=False)
    ReportRevision.insert(month=month, revision=number, at=clock.stamp(),
                          by=session.actor.name, submitted_to=to, note=note,
                          swing_note=swing_note, figures=json.dumps(figures, ensure_ascii=False),
                          differences=dumped).execute()
    session.audit.append(session.actor.name, "report.submit" if number == 1 else
                         "report.revise", "report", f"{month}#{number}",
                         new={"to": to, "cases": figures["total"]["all:new"][0],
                              "differences": len(changed)},
                         note=note)


@dataclass(frozen=True)
class Overview:
    """Everything the report screen shows of a month, read in one go."""

    report: Report
    departments: list[DepartmentState]
    revisions: list[Revision]
    pending: list[Difference]
    swings: list[Swing]
    trend: list[Trend]
    names: dict[str, str]
    """report.line_names(), for saying codes in words."""


def overview(month_text: str) -> Overview:
    built = report.build(month_text)
    done = revisions(built.month)
    changed = _changed(done[-1], built) if done else []
    return Overview(built, departments(built.month, built), done, changed, swings(built),
                    built.trend(), report.line_names())
