"""The card list: paged from the store by keyset, filtered and searched in SQL."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any

from store.vault.database import records

SORTS = {"id": "id", "case_no": "case_key", "accepted_on": "accepted_on", "month": "month"}
"""The orders the list offers (entry order, case number, accepted date, month) and the indexed
column behind each; case numbers sort by their serial as a number (m0008)."""


@dataclass(frozen=True)
class FigureRef:
    """A figure of the report, for the cards behind it (store.report.figures.figure_filter):
    a line's key ("SCQS:new", "SCQS:concluded/BQS", "all:open", ...) over a range of
    statistical months, for one department or ('') the unit."""

    first_month: str
    last_month: str
    key: str
    department: str = ""


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
    figure: FigureRef | None = None
    """Exactly the cards behind a figure of the report (counted ones only)."""
    ids: tuple[int, ...] | None = None
    """These cards only (what a check of the report found)."""


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
    if flt.counted_only or flt.figure is not None:
        where.append("status IN ('accepted', 'reported')")
    if flt.figure is not None:
        more, values = figure_where(flt.figure)
        where += more
        params += values
    if flt.ids is not None:
        where.append("id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(flt.ids)))
    text = flt.search.strip()
    if len(text) >= 3:  # three characters or more: the trigram index finds them
        where.append("id IN (SELECT rowid FROM card_search WHERE card_search MATCH ?)")
        params.append('"' + text.replace('"', '""') + '"')
    elif text:  # one or two: a scan (stops at the first page of matches)
        needle = "%" + text.replace("%", "").replace("_", "") + "%"
        where.append("(case_no LIKE ? OR case_name LIKE ?)")
        params += [needle, needle]
    return where, params


_STAGES = {
    # 新收: received in the range
    "new": ("month BETWEEN ? AND ?", "fl"),
    # 旧存: received before the range and not concluded before it (the stock at its start)
    "old": ("month < ? AND (concluded_month = '' OR concluded_month >= ?)", "ff"),
    # 受理 = 旧存 + 新收
    "received": ("(month BETWEEN ? AND ? OR (month < ? AND (concluded_month = ''"
                 " OR concluded_month >= ?)))", "flff"),
    # 审结: concluded in the range
    "concluded": ("concluded_month BETWEEN ? AND ?", "fl"),
    # 未结: received by the range's end and not concluded by then (the stock at its end)
    "open": ("month <= ? AND (concluded_month = '' OR concluded_month > ?)", "ll"),
    # persons who pleaded guilty and accepted, among the concluded
    "plea": ("concluded_month BETWEEN ? AND ? AND plea_persons > 0", "fl"),
}


def figure_where(ref: FigureRef) -> tuple[list[str], list[Any]]:
    """The conditions selecting the cards behind a figure of the report (besides being
    counted): the same definitions the report's counts use (store.report.stocks)."""
    business_type, _sep, stage = ref.key.partition(":")
    stage, has_outcome, outcome = stage.partition("/")
    where: list[str] = []
    params: list[Any] = []
    if business_type != "all":
        where.append("business_type = ?")
        params.append(business_type)
    if ref.department:
        where.append("department = ?")
        params.append(ref.department)
    bounds = {"f": ref.first_month, "l": ref.last_month}
    if stage in ("returned", "resent"):
        where.append("id IN (SELECT card_id FROM card_event WHERE kind = ? AND status = 'active'"
                     " AND month BETWEEN ? AND ?)")
        return where, [*params, stage, ref.first_month, ref.last_month]
    if stage not in _STAGES:
        return [*where, "0"], params  # a key no figure has: no card
    condition, order = _STAGES[stage]
    where.append(condition)
    params += [bounds[c] for c in order]
    if has_outcome:
        # the case counts under its own outcome; a person with another outcome (or none)
        # brings a card with several outcomes (mixed) under that outcome's persons too
        where.append("(outcome = ? OR (mixed = 1 AND EXISTS (SELECT 1 FROM card_person AS p"
                     " WHERE p.card_id = card.id AND p.status = 'active' AND p.outcome = ?)))")
        params += [outcome, outcome]
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
