"""Word files of the monthly report (each revision too) and the leaders' briefings (C12).

Each file goes into the data folder's exports/ (or where asked), and is logged with
its SHA-256 in the same way as every other file that leaves the store.
"""

from __future__ import annotations

from pathlib import Path

from exports import tables_doc
from exports.tables_doc import Section, TablesDocument
from store import settings
from store.cards import codes
from store.errors import InvalidInput
from store.i18n import _, language
from store.report import figures as report
from store.report import submission
from store.report.figures import Line, Report
from store.vault.session import Session

WIDTHS: list[float] = [52, 18, 18, 24, 20, 24]  # 156 mm: the A4 text width


def percent(change: report.Change) -> str:
    return "—" if change.percent is None else f"{change.percent:+.1f}%"


def label(line: Line | None, indent: bool = True) -> str:
    if line is None:
        return _("Total")
    name = line.label_en if language() == "en" else line.label_zh
    return ("\u3000" + name) if indent and line.outcome is not None else name


def _lines(built: Report) -> list[Line | None]:
    return [*built.lines, None]


def figures_section(built: Report, period: str, heading: str,
                    with_total: bool = True) -> Section:
    """Item | cases | persons | cases a year earlier | change | change %."""
    table, bold = [], set()
    for index, line in enumerate(_lines(built) if with_total else built.lines):
        kind = None if line is None else line.business_type
        outcome = None if line is None else line.outcome
        count = built.count(period, None, kind, outcome)
        change = built.change(period, None, kind, outcome)
        table.append([label(line), str(count.cases), str(count.persons), str(change.before),
                      f"{change.diff:+d}", percent(change)])
        if line is None or line.outcome is None:
            bold.add(index)
    return Section(heading, [_("Item"), _("Cases"), _("Persons"), _("Last year"),
                             _("YoY"), _("YoY %")], table, WIDTHS, frozenset(bold),
                   _("No accepted cards in this period.") if built.count(period).cases == 0
                   else "")


def department_section(built: Report) -> Section:
    """This month's cases by department: the figures each department confirmed."""
    departments = built.departments
    names = {c.code: c.name for c in codes.all_codes("department", include_retired=True)}
    table, bold = [], set()
    for index, line in enumerate(_lines(built)):
        kind = None if line is None else line.business_type
        outcome = None if line is None else line.outcome
        table.append([label(line)] + [str(built.count("month", d, kind, outcome).cases)
                                      for d in [*departments, None]])
        if line is None or line.outcome is None:
            bold.add(index)
    width = (156 - 44) / (len(departments) + 1)
    return Section(_("This month by department (cases)"),
                   [_("Item"), *(names.get(d, d) for d in departments), _("Total")], table,
                   [44] + [width] * (len(departments) + 1), frozenset(bold),
                   _("No accepted cards in this period.") if not departments else "")


def state_line(built: Report, done: list[submission.Revision]) -> str:
    if not done:
        return _("STILL OPEN: not submitted; the figures may change.")
    first, last = done[0], done[-1]
    changed = submission.differences(last.figures, submission.figures_of(built))
    said = _("Submitted to {to} on {day} by {who}; revision {n}. The figures have changed "
             "since: a new revision is due.") if changed else _(
        "Submitted to {to} on {day} by {who}; revision {n}.")
    return said.format(to=first.submitted_to, day=first.at[:10], who=first.by, n=last.revision)


def _head(month: str) -> list[str]:
    unit = settings.current().printed_unit()
    return [unit, _("Statistical month {month}").format(month=month)]


def _signatures() -> list[str]:
    return [_("Prepared by: ____________    Approved by: ____________    Date: ____________")]


def _save(session: Session, document: TablesDocument, name: str, kind: str, month: str,
          folder: Path | None) -> Path:
    return tables_doc.save(session, document, name, "export.report",
                           {"kind": kind, "month": month}, folder)


def monthly(session: Session, month_text: str, folder: Path | None = None) -> Path:
    """The month's report as it stands: month and year to date, with 同比."""
    built = report.build(month_text)
    done = submission.revisions(built.month)
    document = TablesDocument(
        _("Monthly statistical report"), [*_head(built.month), state_line(built, done)],
        [figures_section(built, "month", _("This month")),
         figures_section(built, "ytd", _("Year to date (累计)")),
         department_section(built)], _signatures())
    return _save(session, document, f"report-{built.month}.docx", "monthly", built.month,
                 folder)


