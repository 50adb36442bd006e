"""Word files of the monthly report (each revision too) and the leaders' briefings (C12).

Each file goes into the data folder's exports/ (or where asked), and is logged with
its SHA-256 in the same way as every other file that leaves the store.
"""

from __future__ import annotations

from pathlib import Path

from exports import report_rows, tables_doc
from exports.report_rows import COLUMNS, Row
from exports.tables_doc import Section, TablesDocument
from store import settings
from store.cards import codes
from store.errors import InvalidInput
from store.i18n import _, language, ngettext
from store.report import figures as report
from store.report import submission
from store.report.figures import LABELS, Line, Report
from store.report.rates import RATES
from store.vault.policy import RECOVERY_ACTOR
from store.vault.session import Session

WIDTHS = {"zh": [50.0, 14, 14, 25, 14, 14, 25], "en": [93.0, 25, 25, 25, 25, 25, 25]}
"""The table's columns in mm: in Chinese 156 in all (A4 portrait's text width); in English 243
(landscape, `_wide`), since English labels ("review for prosecution: carried over (start)")
run two or three times as long and six figure columns leave a portrait page's label column a
quarter of its width."""

LANDSCAPE_WIDTHS: list[float] = [63, 30, 30, 30, 30, 30, 30]  # 243 mm: landscape A4
BLANK = "____________"
"""Where a person's name belongs but the store has none to print: filled in by hand."""


def _wide() -> bool:
    """Whether the report's tables are printed on landscape pages: in English (see WIDTHS)."""
    return language() == "en"


def _laid_out(rows: list[Row]) -> tuple[list[list[str]], frozenset[int]]:
    """The rows' texts for a table, and which of them are headings (one bold cell across)."""
    table = [[row.label, *(row.cells or ("",) * len(COLUMNS))] for row in rows]
    return table, frozenset(i for i, row in enumerate(rows) if row.heading)


def _totals(rows: list[Row]) -> frozenset[int]:
    """The 合计's lines under the business types': bold, and kept on the page of the rows
    above them (none in a table of the 合计 alone)."""
    found = frozenset(i for i, row in enumerate(rows) if row.line is not None and row.line.total)
    return found if len(found) < sum(1 for row in rows if row.line is not None) else frozenset()


def _figures(header: list[str]) -> frozenset[int]:
    """A table's figure columns (every one after the item's): never broken inside."""
    return frozenset(range(1, len(header)))


def printed_name(login: str, name: str) -> str:
    """An operator on paper: the full name, never the login; a blank to fill in by hand when
    the store has no name apart from the login (an operator added without one, the recovery
    code)."""
    return name if name and name != login and login != RECOVERY_ACTOR else BLANK


def empty_note(built: Report) -> str:
    return _("No cases received, concluded or open in this period.") if built.empty else ""


def under_table(built: Report, none: str = "—", divide: str = "÷") -> tuple[str, ...]:
    """The stocks' days and the rates with their formulas and values, under the table."""
    return (report_rows.stocks_note(built),
            *report_rows.rate_lines(built, none, divide, paper=True))


def report_section(built: Report, heading: str, rows: list[Row] | None = None,
                   widths: list[float] | None = None) -> Section:
    """Item | this month 件, 人, 同比 | the year to date 件, 人, 同比; a heading row for each
    business type and for the 合计 (件 only); the stocks' days and the rates beneath."""
    rows = report_rows.rows(built) if rows is None else rows
    table, headings = _laid_out(rows)
    header, groups = report_rows.paper_headers()
    return Section(heading, header, table, widths or WIDTHS[language()], _totals(rows),
                   note=empty_note(built), group_rows=headings, under=under_table(built),
                   whole=_figures(header), header_groups=groups, figures_from=1)


