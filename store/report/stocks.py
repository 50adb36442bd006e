"""The report's counts: flows (新收, 审结, 退查, 重报) and stocks (旧存, 未结) of the counted cards,
in 件 and 人, per period, department and business type, read in a few grouped queries.

A card counts when accepted or reported. Over a period of statistical months [F, L]:
- 新收 (new): received in it, `F <= month <= L`;
- 旧存 (old): the stock at its start, received before it and not concluded before it,
  `month < F and (concluded_month = '' or concluded_month >= F)`;
- 审结 (concluded): `F <= concluded_month <= L`, under the case's outcome, its persons
  under each their own (for a card whose persons differ, `mixed`, from its person rows);
- 未结 (open): the stock at its end, `month <= L and (concluded_month = '' or
  concluded_month > L)`: a stock is counted as of a date, never added up over months;
- 退查 and 重报: the active events of those kinds counted in it (件次, and their persons).
A case's persons (人) are its `persons`; store.cards.listing.figure_where selects the cards
behind each figure by the same definitions.

Every card a period needs is open now or concluded in or after the earliest period's first
month. The covering index `card_flow` (m0019) orders cards by their concluded month, then
their received month: the months whose flows count are read whole, in the order of the GROUP
BY; of a month between them, whose concluded cases count in no flow, only the cards received
by the latest stock date before it (the cases open across that date) are read. Python
classifies the few thousand groups that come back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from store.vault.database import records

COUNTED = "status IN ('accepted', 'reported')"
Figures = dict[tuple[str, str, str], list[int]]
"""(period, department ('' for the unit), key) -> [cases, persons]."""

_FLOW = ("SELECT concluded_month, month, business_type, department, outcome, count(*) AS cases,"
         " sum(persons) AS persons, sum(outcome_persons) AS outcome_persons,"
         " sum(plea_persons) AS plea_persons FROM card INDEXED BY card_flow WHERE {range}"
         f" AND month <= ? AND {COUNTED} GROUP BY concluded_month, month, status,"
         " business_type, department, outcome")
"""Counted cards by their two months: params (the range's, the last month received)."""
# The persons of cards with several outcomes whose outcome is not the card's (or none).
MIXED = ("SELECT c.concluded_month, c.business_type, c.department, p.outcome,"
         " count(*) AS persons FROM card AS c INDEXED BY card_mixed"
         " JOIN card_person AS p ON p.card_id = c.id WHERE c.mixed = 1"
         " AND c.concluded_month BETWEEN ? AND ? AND c.status IN ('accepted', 'reported')"
         " AND p.status = 'active' AND p.outcome != c.outcome"
         " GROUP BY c.concluded_month, c.business_type, c.department, p.outcome")
EVENTS = ("SELECT e.month, e.kind, c.business_type, c.department, count(*) AS events,"
          " sum(e.persons) AS persons FROM card_event AS e INDEXED BY card_event_month"
          " JOIN card AS c INDEXED BY card_counted ON c.id = e.card_id"
          " WHERE e.month BETWEEN ? AND ?"
          " AND e.kind IN ('returned', 'resent') AND e.status = 'active'"
          " AND c.status IN ('accepted', 'reported')"
          " GROUP BY e.month, e.kind, c.business_type, c.department")
SPANS = ("SELECT concluded_month, month, count(*) AS cases FROM card INDEXED BY card_flow"
         f" WHERE {{range}} AND month <= ? AND {COUNTED} GROUP BY concluded_month, month")
"""Counted cards by their two months only (the trend)."""
FLOWS_ONLY = ("prev",)
"""Periods read for their flows alone (the month before, for the swings): no stocks."""


def next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:])
    return f"{year + 1}-01" if mon == 12 else f"{year}-{mon + 1:02d}"


def previous_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:])
    return f"{year - 1}-12" if mon == 1 else f"{year}-{mon - 1:02d}"


@dataclass(frozen=True)
class Reads:
    """What the periods need read: the months whose flows count (in contiguous blocks), and
    between them the months whose concluded cases count only in a stock: of those, only the
    cards received by the latest stock date before them."""

    last: str
    blocks: tuple[tuple[str, str], ...]
    between: tuple[tuple[tuple[str, ...], str], ...]
    """(months, received by): concluded in those months, received by that month."""


def reads(ranges: dict[str, tuple[str, str]]) -> Reads:
    full = set()
    for first, last in ranges.values():
        month = first
        while month <= last:
            full.add(month)
            month = next_month(month)
    stock_dates = sorted({d for period, (first, last) in ranges.items()
                          if period not in FLOWS_ONLY for d in (previous_month(first), last)})
    blocks: list[tuple[str, str]] = []
    between: dict[str, list[str]] = {}
    month, last = min(full), max(full)
    while month <= last:
        if month in full:
            if blocks and blocks[-1][1] == previous_month(month):
                blocks[-1] = (blocks[-1][0], month)
            else:
                blocks.append((month, month))
        else:
            earlier = [d for d in stock_dates if d < month]
            if earlier:
                between.setdefault(earlier[-1], []).append(month)
        month = next_month(month)
    return Reads(last, tuple(blocks), tuple((tuple(ms), by) for by, ms in between.items()))


def statements(ranges: dict[str, tuple[str, str]]) -> list[tuple[str, tuple[str, ...]]]:
    """The queries (and their parameters) behind the figures of the periods `ranges`: what
    a benchmark runs on an unencrypted copy too."""
    return [*_card_reads(reads(ranges)), *_person_reads(reads(ranges))]


