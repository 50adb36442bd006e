"""Cases for the report's tests, written as rows (cards, their persons and events), and a count
of any store's figures in plain Python over those rows, apart from the report's queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from store.vault.database import execute, insert, rows

COLUMNS = ("department", "business_type", "case_no", "case_name", "charge", "persons",
           "accepted_on", "concluded_on", "outcome", "outcome_persons", "month",
           "concluded_month", "plea_persons", "mixed", "major", "status", "entered_by",
           "entered_at", "updated_by", "updated_at")


@dataclass(frozen=True)
class P:
    """A person of a case: outcome ('' none yet), minor, 认罪认罚, outcome kind."""

    outcome: str = ""
    minor: int = 0
    plea: int = 0
    kind: str = ""


@dataclass(frozen=True)
class Case:
    """A card: received in `month`, concluded in `concluded` ('' open), its persons."""

    month: str
    department: str
    business_type: str
    people: tuple[P, ...] = (P(),)
    concluded: str = ""
    status: str = "accepted"
    events: tuple[tuple[str, str, int], ...] = ()
    """(kind, month, persons) of active events; the day is the month's 10th."""
    accepted_on: str = ""
    major: str = ""
    columns: dict[str, object] = field(default_factory=dict)
    """Card columns written as given (to break what the store keeps in step)."""


def outcome_order() -> list[str]:
    return [r[0] for r in rows("SELECT code FROM code WHERE kind = 'outcome' ORDER BY sort, code")]


def write(cases: list[Case]) -> list[int]:
    """Write the cases as the store keeps them: the card's person counts from its persons."""
    order = {code: n for n, code in enumerate(outcome_order())}
    ids = []
    for n, case in enumerate(cases):
        concluded = bool(case.concluded)
        outcomes = [p.outcome for p in case.people if p.outcome]
        outcome = min(outcomes, key=lambda o: order.get(o, len(order))) if concluded and \
            outcomes else ""
        values: dict[str, object] = {
            "department": case.department, "business_type": case.business_type,
            "case_no": f"某检测〔{case.month[:4]}〕{n + 1}号", "case_name": f"测试{n}案",
            "charge": "C01", "persons": len(case.people),
            "accepted_on": case.accepted_on or f"{case.month}-10",
            "concluded_on": f"{case.concluded}-12" if concluded else "", "outcome": outcome,
            "outcome_persons": sum(p.outcome == outcome for p in case.people) if outcome else 0,
            "month": case.month, "concluded_month": case.concluded,
            "plea_persons": sum(p.plea for p in case.people),
            "mixed": int(concluded and any(p.outcome != outcome for p in case.people)),
            "major": case.major, "status": case.status, "entered_by": "admin",
            "entered_at": f"{case.month}-10", "updated_by": "admin",
            "updated_at": f"{case.month}-10", **case.columns}
        card_id = insert(f"INSERT INTO card ({', '.join(COLUMNS)}) VALUES"
                         f" ({', '.join('?' * len(COLUMNS))})", [values[c] for c in COLUMNS])
        for seq, person in enumerate(case.people, 1):
            execute("INSERT INTO card_person (card_id, seq, charge, outcome, outcome_kind, minor,"
                    " plea) VALUES (?, ?, 'C01', ?, ?, ?, ?)",
                    (card_id, seq, person.outcome if concluded else "", person.kind, person.minor,
                     person.plea))
        for kind, month, persons in case.events:
            event(card_id, kind, f"{month}-10", month, persons)
        ids.append(card_id)
    return ids


def event(card_id: int, kind: str, day: str, month: str, persons: int = 1, days: int = 0,
          status: str = "active") -> None:
    execute("INSERT INTO card_event (card_id, kind, on_day, month, persons, days, status,"
            " recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'admin', ?)",
            (card_id, kind, day, month, persons, days, status, day))


def _three(*outcomes: str, plea: int = 0) -> tuple[P, ...]:
    return tuple(P(o, plea=plea) for o in outcomes)


# The 2026-11 report, counted by hand in the tests.
CASES = [
    # 审查逮捕 (D01)
    Case("2026-11", "D01", "SCDB", (P("PZDB"),), "2026-11"),
    Case("2026-11", "D01", "SCDB", _three("PZDB", "PZDB", "BPDB"), "2026-11"),  # 3 suspects
    Case("2026-10", "D01", "SCDB", (P(), P()), ""),  # carried over, still open
    Case("2026-10", "D01", "SCDB", (P("BPDB"),), "2026-11"),  # carried over, concluded
    # 审查起诉 (D01, D02)
    Case("2026-09", "D01", "SCQS", _three("TQGS", "TQGS", plea=1), "2026-11",
         events=(("returned", "2026-10", 2), ("resent", "2026-11", 2))),
    Case("2026-11", "D01", "SCQS", (P(),), "", events=(("returned", "2026-11", 1),)),
    Case("2026-11", "D02", "SCQS", (P("BQS", minor=1, plea=1, kind="FTJ"),), "2026-11"),
    Case("2026-11", "D02", "SCQS", (P("TQGS", plea=1),), "2026-11", status="reported"),
    # not counted
    Case("2026-11", "D01", "SCQS", (P("TQGS"),) * 5, "2026-11", status="submitted"),
    Case("2026-11", "D01", "SCQS", (P("TQGS"),) * 5, "2026-11", status="returned"),
    Case("2026-11", "D01", "SCQS", (P("TQGS"),) * 5, "2026-11", status="void"),
    # earlier this year
    Case("2026-01", "D01", "SCQS", (P("TQGS", plea=1),), "2026-02", status="reported"),
    Case("2025-12", "D01", "SCDB", (P(),), "", status="reported"),  # open since last year
    Case("2026-03", "D05", "KGSS", (P("DF"),), "2026-03", status="reported"),
    # a year earlier
    Case("2025-11", "D01", "SCQS", (P("TQGS"),), "2025-11", status="reported"),
    Case("2025-10", "D01", "SCQS", (P("TQGS"), P("TQGS")), "2025-12", status="reported"),
    Case("2025-03", "D01", "SCDB", (P("PZDB"),), "2025-03", status="reported"),
]