def department_section(built: Report) -> Section:
    """This month's 件 by department: the figures each department confirmed."""
    departments = built.departments
    names = {c.code: c.name for c in codes.all_codes("department", include_retired=True)}
    rows = report_rows.grouped(built, cells=lambda line: tuple(
        str(built.count("month", line.key, d).cases) for d in [*departments, None]))
    table = [[row.label, *(row.cells or ("",) * (len(departments) + 1))] for row in rows]
    width = ((243 if _wide() else 156) - 44) / (len(departments) + 1)
    return Section(_("This month by department (cases)"),
                   [_("Item"), *(names.get(d, d) for d in departments), _("Total")], table,
                   [44] + [width] * (len(departments) + 1),
                   note=_("No department has cases in this period.") if not departments
                   else "", group_rows=frozenset(i for i, r in enumerate(rows) if r.heading),
                   figures_from=1)


def state_line(built: Report, done: list[submission.Revision], *,
               on_paper: bool = False) -> str:
    """Whether the month is submitted: to whom, when, by whom (`on_paper`: the name or a
    blank, never the login), and the latest revision."""
    if not done:
        return _("STILL OPEN: not submitted; the figures may change.")
    first, last = done[0], done[-1]
    changed = submission.pending(built.month, built)
    said = _("Submitted to {to} on {day} by {who}, revision {n}. The figures have changed "
             "since: a new revision is due.") if changed else _(
        "Submitted to {to} on {day} by {who}, revision {n}.")
    who = printed_name(first.by, first.by_name) if on_paper else first.by_name
    return said.format(to=first.submitted_to, day=first.at[:10], who=who, n=last.revision)


def _head(month: str) -> list[str]:
    unit = settings.current().printed_unit()
    return [unit, _("Statistical month {month}").format(month=month)]


def _signatures(session: Session) -> list[str]:
    """Who made the file, by name (the operator's full name, never the login), then the lines
    signed by hand."""
    actor = session.actor
    return [_("Prepared by: {name}    Reviewed by: ____________    Date: ____________").format(
        name=printed_name(actor.name, actor.display_name))]


def _save(session: Session, document: TablesDocument, name: str, kind: str, month: str,
          folder: Path | None) -> Path:
    return tables_doc.save(session, document, name, "export.report",
                           {"kind": kind, "month": month}, folder)


def monthly(session: Session, month_text: str, folder: Path | None = None) -> Path:
    """The month's report as it stands: this month and the year to date with 同比, the rates
    with their formulas; then this month by department."""
    built = report.build(month_text)
    done = submission.revisions(built.month)
    document = TablesDocument(
        _("Monthly statistical report"),
        [*_head(built.month), state_line(built, done, on_paper=True)],
        [report_section(built, _("This month and the year to date")),
         department_section(built)], _signatures(session), landscape=_wide())
    return _save(session, document, f"report-{built.month}.docx", "monthly", built.month,
                 folder)


def _pair(values: tuple[int, ...]) -> str:
    """[cases, persons] as a revision keeps them, with their units: "5 件 / 7 人"; "5 件" on a
    合计 (persons -1: never added across stages)."""
    cases = ngettext("{n} case", "{n} cases", values[0]).format(n=values[0])
    if len(values) < 2 or values[1] < 0:
        return cases
    return _("{cases} / {persons}").format(
        cases=cases, persons=ngettext("{n} person", "{n} persons", values[1]).format(
            n=values[1]))


def _kept_rows(built: Report, figures: submission.Figures) -> list[Row]:
    """A revision's figures in the report's lines (this month 件, 人; the year to date 件, 人
    when kept), lines it has that the report no longer shows listed after them."""
    total, ytd = figures.get("total", {}), figures.get("ytd")
    lines = list(built.lines)
    names = report.line_names()
    for key in sorted(set(total) - {line.key for line in lines}):
        kind, _sep, stage = key.partition(":")
        name = names.get(key, key)
        lines.append(Line(key, kind if kind != "all" else "", stage.partition("/")[0],
                          stage.partition("/")[2] or None, name, name, False))

    def text(kept: dict[str, list[int]] | None, key: str, persons: bool) -> str:
        if kept is None:
            return ""
        values = kept.get(key, [0, -1 if key.startswith("all:") else 0])
        return "" if persons and values[1] < 0 else str(values[1 if persons else 0])

    return report_rows.grouped(built, lines, lambda line: (
        text(total, line.key, False), text(total, line.key, True),
        text(ytd, line.key, False), text(ytd, line.key, True)))


