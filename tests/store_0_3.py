"""A store as statdesk 0.3 left it (schema 17), worked the way 0.3 worked it: what the tests
of migration 18 (tests/test_migration_cases.py) upgrade.

0.3's modules are gone (today's read today's schema), so its writes are made here in plain SQL
as 0.3 made them, each change with its audit entry: cards (concluded, 未办结, 退回补充侦查 as
an outcome, a card of three persons with two in its outcome, void, returned and draft cards)
over fifteen months, every month but the last locked with its report submitted (0.3's
counting, `old_report`), then corrections of reported cards with their revisions.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from store import clock, migrations
from store.cards import code_admin
from store.vault.database import db, execute, insert, rows
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from store.vault.session import Session
from tests.conftest import ADMIN_PW

OLD = 17
"""The schema of the store as 0.3 left it."""
WORKED = datetime(2026, 3, 30, 9)
MONTHS = [f"2025-{m:02d}" for m in range(1, 13)] + ["2026-01", "2026-02", "2026-03"]
LOCKED = MONTHS[:-1]
COUNTED = ("accepted", "reported")
Figures = dict[str, dict[str, list[int]]]

# As the 0.3 demo made them (store/demo/cards.py then), own investigations aside: the one
# ZZLA card of the store is written on its own (its department has cards a year earlier only).
TYPES = [("SCDB", "D01", "刑捕", 0.30, True), ("SCQS", "D01", "刑诉", 0.45, True),
         ("MSXZ", "D03", "民行", 0.08, False), ("XSZX", "D02", "刑执", 0.05, False),
         ("KGSS", "D05", "控申", 0.05, False), ("GYSS", "D04", "公益", 0.05, False)]
OUTCOMES = {"SCDB": [("PZDB", 0.8), ("BPDB", 0.2)],
            "SCQS": [("TQGS", 0.78), ("BQS", 0.12), ("THBZ", 0.10)],
            "MSXZ": [("TCKS", 0.2), ("ZSJY", 0.4), ("BZCJD", 0.4)],
            "XSZX": [("JZWF", 0.6), ("JCJY", 0.4)], "KGSS": [("DF", 0.7), ("YS", 0.3)],
            "GYSS": [("SQJY", 0.7), ("TQGYSS", 0.1), ("ZJSC", 0.2)]}
CHARGES = ["C04", "C01", "C02", "C09", "C03", "C05", "C07"]
CARD_COLUMNS = ("id", "department", "business_type", "case_no", "case_name", "charge",
                "persons", "accepted_on", "concluded_on", "outcome", "outcome_persons",
                "amount", "rank", "major", "major_override", "month", "remarks", "status",
                "return_reason", "acknowledged", "entered_by", "entered_at", "updated_by",
                "updated_at", "problems")
"""The columns a card had at schema 17 (case_key is generated)."""


@dataclass
class OldCard:
    """A card as 0.3 wrote it."""

    department: str
    business_type: str
    charge: str
    persons: int
    accepted_on: str
    concluded_on: str
    outcome: str
    outcome_persons: int
    month: str
    status: str = "accepted"
    problems: int = 0
    amount: int | None = None
    rank: str = ""


@dataclass
class Old:
    """The schema-17 store, closed, and what it held."""

    paths: DataPaths
    special: dict[str, int]
    """Card ids of the cases written on purpose, by what they show."""
    cards: dict[int, dict[str, Any]]
    history: list[tuple[Any, ...]]
    revisions: list[tuple[Any, ...]]
    locks: list[tuple[Any, ...]]
    latest: dict[str, Figures] = field(default_factory=dict)
    """Each locked month's latest revision's figures."""


# --- statdesk 0.3, in SQL (its modules now read today's schema) ------------------------------


def old_report(month: str) -> Figures:
    """A month's figures as 0.3 counted and kept them: store/report/figures.build and
    submission.figures_of as they were (a concluded card under its outcome with its outcome's
    persons, an open one under '' with all of them; lines from the code tables; departments
    with counted cards in the year to date or a year earlier)."""
    year, mon = int(month[:4]), month[5:]
    ranges = {"month": (month, month), "ytd": (f"{year}-01", month),
              "month_ly": (f"{year - 1}-{mon}",) * 2, "ytd_ly": (f"{year - 1}-01",
                                                                 f"{year - 1}-{mon}")}
    groups: dict[tuple[str, str, str, str], list[int]] = {}
    for first, last in (ranges["ytd"], ranges["ytd_ly"]):
        for m, d, t, o, cases, persons in rows(
                "SELECT month, department, business_type, outcome, count(*), coalesce(sum("
                "CASE WHEN outcome != '' THEN outcome_persons ELSE persons END), 0) FROM card"
                " WHERE month BETWEEN ? AND ? AND status IN ('accepted', 'reported')"
                " GROUP BY month, department, business_type, outcome", (first, last)):
            for period, (a, b) in ranges.items():
                if a <= m <= b:
                    total = groups.setdefault((period, d, t, o), [0, 0])
                    total[0] += cases
                    total[1] += persons
    present = {(t, o) for _p, _d, t, o in groups}
    lines: list[tuple[str, str | None]] = []
    outcomes = rows("SELECT code, parent, status FROM code WHERE kind = 'outcome'"
                    " ORDER BY sort, code")
    for kind, status in rows("SELECT code, status FROM code WHERE kind = 'business_type'"
                             " ORDER BY sort, code"):
        if status != "active" and not any(t == kind for t, _o in present):
            continue
        lines.append((kind, None))
        lines += [(kind, o) for o, parent, o_status in outcomes
                  if parent == kind and (o_status == "active" or (kind, o) in present)]
        lines.append((kind, ""))

    def count(department: str | None, kind: str | None, outcome: str | None) -> list[int]:
        total = [0, 0]
        for (p, d, t, o), (cases, persons) in groups.items():
            if p == "month" and department in (None, d) and kind in (None, t) \
                    and outcome in (None, o):
                total = [total[0] + cases, total[1] + persons]
        return total

    def of(department: str | None) -> dict[str, list[int]]:
        found = {}
        for kind, outcome in lines:
            value = count(department, kind, outcome)
            if value != [0, 0]:
                found[kind + ("" if outcome is None else "/" + outcome)] = value
        found["all"] = count(department, None, None)
        return found

    return {"total": of(None), **{d: of(d) for d in {d for _p, d, _t, _o in groups}}}


def _write_cards(session: Session, cards: list[OldCard]) -> list[int]:
    numbers: dict[tuple[str, str], int] = {}
    ids = []
    abbr = {t[0]: t[2] for t in TYPES} | {"ZZLA": "反贪"}
    with db.atomic():
        for card in cards:
            year = card.accepted_on[:4]
            numbers[(card.business_type, year)] = serial = \
                numbers.get((card.business_type, year), 0) + 1
            stamp = f"{card.accepted_on}T10:00:00+08:00"
            ids.append(insert(
                "INSERT INTO card (department, business_type, case_no, case_name, charge,"
                " persons, accepted_on, concluded_on, outcome, outcome_persons, amount, rank,"
                " month, status, return_reason, problems, entered_by, entered_at, updated_by,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'admin', ?,"
                " 'admin', ?)",
                (card.department, card.business_type,
                 f"某检{abbr[card.business_type]}〔{year}〕{serial}号",
                 f"某{card.business_type}案{serial}", card.charge, card.persons,
                 card.accepted_on, card.concluded_on, card.outcome, card.outcome_persons,
                 card.amount, card.rank, card.month, card.status,
                 "请核对" if card.status == "returned" else "", card.problems, stamp, stamp)))
        session.audit.append("admin", "card.generate", "card", str(len(cards)),
                             new={"cards": len(cards)})
    return ids


def _history(session: Session, card_id: int, action: str, old: dict[str, Any],
             new: dict[str, Any], reason: str = "") -> None:
    execute("INSERT INTO card_history (card_id, at, by, action, old, new, reason) VALUES"
            " (?, ?, 'admin', ?, ?, ?, ?)", (card_id, clock.stamp(), action,
                                             json.dumps(old, ensure_ascii=False, sort_keys=True),
                                             json.dumps(new, ensure_ascii=False, sort_keys=True),
                                             reason))
    session.audit.append("admin", f"card.{action}", "card", str(card_id), old=old, new=new,
                         note=reason)


def _revision(session: Session, month: str, figures: Figures, note: str) -> None:
    done = rows("SELECT revision, figures FROM report_revision WHERE month = ?"
                " ORDER BY revision DESC LIMIT 1", (month,))
    number = done[0][0] + 1 if done else 1
    before: Figures = json.loads(done[0][1]) if done else {}
    changed = [[where, line, before.get(where, {}).get(line, [0, 0]),
                figures.get(where, {}).get(line, [0, 0])]
               for where in sorted(set(before) | set(figures)) if done
               for line in sorted(set(before.get(where, {})) | set(figures.get(where, {})))
               if before.get(where, {}).get(line, [0, 0]) != figures.get(where, {}).get(
                   line, [0, 0])]
    assert not done or changed, "a revision changes something"
    execute("INSERT INTO report_revision (month, revision, at, by, submitted_to, note, figures,"
            " differences) VALUES (?, ?, ?, 'admin', '市人民检察院', ?, ?, ?)",
            (month, number, clock.stamp(), note, json.dumps(figures, ensure_ascii=False),
             json.dumps(changed, ensure_ascii=False)))
    session.audit.append("admin", "report.submit" if number == 1 else "report.revise", "report",
                         f"{month}#{number}", new={"to": "市人民检察院",
                                                   "cases": figures["total"]["all"][0],
                                                   "differences": len(changed)}, note=note)


def _submit(session: Session, month: str) -> None:
    """0.3's submit: the month locked (its accepted cards reported) and revision 1 kept."""
    figures = old_report(month)
    with db.atomic():
        execute("INSERT INTO card_history (card_id, at, by, action, old, new, reason)"
                " SELECT id, ?, 'admin', 'report', '{\"status\": \"accepted\"}',"
                " '{\"status\": \"reported\"}', '' FROM card"
                " WHERE month = ? AND status = 'accepted' ORDER BY id", (clock.stamp(), month))
        count = rows("SELECT count(*) FROM card WHERE month = ? AND status = 'accepted'",
                     (month,))[0][0]
        execute("UPDATE card SET status = 'reported' WHERE month = ? AND status = 'accepted'",
                (month,))
        execute("INSERT INTO month_lock (month, locked_at, locked_by, note) VALUES"
                " (?, ?, 'admin', '报送市人民检察院')", (month, clock.stamp()))
        session.audit.append("admin", "month.lock", "month", month, new={"cards": count})
        _revision(session, month, figures, "")


