"""Checks between the report's figures and on its persons (K01–K07), named like the card rules:
what a statistician checks before the report goes up (逻辑性错误, C6). Each finding names its
check, says what disagrees, and selects the cases behind it for the card list.

K01 受理 = 审结 + 未结, K02 审结 = Σ outcomes, K03 人 ≥ 件 on criminal lines, K04 起诉人数 ≤
受理人数, K05 上月累计 + 本月 = 累计 (against the previous month's latest revision), K06
附条件不起诉 only for minors, K07 审查起诉 open past its time limit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from store import clock, settings
from store.cards.events import MAJOR_DAYS, REVIEW_DAYS
from store.cards.listing import CardFilter, FigureRef
from store.cards.rules import CRIMINAL
from store.i18n import N_, _
from store.report.models import ReportRevision
from store.report.stocks import previous_month
from store.vault.database import records

if TYPE_CHECKING:
    from store.report.figures import Report

CHECKS = {
    "K01": N_("received = concluded + open"),
    "K02": N_("concluded = the sum of its outcomes"),
    "K03": N_("no fewer persons than cases on criminal lines"),
    "K04": N_("no more persons prosecuted than received"),
    "K05": N_("last month's year to date + this month = year to date"),
    "K06": N_("conditional non-prosecution only for minors"),
    "K07": N_("prosecution review past its time limit"),
}
"""Every check, by code: its name (a catalog message, translated where it is shown)."""



@dataclass(frozen=True)
class FigureCheck:
    """A check of the report that found something: where, what, and the cases behind it."""

    code: str
    """K01 ... K07."""
    period: str
    """The period it is about ("month", "ytd", ...)."""
    key: str
    """The line it is about ("SCQS:received"), '' when it is about cases."""
    message: str
    """A catalog message; format with `params` after translating (see `text`)."""
    params: dict[str, object] = field(default_factory=dict)
    cards: CardFilter = field(default_factory=lambda: CardFilter(counted_only=True))
    """The cases behind it, for the card list."""

    @property
    def name(self) -> str:
        """The check's name in the current language."""
        return _(CHECKS[self.code])

    @property
    def text(self) -> str:
        """What it found, in the current language."""
        return _(self.message).format(**self.params)


def run(report: Report) -> tuple[list[FigureCheck], tuple[str, ...]]:
    """What the checks find on a built report, and the codes of the checks that ran (K05
    runs only against a previous month's revision kept in the current shape)."""
    found: list[FigureCheck] = []
    ran = ["K01", "K02", "K03", "K04"]
    periods = [p for p in ("month", "ytd") if p in report.ranges]
    types = sorted({line.business_type for line in report.lines if line.business_type})
    for period in periods:
        for kind in types:
            found += _balance(report, period, kind)
        found += _persons_per_case(report, period, types)
        found += _prosecuted(report, period)
    previous = _previous_revision(report.month)
    if previous is not None:
        ran.append("K05")
        found += _continuity(report, previous)
    ran += ["K06", "K07"]
    found += _conditional_adults(report, periods[-1])
    found += _past_time_limit(report)
    return found, tuple(ran)


def _of(report: Report, period: str, key: str) -> CardFilter:
    first, last = report.ranges[period]
    return CardFilter(counted_only=True, figure=FigureRef(first, last, key))


def _name(report: Report, kind: str) -> str:
    return report.type_name(kind)


def _units() -> tuple[tuple[str, bool], ...]:
    return ((_("in cases"), False), (_("in persons"), True))


def _balance(report: Report, period: str, kind: str) -> list[FigureCheck]:
    """K01 and K02 for one business type."""
    found = []
    outcomes = [key for key in report.keys(period) if key.startswith(f"{kind}:concluded/")]
    for unit, persons in _units():
        def get(key: str, persons: bool = persons) -> int:
            count = report.count(period, key)
            return int(count.persons or 0) if persons else count.cases
        received, concluded, still = get(f"{kind}:received"), get(f"{kind}:concluded"), \
            get(f"{kind}:open")
        if received != concluded + still:
            found.append(FigureCheck(
                "K01", period, f"{kind}:received",
                N_("{type}, {unit}: received {received} is not concluded {concluded} + open "
                   "{open}"), {"type": _name(report, kind), "unit": unit, "received": received,
                               "concluded": concluded, "open": still},
                _of(report, period, f"{kind}:received")))
        summed = sum(get(key) for key in outcomes)
        if concluded != summed:
            found.append(FigureCheck(
                "K02", period, f"{kind}:concluded",
                N_("{type}, {unit}: concluded {concluded}, but its outcomes add up to {sum}"),
                {"type": _name(report, kind), "unit": unit, "concluded": concluded,
                 "sum": summed}, _of(report, period, f"{kind}:concluded")))
    return found


