"""The report's table as a statistician reads it, in words and figures, for the screen, the
Word files and the command line alike: per business type 旧存, 新收, 受理, 审结 with its
outcomes beneath, 未结, 退查, 重报; this month and the year to date, each in 件 and 人 with
its 同比; the 合计 (全口径) in 件 only; the stocks' dates, the rates with their formulas, and
what the checks found.

Headless (no Word, no Textual): each reader lays the rows out and chooses its marks (the
console draws neither an em dash nor a division sign).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

from store.i18n import N_, _, language
from store.report.figure_checks import FigureCheck, as_of
from store.report.figures import LABELS, Change, Line, Report
from store.report.rates import Rate

COLUMNS: tuple[tuple[str, str], ...] = (
    ("month", "cases"), ("month", "persons"), ("month", "change"),
    ("ytd", "cases"), ("ytd", "persons"), ("ytd", "change"))
"""(period, measure) of each figure column: 件, 人 and 同比 (in 件), this month then the year to
date."""
HEADERS = {
    ("month", "cases"): N_("Month\ncases"), ("month", "persons"): N_("Month\npersons"),
    ("month", "change"): N_("Month\nYoY"),
    ("ytd", "cases"): N_("YTD\ncases"), ("ytd", "persons"): N_("YTD\npersons"),
    ("ytd", "change"): N_("YTD\nYoY"),
}
"""Each column's title on two lines, the period over the unit (件, 人) or 同比."""
TITLES = {"cases": N_("Cases"), "persons": N_("Persons"), "change": N_("YoY")}
"""A figure column's title on paper (件数, 人数, 同比), under its period's name."""
PERIODS = {"month": N_("This month"), "ytd": N_("Year to date")}
"""The names of the halves (本月, 本年累计) in the row above the column titles on paper."""
INDENT = "\u3000"
"""A full-width space: an outcome sits one step further in than its stage."""
STOCK_LABELS = {"old": N_("{line} (start)"), "open": N_("{line} (end)")}
"""A stock's line says when it is taken: 旧存 at the period's start, 未结 at its end."""


@dataclass(frozen=True)
class Row:
    """A line of the table: a group's heading (a business type, or the 合计) with no figures,
    or one of the report's lines with its figures' texts, in the order of `COLUMNS`."""

    label: str
    line: Line | None
    """None on a heading."""
    cells: tuple[str, ...] = ()

    @property
    def heading(self) -> bool:
        return self.line is None


def headers() -> list[str]:
    """The titles of the item column and of `COLUMNS`, in the current language."""
    return [_("Item"), *(_(HEADERS[column]) for column in COLUMNS)]


def paper_headers(columns: tuple[tuple[str, str], ...] = COLUMNS,
                  ) -> tuple[list[str], tuple[tuple[str, int], ...]]:
    """The titles of a table on paper: the item column's, then each figure's unit (件数, 人数)
    or 同比; and the row above them naming the period (本月, 本年累计) each half spans."""
    titles = [_("Item"), *(_(TITLES[measure]) for _period, measure in columns)]
    halves = tuple((_(PERIODS[period]), len(list(run)))
                   for period, run in groupby(columns, key=lambda column: column[0]))
    return titles, (("", 1), *halves)


def stage_name(line: Line) -> str:
    """A line's own name (旧存, 审结, an outcome), with the 截至 of a stock."""
    if line.outcome is not None or line.kind not in LABELS:
        return line.label
    zh, en = LABELS[line.kind]
    name = en if language() == "en" else zh
    return _(STOCK_LABELS[line.kind]).format(line=name) if line.stock else name


def label(line: Line) -> str:
    """A line's label as the table shows it: indented under its heading, an outcome a step
    further."""
    return INDENT * (2 if line.outcome is not None else 1) + stage_name(line)


def heading_name(built: Report, business_type: str) -> str:
    """A group's heading: the business type's name, or the 合计's (in 件 only)."""
    if not business_type:
        return _("Total, all business types (cases only)")
    return built.type_name(business_type)


