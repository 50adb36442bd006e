"""The card list: paged from the store by keyset, filtered and searched in SQL."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from store.vault.database import records

SORTS = {"id": "id", "case_no": "case_key", "accepted_on": "accepted_on", "month": "month"}
"""The orders the list offers (entry order, case number, accepted date, month) and the indexed
column behind each; case numbers sort by their serial as a number (m0008)."""


@dataclass(frozen=True)
class CardFilter:
    month: str = ""
    department: str = ""
    business_type: str = ""
    status: str = ""
    problems_only: bool = False
    search: str = ""
    """Part of the case number or of the case name (Chinese too)."""
    months: tuple[str, str] | None = None
    """A range of statistical months (a report's year to date)."""
    outcome: str | None = None
    """An outcome code; '' for cards not yet concluded."""
    counted_only: bool = False
    """Only the cards a report counts (accepted or reported)."""


@dataclass(frozen=True)
class CardRow:
    """A card as the list shows it."""

    id: int
    case_no: str
    case_name: str
    department: str
    business_type: str
    month: str
    status: str
    accepted_on: str
    problems: int
    case_key: str

    def sort_value(self, sort: str) -> Any:
        """The value this row is ordered by (the next page starts after it)."""
        return getattr(self, SORTS.get(sort, "id"))


@dataclass(frozen=True)
class CardPage:
    rows: list[CardRow]
    has_more: bool


_ROW_COLUMNS = ", ".join(f.name for f in fields(CardRow))


def _where(flt: CardFilter) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    for column in ("month", "department", "business_type", "status"):
        value = getattr(flt, column)
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if flt.problems_only:
        where.append("problems > 0")
    if flt.months is not None:
        where.append("month BETWEEN ? AND ?")
        params += list(flt.months)
    if flt.outcome is not None:
        where.append("outcome = ?")
        params.append(flt.outcome)
    if flt.counted_only:
        where.append("status IN ('accepted', 'reported')")
    text = flt.search.strip()
    if len(text) >= 3:  # three characters or more: the trigram index finds them
        where.append("id IN (SELECT rowid FROM card_search WHERE card_search MATCH ?)")
        params.append('"' + text.replace('"', '""') + '"')
    elif text:  # one or two: a scan (stops at the first page of matches)
        needle = "%" + text.replace("%", "").replace("_", "") + "%"
        where.append("(case_no LIKE ? OR case_name LIKE ?)")
        params += [needle, needle]
    return where, params


def page(flt: CardFilter, sort: str = "id", descending: bool = True,
         after: tuple[Any, int] | None = None, limit: int = 100) -> CardPage:
    """One page of cards; `after` is the (sort value, id) of the last row shown."""
    column = SORTS.get(sort, "id")
    where, params = _where(flt)
    if after is not None:
        op = "<" if descending else ">"
        if column == "id":
            where.append(f"id {op} ?")
            params.append(after[1])
        else:
            where.append(f"({column}, id) {op} (?, ?)")
            params += [after[0], after[1]]
    order = "DESC" if descending else "ASC"
    sql = (f"SELECT {_ROW_COLUMNS} FROM card"
           + (" WHERE " + " AND ".join(where) if where else "")
           + f" ORDER BY {column} {order}, id {order} LIMIT ?")
    found = records(CardRow, sql, (*params, limit + 1))
    return CardPage(found[:limit], len(found) > limit)


@dataclass(frozen=True)
class DepartmentCount:
    """A department's cards of a month, by where they are in review."""

    department: str
    entered: int
    accepted: int
    returned: int


def month_by_department(month: str) -> list[DepartmentCount]:
    """This month's cards per department: entered (awaiting review), accepted, returned."""
    return records(DepartmentCount,
                   "SELECT department, sum(status = 'submitted') AS entered,"
                   " sum(status IN ('accepted', 'reported')) AS accepted,"
                   " sum(status = 'returned') AS returned FROM card WHERE month = ?"
                   " AND status != 'void' GROUP BY department ORDER BY department", (month,))