def _kept_rates(figures: submission.Figures) -> tuple[str, ...]:
    """The rates a revision kept, with their formulas."""
    kept = figures.get("rates", {})
    found = []
    for rate in RATES:
        if rate.key not in kept:
            continue
        numerator, denominator = kept[rate.key]
        shown = "—" if denominator == 0 else f"{100.0 * numerator / denominator:.1f}%"
        found.append(_("{formula}: month {month}").format(
            formula=report_rows.formula(rate), month=f"{numerator} ÷ {denominator} = {shown}"))
    return tuple(found)


def revision_section(built: Report, figures: submission.Figures) -> Section:
    """A revision's figures as it was sent: in the report's lines when kept in the current
    shape; a list of the old keys when kept before cases had events."""
    if submission.old_shape(figures):
        names = report.line_names()
        total = figures.get("total", {})
        table = [[names.get(key, key), str(v[0]), str(v[1])] for key, v in sorted(
            total.items(), key=lambda kv: (kv[0] == "all", kv[0]))]
        return Section(_("Figures of this revision"), [_("Item"), _("Cases"), _("Persons")],
                       table, [90, 38, 38], frozenset({len(table) - 1}) if table else
                       frozenset())
    rows = _kept_rows(built, figures)
    table = [[row.label, *(row.cells or ("",) * 4)] for row in rows]
    header, groups = report_rows.paper_headers(tuple(c for c in COLUMNS if c[1] != "change"))
    return Section(_("Figures of this revision"), header, table, [68, 22, 22, 22, 22],
                   _totals(rows), group_rows=frozenset(i for i, r in enumerate(rows)
                                                       if r.heading),
                   under=(report_rows.stocks_note(built), *_kept_rates(figures)),
                   whole=_figures(header), header_groups=groups, figures_from=1)


def _in_report_order(built: Report, found: list[submission.Difference],
                     ) -> list[submission.Difference]:
    """A revision's differences as the report reads: the unit's, then each department's in
    the report's order of departments; within each, the report's order of lines (lines the
    report no longer shows after them)."""
    lines = {line.key: n for n, line in enumerate(built.lines)}
    places: dict[str, int] = {}
    for code in [*built.departments, *(c.code for c in codes.all_codes(
            "department", include_retired=True))]:
        places.setdefault(code, len(places))
    return sorted(found, key=lambda d: (d.where != "total", places.get(d.where, len(places)),
                                        d.where, lines.get(d.line, len(lines)), d.line))


def _item(key: str, names: dict[str, str]) -> str:
    """A line of the differences by name: "审查逮捕 / 新收", "合计 / 新收"."""
    kind, _sep, stage = key.partition(":")
    if kind != "all" or stage not in LABELS:
        return names.get(key, key)
    zh, en = LABELS[stage]
    return f"{names['all']} / {en if language() == 'en' else zh}"


def differences_section(built: Report, kept: submission.Revision) -> Section:
    """What a revision changed from the one before: where (the unit, or a department by its
    name), which line, and the figures before and after with their units."""
    names = report.line_names()
    departments = {c.code: c.name for c in codes.all_codes("department",
                                                            include_retired=True)}
    rows = [[_("total") if d.where == "total" else departments.get(d.where, d.where),
             _item(d.line, names), _pair(d.before), _pair(d.after)]
            for d in _in_report_order(built, kept.differences)]
    return Section(_("Differences from revision {n}").format(n=kept.revision - 1),
                   [_("Where"), _("Item"), _("Before"), _("After")], rows, [34, 62, 30, 30],
                   whole=frozenset({2, 3}))


