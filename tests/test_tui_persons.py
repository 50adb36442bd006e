"""Cases with persons and events on screen (issue 17): the persons list of a card, copying
persons from the case's earlier stage, concluding a case in its own month, 退查, 重报,
extensions and voiding them, the time limit of 审查起诉. Driven by keyboard through Pilot;
each test asserts what is stored and what the clerk sees."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from store import clock
from store.cards import entry as cards
from store.cards import months
from store.cards import review as card_review
from store.cards.entry import CardInput
from store.cards.persons import PersonInput
from store.vault.database import rows
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, Store
from tests.test_tui_cards import Keys, _open_entry
from tests.tui_support import login, screen_text, settle
from tui.app import build_app
from tui.dialogs.card_detail import CardDetailDialog
from tui.dialogs.case_event import EventDialog, VoidEventDialog
from tui.dialogs.conclude import ConcludeDialog
from tui.dialogs.persons import PersonDialog, PersonsDialog
from tui.screens.card_entry import CardEntryScreen

SIZE = (80, 24)
OPEN_CASE = CardInput(department="D01", business_type="SCQS", case_no="某检刑诉〔2026〕61号",
                      case_name="周某盗窃案", charge="C01", persons="2", accepted_on="20261009")
"""审查起诉 of two persons, received in October, still open."""


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())


@pytest.fixture
def folder(store: Store) -> Iterator[StoreDir]:
    with StoreDir(store.paths) as opened:
        yield opened


def _accepted(folder: StoreDir, typed: CardInput, lock: str = "") -> int:
    """A card entered and accepted (its month then locked, when asked) before the app starts."""
    session = folder.unlock("admin", ADMIN_PW)
    card_id, _checked = cards.add(session, typed)
    card_review.accept(session, card_id, True)
    if lock:
        months.lock(session, lock)
    session.close()
    return card_id


def _top(pilot: Any) -> Any:
    """The screen on top now (for comparing with one seen before)."""
    return pilot.app.screen


def _note(pilot: Any, field: str) -> str:
    return str(pilot.app.screen.query_one(f"#note-{field}", Static).content)


async def _to_list(pilot: Any) -> None:
    await login(pilot, "admin", ADMIN_PW)
    await pilot.press("f9")
    await settle(pilot)


async def _fields(pilot: Any, *values: str) -> None:
    """Type each value and Enter, field after field (a dialog's rows as the entry's)."""
    keys = Keys(pilot)
    for value in values:
        await keys.field(value)
    await settle(pilot)


# --- the persons list of a card ------------------------------------------------------------


async def test_three_suspects_two_arrested_one_not_are_all_kept(folder: StoreDir) -> None:
    """Issue 17 (3): the third suspect is no longer lost; each person has an outcome."""
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _open_entry(pilot)
        await _fields(pilot, "dyjcb", "scdb", "某检刑捕〔2026〕11号", "U-2026-11",
                      "赵某等3人盗窃案", "dqz", "3", "jy", "", "20261102", "20261110", "pzdb",
                      "pz")
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, PersonsDialog)
        table = app.screen.query_one(DataTable)
        assert [str(table.get_row_at(r)[5]) for r in range(3)] == ["PZDB"] * 3
        await pilot.press("down", "down", "enter")  # the third person
        await settle(pilot)
        assert isinstance(app.screen, PersonDialog)
        await _fields(pilot, "", "", "", "qb", "bpdb", "wz", "")  # Enter on the last keeps it
        assert isinstance(app.screen, PersonsDialog)
        assert "3 | theft | on bail pending trial | arrest not approved (no need to arrest)" \
            in screen_text(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CardEntryScreen)
        assert _note(pilot, "persons") == "3 persons in the list (F6)"
        assert not app.screen.query_one("#row-custody").display  # each person has it now
        assert app.screen.query_one("#outcome").disabled
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "card #1 saved (0 errors" in screen_text(pilot)
        card = rows("SELECT persons, outcome, outcome_persons, mixed, unified_no FROM card")
        people = rows("SELECT seq, custody, outcome, outcome_kind, status FROM card_person"
                      " ORDER BY seq")
    assert card == [(3, "PZDB", 2, 1, "U-2026-11")]
    assert people == [(1, "JY", "PZDB", "PZ", "active"), (2, "JY", "PZDB", "PZ", "active"),
                      (3, "QB", "BPDB", "WZ", "active")]


async def test_a_person_taken_off_the_list_is_kept_as_removed(folder: StoreDir) -> None:
    session = folder.unlock("admin", ADMIN_PW)
    card_id, _c = cards.add(session, CardInput(
        department="D01", business_type="SCDB", case_no="某检刑捕〔2026〕12号", case_name="吴某案",
        charge="C01", accepted_on="20261102",
        people=(PersonInput(name="吴甲"), PersonInput(name="吴乙"), PersonInput(name="吴丙"))))
    session.close()
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        app.push_screen(CardEntryScreen(editing=card_review.get(card_id)))
        await settle(pilot)
        assert _note(pilot, "persons") == "3 persons in the list (F6)"
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("down", "delete")
        assert "Person 2 taken off the list" in screen_text(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        people = rows("SELECT seq, name, status FROM card_person ORDER BY seq")
        history = card_review.history(card_id)[-1]
    assert people == [(1, "吴甲", "active"), (2, "吴丙", "active"), (3, "吴丙", "removed")]
    assert history.action == "update"
    assert [p["name"] for p in (history.new or {})["people"]] == ["吴甲", "吴丙"]


async def test_persons_are_copied_from_the_earlier_stage(folder: StoreDir) -> None:
    """The 审查起诉 card takes the persons of the 审查逮捕 card with the same 统一受案号."""
    _accepted(folder, CardInput(
        department="D01", business_type="SCDB", case_no="某检刑捕〔2026〕20号",
        case_name="钱某等盗窃案", charge="C01", accepted_on="20261003", concluded_on="20261010",
        unified_no="U-2026-20",
        people=(PersonInput(name="钱某", charge="C01", custody="JY", outcome="PZDB",
                            outcome_kind="PZ"),
                PersonInput(name="孙某", minor="1", charge="C01", custody="QB",
                            outcome="PZDB", outcome_kind="JD"))))
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _open_entry(pilot)
        await _fields(pilot, "dyjcb", "scqs", "某检刑诉〔2026〕20号", "", "钱某等盗窃案", "dqz")
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert "type the unified case number on the card first" in screen_text(pilot)
        await pilot.press("escape")
        await settle(pilot)
        app.screen.query_one("#unified_no").value = "U-2026-20"  # type: ignore[attr-defined]
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert "2 persons copied from the earlier stage" in screen_text(pilot)
        table = app.screen.query_one(DataTable)
        assert [str(table.get_row_at(r)[1]) for r in range(2)] == ["钱某", "孙某"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.screen.query_one("#accepted_on").value = "20261105"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        people = rows("SELECT p.seq, p.name, p.minor, p.custody, p.outcome FROM card_person p"
                      " JOIN card c ON c.id = p.card_id WHERE c.business_type = 'SCQS'"
                      " ORDER BY p.seq")
    assert people == [(1, "钱某", 0, "JY", ""), (2, "孙某", 1, "QB", "")]


async def test_an_outcome_kind_is_asked_only_for_outcomes_that_have_kinds(
        folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _open_entry(pilot)
        screen = app.screen
        await _fields(pilot, "dyjcb", "scqs", "某检刑诉〔2026〕31号", "", "冯某盗窃案", "dqz", "",
                      "", "", "20261102", "20261120", "tqgs")
        assert not screen.query_one("#row-outcome_kind").display
        assert app.focused is screen.query_one("#outcome_persons")
        await pilot.press("shift+tab")
        await _fields(pilot, "bqs")
        assert screen.query_one("#row-outcome_kind").display
        assert app.focused is screen.query_one("#outcome_kind")
        await _fields(pilot, "ftj")  # 附条件不起诉, for an adult
        assert "R25" in _note(pilot, "outcome_kind")
        assert "only for minors" in _note(pilot, "outcome_kind")
        screen.query_one("#minor").value = "Y"  # type: ignore[attr-defined]
        await settle(pilot)
        assert "R25" not in _note(pilot, "outcome_kind")
        await pilot.press("ctrl+s")
        await settle(pilot)
        stored = rows("SELECT minor, outcome, outcome_kind FROM card_person")
    assert stored == [(1, "BQS", "FTJ")]


# --- concluding a case ----------------------------------------------------------------------


async def test_a_case_received_in_a_locked_month_is_concluded_in_the_open_month(
        folder: StoreDir) -> None:
    """Issue 17 (1): no correction of October, no second card: the 审结 counts in November."""
    card_id = _accepted(folder, OPEN_CASE, lock="2026-10")
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _to_list(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ConcludeDialog)
        assert "某检刑诉〔2026〕61号 周某盗窃案" in screen_text(pilot)
        await _fields(pilot, "20261120", "tqgs", "", "")  # blank persons: all; no reason
        assert not isinstance(app.screen, ConcludeDialog)
        stored = rows("SELECT month, concluded_on, concluded_month, outcome, outcome_persons,"
                      " status FROM card")
        people = rows("SELECT outcome FROM card_person ORDER BY seq")
        history = card_review.history(card_id)[-1]
    assert stored == [("2026-10", "2026-11-20", "2026-11", "TQGS", 2, "reported")]
    assert people == [("TQGS",), ("TQGS",)]
    assert (history.action, history.reason) == ("conclude", "")


async def test_persons_with_different_outcomes_are_concluded_through_the_list(
        folder: StoreDir) -> None:
    _accepted(folder, CardInput(department="D01", business_type="SCDB",
                                case_no="某检刑捕〔2026〕41号", case_name="郑某等3人盗窃案",
                                charge="C01", persons="3", accepted_on="20261105"))
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _to_list(pilot)
        await pilot.press("c")
        await settle(pilot)
        await _fields(pilot, "20261112", "pzdb", "pz")
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, PersonsDialog)
        await pilot.press("down", "down", "e")
        await settle(pilot)
        await _fields(pilot, "", "", "", "", "bpdb", "bg", "")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConcludeDialog)
        assert "3 of 3 persons with an outcome in the list; the case: PZDB" in screen_text(pilot)
        assert not app.screen.query_one("#row-outcome").display
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ConcludeDialog)
        stored = rows("SELECT outcome, outcome_persons, mixed, concluded_month FROM card")
        people = rows("SELECT outcome, outcome_kind FROM card_person ORDER BY seq")
    assert stored == [("PZDB", 2, 1, "2026-11")]
    assert people == [("PZDB", "PZ"), ("PZDB", "PZ"), ("BPDB", "BG")]


async def test_a_refused_conclusion_is_said_in_the_dialog_and_writes_nothing(
        folder: StoreDir) -> None:
    _accepted(folder, OPEN_CASE)
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _to_list(pilot)
        await pilot.press("c")
        await settle(pilot)
        await _fields(pilot, "20261320", "tqgs", "", "")
        assert isinstance(app.screen, ConcludeDialog)
        said = screen_text(pilot)
        assert "not a day of the calendar" in said and "Traceback" not in said
        assert app.screen.query_one("#row-concluded_on").has_class("-problem")
        assert rows("SELECT concluded_on, outcome FROM card") == [("", "")]
        assert rows("SELECT count(*) FROM card_history WHERE action = 'conclude'") == [(0,)]


async def test_a_rule_a_conclusion_breaks_is_said_beside_its_field(folder: StoreDir) -> None:
    """附条件不起诉 for an adult: R25 beside the outcome's kind, not a bare list of codes."""
    _accepted(folder, OPEN_CASE)
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _to_list(pilot)
        await pilot.press("c")
        await settle(pilot)
        await _fields(pilot, "20261120", "bqs", "ftj", "", "")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConcludeDialog)
        assert app.screen.query_one("#row-outcome_kind").has_class("-problem")
        said = screen_text(pilot)
        assert "R25" in said and "only for minors" in said
        assert rows("SELECT concluded_on, outcome FROM card") == [("", "")]


