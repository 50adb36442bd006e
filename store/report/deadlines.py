"""The office's deadlines of a month (RULES.md, "Deadlines of a month"), and their state.

A deadline that falls on a holiday or a weekend moves to the previous working day
(make-up working days count as working days). Each deadline knows whether it is
done: from the store where the store can tell (briefings exported, cards handed
in, report submitted, backup made), else from a mark the statistician sets.

Each deadline of a statistical month's work says which month it wants: the leaders'
briefings of the 2nd and the 6th want the month before's (its report went up on the 27th),
the cards of the 25th and the report of the 27th the month's own. Cards are never done before
their cut-off day: a department that has handed in some may still hand in more.

The 10th (aggregated report, C6) and the 15th (sub-units' case information, C7) are
deadlines only of a unit with sub-units (the setting `has_subunits`); for a county-level
unit the 10th is only the day from which departments may query the reports (C13), a note
that is never due nor overdue, and its case information goes up with its report by the
27th. A department's cards count as handed in once it has a card in the month or has
said it has none (a zero return, store.report.zero).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from store import clock
from store.errors import InvalidInput
from store.i18n import N_, _
from store.report import zero
from store.report.models import DeadlineMark
from store.report.models import ZeroReturn as ZeroRow
from store.secrecy.models import CheckRun
from store.vault.database import db, records
from store.vault.session import Session

MONTHLY: tuple[tuple[int, str, str, str], ...] = (
    (2, "briefing-main",
     N_("leaders: main business situation and the ledger of major self-investigated cases"),
     "C12"),
    (6, "briefing-tables", N_("leaders: the other business tables"), "C12"),
)
"""Every unit's deadlines of the month before the cards (day, key, what, rule)."""
WITH_SUBUNITS: tuple[tuple[int, str, str, str], ...] = (
    (10, "aggregated", N_("aggregated report goes up; departments may query reports"),
     "C6, C13"),
    (15, "case-information", N_("case information goes up"), "C7"),
    (27, "report", N_("the unit's report goes up, after reconciliation"), "C5"),
)
"""A unit with sub-units: it aggregates their reports and case information."""
WITHOUT_SUBUNITS: tuple[tuple[int, str, str, str], ...] = (
    (27, "report",
     N_("the unit's report and its case information go up, after reconciliation"), "C5"),
)
"""A county-level unit: its own case information goes up with its report."""
QUERY = N_("departments may query the monthly reports and ledgers from this day")
"""The 10th of a unit without sub-units: a note (C13), not a deadline to meet."""
CARDS_DUE = N_("departments' case cards due")
BACKUP = N_("monthly encrypted backup")
CHECK_IN = N_("quarterly check-in of confidential documents")
HOLIDAY_EVE = N_("holiday eve ({name}): all material into secure storage")
STATES = {"done": N_("done"), "due": N_("due"), "overdue": N_("OVERDUE"),
          "note": N_("info")}
"""A deadline's state; "note" is a day to know of, never due nor overdue."""
MARKABLE = ("aggregated", "case-information", "check-in", "holiday-eve")
"""Deadlines the store cannot see done by itself: the statistician marks them (a check-in
or a holiday eve is also seen done when its checklist run closed)."""
WANTS_MONTH = ("briefing-main", "briefing-tables", "aggregated", "case-information", "query",
               "report", "cards")
"""Deadlines of a statistical month's work: each says which month it wants (`Deadline.month`),
the calendar's own month (its cards by the 25th, its report by the 27th) unless listed below."""
WANTS_MONTH_BEFORE = ("briefing-main", "briefing-tables", "aggregated", "case-information",
                      "query")
"""Deadlines that want the month before: the leaders' briefings of the 2nd and the 6th, and (a
unit with sub-units) the aggregated report of the 10th and the case information of the 15th
follow the reports of the 27th before; from the 10th departments may query that report."""
SUBUNITS_ONLY = ("aggregated", "case-information")
"""Deadlines of a unit with sub-units only (the setting `has_subunits`)."""


@dataclass(frozen=True)
class Deadline:
    """One deadline: `what` is a catalog message, translated where it is shown (with `name`)."""

    day: date
    what: str
    rule: str
    days_left: int
    name: str = ""
    key: str = ""
    nominal: date | None = None
    """The day the rules name, when the deadline moved off a holiday or weekend."""
    state: str = "due"
    month: str = ""
    """The statistical month the deadline wants (2026-11), '' for one of no month (a backup,
    a check-in, a holiday eve, a note): the briefings of the 2nd and the 6th want the month
    before's, the cards and the report their own month's."""

    @property
    def moved(self) -> bool:
        return self.nominal is not None and self.nominal != self.day