def revision(session: Session, month_text: str, number: int,
             folder: Path | None = None) -> Path:
    """One revision as submitted: its figures, and what it changed from the one before."""
    month = report.check_month(month_text)
    found = [r for r in submission.revisions(month) if r.revision == number]
    if not found:
        raise InvalidInput(_("{month} has no revision {n}").format(month=month, n=number))
    kept = found[0]
    names = report.line_names()
    total = kept.figures.get("total", {})
    table = [[names.get(key, key), str(v[0]), str(v[1])] for key, v in sorted(
        total.items(), key=lambda kv: (kv[0] == "all", kv[0]))]
    sections = [Section(_("Figures of this revision"), [_("Item"), _("Cases"), _("Persons")],
                        table, [90, 38, 38], frozenset({len(table) - 1}) if table else
                        frozenset())]
    if kept.differences:
        sections.append(Section(_("Differences from revision {n}").format(n=number - 1),
                                [_("Where"), _("Item"), _("Before"), _("After")],
                                [[_("total") if d.where == "total" else d.where,
                                  names.get(d.line, d.line), "/".join(map(str, d.before)),
                                  "/".join(map(str, d.after))] for d in kept.differences],
                                [30, 76, 30, 30]))
    lines = [*_head(month), _("Revision {n}, {day}, by {who}, to {to}.").format(
        n=number, day=kept.at[:10], who=kept.by, to=kept.submitted_to)]
    if kept.note:
        lines.append(_("Note: {note}").format(note=kept.note))
    if kept.swing_note:
        lines.append(_("On the month-on-month swing: {note}").format(note=kept.swing_note))
    document = TablesDocument(_("Monthly statistical report"), lines, sections, _signatures())
    return _save(session, document, f"report-{month}-r{number}.docx", "revision", month,
                 folder)


def ledger_rows(year: int, last_month: str) -> list[list[str]]:
    """自侦大要案台账: every 大案/要案 card of the year up to the month, counted ones only."""
    names = _code_names()
    flags = {"major": _("major case 大案"), "key": _("key case 要案"),
             "both": _("both 大案要案")}
    found = report.major_cases(year, last_month)
    return [[str(n), c.case_no, c.case_name, names.get(("charge", c.charge), c.charge),
             names.get(("rank", c.rank), c.rank), "" if c.amount is None else f"{c.amount:,}",
             c.accepted_on, c.concluded_on or "—",
             names.get(("outcome", c.outcome), c.outcome or "—"), flags.get(c.major, c.major)]
            for n, c in enumerate(found, start=1)]


def _code_names() -> dict[tuple[str, str], str]:
    return {(c.kind, c.code): c.name for kind in ("charge", "rank", "outcome")
            for c in codes.all_codes(kind, include_retired=True)}


def briefing_main(session: Session, month_text: str, folder: Path | None = None) -> Path:
    """By the 2nd: the main business situation (headline figures with 同比, month and year to
    date, per business type) and the ledger of major self-investigated cases."""
    built = report.build(month_text)
    headline, bold = [], set()
    for index, line in enumerate([x for x in _lines(built) if x is None or x.outcome is None]):
        kind = None if line is None else line.business_type
        cells = [label(line)]
        for period in ("month", "ytd"):
            count = built.count(period, None, kind)
            change = built.change(period, None, kind)
            cells += [str(count.cases), str(count.persons), str(change.before),
                      f"{change.diff:+d}", percent(change)]
        headline.append(cells)
        if line is None:
            bold.add(index)
    ledger = ledger_rows(int(built.month[:4]), built.month)
    sections = [
        Section(_("Main business situation: this month, then the year to date"),
                [_("Business type"), *[_("Cases"), _("Persons"), _("Last year"), _("YoY"),
                                       _("YoY %")] * 2],
                headline, [43.0] + [20.0] * 10, frozenset(bold)),
        Section(_("Ledger of major self-investigated cases (自侦大要案台账), {year}").format(
            year=built.month[:4]),
            [_("No."), _("Case number"), _("Case name"), _("Charge"), _("Rank"),
             _("Amount (yuan)"), _("Accepted on"), _("Concluded"), _("Outcome"), _("Flag")],
            ledger, [9, 42, 32, 22, 18, 24, 26, 26, 22, 22],  # 243 mm: landscape A4
            note=_("No major or key cases this year.") if not ledger else "")]
    done = submission.revisions(built.month)
    document = TablesDocument(_("Leaders' briefing: main business situation"),
                              [*_head(built.month), state_line(built, done)], sections,
                              _signatures(), landscape=True)
    return _save(session, document, f"briefing-main-{built.month}.docx", "briefing-main",
                 built.month, folder)


def briefing_tables(session: Session, month_text: str, folder: Path | None = None) -> Path:
    """By the 6th: the other business tables, one per business type (month, year to date)."""
    built = report.build(month_text)
    sections = []
    for kind in [line for line in built.lines if line.outcome is None]:
        part = Report(built.month, {k: v for k, v in built.groups.items()
                                    if k[2] == kind.business_type},
                      [line for line in built.lines if line.business_type == kind.business_type],
                      built.departments, built.locked)
        sections.append(figures_section(part, "month", _("{kind} · this month").format(
            kind=label(kind)), with_total=False))
        sections.append(figures_section(part, "ytd", _("{kind} · year to date").format(
            kind=label(kind)), with_total=False))
    done = submission.revisions(built.month)
    document = TablesDocument(_("Leaders' briefing: business tables"),
                              [*_head(built.month), state_line(built, done)], sections,
                              _signatures())
    return _save(session, document, f"briefing-tables-{built.month}.docx", "briefing-tables",
                 built.month, folder)
