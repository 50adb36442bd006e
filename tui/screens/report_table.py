"""The report screen's tables: the month and the year to date by business type, the month by
department, the departments' confirmations and the last twelve months; and where Enter on a
figure leads (the cards behind it)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from exports import report_rows
from exports.report_rows import COLUMNS, Row
from store.cards.listing import CardFilter, FigureRef
from store.i18n import N_, _, language
from store.report import figures
from store.report.figures import LABELS, Line, Report
from store.report.submission import Overview
from tui import glyphs

VIEWS = {"report": N_("this month and year to date"), "department": N_("by department"),
         "reconcile": N_("reconciliation"), "trend": N_("twelve months")}
HEADING = "head:"
"""The key of a heading row (a business type, the 合计): it has no figures."""
CONSOLE = str.maketrans({chr(0x00F7): "/", chr(0x2265): ">=", chr(0x2264): "<=",
                         chr(0x2260): "!=", chr(0x2014): glyphs.NONE, chr(0x00D7): "x",
                         chr(0x00B7): " "})
"""What the store writes for paper that the console font cannot draw (division sign, greater
or less than or equal to, not equal to, em dash, multiplication sign, middle dot), by code
point: none of them is ever drawn."""


def console(text: str) -> str:
    """`text` in the characters a console CJK font draws (a formula's division sign as /)."""
    return text.translate(CONSOLE)


def figure(value: str) -> Text:
    """A number, right-aligned in its column."""
    return Text(value, justify="right")


def row_label(row: Row) -> Text:
    """A heading in bold; the lines beneath it as the report indents them."""
    return Text(console(row.label), style="bold" if row.heading else "")


def row_key(row: Row) -> str:
    return HEADING + row.label if row.line is None else row.line.key


def item_column(table: DataTable[object], rows: list[Row], room: int) -> None:
    """The labels' column: as wide as the longest label, but no wider than `room` leaves the
    figures in view on a small terminal."""
    longest = max([cell_len(_("Item"))] + [cell_len(row.label) for row in rows])
    table.add_column(_("Item"), key="item", width=min(longest, max(14, room)))


def two_lines(title: str) -> Text:
    """A column title on two lines (the period over the unit), right-aligned."""
    return Text(title, justify="right")


def fill_report(table: DataTable[object], built: Report, width: int) -> None:
    """Per business type its lines, this month and the year to date: 件, 人, 同比."""
    rows = report_rows.rows(built, none=glyphs.NONE)
    titles = report_rows.headers()[1:]
    figures_width = sum(2 + max([cell_len(part) for part in title.split("\n")]
                                + [cell_len(row.cells[n]) for row in rows if row.cells])
                        for n, title in enumerate(titles))
    item_column(table, rows, width - figures_width - 6)
    for (period, measure), title in zip(COLUMNS, titles, strict=True):
        table.add_column(two_lines(title), key=f"{period}:{measure}")
    for row in rows:
        cells = row.cells or ("",) * len(COLUMNS)
        table.add_row(row_label(row), *map(figure, cells), key=row_key(row))


def fill_departments(table: DataTable[object], built: Report, width: int) -> None:
    """This month's 件 and 人 of each department, then the unit's."""
    rows = report_rows.grouped(built)
    item_column(table, rows, width - 40)
    for code in [*built.departments, ""]:
        where = code or _("Total")
        table.add_column(two_lines(_("{department}\ncases").format(department=where)),
                         key=f"dept:{code}:cases")
        table.add_column(two_lines(_("{department}\npersons").format(department=where)),
                         key=f"dept:{code}:persons")
    for row in rows:
        cells: list[Text] = []
        if row.line is not None:
            for code in [*built.departments, ""]:
                for measure in ("cases", "persons"):
                    cells.append(figure(report_rows.cell(built, row.line, "month", measure,
                                                         code or None, glyphs.NONE)))
        else:
            cells = [figure("")] * (2 * len(built.departments) + 2)
        table.add_row(row_label(row), *cells, key=row_key(row))


def fill_reconcile(table: DataTable[object], data: Overview, names: dict[str, str]) -> None:
    """Each department's confirmation of its figures (C5)."""
    for key, title in (("item", _("Department")), ("cases", _("New cases")),
                       ("by", _("Confirmed by")), ("on", _("On")), ("state", _("State"))):
        table.add_column(title, key=key)
    for state in data.departments:
        mark = (glyphs.OK + " " + _("confirmed") if state.current else
                glyphs.WARN + " " + _("changed since") if state.confirmed_by else
                glyphs.BAD + " " + _("not yet"))
        table.add_row(Text(names.get(state.department, state.department)),
                      figure(str(state.cases)), Text(state.confirmed_by or glyphs.NONE),
                      state.confirmed_on or glyphs.NONE, mark,
                      key=f"dept:{state.department}")


TREND_COLUMNS = {"new": N_("New\ncases"), "concluded": N_("Concluded\ncases"),
                 "open": N_("Open at\nthe end")}


def fill_trend(table: DataTable[object], built: Report) -> None:
    """The twelve months up to this one in 件, all business types: 新收, 审结, 未结 at each
    month's end."""
    table.add_column(_("Month"), key="item")
    for key, title in TREND_COLUMNS.items():
        table.add_column(two_lines(_(title)), key=f"trend:{key}")
    for month in reversed(built.trend()):
        table.add_row(month.month, figure(str(month.new)), figure(str(month.concluded)),
                      figure(str(month.open)), key=f"month:{month.month}")


@dataclass(frozen=True)
class Behind:
    """The cards behind a figure, and how the card list names them."""

    preset: CardFilter
    what: str


def _line_name(built: Report, line: Line) -> str:
    if not line.business_type:
        return line.label
    zh, en = LABELS[line.kind]
    stage = en if language() == "en" else zh
    name = f"{stage} {line.label}" if line.outcome is not None else stage
    return f"{built.type_name(line.business_type)} {name}"


def _span(first: str, last: str) -> str:
    return first if first == last else f"{first}{glyphs.SPAN}{last}"


def behind(built: Report, view: str, row: str, column: str,
           names: dict[str, str]) -> Behind | None:
    """Where Enter on a cell leads: the cards behind its figure; None on a label, a heading
    or a row of the reconciliation."""
    if view == "trend":
        month, key = row.removeprefix("month:"), column.removeprefix("trend:")
        if column == "item":
            return None
        zh, en = figures.TOTALS[key]
        return Behind(CardFilter(counted_only=True, figure=FigureRef(month, month, f"all:{key}")),
                      f"{month} {en if language() == 'en' else zh}")
    line = next((x for x in built.lines if x.key == row), None)
    if line is None or column == "item" or view not in ("report", "department"):
        return None
    if view == "department":
        _dept, department, _measure = column.split(":")
        period = "month"
    else:
        department, (period, measure) = "", column.split(":")
        if measure == "change":
            period += "_ly"  # 同比: the cards of a year earlier it is compared with
    first, last = built.ranges[period]
    said = [_span(first, last)]
    if department:
        said.append(names.get(department, department))
    said.append(_line_name(built, line))
    return Behind(figures.figure_filter(built, period, line.key, department or None),
                  " ".join(said))