# --- the card view: the case's life, events, the time limit -----------------------------------


async def test_sent_back_re_sent_extended_and_voided_from_the_card_view(
        folder: StoreDir) -> None:
    """Issue 17 (4): 退查 is an event that keeps the case open; it comes back (重报)."""
    _accepted(folder, OPEN_CASE)
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _to_list(pilot)
        await pilot.press("o")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, CardDetailDialog)
        assert "Time limit 2026-11-08: overdue by 22 days" in screen_text(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, EventDialog)
        assert not app.screen.query_one("#row-days").display  # only an extension has days
        await _fields(pilot, "20261015", "", "补充证据")
        assert _top(pilot) is view
        assert "sent back (退查)" in screen_text(pilot)
        assert "Time limit" not in screen_text(pilot)  # out for 退查: no clock runs
        await pilot.press("r")
        await settle(pilot)
        await _fields(pilot, "20261101", "", "")
        await pilot.press("l")
        await settle(pilot)
        await _fields(pilot, "20261120", "", "15", "")
        said = screen_text(pilot)
        assert "re-sent (重报)" in said and "time limit extended" in said
        assert "Time limit 2026-12-16: 16 days left" in said
        table = view.query_one("#case-events", DataTable)
        kinds = [str(table.get_row_at(r)[1]) for r in range(table.row_count)]
        table.move_cursor(row=kinds.index("time limit extended"))
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, VoidEventDialog)
        await pilot.press("enter")  # no reason: refused beside the field
        await settle(pilot)
        assert "a reason is required" in _note(pilot, "reason")
        await _fields(pilot, "录错了日期")
        assert _top(pilot) is view
        assert "void: 录错了日期" in screen_text(pilot)
        assert "Time limit 2026-12-01: 1 day left" in screen_text(pilot)
        stored = rows("SELECT kind, on_day, month, persons, days, note, status, void_reason"
                      " FROM card_event ORDER BY id")
        card = rows("SELECT concluded_on, outcome FROM card")
    assert stored == [
        ("returned", "2026-10-15", "2026-10", 2, 0, "补充证据", "active", ""),
        ("resent", "2026-11-01", "2026-11", 2, 0, "", "active", ""),
        ("extended", "2026-11-20", "2026-11", 2, 15, "", "void", "录错了日期")]
    assert card == [("", "")]  # 退查 ended nothing: the case is still open


