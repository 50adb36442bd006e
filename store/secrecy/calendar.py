"""When the checklists fall due: the quarter a check-in is for, and the next holiday block
whose eve asks for the secure-storage check (A2, D5, D11)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from store import holidays
from store.report import deadlines
from store.report.deadlines import quarter_of
from store.secrecy.models import CheckRun


def check_in_quarter(today: date) -> str:
    """The quarter a check-in started today is for: the last one, if it ended less than a
    month ago without its check-in (done late), else this one."""
    first_month = (today.month - 1) % 3 == 0
    if first_month and not closed("quarter", quarter_of(today - timedelta(days=31))):
        return quarter_of(today - timedelta(days=31))
    return quarter_of(today)


def closed(kind: str, period: str) -> bool:
    """Whether a run of `kind` for `period` was closed."""
    return bool(CheckRun.select().where(CheckRun.kind == kind, CheckRun.period == period,
                                        CheckRun.status == "closed").exists())


class Coming(NamedTuple):
    """The next holiday block."""

    eve: date
    """The last working day before it: the day of the holiday-eve check."""
    name: str
    first: date
    """Its first day."""


def next_holiday(today: date, ahead: int = 30) -> Coming | None:
    """(eve, holiday name, first day) of the next holiday block within `ahead` days."""
    last = today + timedelta(days=ahead + 10)  # a block starting just after the window
    listed = holidays.listed_between(today - timedelta(days=10), last)
    names = {h.day: h.name for y in {today.year, last.year} for h in holidays.list_year(y)}
    for eve, name in deadlines.holiday_eves(today, today + timedelta(days=ahead), listed,
                                            names):
        first = next(d for d in sorted(listed) if d > eve and listed[d] == "holiday")
        if first >= today:
            return Coming(eve, name, first)
    return None
