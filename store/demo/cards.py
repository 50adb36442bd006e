"""Realistic sample cases for the demo store (and benchmark sizes): a county procuratorate
on the 2026 code tables (the stories: store.demo.cases).

Three years by default, about 3,000 cards a year, with the seasons (quiet around the Spring
Festival, busy before the year closes) and a realistic share of cards with problems. Each
case has a 统一受案号; a criminal case often passes 审查逮捕 and then 审查起诉, two cards of the
same number. Cases are received in one month and concluded in a later one, some are
returned for further investigation and re-sent, some are still open today. Every card has
its person rows, and its columns persons, outcome, outcome_persons, plea_persons and mixed
are what those rows make them (as the store keeps them for cards entered by hand).

Cards, persons and events are written in bulk (executemany): one audit entry says how many,
and nothing here runs on the real store.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Sequence
from datetime import date, timedelta
from itertools import count as counter
from typing import Any, NamedTuple

from store import clock, settings
from store.cards import codes, months
from store.cards.rules import next_open, statistical_month
from store.demo import cases
from store.demo.cases import Event, Person
from store.vault.database import db, records, rows
from store.vault.session import Session

STREAMS = cases.weighted([("ordinary", 0.765), ("duty", 0.008), ("judicial", 0.001),
                          ("XSJD", 0.035), ("XSZX", 0.045), ("MSJC", 0.045), ("XZJC", 0.02),
                          ("GYSS", 0.045), ("KGSS", 0.035)])
"""What starts a case, per case: an ordinary crime, a duty crime referred by the supervisory
commission, a judicial staff's crime investigated here (a few a year), or another business."""
ABBR = {"SCDB": "刑捕", "SCQS": "刑诉", "XSJD": "刑监", "XSZX": "刑执", "ZCZW": "侦",
        "MSJC": "民监", "XZJC": "行监", "GYSS": "公益", "KGSS": "控申"}
"""The department case number's word for each business type (某检刑诉〔2026〕12号)."""
UNIT = "410522"
"""The sample county's code, the start of each 统一受案号."""
REASONS = {"R27": "有犯罪嫌疑人未填处理结果，请补填", "R25": "附条件不起诉只适用于未成年人，请核对",
           "R04": "已填审结日期但未填审结结果，请核对"}
"""The slips review catches (by the rule that finds them), as the statistician returns them."""


class NewCard(NamedTuple):
    """A generated card: the columns of `card` it writes (the others keep their defaults)."""

    id: int
    department: str
    business_type: str
    case_no: str
    case_name: str
    charge: str
    persons: int
    accepted_on: str
    concluded_on: str
    outcome: str
    outcome_persons: int
    amount: int | None
    rank: str
    major: str
    major_override: str
    month: str
    remarks: str
    status: str
    return_reason: str
    acknowledged: str
    entered_by: str
    entered_at: str
    updated_by: str
    updated_at: str
    problems: int
    unified_no: str
    concluded_month: str
    plea_persons: int
    mixed: int


class _Plan(NamedTuple):
    """A case to write: its first day, what starts it, its charge, whether it passes 审查逮捕
    (and would go on), and the days until its 审查起诉 card (-1: none by today)."""

    day: int
    number: int
    stream: str
    charge: str
    label: str
    via_arrest: bool
    goes_on: bool
    follow: int


class _Later(NamedTuple):
    """A case's 审查起诉 after its 审查逮捕: the card is written on its day."""

    day: int
    number: int
    department: str
    charge: str
    label: str
    people: list[tuple[str, int]]
    arrested: list[Person]
    duty: bool
    unified_no: str
    case_name: str


class _Numbered(NamedTuple):
    """How many cards of a business type were accepted in a year (their serial numbers)."""

    business_type: str
    year: str
    cards: int


