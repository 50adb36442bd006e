"""The monthly statistical report (统计报表, C5, C12, C13): per business type 旧存, 新收, 受理,
审结 by outcome, 未结, 退查 and 重报, in 件 and 人; for the month, the year to date (累计) and the
same periods a year earlier (同比); the rates with their formulas; the checks between figures.

A card is a case at one stage: its 受理 counts in `month`, its 审结 in `concluded_month`, each
in its own month (store.report.stocks says how each figure is counted). 旧存 and 未结 are
stocks, as of the end of a month, never added up over months: the year to date's 未结 is the
month's, and a year earlier's is the stock at that date. 受理 = 旧存 + 新收. Persons (人) are
never added across business types (the same suspects pass 审查逮捕 and 审查起诉): the 合计
lines (全口径) are in 件 only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from store import settings
from store.cards import codes, months
from store.cards.listing import CardFilter, FigureRef
from store.i18n import language
from store.report import figure_checks, stocks
from store.report.figure_checks import FigureCheck
from store.report.rates import Rate, RateValue, rates
from store.report.stocks import previous_month
from store.vault.database import records

__all__ = [
    "COUNTED",
    "PERIODS",
    "Change",
    "Count",
    "FigureCheck",
    "Line",
    "MajorCase",
    "Rate",
    "RateValue",
    "Report",
    "Trend",
    "build",
    "check_filter",
    "check_month",
    "figure_filter",
    "line_names",
    "major_cases",
    "previous_month",
    "statements",
    "trend",
]

PERIODS = ("month", "ytd", "month_ly", "ytd_ly")
COUNTED = stocks.COUNTED
STAGES = ("old", "new", "received", "concluded", "open", "returned", "resent")
"""A business type's lines, in the report's order (审结 followed by its outcomes)."""
LABELS = {
    "old": ("旧存", "carried over"), "new": ("新收", "new"),
    "received": ("受理", "received"), "concluded": ("审结", "concluded"),
    "open": ("未结", "open"), "returned": ("退查", "returned for investigation"),
    "resent": ("重报", "re-sent"), "": ("未录处理结果", "no outcome recorded"),
}
TOTALS = {"new": ("合计 新收（全口径）", "total new (all types)"),
          "concluded": ("合计 审结（全口径）", "total concluded (all types)"),
          "open": ("合计 未结（全口径）", "total open (all types)")}
EVENT_TYPES = ("SCQS",)
"""Business types whose 退查 and 重报 lines show even when nothing happened."""


@dataclass(frozen=True)
class Line:
    """One line of the report. `key` is "TYPE:stage" ("SCQS:new"), "TYPE:concluded/OUTCOME"
    for an outcome ('' after the slash: persons with no outcome recorded), or "all:new",
    "all:concluded", "all:open" for the totals (business_type '')."""

    key: str
    business_type: str
    kind: str
    """old, new, received, concluded, open, returned or resent."""
    outcome: str | None
    """The outcome of an outcome line; None on the others."""
    label_zh: str
    label_en: str
    stock: bool
    """A stock (旧存, 未结): as of a month's end, never summed."""

    @property
    def label(self) -> str:
        return self.label_en if language() == "en" else self.label_zh

    @property
    def total(self) -> bool:
        """A 合计 line: cases only, persons never added across stages."""
        return not self.business_type


@dataclass(frozen=True)
class Count:
    cases: int = 0
    persons: int | None = 0
    """None on the totals across business types (persons are never added across stages)."""


@dataclass(frozen=True)
class Change:
    """同比: this period against the same period a year earlier."""

    now: int
    before: int

    @property
    def diff(self) -> int:
        return self.now - self.before

    @property
    def percent(self) -> float | None:
        """None when there is nothing to compare with (a year earlier was 0)."""
        return None if self.before == 0 else 100.0 * self.diff / self.before


class Trend(NamedTuple):
    """A month's headline figures, in 件: received, concluded, open at its end."""

    month: str
    new: int
    concluded: int
    open: int