def _correct(session: Session, card_id: int, reason: str, **changes: Any) -> None:
    """0.3's correction of a reported card: new values, the old ones in its history."""
    old = dict(zip(changes, rows(f"SELECT {', '.join(changes)} FROM card WHERE id = ?",
                                 (card_id,))[0], strict=True))
    with db.atomic():
        execute(f"UPDATE card SET {', '.join(f'{k} = ?' for k in changes)}, updated_at = ?"
                " WHERE id = ?", (*changes.values(), clock.stamp(), card_id))
        _history(session, card_id, "correct", old, changes, reason)


def _revise(session: Session, month: str, note: str) -> None:
    with db.atomic():
        _revision(session, month, old_report(month), note)


# --- the store at schema 17 ------------------------------------------------------------------


def _random_cards(rng: random.Random) -> list[OldCard]:
    cards = []
    for month in MONTHS:
        year, mon = int(month[:4]), int(month[5:])
        for _n in range(18):
            kind, department, _abbr, _w, criminal = rng.choices(TYPES, [t[3] for t in TYPES])[0]
            accepted = date(year, mon, rng.randint(1, 18))
            persons = rng.choice([1, 1, 1, 2, 2, 3]) if criminal else 0
            concluded, outcome, outcome_persons = "", "", 0
            if rng.random() < 0.7:
                concluded = (accepted + timedelta(days=rng.randint(0, 6))).isoformat()
                choices = OUTCOMES[kind]
                outcome = rng.choices([c[0] for c in choices], [c[1] for c in choices])[0]
                draw = rng.random()
                outcome_persons = persons - 1 if draw < 0.1 and persons > 1 else \
                    0 if draw < 0.14 else persons
            draw = rng.random()
            if month not in LOCKED:
                status = "accepted" if draw < 0.5 else "submitted"
            else:
                status = "void" if draw < 0.04 else "returned" if draw < 0.07 else \
                    "draft" if draw < 0.09 else "accepted"
            cards.append(OldCard(department, kind, rng.choice(CHARGES) if criminal else "",
                                 persons, accepted.isoformat(), concluded, outcome,
                                 outcome_persons, month, status))
    return cards


