"""Migration 18 (cases with events and persons) loses nothing (issue 17, "Migration without
loss").

A store made at schema 17 and worked as statdesk 0.3 worked it (tests/store_0_3.py: concluded
cards, 未办结, 退回补充侦查 (THBZ), a card of three persons with two in its outcome, void and
returned cards, fourteen locked months with their submitted reports, corrections and their
revisions) is opened by this statdesk: the upgrade runs m0018. For every locked month the old
report regenerated from the migrated data (`store.report.legacy`) is compared figure by figure
with the figures its latest revision stored: they differ only where the new model corrects
them (a THBZ card is an open case with a 退查 event, no longer a conclusion), and each such
card is listed in the migration's audit entry.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from store import clock, migrations
from store.audit import log as audit
from store.report import legacy
from store.vault.database import db, execute, rows
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from store.vault.session import Session
from tests.conftest import ADMIN_PW
from tests.deep_support import Cli, deep
from tests.store_0_3 import CARD_COLUMNS, COUNTED, LOCKED, OLD, Figures, Old, make

UPGRADED = datetime(2026, 4, 2, 9)


@pytest.fixture(scope="module")
def schema_17(tmp_path_factory: pytest.TempPathFactory) -> Old:
    """The store as statdesk 0.3 (schema 17) left it, worked for fifteen months."""
    return make(DataPaths(tmp_path_factory.mktemp("old") / "data"))


@pytest.fixture
def upgraded(schema_17: Old, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
             ) -> Iterator[tuple[Old, Session]]:
    """A copy of the schema-17 store opened by this statdesk: upgraded at login."""
    paths = DataPaths(tmp_path / "data")
    shutil.copytree(schema_17.paths.root, paths.root)
    monkeypatch.setattr(clock, "now", lambda: UPGRADED.astimezone())
    with StoreDir(paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        assert session.upgraded is not None and session.upgraded.from_schema == OLD
        yield dataclasses.replace(schema_17, paths=paths), session
        session.close()


def _corrected() -> dict[str, Any]:
    [entry] = [e for e in audit.recent(500) if e.action == "schema.migrate"
               and e.entity_id == "18"]
    new = json.loads(entry.new or "{}")
    assert new["name"] == "case events and persons"
    return dict(new["corrected"])


# --- the report of every locked month --------------------------------------------------------


def _thbz_moved(figures: Figures, card: dict[str, Any]) -> None:
    """What the new model corrects in a month's figures for one counted THBZ card: it is no
    longer concluded, so it counts under 未办结 with all its persons."""
    kind, was, persons = card["business_type"], card["outcome_persons"], card["persons"]
    for where in ("total", card["department"]):
        lines = figures[where]
        for key, change in ((f"{kind}/THBZ", [-1, -was]), (f"{kind}/", [1, persons]),
                            (kind, [0, persons - was]), ("all", [0, persons - was])):
            lines[key] = [a + b for a, b in zip(lines.get(key, [0, 0]), change, strict=True)]
            if lines[key] == [0, 0] and key != "all":
                del lines[key]


def test_every_locked_month_reads_as_submitted_but_where_the_new_model_corrects(
        upgraded: tuple[Old, Session]) -> None:
    old, _session = upgraded
    corrected = _corrected()
    thbz = {i: c for i, c in old.cards.items() if c["outcome"] == "THBZ"}
    assert corrected["returned_for_investigation"] == sorted(
        i for i, c in thbz.items() if c["status"] != "void")
    # and no card can be concluded with it again, whichever tables the store keeps
    assert corrected["retired_outcomes"] == ["THBZ"]
    assert rows("SELECT status FROM code WHERE kind = 'outcome' AND code = 'THBZ'") == [
        ("retired",)]
    assert {old.special[n] for n in ("thbz_3_2", "made_thbz", "thbz_open_month",
                                     "thbz_returned_no_date")} <= set(thbz)
    differing = []
    for month in LOCKED:
        stored = old.latest[month]
        expected = copy.deepcopy(stored)
        moved = [c for i, c in sorted(thbz.items()) if c["month"] == month
                 and c["status"] in COUNTED]
        for card in moved:
            assert card["id"] in corrected["returned_for_investigation"]
            _thbz_moved(expected, card)
        regenerated = legacy.figures(month)
        assert regenerated == expected, month
        assert not any(k.endswith("/THBZ") for lines in regenerated.values() for k in lines)
        if regenerated != stored:
            differing.append(month)
        else:
            assert not moved
    # the months a THBZ card counted in, and only those, read differently
    assert differing == sorted({c["month"] for c in thbz.values() if c["status"] in COUNTED
                                and c["month"] in LOCKED})
    assert "2025-11" in differing and "2026-01" in differing  # the 3-person 退查, a corrected one
    assert len(differing) < len(LOCKED)


def test_the_three_person_return_and_the_late_conclusion_figure_by_figure(
        upgraded: tuple[Old, Session]) -> None:
    old, _session = upgraded
    november, stored = legacy.figures("2025-11"), old.latest["2025-11"]
    card = old.cards[old.special["thbz_3_2"]]
    assert (card["persons"], card["outcome_persons"]) == (3, 2)
    returned = [c for c in old.cards.values() if c["month"] == "2025-11"
                and c["outcome"] == "THBZ" and c["status"] in COUNTED]
    cases, was, now = (len(returned), sum(c["outcome_persons"] for c in returned),
                       sum(c["persons"] for c in returned))
    assert card in returned and now - was >= 1
    assert stored["total"]["SCQS/THBZ"] == [cases, was] and "SCQS/THBZ" not in november["total"]
    for key, more in (("SCQS/", [cases, now]), ("SCQS", [0, now - was]), ("all", [0, now - was])):
        assert november["total"][key] == [a + b for a, b in zip(
            stored["total"].get(key, [0, 0]), more, strict=True)], key
    # 未办结 in December, concluded in February by a correction to December: revision 2
    # counts it under 提起公诉, and so does the old counting of the migrated card
    [first] = [json.loads(r[8]) for r in old.revisions if r[1:3] == ("2025-12", 1)]
    december, latest = legacy.figures("2025-12"), old.latest["2025-12"]
    assert latest["total"]["SCQS/TQGS"] == [first["total"]["SCQS/TQGS"][0] + 1,
                                            first["total"]["SCQS/TQGS"][1] + 2]
    assert december["total"]["SCQS/TQGS"] == latest["total"]["SCQS/TQGS"]
    assert "D06" in legacy.figures("2026-02") and legacy.figures("2026-02")["D06"] == {
        "all": [0, 0]}  # cards a year earlier: the department is listed, as 0.3 did
    assert "D06" not in legacy.figures("2025-01")


# --- persons, events, columns, history -------------------------------------------------------


def test_each_card_has_its_persons_and_its_columns_in_step(
        upgraded: tuple[Old, Session]) -> None:
    old, _session = upgraded
    corrected = _corrected()
    people: dict[int, list[tuple[Any, ...]]] = {}
    for row in rows("SELECT card_id, seq, name, minor, charge, custody, outcome, outcome_kind,"
                    " plea, status FROM card_person ORDER BY card_id, seq"):
        people.setdefault(row[0], []).append(row[1:])
    now = {r[0]: r for r in rows(
        "SELECT id, persons, outcome, outcome_persons, concluded_on, concluded_month, mixed,"
        " plea_persons, unified_no, month FROM card")}
    assert set(now) == set(old.cards)
    raised, without = [], []
    for card_id, was in old.cards.items():
        thbz = was["outcome"] == "THBZ"
        outcome = "" if thbz else was["outcome"]
        in_outcome = 0 if thbz else was["outcome_persons"]
        persons = max(was["persons"], in_outcome)
        expected = [(seq, "", 0, was["charge"], "", outcome if seq <= in_outcome else "", "",
                     0, "active") for seq in range(1, persons + 1)]
        assert people.get(card_id, []) == expected, card_id
        _id, n, o, op, concluded_on, concluded_month, mixed, plea, unified, month = now[card_id]
        assert (n, o, op, plea, unified, month) == (persons, outcome, in_outcome, 0, "",
                                                    was["month"]), card_id
        assert concluded_on == ("" if thbz else was["concluded_on"])
        assert concluded_month == (month if outcome else "")
        # the card's columns are those of its person records (the design's invariants)
        assert n == len(expected)
        if outcome:
            assert op == sum(1 for p in expected if p[5] == outcome)
        assert mixed == int(bool(outcome) and any(p[5] != outcome for p in expected))
        if persons > was["persons"] and was["status"] != "void":
            raised.append(card_id)
        if mixed and was["status"] != "void":
            without.append(card_id)
    assert corrected["persons_raised"] == sorted(raised) == [old.special["r05"]]
    assert corrected["persons_without_outcome"] == sorted(without)
    assert {old.special["three_two"], old.special["blank_outcome_persons"]} <= set(without)
    assert corrected["persons"] == sum(len(p) for p in people.values())


def test_every_return_for_investigation_is_an_event_of_its_month(
        upgraded: tuple[Old, Session]) -> None:
    old, _session = upgraded
    events = rows("SELECT card_id, kind, on_day, month, persons, days, status, recorded_by,"
                  " recorded_at FROM card_event ORDER BY id")
    stamp = UPGRADED.astimezone().isoformat(timespec="seconds")
    assert events == [
        (i, "returned", c["concluded_on"] or c["accepted_on"], c["month"],
         c["outcome_persons"] or c["persons"], 0, "active", "statdesk", stamp)
        for i, c in sorted(old.cards.items()) if c["outcome"] == "THBZ"]
    three = old.special["thbz_3_2"]
    assert [e[4] for e in events if e[0] == three] == [2]  # the two persons it returned


def test_nothing_is_lost(upgraded: tuple[Old, Session]) -> None:
    old, _session = upgraded
    cards = {r[0]: dict(zip(CARD_COLUMNS, r, strict=True)) for r in rows(
        f"SELECT {', '.join(CARD_COLUMNS)} FROM card ORDER BY id")}
    changed = {}
    for card_id, was in old.cards.items():
        diff = {k: (v, cards[card_id][k]) for k, v in was.items() if cards[card_id][k] != v}
        if diff:
            changed[card_id] = diff
    thbz = {i for i, c in old.cards.items() if c["outcome"] == "THBZ"}
    assert set(changed) == thbz | {old.special["r05"]}
    for card_id in thbz:  # only the conclusion is taken off, its old values kept in history
        was = old.cards[card_id]
        assert changed[card_id] == {k: v for k, v in {
            "concluded_on": (was["concluded_on"], ""), "outcome": ("THBZ", ""),
            "outcome_persons": (was["outcome_persons"], 0)}.items() if v[0] != v[1]}
    assert changed[old.special["r05"]] == {"persons": (1, 2)}

    history = rows("SELECT * FROM card_history ORDER BY id")
    assert history[:len(old.history)] == old.history  # every old entry as it was
    added = [(h[1], h[3], h[4], json.loads(h[5]), json.loads(h[6])) for h in
             history[len(old.history):]]
    stamp = UPGRADED.astimezone().isoformat(timespec="seconds")
    assert sorted(added, key=lambda a: (a[0], sorted(a[3]))) == sorted([
        (i, "statdesk", "migrate", {"concluded_on": old.cards[i]["concluded_on"],
                                    "outcome": "THBZ",
                                    "outcome_persons": old.cards[i]["outcome_persons"]},
         {"concluded_on": "", "outcome": "", "outcome_persons": 0}) for i in thbz] + [
        (old.special["r05"], "statdesk", "migrate", {"persons": 1}, {"persons": 2})],
        key=lambda a: (a[0], sorted(a[3])))
    assert {h[2] for h in history[len(old.history):]} == {stamp}
    assert rows("SELECT * FROM report_revision ORDER BY id") == old.revisions
    assert rows("SELECT * FROM month_lock ORDER BY month") == old.locks
    assert rows("SELECT count(*) FROM card")[0][0] == len(old.cards)


def test_the_upgraded_store_replays_clean(schema_17: Old, tmp_path: Path, cli_run: Cli,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """`audit verify --deep` after the upgrade: every row the migration wrote is recorded with
    its entry (the upgrade runs at the command's own login)."""
    paths = DataPaths(tmp_path / "data")
    shutil.copytree(schema_17.paths.root, paths.root)
    monkeypatch.setattr(clock, "now", lambda: UPGRADED.astimezone())
    result = deep(paths, cli_run)
    assert result.code == 0, result.out + result.err
    assert "the store was upgraded" in result.err
    with StoreDir(paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        assert migrations.store_schema() == migrations.shipped_schema()
        assert rows("SELECT count(*) FROM card_person")[0][0] == _corrected()["persons"]
        session.close()
    again = deep(paths, cli_run)
    assert again.code == 0, again.out + again.err


def test_the_old_figures_stand_when_the_2026_code_tables_are_adopted(
        upgraded: tuple[Old, Session]) -> None:
    """The 2026 tables move outcomes to other business types and retire THBZ and ZZLA: the
    old-shape figures read their lines from the cards, not from the tables."""
    from store.cards import code_admin

    _old, session = upgraded
    before = {month: legacy.figures(month) for month in LOCKED}
    code_admin.adopt_2026(session)
    assert rows("SELECT status FROM code WHERE kind = 'outcome' AND code = 'THBZ'") == [
        ("retired",)]
    assert {month: legacy.figures(month) for month in LOCKED} == before


# --- the old counting over cases of the new model --------------------------------------------


def _case(department: str, kind: str, persons: int, month: str, status: str = "accepted",
          outcome: str = "", outcome_persons: int = 0, concluded_month: str = "") -> None:
    execute("INSERT INTO card (department, business_type, case_no, case_name, charge, persons,"
            " accepted_on, concluded_on, outcome, outcome_persons, month, concluded_month,"
            " status, entered_by, entered_at, updated_by, updated_at) VALUES (?, ?, ?, '某案',"
            " 'C01', ?, ?, ?, ?, ?, ?, ?, ?, 'admin', 't', 'admin', 't')",
            (department, kind, f"某检刑诉〔2026〕{rows('SELECT count(*) FROM card')[0][0] + 1}号",
             persons, f"{month}-05", f"{concluded_month}-06" if concluded_month else "",
             outcome, outcome_persons, month, concluded_month, status))


def test_a_case_counts_in_the_old_shape_in_the_month_of_its_conclusion(session: Session
                                                                       ) -> None:
    """Received in one month, concluded in a later one: 0.3 counted it once, in the month of
    its conclusion, under its outcome with that outcome's persons; while open, in its month
    under 未办结 with all its persons. Cards not accepted do not count."""
    with db.atomic():
        _case("D01", "SCQS", 3, "2026-09", outcome="TQGS", outcome_persons=2,
              concluded_month="2026-10")
        _case("D01", "SCQS", 2, "2026-10")
        _case("D01", "SCDB", 1, "2026-10", status="reported", outcome="PZDB", outcome_persons=1,
              concluded_month="2026-10")
        _case("D02", "SCQS", 1, "2026-10", status="submitted", outcome="TQGS",
              outcome_persons=1, concluded_month="2026-10")
        _case("D03", "SCQS", 1, "2026-10", status="void")
        _case("D04", "SCQS", 4, "2025-03")  # a year earlier: D04 is listed
        _case("D05", "SCQS", 4, "2026-11")  # later: not
    # September's case counts in October, where it was concluded
    assert legacy.figures("2026-09") == {"total": {"all": [0, 0]}, "D04": {"all": [0, 0]}}
    assert legacy.figures("2026-10") == {
        "total": {"SCQS": [2, 4], "SCQS/TQGS": [1, 2], "SCQS/": [1, 2], "SCDB": [1, 1],
                  "SCDB/PZDB": [1, 1], "all": [3, 5]},
        "D01": {"SCQS": [2, 4], "SCQS/TQGS": [1, 2], "SCQS/": [1, 2], "SCDB": [1, 1],
                "SCDB/PZDB": [1, 1], "all": [3, 5]},
        "D04": {"all": [0, 0]}}