@dataclass(frozen=True)
class Calendar:
    month: str
    deadlines: list[Deadline]
    missing_years: list[int]
    """Years with no holidays entered: their deadlines are computed without holidays."""
    missing_departments: list[str]
    """Departments with no card of this statistical month yet and no zero return (due the
    25th)."""
    zero_returns: list[zero.ZeroReturn] = field(default_factory=list)
    """The month's zero returns (零报); a contradicted one has cards entered since."""


def _last_day(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def working_day_on_or_before(day: date, listed: dict[date, str]) -> date:
    from store import holidays

    while not holidays.is_working_day(day, listed):
        day -= timedelta(days=1)
    return day


def holiday_eves(first: date, last: date, listed: dict[date, str],
                 names: dict[date, str]) -> list[tuple[date, str]]:
    """The last working day before each holiday block that starts between first and last."""
    found = []
    for day in sorted(d for d, kind in listed.items() if kind == "holiday"):
        before = day - timedelta(days=1)
        if first <= day <= last + timedelta(days=10) and listed.get(before) != "holiday":
            found.append((working_day_on_or_before(before, listed), names.get(day, "")))
    return found


def quarter_of(day: date) -> str:
    """The quarter a day is in, as a quarterly check-in's period says it: 2026-Q4."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _previous(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:])
    return f"{year - 1}-12" if mon == 1 else f"{year}-{mon - 1:02d}"


def calendar(today: date, year: int | None = None, month: int | None = None) -> Calendar:
    """The deadlines of a month (this month by default) with their state as of `today`."""
    from store import holidays, settings
    from store.backups import make as backups

    setting = settings.current()
    year, month = year or today.year, month or today.month
    first, last = date(year, month, 1), _last_day(year, month)
    wide_first, wide_last = first - timedelta(days=10), last + timedelta(days=40)
    listed = holidays.listed_between(wide_first, wide_last)
    names = {h.day: h.name for y in {wide_first.year, wide_last.year}
             for h in holidays.list_year(y)}
    needed = {year} | ({year + 1} if month == 12 else set())  # New Year's eve is in December
    missing_years = sorted(y for y in needed if not holidays.list_year(y))
    this = f"{year:04d}-{month:02d}"
    done = _done(this, today)
    items: list[Deadline] = []

    def state(key: str, day: date) -> str:
        if key == "cards" and today < day:  # cards keep coming in until the cut-off day
            return "due"
        return "done" if done.get(key) else ("overdue" if day < today else "due")

    def add(nominal: date, key: str, what: str, rule: str) -> None:
        day = working_day_on_or_before(nominal, listed)
        items.append(Deadline(day, what, rule, (day - today).days, "", key, nominal,
                              "note" if key == "query" else state(key, day),
                              wanted(key)))

    def wanted(key: str) -> str:
        return _previous(this) if key in WANTS_MONTH_BEFORE else this if key in WANTS_MONTH \
            else ""

    for dom, key, what, rule in MONTHLY + (WITH_SUBUNITS if setting.has_subunits
                                           else WITHOUT_SUBUNITS):
        add(date(year, month, dom), key, what, rule)
    if not setting.has_subunits:
        query = date(year, month, 10)  # from the 10th itself, weekend or not
        items.append(Deadline(query, QUERY, "C13", (query - today).days, "", "query", None,
                              "note", wanted("query")))
    # the cut-off day, or for 0 (end of month) the month's last working day
    add(setting.cutoff_date(this), "cards", CARDS_DUE, "C4")
    backup_day = backups.first_working_day(year, month)
    items.append(Deadline(backup_day, BACKUP, "C8", (backup_day - today).days, "", "backup",
                          None, state("backup", backup_day)))
    if month % 3 == 0:
        add(last, "check-in", CHECK_IN, "D5")
    for eve, name in holiday_eves(first, last, listed, names):
        if eve.month == month:
            key = f"holiday-eve:{eve.isoformat()}"
            items.append(Deadline(eve, HOLIDAY_EVE, "A2, D11", (eve - today).days, name, key,
                                  None, state(key, eve)))
    missing = missing_departments(this)
    return Calendar(this, sorted(items, key=lambda item: (item.day, item.rule)), missing_years,
                    missing, zero.zero_returns(this))


def upcoming(today: date, ahead: int = 10) -> Calendar:
    """This month's deadlines and next month's within `ahead` days (the dashboard's list)."""
    this = calendar(today)
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    following = calendar(today, year, month)
    soon = [d for d in following.deadlines if d.days_left <= ahead]
    return Calendar(this.month, this.deadlines + soon,
                    sorted(set(this.missing_years) | ({d.day.year for d in soon}
                                                      & set(following.missing_years))),
                    this.missing_departments, this.zero_returns + following.zero_returns)


def report_month(today: date) -> str:
    """The month whose report is due next, which F10 opens on: the month before today's until
    it is submitted (its briefings of the 2nd and the 6th want it too), then today's month.
    On 7 December with November not submitted: November. A store that has neither reported
    a month nor holds a card of the month before (one begun this month) starts on this one."""
    from store.cards import months
    from store.report import submission

    this = today.strftime("%Y-%m")
    before = _previous(this)
    if submission.revisions(before):
        return this
    return before if months.locked() or zero.cards_by_department(before) else this


def cards_month(today: date) -> str:
    """The month whose cards are meant on `today` (the dashboard's zero return): this
    calendar month while some department's cards are still missing and it is not reported,
    else the statistical month taking cards today."""
    from store import settings
    from store.cards import months
    from store.cards.rules import statistical_month

    this = today.strftime("%Y-%m")
    if this not in months.locked() and missing_departments(this):
        return this
    return statistical_month(today, settings.current().cutoff_day)


def missing_departments(month: str) -> list[str]:
    """Active departments with no card in the statistical month yet (C4: received,
    concluded or with an event there, in any state but void) and no zero return (零报)."""
    from store.cards import codes

    handed = set(zero.cards_by_department(month))
    handed |= {z.department for z in ZeroRow.select(ZeroRow.department)
               .where(ZeroRow.month == month)}
    return [c.code for c in codes.all_codes("department") if c.code not in handed]


class _Export(NamedTuple):
    """What an export of the report wrote in the audit log (JSON: its kind and month)."""

    new: str | None


def _done(month: str, today: date) -> dict[str, bool]:
    """What the store itself shows done for this month's deadlines, plus the marks."""
    from store.backups import make as backups
    from store.report import submission

    previous = _previous(month)
    exported = {(json.loads(entry.new or "{}").get("kind"),
                 json.loads(entry.new or "{}").get("month"))
                for entry in records(_Export, "SELECT new FROM audit"
                                              " WHERE action = 'export.report'")}
    found = {
        "briefing-main": ("briefing-main", previous) in exported,
        "briefing-tables": ("briefing-tables", previous) in exported,
        # submitted, and no correction since waits for its revision
        "report": bool(submission.revisions(month)) and not submission.pending(month),
        "cards": not missing_departments(month),
        "backup": backups.status(today).this_month_done if today.strftime("%Y-%m") == month
        else False,
    }
    # The checklists' runs closed (store.secrecy.checks): check-ins and holiday eves done.
    closed = {(run.kind, run.period) for run in CheckRun.select(CheckRun.kind, CheckRun.period)
              .where(CheckRun.status == "closed")}
    year, mon = int(month[:4]), int(month[5:])
    found["check-in"] = ("quarter", quarter_of(date(year, mon, 1))) in closed
    for kind, period in closed:
        if kind == "holiday":
            found[f"holiday-eve:{period}"] = True
    for mark in DeadlineMark.select(DeadlineMark.key).where(DeadlineMark.month == month):
        found[mark.key] = True
    return found


def mark_done(session: Session, month: str, key: str) -> None:
    """The statistician says a deadline the store cannot see is done (kept, audited)."""
    from store import settings
    from store.cards import months

    month = months.check_month(month)
    if key not in MARKABLE and not key.startswith("holiday-eve:"):
        raise InvalidInput(_("this deadline is done when the store sees it done"))
    if key in SUBUNITS_ONLY and not settings.current().has_subunits:
        raise InvalidInput(_("a unit without sub-units has no such deadline (Settings: "
                             "sub-units)"))
    with db.atomic():
        if DeadlineMark.select().where(DeadlineMark.month == month,
                                       DeadlineMark.key == key).exists():
            raise InvalidInput(_("already marked done"))
        DeadlineMark.insert(month=month, key=key, at=clock.stamp(),
                            by=session.actor.name).execute()
        session.audit.append(session.actor.name, "deadline.done", "deadline",
                             f"{month}:{key}")