@dataclass
class Report:
    """A month's report. Periods: "month", "ytd" (January to the month), "month_ly" and
    "ytd_ly" (a year earlier), and "prev" (the month before, for the swings); figures by
    period, department ('' the unit) and line key."""

    month: str
    locked: bool = False
    lines: list[Line] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    rates: list[Rate] = field(default_factory=list)
    checks: list[FigureCheck] = field(default_factory=list)
    """What the checks found (nothing: every check that ran passed)."""
    checks_run: tuple[str, ...] = ()
    ranges: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Each period's first and last statistical month."""
    figures: stocks.Figures = field(default_factory=dict)
    type_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    _keys: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)

    def count(self, period: str = "month", key: str = "all:new",
              department: str | None = None) -> Count:
        """A figure: a line's cases and persons in a period, for a department or the unit."""
        cases, persons = self.figures.get((period, department or "", key), (0, 0))
        return Count(cases, None if key.startswith("all:") else persons)

    def change(self, period: str = "month", key: str = "all:new",
               department: str | None = None, persons: bool = False) -> Change:
        """同比 of a figure (`period` "month" or "ytd"); persons only on a type's lines."""
        now, before = self.count(period, key, department), \
            self.count(period + "_ly", key, department)
        if persons:
            if now.persons is None or before.persons is None:
                raise ValueError(f"{key} has no persons: they are not added across stages")
            return Change(now.persons, before.persons)
        return Change(now.cases, before.cases)

    def keys(self, period: str) -> list[str]:
        """The unit's keys with a figure in a period."""
        if not self._keys:
            for p, d, k in self.figures:
                if not d:
                    self._keys.setdefault(p, []).append(k)
        return sorted(self._keys.get(period, []))

    def rate(self, key: str) -> Rate:
        return next(r for r in self.rates if r.key == key)

    def stock_month(self, period: str, key: str) -> str | None:
        """The month at whose end a stock line is taken (旧存: the month before the period,
        未结: its last month); None for a flow."""
        stage = key.partition(":")[2]
        first, last = self.ranges[period]
        return previous_month(first) if stage == "old" else last if stage == "open" else None

    def as_of(self, period: str, key: str) -> date | None:
        """The day a stock line is taken at: the last day of cards of its month (the cut-off
        day, or the month's last day); None for a flow."""
        month = self.stock_month(period, key)
        return None if month is None else settings.current().cutoff_date(month)

    def type_name(self, business_type: str) -> str:
        zh, en = self.type_names.get(business_type, (business_type, business_type))
        return en if language() == "en" else zh

    def trend(self, length: int = 12) -> list[Trend]:
        """The `length` months up to this one, oldest first (read when asked)."""
        wanted = [self.month]
        while len(wanted) < length:
            wanted.insert(0, previous_month(wanted[0]))
        spans = stocks.spans(wanted[0], self.month)
        return [Trend(m, *stocks.flow(spans, m), stocks.stock(spans, m)) for m in wanted]

    @property
    def empty(self) -> bool:
        """Nothing received, concluded or open this month."""
        return not any(self.count("month", f"all:{s}").cases for s in TOTALS)


def check_month(text: str) -> str:
    return months.check_month(text)


def _ranges(month: str, year_to_date: bool) -> dict[str, tuple[str, str]]:
    year, mon = int(month[:4]), month[5:]
    ranges = {"month": (month, month), "ytd": (f"{year}-01", month),
              "month_ly": (f"{year - 1}-{mon}", f"{year - 1}-{mon}"),
              "ytd_ly": (f"{year - 1}-01", f"{year - 1}-{mon}")}
    if not year_to_date:
        del ranges["ytd"], ranges["ytd_ly"]
    return ranges


def _read(month: str, year_to_date: bool) -> dict[str, tuple[str, str]]:
    """The report's periods and the month before (its flows, for the swings)."""
    return {**_ranges(month, year_to_date), "prev": (previous_month(month),) * 2}


def statements(month: str, year_to_date: bool = True) -> list[tuple[str, tuple[str, ...]]]:
    """The grouped queries behind a report's counts, with their parameters (a benchmark runs
    them on an unencrypted copy)."""
    return stocks.statements(_read(month, year_to_date))


def build(month_text: str, year_to_date: bool = True, checks: bool = True) -> Report:
    """The report of a statistical month: month, year to date and a year earlier
    (`year_to_date=False`: the month and its year-earlier month only), with its rates and
    (unless `checks=False`: figures only) the checks between its figures. The figures of the
    month before (period "prev") come along, for the swings."""
    month = check_month(month_text)
    ranges = _ranges(month, year_to_date)
    counted = stocks.tally(_read(month, year_to_date))
    types = codes.all_codes("business_type", include_retired=True)
    report = Report(month, locked=month in months.locked(), ranges=ranges, figures=counted,
                    type_names={t.code: (t.name_zh, t.name_en) for t in types})
    report.lines = _lines({k for (p, _d, k), v in counted.items() if p != "prev" and any(v)})
    known = [c.code for c in codes.all_codes("department", include_retired=True)]
    seen = {d for _p, d, _k in counted if d}
    report.departments = [d for d in known if d in seen] + sorted(seen - set(known))
    report.rates = rates(lambda p, k: int(report.count(p, k).persons or 0), tuple(ranges))
    if checks:
        report.checks, report.checks_run = figure_checks.run(report)
    return report