def insert_cases(cases: list[Case] = CASES) -> list[int]:
    return write(cases)


# --- the figures counted in plain Python over the stored rows -------------------------------


def recount(first: str, last: str) -> dict[tuple[str, str], tuple[int, int]]:
    """{(department ('' the unit), key): (cases, persons)} of a period, from the rows: a
    case's persons are its active person rows, its outcome the first in the code table's
    order that a person has; stocks as of the period's start and end."""
    order = {code: n for n, code in enumerate(outcome_order())}
    people: dict[int, list[tuple[str, int]]] = {}
    for card_id, outcome, plea in rows("SELECT card_id, outcome, plea FROM card_person"
                                       " WHERE status = 'active'"):
        people.setdefault(card_id, []).append((outcome, plea))
    found: dict[tuple[str, str], list[int]] = {}

    def add(dept: str, key: str, cases: int, persons: int) -> None:
        for where in ("", dept):
            total = found.setdefault((where, key), [0, 0])
            total[0] += cases
            total[1] += persons

    counted = {}
    for card_id, dept, kind, month, done, status, own in rows(
            "SELECT id, department, business_type, month, concluded_month, status, outcome"
            " FROM card"):
        if status not in ("accepted", "reported"):
            continue
        counted[card_id] = (dept, kind)
        mine = people.get(card_id, [])
        n = len(mine)
        if first <= month <= last:
            add(dept, f"{kind}:new", 1, n)
        if month < first and (not done or done >= first):
            add(dept, f"{kind}:old", 1, n)
        if (month < first and (not done or done >= first)) or first <= month <= last:
            add(dept, f"{kind}:received", 1, n)
        if month <= last and (not done or done > last):
            add(dept, f"{kind}:open", 1, n)
        if done and first <= done <= last:
            add(dept, f"{kind}:concluded", 1, n)
            outcomes = [o for o, _p in mine if o]
            # a case without persons (民事, 公益诉讼 ...) has its own outcome
            case_outcome = min(outcomes, key=lambda o: order[o]) if outcomes else \
                own if not mine else ""
            add(dept, f"{kind}:concluded/{case_outcome}", 1, 0)
            for outcome, plea in mine:
                add(dept, f"{kind}:concluded/{outcome}", 0, 1)
                if plea:
                    add(dept, f"{kind}:plea", 0, 1)
    for card_id, kind, month, persons in rows("SELECT card_id, kind, month, persons FROM"
                                              " card_event WHERE status = 'active'"):
        if card_id in counted and kind in ("returned", "resent") and first <= month <= last:
            dept, business_type = counted[card_id]
            add(dept, f"{business_type}:{kind}", 1, persons)
    for (dept, key), (cases, _persons) in list(found.items()):
        stage = key.partition(":")[2]
        if stage in ("new", "concluded", "open") and not key.startswith("all:"):
            total = found.setdefault((dept, f"all:{stage}"), [0, 0])
            total[0] += cases
    return {k: (v[0], v[1]) for k, v in found.items() if v != [0, 0]}


def behind(first: str, last: str) -> dict[tuple[str, str], set[int]]:
    """{(department ('' the unit), key): the ids of the cards behind the figure}, from the
    rows: a card is behind an outcome when the case or any of its persons has it, behind
    退查 or 重报 when it has such an event in the period."""
    order = {code: n for n, code in enumerate(outcome_order())}
    people: dict[int, list[str]] = {}
    for card_id, outcome in rows("SELECT card_id, outcome FROM card_person"
                                 " WHERE status = 'active'"):
        people.setdefault(card_id, []).append(outcome)
    found: dict[tuple[str, str], set[int]] = {}

    def add(card_id: int, dept: str, kind: str, stage: str) -> None:
        for where in ("", dept):
            found.setdefault((where, f"{kind}:{stage}"), set()).add(card_id)
            if "/" not in stage and stage in ("new", "concluded", "open"):
                found.setdefault((where, f"all:{stage}"), set()).add(card_id)

    counted = {}
    for card_id, dept, kind, month, done, status, own in rows(
            "SELECT id, department, business_type, month, concluded_month, status, outcome"
            " FROM card"):
        if status not in ("accepted", "reported"):
            continue
        counted[card_id] = (dept, kind)
        old = month < first and (not done or done >= first)
        if first <= month <= last:
            add(card_id, dept, kind, "new")
        if old:
            add(card_id, dept, kind, "old")
        if old or first <= month <= last:
            add(card_id, dept, kind, "received")
        if month <= last and (not done or done > last):
            add(card_id, dept, kind, "open")
        if done and first <= done <= last:
            add(card_id, dept, kind, "concluded")
            mine = people.get(card_id, [])
            outcomes = [o for o in mine if o]
            for outcome in set(mine) | {min(outcomes, key=lambda o: order[o])
                                        if outcomes else own if not mine else ""}:
                add(card_id, dept, kind, f"concluded/{outcome}")
    for card_id, kind, month in rows("SELECT card_id, kind, month FROM card_event"
                                     " WHERE status = 'active'"):
        if card_id in counted and kind in ("returned", "resent") and first <= month <= last:
            dept, business_type = counted[card_id]
            add(card_id, dept, business_type, kind)
    return found