def grouped(built: Report, lines: list[Line] | None = None,
            cells: Callable[[Line], tuple[str, ...]] | None = None) -> list[Row]:
    """The rows of `lines` (the report's by default): a heading before each business type's
    lines and before the 合计's, then the lines with `cells(line)` (no figures if None)."""
    found: list[Row] = []
    current: str | None = None
    for line in built.lines if lines is None else lines:
        if line.business_type != current:
            current = line.business_type
            found.append(Row(heading_name(built, current), None))
        found.append(Row(label(line), line, cells(line) if cells else ()))
    return found


def percent(change: Change, none: str = "—") -> str:
    """同比 in %, or `none` when a year earlier had nothing to compare with."""
    return none if change.percent is None else f"{change.percent:+.1f}%"


def cell(built: Report, line: Line, period: str, measure: str,
         department: str | None = None, none: str = "—") -> str:
    """One figure's text: 件, 人 ('' on a 合计: persons are never added across stages), or
    同比 of the 件."""
    if measure == "change":
        return percent(built.change(period, line.key, department), none)
    count = built.count(period, line.key, department)
    if measure == "cases":
        return str(count.cases)
    return "" if count.persons is None else str(count.persons)


def rows(built: Report, department: str | None = None, none: str = "—") -> list[Row]:
    """The report's table: every line with its figures in `COLUMNS`, headings between."""
    return grouped(built, cells=lambda line: tuple(
        cell(built, line, period, measure, department, none) for period, measure in COLUMNS))


def stocks_note(built: Report) -> str:
    """The days the stocks are taken, which the lines only call the start and the end."""
    def day(period: str, stage: str) -> str:
        month = built.stock_month(period, f"all:{stage}")
        return as_of(month).isoformat() if month else ""

    return _("Stocks, never added up: the start is {month} (this month) and {year} (year to "
             "date); the end is {end}.").format(
        month=day("month", "old"), year=day("ytd", "old"), end=day("month", "open"))


def rate_value(built: Report, key: str, period: str, none: str = "—",
               divide: str = "÷", detail: bool = True) -> str:
    """A rate's value in a period: "3 ÷ 10 = 30.0%" (`detail`) or "30.0%"; `none` when there
    is nothing to rate."""
    value = built.rate(key).value(period)
    shown = none if value.percent is None else f"{value.percent:.1f}%"
    if not detail:
        return shown
    return f"{value.numerator} {divide} {value.denominator} = {shown}"


def formula(rate: Rate, paper: bool = True) -> str:
    """A rate's formula in the reader's language; on Chinese paper with Chinese brackets
    ("÷（批准逮捕人数 + 不批准逮捕人数）")."""
    said = rate.formula(language())
    if language() == "en" or not paper:
        return said
    return said.replace(" (", "（").replace("(", "（").replace(")", "）")


def rate_lines(built: Report, none: str = "—", divide: str = "÷",
               detail: bool = True, paper: bool = False) -> list[str]:
    """Each rate with its formula (`paper`: see `formula`), then its value this month and in
    the year to date."""
    found = []
    for rate in built.rates:
        found.append(_("{formula}: month {month}; YTD {ytd}").format(
            formula=formula(rate, paper).replace("÷", divide),
            month=rate_value(built, rate.key, "month", none, divide, detail),
            ytd=rate_value(built, rate.key, "ytd", none, divide, detail)
            if "ytd" in built.ranges else none))
    return found


def check_line(found: FigureCheck) -> str:
    """What a check found, named like a card rule: "K01 received = concluded + open: ..."."""
    if found.period == "ytd":
        return _("{code} {name} (YTD): {text}").format(
            code=found.code, name=found.name, text=found.text)
    return _("{code} {name}: {text}").format(code=found.code, name=found.name, text=found.text)


def check_lines(built: Report) -> list[str]:
    return [check_line(found) for found in built.checks]


def checks_passed(built: Report) -> str:
    """Said when the checks found nothing: which of them ran."""
    return _("The checks {codes} find nothing.").format(codes=", ".join(built.checks_run))