def _card_reads(plan: Reads) -> list[tuple[str, tuple[str, ...]]]:
    found: list[tuple[str, tuple[str, ...]]] = [
        (_FLOW.format(range="concluded_month = ''"), (plan.last,))]
    found += [(_FLOW.format(range="concluded_month BETWEEN ? AND ?"), (a, b, plan.last))
              for a, b in plan.blocks]
    found += [(_FLOW.format(range=f"concluded_month IN ({', '.join('?' * len(ms))})"),
               (*ms, by)) for ms, by in plan.between]
    found.append((_FLOW.format(range="concluded_month > ?"), (plan.last, plan.last)))
    return found


def _person_reads(plan: Reads) -> list[tuple[str, tuple[str, ...]]]:
    return [*((MIXED, block) for block in plan.blocks), *((EVENTS, block) for block in plan.blocks)]


class _Group(NamedTuple):
    """Counted cards alike in their months, business type, department and outcome."""

    concluded_month: str
    month: str
    business_type: str
    department: str
    outcome: str
    cases: int
    persons: int
    outcome_persons: int
    plea_persons: int


class _Others(NamedTuple):
    """Persons of cards with several outcomes, by their own outcome ('' none recorded)."""

    concluded_month: str
    business_type: str
    department: str
    outcome: str
    persons: int


class _Events(NamedTuple):
    month: str
    kind: str
    business_type: str
    department: str
    events: int
    persons: int


def _stages(concluded: str, received: str,
            ranges: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    """(period, stage) for each figure a card of these months counts in."""
    found = []
    for period, (first, last) in ranges.items():
        stocks = period not in FLOWS_ONLY
        if first <= received <= last:
            found.append((period, "new"))
        elif stocks and received < first and (concluded == "" or concluded >= first):
            found.append((period, "old"))
        if stocks and received <= last and (concluded == "" or concluded > last):
            found.append((period, "open"))
        if concluded and first <= concluded <= last:
            found.append((period, "concluded"))
    return found


def _add(figures: Figures, where: tuple[str, str, str], cases: int, persons: int) -> None:
    found = figures.get(where)
    if found is None:
        figures[where] = [cases, persons]
    else:
        found[0] += cases
        found[1] += persons


def tally(ranges: dict[str, tuple[str, str]]) -> Figures:
    """Every figure of the periods `ranges` ({period: (first month, last month)}; "prev" for
    its flows only): per department, then summed for the unit (department ''), with 受理 =
    旧存 + 新收."""
    figures: Figures = {}
    plan = reads(ranges)
    stages: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for sql, params in _card_reads(plan):
        for group in records(_Group, sql, params):
            span = (group.concluded_month, group.month)
            if span not in stages:
                stages[span] = _stages(*span, ranges)
            kind, dept = group.business_type, group.department
            for period, stage in stages[span]:
                _add(figures, (period, dept, f"{kind}:{stage}"), group.cases, group.persons)
                if stage == "concluded":
                    _add(figures, (period, dept, f"{kind}:concluded/{group.outcome}"),
                         group.cases, group.outcome_persons)
                    if group.plea_persons:
                        _add(figures, (period, dept, f"{kind}:plea"), 0, group.plea_persons)
    for block in plan.blocks:
        for other in records(_Others, MIXED, block):
            for period, (f, la) in ranges.items():
                if f <= other.concluded_month <= la:
                    _add(figures, (period, other.department,
                                   f"{other.business_type}:concluded/{other.outcome}"),
                         0, other.persons)
        for event in records(_Events, EVENTS, block):
            for period, (f, la) in ranges.items():
                if f <= event.month <= la:
                    _add(figures, (period, event.department,
                                   f"{event.business_type}:{event.kind}"),
                         event.events, event.persons)
    _totals(figures)
    return figures


def _totals(figures: Figures) -> None:
    """受理 = 旧存 + 新收 per type; the unit's figures (the departments' added); and the 件
    totals over every business type (全口径: all:new, all:concluded, all:open)."""
    more: Figures = {}
    for (period, dept, key), (cases, persons) in figures.items():
        kind, _sep, stage = key.partition(":")
        for where in (dept, ""):
            if where:
                _add(more, (period, "", key), cases, persons)
            if stage == "old" or stage == "new":
                _add(more, (period, where, f"{kind}:received"), cases, persons)
            if stage == "new" or stage == "concluded" or stage == "open":
                _add(more, (period, where, f"all:{stage}"), cases, 0)
    figures.update(more)  # (none of these keys was there before)


class _Span(NamedTuple):
    concluded_month: str
    month: str
    cases: int


def spans(first: str, last: str) -> dict[tuple[str, str], int]:
    """(concluded month, received month) -> counted cases, for the flows of the months
    `first` to `last` and the stocks at their ends (the trend)."""
    found: dict[tuple[str, str], int] = {}
    for ranged, params in (("concluded_month = ''", (last,)),
                           ("concluded_month >= ?", (first, last))):
        for span in records(_Span, SPANS.format(range=ranged), params):
            found[(span.concluded_month, span.month)] = span.cases
    return found


def stock(counted: dict[tuple[str, str], int], at_end_of: str) -> int:
    """Cases open at the end of a month, from (concluded month, received month) counts."""
    return sum(cases for (concluded, received), cases in counted.items()
               if received <= at_end_of and (concluded == "" or concluded > at_end_of))


def flow(counted: dict[tuple[str, str], int], month: str) -> tuple[int, int]:
    """(new, concluded) cases of a month, from (concluded month, received month) counts."""
    new = concluded = 0
    for (done, received), cases in counted.items():
        new += cases if received == month else 0
        concluded += cases if done == month else 0
    return new, concluded


def plan(sql: str, params: tuple[Any, ...]) -> list[str]:
    """SQLite's plan of one of the queries (tests hold it to the covering indexes)."""
    from store.vault.database import rows

    return [str(r[-1]) for r in rows("EXPLAIN QUERY PLAN " + sql, params)]
