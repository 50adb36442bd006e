"""Entering cards by keyboard only; live checks beside their field; keystrokes counted."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import datetime

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input, Static

from store import clock
from store.cards import review as card_review
from store.vault.database import rows
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, Store
from tests.tui_support import login, screen_text, settle
from tui.app import build_app
from tui.screens.card_entry import CardEntryScreen


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())


class Keys:
    """Presses keys and counts them, as a clerk's fingers would."""

    def __init__(self, pilot: Pilot) -> None:  # type: ignore[type-arg]
        self.pilot, self.count = pilot, 0

    async def type(self, text: str) -> None:
        named = {"〔": "left_square_bracket", "〕": "right_square_bracket"}
        keys = [named.get(ch, ch) for ch in text]  # brackets typed as [ ] and read as 〔〕
        self.count += len(keys)
        await self.pilot.press(*keys)

    async def press(self, *keys: str) -> None:
        self.count += len(keys)
        await self.pilot.press(*keys)

    async def field(self, text: str) -> None:
        """Type a value and Enter to the next field (Enter alone skips an empty one)."""
        if text:
            await self.type(text)
        await self.press("enter")


async def _enter(keys: Keys, values: list[str], copy_previous: bool = False) -> None:
    if copy_previous:
        await keys.press("ctrl+t")
        values = values[2:]
    for value in values:
        await keys.field(value)
    await keys.press("ctrl+s")
    await settle(keys.pilot)


TYPICAL = ["dyjcb", "scqs", "某检刑诉〔2026〕201号", "", "李某盗窃案", "dqz", "1", "jy", "",
           "20261009", "20261118", "tqgs", "", "y", "", "", ""]
"""A single-person 审查起诉 case: no 统一受案号, detained (JY), not a minor, prosecuted (处理人数
starts as 人数: Enter takes it), with 认罪认罚; the fields after the major-case flag are left as
they come."""
KEYS_BEFORE_PERSONS = 67
"""The keys the same card took before cases had persons (0.3: no 统一受案号, custody, minor or
认罪认罚 fields): counted by this test on that version."""
KEYS_BEFORE_ISSUE_18 = 74
"""The keys it took with the persons' fields (0.4), before 处理人数 started as 人数: never more."""


async def _open_entry(pilot) -> None:  # type: ignore[no-untyped-def]
    await login(pilot, "admin", ADMIN_PW)
    await pilot.press("f8")
    await settle(pilot)  # the code tables arrive from a worker


@pytest.fixture
def folder(store: Store) -> Iterator[StoreDir]:
    with StoreDir(store.paths) as opened:
        yield opened


async def test_three_cards_in_a_row_by_keyboard_only(folder: StoreDir, capsys) -> None:  # type: ignore[no-untyped-def]
    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_entry(pilot)
        assert isinstance(app.screen, CardEntryScreen)
        keys = Keys(pilot)
        await _enter(keys, TYPICAL)
        first = keys.count
        second = TYPICAL.copy()
        second[2], second[4] = "某检刑诉〔2026〕202号", "王某诈骗案"
        second[5] = "zpz"
        await _enter(keys, second, copy_previous=True)
        third = second.copy()
        third[2], third[4], third[12] = "某检刑诉〔2026〕203号", "赵某诈骗案", "2"
        third[6] = "2"
        await _enter(keys, third, copy_previous=True)
        assert "card #3 saved" in screen_text(pilot)
        stored = rows("SELECT case_no, department, business_type, charge, outcome, persons,"
                      " outcome_persons, plea_persons, month, concluded_month, status FROM card"
                      " ORDER BY id")
        people = rows("SELECT card_id, seq, charge, custody, minor, outcome, outcome_kind, plea,"
                      " status FROM card_person ORDER BY card_id, seq")
    assert stored == [
        ("某检刑诉〔2026〕201号", "D01", "SCQS", "C01", "TQGS", 1, 1, 1, "2026-10", "2026-11",
         "submitted"),
        ("某检刑诉〔2026〕202号", "D01", "SCQS", "C02", "TQGS", 1, 1, 1, "2026-10", "2026-11",
         "submitted"),
        ("某检刑诉〔2026〕203号", "D01", "SCQS", "C02", "TQGS", 2, 2, 2, "2026-10", "2026-11",
         "submitted"),
    ]
    assert people == [(1, 1, "C01", "JY", 0, "TQGS", "", 1, "active"),
                      (2, 1, "C02", "JY", 0, "TQGS", "", 1, "active"),
                      (3, 1, "C02", "JY", 0, "TQGS", "", 1, "active"),
                      (3, 2, "C02", "JY", 0, "TQGS", "", 1, "active")]
    with capsys.disabled():
        print(f"\nkeystrokes for a typical card: {first} (each Chinese character counted as one "
              "key, as if typed with an input method's single pick; Enter between fields)")
    assert first <= KEYS_BEFORE_PERSONS + 10
    assert first < KEYS_BEFORE_ISSUE_18


