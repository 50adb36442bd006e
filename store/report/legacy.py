"""The report as statdesk counted it before cases had events (0.3 and earlier), from today's
cards: what a revision stored in the old shape is compared with.

Then a card counted once, in one month, under one outcome: a concluded card in the month of
its conclusion, with the persons of its outcome; an open card in its month under '' (未办结),
with all its persons. Today a card's 受理 counts in `month` and its 审结 in
`concluded_month` ('' while open); the old count is rebuilt from those (for a card migrated
by m0018 both are the month it was reported in). The figures keep the old keys: "TYPE" (the business
type), "TYPE/OUTCOME", "TYPE/" (not yet concluded) and "all", in [cases, persons], for the
unit ("total") and for every department with counted cards in the year to date or the same
period a year earlier (one without any this month has only "all": [0, 0]).

The old report took its lines from the code tables: each outcome under the business type it
belonged to. Rule R02 held every counted card to an outcome of its own type, so the lines are
read here from the cards themselves: a code table changed since (the 2026 tables move
outcomes to other types and retire others) leaves the old figures as they were.
"""

from __future__ import annotations

from typing import NamedTuple

from store.cards import months
from store.vault.database import records

Figures = dict[str, dict[str, list[int]]]
"""{"total" or a department: {"TYPE", "TYPE/OUTCOME", "TYPE/" or "all": [cases, persons]}}:
the shape of `store.report.submission.Figures` (not imported: submission reads this module)."""

COUNTED = "status IN ('accepted', 'reported')"
FLOWS = f"""
    SELECT concluded_month AS old_month, outcome_persons AS old_persons, department,
           business_type, outcome
    FROM card WHERE concluded_month BETWEEN ?1 AND ?2 AND {COUNTED}
    UNION ALL
    SELECT month, persons, department, business_type, outcome
    FROM card WHERE concluded_month = '' AND month BETWEEN ?1 AND ?2 AND {COUNTED}"""
"""The counted cards of the months ?1 to ?2 as 0.3 counted them: a concluded one in the month
of its conclusion with the persons of its outcome, an open one in its month with all its
persons (each half one range of the covering index on (concluded_month, month, ...))."""


class _Group(NamedTuple):
    """The counted cards of one old month, department, business type and outcome."""

    old_month: str
    department: str
    business_type: str
    outcome: str
    cases: int
    persons: int


def _year_ranges(month: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """The year to date and the same period a year earlier."""
    year, mon = int(month[:4]), month[5:]
    return (f"{year}-01", month), (f"{year - 1}-01", f"{year - 1}-{mon}")


def _groups(month: str) -> list[_Group]:
    (first, last), (first_ly, last_ly) = _year_ranges(month)
    return records(_Group, f"""
        SELECT old_month, department, business_type, outcome, count(*) AS cases,
               coalesce(sum(old_persons), 0) AS persons
        FROM ({FLOWS})
        WHERE old_month BETWEEN ?3 AND ?2 OR old_month <= ?4
        GROUP BY old_month, department, business_type, outcome""",
                   (first_ly, last, first, last_ly))


def _add(found: dict[str, list[int]], key: str, group: _Group) -> None:
    total = found.setdefault(key, [0, 0])
    total[0] += group.cases
    total[1] += group.persons


def figures(month_text: str) -> Figures:
    """The month's figures in the shape, and by the counting, of a revision stored before
    0.4, regenerated from the cards as they are now."""
    month = months.check_month(month_text)
    groups = _groups(month)
    departments = sorted({g.department for g in groups})
    found: Figures = {"total": {"all": [0, 0]}, **{d: {"all": [0, 0]} for d in departments}}
    for group in groups:
        if group.old_month != month:
            continue
        for where in ("total", group.department):
            lines = found[where]
            for key in ("all", group.business_type, f"{group.business_type}/{group.outcome}"):
                _add(lines, key, group)
    return found  # (every group has a card: no figure but "all" is ever 0, as then)


__all__ = ["COUNTED", "FLOWS", "Figures", "figures"]