async def test_an_event_the_store_refuses_is_said_in_its_dialog(folder: StoreDir) -> None:
    _accepted(folder, OPEN_CASE)
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _to_list(pilot)
        await pilot.press("r")  # re-sent, but never sent back
        await settle(pilot)
        await _fields(pilot, "20261101", "", "")
        assert isinstance(app.screen, EventDialog)
        assert "re-sent after it was returned" in screen_text(pilot)
        app.screen.query_one("#on_day").value = "20261001"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "before the case was received" in screen_text(pilot)
        assert "Traceback" not in screen_text(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert rows("SELECT count(*) FROM card_event") == [(0,)]


async def test_the_card_view_shows_persons_and_a_concluded_case_has_no_time_limit(
        folder: StoreDir) -> None:
    _accepted(folder, CardInput(
        department="D01", business_type="SCQS", case_no="某检刑诉〔2026〕71号",
        case_name="陈某等盗窃案", charge="C01", accepted_on="20261009", concluded_on="20261120",
        people=(PersonInput(name="陈某", custody="JY", outcome="TQGS", plea="1"),
                PersonInput(name="林某", minor="1", outcome="BQS", outcome_kind="FTJ"))))
    app = build_app(folder, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await _to_list(pilot)
        await pilot.press("o")
        await settle(pilot)
        said = screen_text(pilot)
    assert "陈某" in said and "羁押" in said and "TQGS 提起公诉" in said
    assert "林某" in said and "附条件不起诉" in said
    assert "受理" in said and "审结" in said
    assert "审查期限" not in said