SPECIAL = {
    # 退回补充侦查 of three suspects, two of them returned: its figures move from the THBZ
    # line (persons 2) to 未办结 (persons 3)
    "thbz_3_2": OldCard("D01", "SCQS", "C02", 3, "2025-11-03", "2025-11-20", "THBZ", 2,
                        "2025-11"),
    "thbz_void": OldCard("D01", "SCQS", "C01", 1, "2025-12-02", "2025-12-10", "THBZ", 1,
                         "2025-12", status="void"),
    "thbz_open_month": OldCard("D01", "SCQS", "C04", 1, "2026-03-02", "2026-03-12", "THBZ", 1,
                               "2026-03"),
    # never counted (R03: an outcome without its date): its 退查 takes the accepted date
    "thbz_returned_no_date": OldCard("D01", "SCQS", "C03", 2, "2025-10-08", "", "THBZ", 2,
                                     "2025-10", status="returned", problems=1),
    "three_two": OldCard("D01", "SCQS", "C03", 3, "2026-01-05", "2026-01-19", "TQGS", 2,
                         "2026-01"),
    "blank_outcome_persons": OldCard("D01", "SCQS", "C01", 2, "2025-09-04", "2025-09-16",
                                     "TQGS", 0, "2025-09"),
    # 未办结 in December, concluded in February by a correction to December (issue 17, 1)
    "open_concluded_later": OldCard("D01", "SCQS", "C02", 2, "2025-12-11", "", "", 0,
                                    "2025-12"),
    "open": OldCard("D01", "SCDB", "C09", 2, "2026-02-16", "", "", 0, "2026-02"),
    "made_thbz": OldCard("D01", "SCQS", "C07", 2, "2026-01-06", "2026-01-15", "TQGS", 2,
                         "2026-01"),
    "persons_changed": OldCard("D01", "SCDB", "C01", 1, "2026-01-07", "2026-01-09", "PZDB", 1,
                               "2026-01"),
    # R05: more persons in the outcome than on the card, so never accepted
    "r05": OldCard("D01", "SCDB", "C04", 1, "2026-02-03", "2026-02-05", "PZDB", 2, "2026-02",
                   status="returned", problems=1),
    "void": OldCard("D05", "KGSS", "", 0, "2025-06-03", "2025-06-09", "DF", 0, "2025-06",
                    status="void"),
    # the only card of D06: in 2026 its department has cards a year earlier only
    "last_year_only": OldCard("D06", "ZZLA", "C13", 1, "2025-02-10", "2025-02-20", "YSQS", 1,
                              "2025-02", amount=150000, rank="R2"),
}