def _persons_per_case(report: Report, period: str, types: list[str]) -> list[FigureCheck]:
    """K03: every criminal case concerns at least one person."""
    found = []
    for kind in types:
        if kind not in CRIMINAL:
            continue
        for line in report.lines:
            if line.business_type != kind or line.kind in ("returned", "resent"):
                continue
            count = report.count(period, line.key)
            if count.persons is not None and count.persons < count.cases:
                found.append(FigureCheck(
                    "K03", period, line.key,
                    N_("{type} {line}: cases {cases}, persons only {persons}"),
                    {"type": _name(report, kind), "line": line.label, "persons": count.persons,
                     "cases": count.cases}, _of(report, period, line.key)))
    return found


def _prosecuted(report: Report, period: str) -> list[FigureCheck]:
    """K04: no more persons prosecuted than received for prosecution review."""
    prosecuted = report.count(period, "SCQS:concluded/TQGS").persons or 0
    received = report.count(period, "SCQS:received").persons or 0
    if prosecuted <= received:
        return []
    return [FigureCheck("K04", period, "SCQS:concluded/TQGS",
                        N_("persons prosecuted {prosecuted}, but persons received for prosecution "
                           "review only {received}"),
                        {"prosecuted": prosecuted, "received": received},
                        _of(report, period, "SCQS:concluded/TQGS"))]


def _previous_revision(month: str) -> dict[str, dict[str, list[int]]] | None:
    """The previous month's latest revision's figures, when kept in the current shape."""
    latest = (ReportRevision.select(ReportRevision.figures)
              .where(ReportRevision.month == previous_month(month))
              .order_by(ReportRevision.revision.desc()).first())
    if latest is None:
        return None
    figures: dict[str, dict[str, list[int]]] = json.loads(latest.figures)
    total = figures.get("total", {})
    return figures if any(":" in key for key in total) else None


def _continuity(report: Report, previous: dict[str, dict[str, list[int]]]) -> list[FigureCheck]:
    """K05: this month's 旧存 is last month's 未结 as reported, and last month's year to date
    as reported plus this month is this year to date (after every revision since)."""
    found = []
    reported, reported_ytd = previous.get("total", {}), previous.get("ytd")
    january = report.month.endswith("-01")
    types = sorted({line.business_type for line in report.lines if line.business_type})
    for kind in types:
        now = report.count("month", f"{kind}:old")
        was = reported.get(f"{kind}:open", [0, 0])
        if [now.cases, now.persons] != was:
            found.append(FigureCheck(
                "K05", "month", f"{kind}:old",
                N_("{type}: carried over {now}, but last month's report left {before} open"),
                {"type": _name(report, kind), "now": _pair(now.cases, now.persons),
                 "before": _pair(*was)}, _of(report, "month", f"{kind}:old")))
    if january or reported_ytd is None or "ytd" not in report.ranges:
        return found
    for line in report.lines:
        if not line.business_type or line.kind not in ("new", "concluded", "returned",
                                                        "resent"):
            continue
        month, ytd = report.count("month", line.key), report.count("ytd", line.key)
        before = reported_ytd.get(line.key, [0, 0])
        if [before[0] + month.cases, before[1] + (month.persons or 0)] != \
                [ytd.cases, ytd.persons or 0]:
            found.append(FigureCheck(
                "K05", "ytd", line.key,
                N_("{type} {line}: last month's year to date {before} + this month {month} "
                   "is not the year to date {ytd}"),
                {"type": _name(report, line.business_type), "line": line.label,
                 "before": _pair(*before), "month": _pair(month.cases, month.persons),
                 "ytd": _pair(ytd.cases, ytd.persons)}, _of(report, "ytd", line.key)))
    return found