PERSON_INSERT = ("INSERT INTO card_person (card_id, seq, name, minor, charge, custody, outcome,"
                 " outcome_kind, plea) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
EVENT_INSERT = ("INSERT INTO card_event (card_id, kind, on_day, month, persons, days, note,"
                " recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
BATCH = 20000


class _Writer:
    """Numbers the cards, keeps their columns in step with their persons, and writes them in
    batches."""

    def __init__(self, rng: random.Random, today: date, who: str, first_id: int) -> None:
        self.rng, self.today, self.who = rng, today, who
        setting = settings.current()
        self.cutoff, self.major_amount = setting.cutoff_day, setting.major_amount
        self.key_ranks = setting.key_ranks
        self.closed = months.locked()
        self.months: dict[date, str] = {}
        self.current = self.month_of(today)
        self.order = {c.code: n for n, c in enumerate(codes.all_codes("outcome",
                                                                      include_retired=True))}
        self.next_id = first_id
        self.numbers: dict[tuple[str, int], int] = {}
        self.unified: dict[int, int] = {}
        self.cards: list[NewCard] = []
        self.people: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []
        self.written = {"cards": 0, "persons": 0, "events": 0}
        columns = {str(r[1]) for r in rows("PRAGMA table_info(card)")}
        self.fields = [f for f in NewCard._fields if f in columns]
        self.with_people = "unified_no" in columns  # before m0018: cards alone
        self.insert = (f"INSERT INTO card ({', '.join(self.fields)})"
                       f" VALUES ({', '.join('?' * len(self.fields))})")

    def month_of(self, day: date) -> str:
        found = self.months.get(day)
        if found is None:
            found = self.months[day] = next_open(statistical_month(day, self.cutoff),
                                                 self.closed)
        return found

    def unified_no(self, day: date) -> str:
        self.unified[day.year] = self.unified.get(day.year, 0) + 1
        return f"{UNIT}{day.year}{self.unified[day.year]:06d}"

    def card(self, kind: str, department: str, day: date, name: str, charge: str,
             people: list[Person], concluded: date | None, unified_no: str,
             events: Sequence[Event] = (), outcome: str = "", amount: int | None = None,
             rank: str = "") -> None:
        """Write one card with its persons (their outcomes: the card's) and events."""
        self.numbers[(kind, day.year)] = self.numbers.get((kind, day.year), 0) + 1
        case_no = f"某检{ABBR[kind]}〔{day.year}〕{self.numbers[(kind, day.year)]}号"
        month = self.month_of(day)
        problem = ""
        if concluded is not None and self.rng.random() < 0.05:
            people, outcome, problem = self.slip(kind, people, outcome)
        persons, outcome, outcome_persons, plea, mixed = self.columns(people, outcome)
        major = ""
        if kind == "ZCZW":
            big = amount is not None and amount >= self.major_amount
            key = rank in self.key_ranks
            major = "both" if big and key else "major" if big else "key" if key else ""
        status = "submitted" if month >= self.current else ("returned" if problem
                                                            else "accepted")
        stamp = f"{day.isoformat()}T10:00:00+08:00"
        card_id = self.next_id
        self.next_id += 1
        concluded_month = max(self.month_of(concluded), month) if concluded else ""
        self.cards.append(NewCard(
            card_id, department, kind, case_no, name, charge, persons, day.isoformat(),
            concluded.isoformat() if concluded else "", outcome, outcome_persons, amount, rank,
            major, "", month, "", status, REASONS[problem] if status == "returned" else "", "",
            self.who, stamp, self.who, stamp, int(bool(problem)), unified_no, concluded_month,
            plea, mixed))
        for seq, p in enumerate(people, 1):
            self.people.append((card_id, seq, *p))
        for event in events:
            self.events.append((card_id, event.kind, event.day.isoformat(),
                                self.month_of(event.day), persons, event.days, event.note,
                                self.who, f"{event.day.isoformat()}T16:00:00+08:00"))
        if len(self.cards) >= BATCH:
            self.flush()

    def slip(self, kind: str, people: list[Person], outcome: str,
             ) -> tuple[list[Person], str, str]:
        """A slip review catches: a person without an outcome, 附条件不起诉 for an adult, or a
        concluded date without an outcome."""
        adults = [n for n, p in enumerate(people) if p.outcome == "BQS" and not p.minor]
        if kind == "SCQS" and adults:
            n = adults[0]
            return ([*people[:n], people[n]._replace(outcome_kind="FTJ"), *people[n + 1:]],
                    outcome, "R25")
        if len(people) > 1:
            return [*people[:-1], people[-1]._replace(outcome="", outcome_kind="")], outcome, \
                "R27"
        return [p._replace(outcome="", outcome_kind="") for p in people], "", "R04"

    def columns(self, people: list[Person], outcome: str) -> tuple[int, str, int, int, int]:
        """persons, outcome, outcome_persons, plea_persons, mixed — as the store derives them
        from the persons (a case without persons keeps its own outcome)."""
        if not people:
            return 0, outcome, 0, 0, 0
        found = {p.outcome for p in people if p.outcome}
        outcome = min(found, key=lambda o: (self.order.get(o, len(self.order)), o)) \
            if found else ""
        concerned = sum(1 for p in people if outcome and p.outcome == outcome)
        mixed = int(bool(outcome) and concerned < len(people))
        return len(people), outcome, concerned, sum(p.plea for p in people), mixed

    def flush(self) -> None:
        connection = db.connection()  # type: ignore[no-untyped-call]
        if self.cards:
            width = len(self.fields)
            connection.executemany(self.insert, (c[:width] if width == len(NewCard._fields)
                                                 else tuple(getattr(c, f) for f in self.fields)
                                                 for c in self.cards))
            self.written["cards"] += len(self.cards)
        if self.with_people:
            connection.executemany(PERSON_INSERT, self.people)
            connection.executemany(EVENT_INSERT, self.events)
            self.written["persons"] += len(self.people)
            self.written["events"] += len(self.events)
        self.cards, self.people, self.events = [], [], []


def _plan(rng: random.Random, day: date, number: int, today: date, room: int) -> _Plan:
    """What a case starting on `day` is, and whether it has a 审查起诉 card by today (only
    when there is `room` for a second card)."""
    stream = STREAMS(rng)
    charge = label = ""
    via_arrest = goes_on = False
    follow = -1
    if stream == "ordinary":
        charge, label, _w, arrest_share = cases.ORDINARY_PICK(rng)
        via_arrest = rng.random() < arrest_share
        goes_on = via_arrest and rng.random() < 0.85
        if goes_on:
            follow = rng.randint(25, 75)
    elif stream == "duty":
        charge, label, _w = cases.DUTY_PICK(rng)
        via_arrest = goes_on = rng.random() < 0.6  # 决定逮捕 on the day it is referred
        follow = 0 if via_arrest else -1
    elif stream == "judicial":
        charge, label, _w = cases.JUDICIAL_PICK(rng)
    if follow >= 0 and (room < 2 or day + timedelta(days=follow) > today):
        follow = -1
    return _Plan(day.toordinal(), number, stream, charge, label, via_arrest, goes_on, follow)


def _people(rng: random.Random, plan: _Plan) -> list[tuple[str, int]]:
    """The persons of a case: names, and minors in about 4% of ordinary cases."""
    count = cases.how_many(rng, plan.charge) if plan.stream == "ordinary" else \
        (1 if rng.random() < 0.85 else 2)
    found = cases.names(rng, count)
    if plan.stream != "ordinary" or plan.charge == "C04" or rng.random() >= 0.04:
        return [(name, 0) for name in found]
    return [(name, int(n == 0 or rng.random() < 0.6)) for n, name in enumerate(found)]


def _case_name(people: list[tuple[str, int]], label: str) -> str:
    first = people[0][0][0]
    return f"{first}某{label}案" if len(people) == 1 else \
        f"{first}某等{len(people)}人{label}案"


def _start(w: _Writer, plan: _Plan, later: list[_Later]) -> None:
    """Write a case's first card (and keep its 审查起诉 for later when it has one)."""
    rng, today = w.rng, w.today
    day = date.fromordinal(plan.day)
    unified_no = w.unified_no(day)
    if plan.stream in cases.OTHERS:
        department, outcomes, (low, high) = cases.OTHERS[plan.stream]
        if plan.stream == "XSJD" and rng.random() < 0.3:
            department = "D02"
        concluded: date | None = day + timedelta(days=rng.randint(low, high))
        outcome = outcomes(rng)
        pattern = cases.NAMES.get(outcome) or cases.NAMES[plan.stream]
        name = (rng.choice(pattern) if isinstance(pattern, list) else pattern).format(
            s=rng.choice(cases.SURNAMES), c=rng.choice(cases.ORDINARY[:8])[1])
        if concluded is not None and concluded > today:
            concluded, outcome = None, ""
        w.card(plan.stream, department, day, name, "", [], concluded, unified_no,
               outcome=outcome)
        return
    people = _people(rng, plan)
    name = _case_name(people, plan.label)
    if plan.stream == "judicial":
        concluded = day + timedelta(days=rng.randint(60, 200))
        persons = cases.own_investigation(rng, people, plan.charge)
        if concluded > today:
            concluded, persons = None, [p._replace(outcome="") for p in persons]
        w.card("ZCZW", "D03", day, name, plan.charge, persons, concluded, unified_no,
               amount=rng.choice([0, 0, 0, 30000, 120000, 600000]),
               rank=rng.choice(["R1", "R2", "R2", "R3"]))
        return
    duty = plan.stream == "duty"
    department = "D02" if duty or plan.charge in cases.ECONOMIC else \
        "D07" if any(minor for _n, minor in people) else "D01"
    if not plan.via_arrest:
        _prosecution(w, department, day, plan.charge, people, None, duty, unified_no, name)
        return
    arrested = cases.arrest(rng, people, plan.charge, plan.goes_on, duty)
    concluded = day + timedelta(days=rng.randint(3, 10) if duty else rng.randint(2, 7))
    if concluded > today:
        concluded, shown = None, [p._replace(outcome="", outcome_kind="") for p in arrested]
    else:
        shown = arrested
    w.card("SCDB", department, day, name, plan.charge, shown, concluded, unified_no)
    if plan.follow >= 0:
        heapq.heappush(later, _Later(plan.day + plan.follow, plan.number, department,
                                     plan.charge, plan.label, people, arrested, duty,
                                     unified_no, name))


def _prosecution(w: _Writer, department: str, day: date, charge: str,
                 people: list[tuple[str, int]], arrested: list[Person] | None, duty: bool,
                 unified_no: str, name: str) -> None:
    """A 审查起诉 card: its persons, its 退查/重报/extensions, its conclusion if reached."""
    persons = cases.prosecution_people(w.rng, people, charge, arrested, duty)
    events, concluded = cases.prosecution_course(w.rng, day, w.today, duty)
    if concluded > w.today:
        w.card("SCQS", department, day, name, charge, persons, None, unified_no, events)
        return
    persons = [cases.prosecution_outcome(w.rng, p, duty) for p in persons]
    w.card("SCQS", department, day, name, charge, persons, concluded, unified_no, events)


def generate(session: Session, count: int | None = None, years: int = 3,
             seed: int = 20261130) -> int:
    """Add sample cases: about 3,000 cards a year for `years` years, or exactly `count`
    cards. Returns the number of cards."""
    rng = random.Random(seed)
    today = clock.today()
    first = date(today.year - years, today.month, 1)
    days = (today - first).days
    total = count if count is not None else round(3000 * days / 365)

    def season(day: date) -> float:  # quiet in February, busy in December
        return 1 + 0.25 * math.sin((day.month - 5) / 12 * 2 * math.pi) - \
            (0.3 if day.month == 2 else 0)

    plans: list[_Plan] = []
    planned = 0
    numbered = counter()
    while planned < total:
        day = first + timedelta(days=rng.randrange(days))
        if rng.random() < season(day) / 1.3 and day.weekday() < 5:
            plan = _plan(rng, day, next(numbered), today, total - planned)
            plans.append(plan)
            planned += 2 if plan.follow >= 0 else 1
    plans.sort()
    with db.atomic():
        (last,), = rows("SELECT coalesce(max(id), 0) FROM card")
        w = _Writer(rng, today, session.actor.name, int(last) + 1)
        for used in records(_Numbered, "SELECT business_type, substr(accepted_on, 1, 4) AS"
                                       " year, count(*) AS cards FROM card GROUP BY 1, 2"):
            w.numbers[(used.business_type, int(used.year))] = used.cards
        if w.with_people:
            for (year, serial) in rows("SELECT substr(unified_no, 7, 4), max(substr(unified_no,"
                                       " 11)) FROM card WHERE unified_no LIKE ? GROUP BY 1",
                                       (UNIT + "%",)):
                w.unified[int(year)] = int(serial)
        later: list[_Later] = []
        for plan in plans:
            while later and later[0].day <= plan.day:
                _follow(w, heapq.heappop(later))
            _start(w, plan, later)
        while later:
            _follow(w, heapq.heappop(later))
        w.flush()
        session.audit.append(session.actor.name, "card.generate", "card", str(total),
                             new={**w.written, "from": first.isoformat(), "seed": seed})
    return total


def _follow(w: _Writer, case: _Later) -> None:
    _prosecution(w, case.department, date.fromordinal(case.day), case.charge, case.people,
                 case.arrested, case.duty, case.unified_no, case.case_name)