def _work_as_0_3(session: Session) -> dict[str, int]:
    rng = random.Random(20260330)
    cards = _random_cards(rng)
    names = list(SPECIAL)
    ids = _write_cards(session, [SPECIAL[n] for n in names] + cards)
    special = dict(zip(names, ids, strict=False))
    for month in LOCKED:
        _submit(session, month)
    _correct(session, special["made_thbz"], "实为退回补充侦查", outcome="THBZ")
    _revise(session, "2026-01", "更正：一件为退回补充侦查")
    _correct(session, special["persons_changed"], "漏报一人", persons=2, outcome_persons=2)
    _revise(session, "2026-01", "更正：人数")
    _correct(session, special["open_concluded_later"], "已于二月提起公诉",
             concluded_on="2026-02-10", outcome="TQGS", outcome_persons=2)
    _revise(session, "2025-12", "更正：十二月受理案件已审结")
    return special


def make(paths: DataPaths) -> Old:
    """The store at `paths` as 0.3 (schema 17) left it, worked for fifteen months; closed."""
    shipped = migrations.available()
    assert shipped[OLD - 1].number == OLD and len(shipped) > OLD
    with pytest.MonkeyPatch.context() as old:
        old.setattr(migrations, "available", lambda: shipped[:OLD])
        old.setattr(clock, "now", lambda: WORKED.astimezone())
        # 0.3 made a store on the first code tables (THBZ an outcome of 审查起诉, YSQS of ZZLA)
        old.setattr(code_admin, "adopt_2026", lambda session: 0)
        with StoreDir(paths, create=True) as folder:
            session = folder.init("admin", ADMIN_PW, "测试县人民检察院", "王管理").session
            assert migrations.store_schema() == OLD
            assert rows("SELECT parent, status FROM code WHERE kind = 'outcome'"
                        " AND code IN ('THBZ', 'YSQS') ORDER BY code") == [
                ("SCQS", "active"), ("ZZLA", "active")]
            special = _work_as_0_3(session)
            latest = {}
            for month in LOCKED:  # the revisions hold the report as 0.3 counted it
                [(stored,)] = rows("SELECT figures FROM report_revision WHERE month = ?"
                                   " ORDER BY revision DESC LIMIT 1", (month,))
                latest[month] = json.loads(stored)
                assert latest[month] == old_report(month), month
            found = Old(paths, special, {
                r[0]: dict(zip(CARD_COLUMNS, r, strict=True)) for r in rows(
                    f"SELECT {', '.join(CARD_COLUMNS)} FROM card ORDER BY id")},
                rows("SELECT * FROM card_history ORDER BY id"),
                rows("SELECT * FROM report_revision ORDER BY id"),
                rows("SELECT * FROM month_lock ORDER BY month"), latest)
            session.close()
    return found
