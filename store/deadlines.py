"""The office's deadlines of a month (RULES.md, "Deadlines of a month")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from statdesk.i18n import N_

MONTHLY: tuple[tuple[int, str, str], ...] = (
    (2, N_("leaders: main business situation and the ledger of major self-investigated cases"),
     "C12"),
    (6, N_("leaders: the other business tables"), "C12"),
    (10, N_("aggregated report goes up; departments may query reports"), "C6, C13"),
    (15, N_("case information goes up"), "C7"),
    (25, N_("departments' case cards due"), "C4"),
    (27, N_("the unit's report goes up, after reconciliation"), "C5"),
)


@dataclass(frozen=True)
class Deadline:
    """One deadline: `what` is a catalog message, translated where it is shown."""

    day: date
    what: str
    rule: str
    days_left: int


def of_month(today: date) -> list[Deadline]:
    """This month's dated deadlines, with the days left from `today` (negative: passed)."""
    return [Deadline(date(today.year, today.month, dom), what, rule,
                     (date(today.year, today.month, dom) - today).days)
            for dom, what, rule in MONTHLY]
