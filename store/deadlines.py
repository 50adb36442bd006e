"""The office's deadlines of a month (RULES.md, "Deadlines of a month")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from statdesk.i18n import N_

MONTHLY: tuple[tuple[int, str, str], ...] = (
    (2, N_("leaders: main business situation and the ledger of major self-investigated cases"),
     "C12"),
    (6, N_("leaders: the other business tables"), "C12"),
    (10, N_("aggregated report goes up; departments may query reports"), "C6, C13"),
    (15, N_("case information goes up"), "C7"),
    (27, N_("the unit's report goes up, after reconciliation"), "C5"),
)
CARDS_DUE = N_("departments' case cards due")
BACKUP = N_("monthly encrypted backup")
CHECK_IN = N_("quarterly check-in of confidential documents")
HOLIDAY_EVE = N_("holiday eve ({name}): all material into secure storage")


@dataclass(frozen=True)
class Deadline:
    """One deadline: `what` is a catalog message, translated where it is shown (with `name`)."""

    day: date
    what: str
    rule: str
    days_left: int
    name: str = ""


def _last_day(today: date) -> date:
    following = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    return following - timedelta(days=1)


def holiday_eves(first: date, last: date) -> list[tuple[date, str]]:
    """The day before each holiday block that starts between `first` and `last`."""
    from store import holidays

    listed = holidays.list_year(first.year) + (holidays.list_year(last.year)
                                               if last.year != first.year else [])
    days = {d.day: d for d in listed if d.kind == "holiday"}
    return [(day - timedelta(days=1), h.name) for day, h in sorted(days.items())
            if first <= day <= last and day - timedelta(days=1) not in days]


def of_month(today: date) -> list[Deadline]:
    """This month's deadlines, by date, with the days left from `today` (negative: passed)."""
    from store import backups, settings

    def at(day: date, what: str, rule: str, name: str = "") -> Deadline:
        return Deadline(day, what, rule, (day - today).days, name)

    items = [at(date(today.year, today.month, dom), what, rule) for dom, what, rule in MONTHLY]
    cutoff = int(settings.get("cutoff_day"))
    items.append(at(date(today.year, today.month, cutoff), CARDS_DUE, "C4"))
    items.append(at(backups.first_working_day(today.year, today.month), BACKUP, "C8"))
    last = _last_day(today)
    if today.month % 3 == 0:
        items.append(at(last, CHECK_IN, "D5"))
    for eve, name in holiday_eves(date(today.year, today.month, 1), last + timedelta(days=1)):
        if eve.month == today.month:
            items.append(at(eve, HOLIDAY_EVE, "A2, D11", name))
    return sorted(items, key=lambda item: (item.day, item.rule))