def _pair(cases: int, persons: int | None) -> str:
    return f"{cases}/{persons}" if persons is not None and persons >= 0 else str(cases)


class _Found(NamedTuple):
    id: int


def _conditional_adults(report: Report, period: str) -> list[FigureCheck]:
    """K06: 附条件不起诉 (FTJ) is for minors only."""
    first, last = report.ranges[period]
    found = [r.id for r in records(
        _Found, "SELECT DISTINCT c.id AS id FROM card_person AS p INDEXED BY"
        " card_person_ftj_adult CROSS JOIN card AS c INDEXED BY card_counted"  # the few first,
        " ON c.id = p.card_id"  # and only a counted one's row read
        " WHERE p.outcome_kind = 'FTJ'"
        " AND p.minor = 0 AND p.status = 'active' AND c.status IN ('accepted', 'reported')"
        " AND c.concluded_month BETWEEN ? AND ? ORDER BY c.id", (first, last))]
    if not found:
        return []
    return [FigureCheck("K06", period, "", N_("cases giving conditional non-prosecution "
                                              "(附条件不起诉) to an adult: {n}"), {"n": len(found)},
                        CardFilter(counted_only=True, ids=tuple(found)))]


class _Open(NamedTuple):
    id: int
    accepted_on: str
    major: str
    kind: str | None
    on_day: str | None
    days: int | None


def as_of(month: str) -> date:
    """The day a month's stocks are taken: its last day of cards (the cut-off, or its last
    day), or today while the month runs."""
    return min(settings.current().cutoff_date(month), clock.today())


def due_date(accepted_on: date, major: bool,
             events: list[tuple[str, date, int]]) -> date | None:
    """审查起诉's time limit from its receipt and its events (kind, day, days) up to a day, as
    store.cards.events.time_limit counts it for the card: a month from receipt or the last
    re-sending, plus the extensions since, fifteen days more for a major case; None while
    the case is out for 退查 (returned more often than re-sent)."""
    kinds = [kind for kind, _day, _d in events]
    if kinds.count("returned") > kinds.count("resent"):
        return None
    start = max([accepted_on] + [day for kind, day, _d in events if kind == "resent"])
    extended = sum(days for kind, day, days in events if kind == "extended" and day >= start)
    return start + timedelta(days=REVIEW_DAYS + extended + (MAJOR_DAYS if major else 0))


_OPEN_REVIEWS = (
    "SELECT c.id, c.accepted_on, c.major, e.kind, e.on_day, e.days"
    " FROM card AS c INDEXED BY card_review_due LEFT JOIN card_event AS e INDEXED BY"
    " card_event_life"
    " ON e.card_id = c.id AND e.status = 'active' AND e.on_day <= ?"
    " WHERE c.business_type = 'SCQS' AND c.{range} AND c.month <= ?"
    " AND c.status IN ('accepted', 'reported') AND c.accepted_on <= ?")
"""The open 审查起诉 cases received before a day, with their events up to it: params (day,
the range's months, the last month, the latest day received)."""


def _past_time_limit(report: Report) -> list[FigureCheck]:
    """K07: 审查起诉 cases open at the month's end (or today) past their time limit."""
    day = as_of(report.month)
    latest = (day - timedelta(days=REVIEW_DAYS)).isoformat()
    found: dict[int, tuple[date, bool, list[tuple[str, date, int]]]] = {}
    for ranged, params in (("concluded_month = ''", (report.month,)),
                           ("concluded_month > ?", (report.month, report.month))):
        for row in records(_Open, _OPEN_REVIEWS.format(range=ranged),
                           (day.isoformat(), *params, latest)):
            entry = found.setdefault(row.id, (date.fromisoformat(row.accepted_on),
                                              bool(row.major), []))
            if row.kind is not None and row.on_day:
                entry[2].append((row.kind, date.fromisoformat(row.on_day), int(row.days or 0)))
    late = sorted(card_id for card_id, (accepted, major, events) in found.items()
                  if (due := due_date(accepted, major, events)) is not None and due < day)
    if not late:
        return []
    return [FigureCheck("K07", "month", "SCQS:open",
                        N_("prosecution review cases open past their time limit on {day}: {n}"),
                        {"n": len(late), "day": day.isoformat()},
                        CardFilter(counted_only=True, ids=tuple(late)))]