async def test_a_violation_appears_beside_its_field_while_typing(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_entry(pilot)
        keys = Keys(pilot)
        for value in ["dyjcb", "scqs", "某检刑诉〔2026〕301号", "", "孙某案", "dqz", "1", "", "",
                      "20261118", "20261009", "tqgs"]:
            await keys.field(value)
        await settle(pilot)  # the live check runs in a worker
        notes = {n.id: str(n.content) for n in app.screen.query(".card-note").results(Static)}
        assert "R01" in notes["note-concluded_on"]
        assert "concluded date is before the accepted date" in notes["note-concluded_on"]
        assert "R01" in notes["note-accepted_on"]


async def test_unreadable_values_are_not_saved(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_entry(pilot)
        keys = Keys(pilot)
        for value in ["dyjcb", "scqs", "某检刑诉〔2026〕401号", "", "钱某案", "dqz", "two", "",
                      "", "20260230"]:
            await keys.field(value)
        await keys.press("ctrl+s")
        await settle(pilot)
        assert "not saved" in screen_text(pilot)
        notes = {n.id: str(n.content) for n in app.screen.query(".card-note").results(Static)}
        assert "whole number" in notes["note-persons"]
        assert "not a day of the calendar" in notes["note-accepted_on"]
        assert rows("SELECT count(*) FROM card") == [(0,)]


async def test_a_code_field_lists_its_matches_while_typing(folder: StoreDir) -> None:
    app = build_app(folder, lang="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_entry(pilot)
        await pilot.press("k", "g")
        await settle(pilot)  # after the live check too
        note = str(app.screen.query_one("#note-department", Static).content)
        assert "D05 控告申诉检察部" in note
        await pilot.press("x")
        await settle(pilot)
        assert "无匹配项" in str(app.screen.query_one("#note-department", Static).content)


async def test_enter_before_the_code_tables_arrive_takes_the_match_then(
        folder: StoreDir, monkeypatch: pytest.MonkeyPatch) -> None:
    from store.cards import codes
    from store.cards import entry as cards

    read = codes.all_codes
    arrive = threading.Event()

    def held_back(kind: str, include_retired: bool = False) -> list[codes.Code]:
        arrive.wait(10)  # the code tables come when the test says so
        return read(kind, include_retired)

    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        monkeypatch.setattr(codes, "all_codes", held_back)
        monkeypatch.setattr(cards, "validate", lambda *_a, **_k: cards.Checked(None, []))
        await pilot.press("f8")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CardEntryScreen)
        await pilot.press(*"dyjcb", "enter")
        await pilot.pause()
        department = screen.query_one("#department", Input)
        assert department.value == "dyjcb" and screen.focused is department
        arrive.set()
        await settle(pilot)
        assert department.value == "D01" and screen.focused is not department
        assert "First Procuratorial" in screen_text(pilot)


async def test_tab_takes_a_code_fields_match_too(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_entry(pilot)
        await pilot.press(*"dyjcb", "tab")
        await settle(pilot)
        assert app.screen.query_one("#department", Input).value == "D01"
        assert app.screen.focused is app.screen.query_one("#business_type", Input)


async def test_editing_a_card_keeps_its_flag_and_does_not_flag_itself(folder: StoreDir) -> None:
    from dataclasses import replace

    from store.cards import entry as cards
    from tests.test_card_safety import OWN
    from tui.screens.card_entry import CardEntryScreen

    session = folder.unlock("admin", ADMIN_PW)
    card_id, _c = cards.add(session, replace(OWN, major="", major_override="只按金额不作大案"))
    session.close()
    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        app.push_screen(CardEntryScreen(editing=card_review.get(card_id)))
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#major", Input).value == "N"  # none, not automatic
        screen.query_one("#remarks", Input).value = "补充"
        await settle(pilot)  # the live check runs
        assert "another card already has this case number" not in screen_text(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        stored = card_review.get(card_id)
        assert (stored.major, stored.remarks) == ("", "补充")


async def test_names_that_look_like_markup_are_shown_as_typed(folder: StoreDir) -> None:
    from dataclasses import replace

    from store.cards import entry as cards
    from tests.test_cards import TYPED
    from tui.dialogs.card_detail import CardDetailDialog

    session = folder.unlock("admin", ADMIN_PW)
    card_id, _c = cards.add(session, replace(TYPED, case_name="周某[/]盗窃[b]案"))
    card_review.return_card(session, card_id, "核对[/i]人数")
    session.close()
    app = build_app(folder, lang="en")
    async with app.run_test(size=(120, 30)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await pilot.press("f9")
        await settle(pilot)
        assert "周某[/]盗窃[b]案" in screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CardDetailDialog)
        assert "核对[/i]人数" in screen_text(pilot)


async def test_an_older_live_check_never_overwrites_a_newer_one(
        folder: StoreDir, monkeypatch: pytest.MonkeyPatch) -> None:
    from store.cards import entry as cards
    check = cards.validate
    release = threading.Event()

    def slow_for_the_older(typed: cards.CardInput, card_id: int | None = None,
                           live: bool = False) -> cards.Checked:
        if typed.concluded_on == "20261001":  # the older value: its check takes long
            release.wait(10)
        return check(typed, card_id, live=live)

    handled: list[Message] = []
    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 30), message_hook=handled.append) as pilot:
        await _open_entry(pilot)
        screen = app.screen
        assert isinstance(screen, CardEntryScreen)
        for field, value in [("department", "D01"), ("business_type", "SCQS"),
                             ("case_no", "某检刑诉〔2026〕501号"), ("case_name", "周某案"),
                             ("charge", "C01"), ("persons", "1"), ("accepted_on", "20261009")]:
            screen.query_one(f"#{field}", Input).value = value
        await settle(pilot)
        monkeypatch.setattr(cards, "validate", slow_for_the_older)
        concluded = screen.query_one("#concluded_on", Input)
        concluded.value = "20261001"  # before the accepted date (R01), and checked slowly
        await pilot.pause()
        concluded.value = "20261118"  # a good day, typed at once
        await pilot.pause()
        newer = [w for w in app.workers if w.group == "card-check" and not w.is_cancelled]
        await app.workers.wait_for_complete(newer)
        await pilot.pause()
        release.set()  # the older check ends after the newer one was shown
        await settle(pilot)
        assert "R01" not in str(screen.query_one("#note-concluded_on", Static).content)
    verdicts = [m.checked for m in handled if isinstance(m, CardEntryScreen.Validated)]
    assert verdicts[-1].card is not None
    assert str(verdicts[-1].card.concluded_on) == "2026-11-18"
    assert not [p for c in verdicts for p in c.problems if p.code == "R01"]


async def test_an_unexpected_fault_in_the_card_list_is_one_line_and_logged(
        folder: StoreDir, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    from store.cards import listing

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the page broke")

    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        monkeypatch.setattr(listing, "page", broken)
        with caplog.at_level(logging.ERROR, logger="statdesk.tui"):
            await pilot.press("f9")
            await settle(pilot)
        said = [n.message for n in app._notifications if "the page broke" in n.message]
    assert said == ["unexpected error (RuntimeError): the page broke"]
    logged = [r for r in caplog.records if r.name == "statdesk.tui"]
    assert len(logged) == 1 and logged[0].exc_info is not None
    assert logged[0].exc_info[0] is RuntimeError