def _lines(present: Iterable[str]) -> list[Line]:
    """Every active business type, and any retired one with figures, in the code table's
    order: its stages, 审结 followed by its outcomes (active ones, and retired ones with
    figures; persons with no outcome recorded only when there are some); then the totals."""
    present = set(present)
    types = codes.all_codes("business_type", include_retired=True)
    outcomes = codes.all_codes("outcome", include_retired=True)
    names = {o.code: (o.name_zh, o.name_en) for o in outcomes}
    lines: list[Line] = []
    for kind in types:
        code = kind.code
        if kind.status != "active" and not any(k.startswith(f"{code}:") for k in present):
            continue
        for stage in STAGES:
            key = f"{code}:{stage}"
            if stage in ("returned", "resent") and code not in EVENT_TYPES and \
                    key not in present:
                continue
            zh, en = LABELS[stage]
            lines.append(Line(key, code, stage, None, zh, en, stage in ("old", "open")))
            if stage != "concluded":
                continue
            for outcome in outcomes:
                key = f"{code}:concluded/{outcome.code}"
                if outcome.parent == code and (outcome.status == "active" or key in present):
                    lines.append(Line(key, code, stage, outcome.code, outcome.name_zh,
                                      outcome.name_en, False))
            listed = {line.key for line in lines}
            for key in sorted(present):  # outcomes of other types (code tables changed since)
                if key.startswith(f"{code}:concluded/") and key not in listed:
                    outcome_code = key.partition("/")[2]
                    zh, en = LABELS[""] if not outcome_code else names.get(
                        outcome_code, (outcome_code, outcome_code))
                    lines.append(Line(key, code, stage, outcome_code, zh, en, False))
    for stage, (zh, en) in TOTALS.items():
        lines.append(Line(f"all:{stage}", "", stage, None, zh, en, stage == "open"))
    return lines


def figure_filter(report: Report, period: str, key: str,
                  department: str | None = None) -> CardFilter:
    """The card list's filter for exactly the cards behind a figure (the drill-down)."""
    first, last = report.ranges[period]
    return CardFilter(counted_only=True, figure=FigureRef(first, last, key, department or ""))


def check_filter(check: FigureCheck) -> CardFilter:
    """The card list's filter for the cases behind what a check found."""
    return check.cards


def trend(month_text: str, length: int = 12) -> list[Trend]:
    """The headline figures of the `length` months up to this one, oldest first."""
    return Report(check_month(month_text)).trend(length)


def line_names() -> dict[str, str]:
    """Names in the current language of what figures are kept under, for differences and
    swings: the report's keys ("SCQS:new", "SCQS:concluded/TQGS", "all:open"), the keys of
    revisions kept before cases had events ("SCQS", "SCQS/TQGS", "SCQS/", "all"), business
    types and departments by code."""
    from store.i18n import _

    english = language() == "en"
    names = {"all": _("Total")}
    for stage, (zh, en) in TOTALS.items():
        names[f"all:{stage}"] = en if english else zh
    for kind in codes.all_codes("business_type", include_retired=True):
        names[kind.code] = kind.name
        names[f"{kind.code}/"] = _("{type} / not yet concluded").format(type=kind.name)
        for stage in (*STAGES, "plea"):
            zh, en = LABELS.get(stage, ("认罪认罚", "guilty plea"))
            names[f"{kind.code}:{stage}"] = f"{kind.name} / {en if english else zh}"
        zh, en = LABELS[""]
        names[f"{kind.code}:concluded/"] = f"{kind.name} / {en if english else zh}"
    for outcome in codes.all_codes("outcome", include_retired=True):
        parent = names.get(outcome.parent, outcome.parent)
        names[f"{outcome.parent}/{outcome.code}"] = f"{parent} / {outcome.name}"
        names[f"{outcome.parent}:concluded/{outcome.code}"] = f"{parent} / {outcome.name}"
    for department in codes.all_codes("department", include_retired=True):
        names[department.code] = department.name
    return names


class MajorCase(NamedTuple):
    """A card on the ledger of major self-investigated cases."""

    case_no: str
    case_name: str
    charge: str
    rank: str
    amount: int | None
    accepted_on: str
    concluded_on: str
    outcome: str
    major: str


def major_cases(year: int, last_month: str) -> list[MajorCase]:
    """Every counted 大案/要案 card of the procuratorate's own investigations (ZZLA before 2026,
    ZCZW since) received from January of `year` up to `last_month`: the ledger's rows."""
    return records(MajorCase, "SELECT case_no, case_name, charge, rank, amount, accepted_on,"
                   " concluded_on, outcome, major FROM card WHERE business_type IN ('ZZLA', 'ZCZW')"
                   f" AND major != '' AND month BETWEEN ? AND ? AND {COUNTED}"
                   " ORDER BY month, case_key", (f"{year}-01", last_month))