def revision(session: Session, month_text: str, number: int,
             folder: Path | None = None) -> Path:
    """One revision as submitted: its figures, and what it changed from the one before."""
    month = report.check_month(month_text)
    found = [r for r in submission.revisions(month) if r.revision == number]
    if not found:
        raise InvalidInput(_("{month} has no revision {n}").format(month=month, n=number))
    kept = found[0]
    built = report.build(month)
    sections = [revision_section(built, kept.figures)]
    if kept.differences:
        sections.append(differences_section(built, kept))
    lines = [*_head(month), _("Revision {n} of {day}, submitted by {who} to {to}.").format(
        n=number, day=kept.at[:10], who=printed_name(kept.by, kept.by_name),
        to=kept.submitted_to)]
    if kept.note:
        lines.append(_("Note: {note}").format(note=kept.note))
    if kept.swing_note:
        lines.append(_("On the month-on-month swing: {note}").format(note=kept.swing_note))
    document = TablesDocument(_("Monthly statistical report"), lines, sections,
                              _signatures(session))
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


HEADLINE = ("new", "concluded", "open")
"""The briefing's lines of each business type: 新收, 审结, 未结."""


def briefing_main(session: Session, month_text: str, folder: Path | None = None) -> Path:
    """By the 2nd: the main business situation (新收, 审结 and 未结 of each business type, this
    month and the year to date with 同比, the rates) and the ledger of major cases of the
    procuratorate's own investigations."""
    built = report.build(month_text)
    headline = [line for line in built.lines if line.kind in HEADLINE and line.outcome is None]
    rows = report_rows.grouped(built, headline, lambda line: tuple(
        report_rows.cell(built, line, period, measure) for period, measure in COLUMNS))
    ledger = ledger_rows(int(built.month[:4]), built.month)
    sections = [
        report_section(built, _("Main business situation: this month and the year to date"),
                       rows, LANDSCAPE_WIDTHS),
        Section(_("Ledger of major self-investigated cases (自侦大要案台账), {year}").format(
            year=built.month[:4]),
            [_("No."), _("Case number"), _("Case name"), _("Charge"), _("Rank"),
             _("Amount (yuan)"), _("Accepted on"), _("Concluded"), _("Outcome"), _("Flag")],
            ledger, [9, 42, 32, 22, 18, 24, 26, 26, 22, 22],  # 243 mm: landscape A4
            note=_("No major or key cases this year.") if not ledger else "",
            whole=frozenset({0, 1, 5, 6, 7}))]
    done = submission.revisions(built.month)
    document = TablesDocument(_("Leaders' briefing: main business situation"),
                              [*_head(built.month), state_line(built, done, on_paper=True)],
                              sections,
                              _signatures(session), landscape=True)
    return _save(session, document, f"briefing-main-{built.month}.docx", "briefing-main",
                 built.month, folder)


def briefing_tables(session: Session, month_text: str, folder: Path | None = None) -> Path:
    """By the 6th: the other business tables, one per business type with its every line
    (this month and the year to date), then the 合计 with the rates."""
    built = report.build(month_text)
    sections = []
    kinds = list(dict.fromkeys(line.business_type for line in built.lines))
    for kind in kinds:
        rows = [row for row in report_rows.rows(built)
                if row.line is not None and row.line.business_type == kind]
        table, _headings = _laid_out(rows)
        header, groups = report_rows.paper_headers()
        sections.append(Section(report_rows.heading_name(built, kind), header, table,
                                WIDTHS[language()], _totals(rows),
                                under=under_table(built) if not kind else (),
                                whole=_figures(header), header_groups=groups, figures_from=1))
    done = submission.revisions(built.month)
    document = TablesDocument(_("Leaders' briefing: business tables"),
                              [*_head(built.month), state_line(built, done, on_paper=True)],
                              sections,
                              _signatures(session), landscape=_wide())
    return _save(session, document, f"briefing-tables-{built.month}.docx", "briefing-tables",
                 built.month, folder)
