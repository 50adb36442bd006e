"""The monthly statistical report (统计报表): accepted cards counted in SQL (C5, C12, C13).

A card counts once, in its statistical month, when it is accepted or reported:
in cases (件) and persons (人) — the persons of its outcome once concluded, else
the persons of the card — by business type × outcome ('' = not yet concluded),
by department and in total; for the month, the year to date (累计), and the same
periods a year earlier (同比). The database groups the cards; Python only adds
up the few hundred groups that come back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from store.cards import codes, months
from store.vault.database import records

PERIODS = ("month", "ytd", "month_ly", "ytd_ly")
COUNTED = "status IN ('accepted', 'reported')"
# Every count reads the covering index card_report (m0009), named in the queries: left to
# itself, with no statistics gathered, SQLite takes the status index and reads nearly every
# card (five to ten times slower at a million cards).
PERSONS = "CASE WHEN outcome != '' THEN outcome_persons ELSE persons END"
Key = tuple[str, str, str, str]
"""(period, department, business type, outcome)."""


@dataclass(frozen=True)
class Count:
    cases: int = 0
    persons: int = 0

    def __add__(self, other: Count) -> Count:
        return Count(self.cases + other.cases, self.persons + other.persons)


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


@dataclass(frozen=True)
class Line:
    """One line of the report: a business type's total (outcome None) or one outcome."""

    business_type: str
    outcome: str | None
    label_zh: str
    label_en: str


@dataclass
class Report:
    month: str
    groups: dict[Key, Count] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    locked: bool = False

    def count(self, period: str = "month", department: str | None = None,
              business_type: str | None = None, outcome: str | None = None) -> Count:
        """The sum over the groups that match (None: any)."""
        total = Count()
        for (p, d, t, o), value in self.groups.items():
            if p == period and (department is None or d == department) and \
                    (business_type is None or t == business_type) and \
                    (outcome is None or o == outcome):
                total += value
        return total

    def change(self, period: str = "month", department: str | None = None,
               business_type: str | None = None, outcome: str | None = None,
               persons: bool = False) -> Change:
        now = self.count(period, department, business_type, outcome)
        before = self.count(period + "_ly", department, business_type, outcome)
        return Change(now.persons, before.persons) if persons else Change(now.cases, before.cases)

    @property
    def empty(self) -> bool:
        return self.count().cases == 0


def check_month(text: str) -> str:
    return months.check_month(text)


def _ranges(month: str) -> dict[str, tuple[str, str]]:
    year, mon = int(month[:4]), month[5:]
    return {"month": (month, month), "ytd": (f"{year}-01", month),
            "month_ly": (f"{year - 1}-{mon}", f"{year - 1}-{mon}"),
            "ytd_ly": (f"{year - 1}-01", f"{year - 1}-{mon}")}


class _Group(NamedTuple):
    """The counted cards of one month, department, business type and outcome."""

    month: str
    department: str
    business_type: str
    outcome: str
    cases: int
    persons: int


def _grouped(first: str, last: str) -> list[_Group]:
    return records(_Group,
                   f"SELECT month, department, business_type, outcome, count(*) AS cases,"
                   f" coalesce(sum({PERSONS}), 0) AS persons FROM card INDEXED BY card_report"
                   f" WHERE month BETWEEN ? AND ? AND {COUNTED}"
                   " GROUP BY month, department, business_type, outcome", (first, last))


def build(month_text: str, year_to_date: bool = True) -> Report:
    """The report of a statistical month: month, year to date and a year earlier
    (`year_to_date=False`: the month and its year-earlier month only)."""
    month = check_month(month_text)
    report = Report(month, locked=month in months.locked())
    ranges = _ranges(month)
    if not year_to_date:
        ranges = {p: r for p, r in ranges.items() if p in ("month", "month_ly")}
    found = [g for p in (("ytd", "ytd_ly") if year_to_date else ("month", "month_ly"))
             for g in _grouped(*ranges[p])]
    for group in found:
        for period, (first, last) in ranges.items():
            if first <= group.month <= last:
                key = (period, group.department, group.business_type, group.outcome)
                report.groups[key] = report.groups.get(key, Count()) + Count(group.cases,
                                                                             group.persons)
    report.lines = _lines({(t, o) for _p, _d, t, o in report.groups})
    known = [c.code for c in codes.all_codes("department", include_retired=True)]
    seen = {d for _p, d, _t, _o in report.groups}
    report.departments = [d for d in known if d in seen] + sorted(seen - set(known))
    return report


def _lines(present: Iterable[tuple[str, str]]) -> list[Line]:
    """Every active business type with its active outcomes, then whatever else has cards
    (retired codes), each type followed by its outcomes and 'not yet concluded'."""
    present = set(present)
    types = codes.all_codes("business_type", include_retired=True)
    outcomes = codes.all_codes("outcome", include_retired=True)
    lines: list[Line] = []
    for kind in types:
        if kind.status != "active" and not any(t == kind.code for t, _o in present):
            continue
        lines.append(Line(kind.code, None, kind.name_zh, kind.name_en))
        for outcome in outcomes:
            if outcome.parent == kind.code and (outcome.status == "active"
                                                or (kind.code, outcome.code) in present):
                lines.append(Line(kind.code, outcome.code, outcome.name_zh, outcome.name_en))
        lines.append(Line(kind.code, "", "未办结", "not yet concluded"))
    return lines


def previous_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:])
    return f"{year - 1}-12" if mon == 1 else f"{year}-{mon - 1:02d}"


class _Total(NamedTuple):
    """The counted cards of a month."""

    month: str
    cases: int
    persons: int


def trend(month_text: str, length: int = 12) -> list[tuple[str, Count]]:
    """The headline totals of the `length` months up to this one, oldest first."""
    month = check_month(month_text)
    wanted = [month]
    while len(wanted) < length:
        wanted.insert(0, previous_month(wanted[0]))
    found = {total.month: Count(total.cases, total.persons) for total in records(
        _Total, f"SELECT month, count(*) AS cases, coalesce(sum({PERSONS}), 0) AS persons"
        f" FROM card INDEXED BY card_report WHERE month BETWEEN ? AND ? AND {COUNTED}"
        " GROUP BY month", (wanted[0], month))}
    return [(m, found.get(m, Count())) for m in wanted]


def line_names() -> dict[str, str]:
    """Names in the current language of what figures are kept under: business types
    ("SCQS"), outcomes ("SCQS/TQGS"), not yet concluded ("SCQS/"), departments, "all"."""
    from store.i18n import _

    names = {"all": _("Total")}
    for kind in codes.all_codes("business_type", include_retired=True):
        names[kind.code] = kind.name
        names[f"{kind.code}/"] = _("{type} / not yet concluded").format(type=kind.name)
    for outcome in codes.all_codes("outcome", include_retired=True):
        parent = names.get(outcome.parent, outcome.parent)
        names[f"{outcome.parent}/{outcome.code}"] = f"{parent} / {outcome.name}"
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
    """Every counted 大案/要案 card of self-investigated cases (ZZLA) from January of `year` up
    to `last_month`, in the report's order: the ledger's rows."""
    return records(MajorCase, "SELECT case_no, case_name, charge, rank, amount, accepted_on,"
                   " concluded_on, outcome, major FROM card WHERE business_type = 'ZZLA'"
                   f" AND major != '' AND month BETWEEN ? AND ? AND {COUNTED}"
                   " ORDER BY month, case_key", (f"{year}-01", last_month))
