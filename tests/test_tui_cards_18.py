"""Issue 18 on the card entry and the card view, in both languages: 处理人数 starts as 人数
and an outcome with no person is R31 (2); Esc on a changed card asks and can keep a draft
(3); the outcome shows candidates while typed (6); messages keep their text at 80 columns
(7); Enter on the last field saves (8); what is typed is checked at once (9); an edit looks
like an edit (14); the card view lists the problems and says stored values in words (17)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from textual.widgets import Input, Static

from store import clock
from store.cards import drafts
from store.cards import entry as cards
from store.cards import review as card_review
from store.vault.database import rows
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, Store
from tests.tui_support import login, screen_text, settle, type_into
from tui import glyphs
from tui.app import build_app
from tui.dialogs.card_detail import CardDetailDialog
from tui.dialogs.unsaved import UnsavedDialog
from tui.screens.card_entry import CardEntryScreen


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())


@pytest.fixture
def folder(store: Store) -> Iterator[StoreDir]:
    with StoreDir(store.paths) as opened:
        yield opened


async def _open_entry(pilot: Any) -> CardEntryScreen:
    await login(pilot, "admin", ADMIN_PW)
    await pilot.press("f8")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CardEntryScreen)
    return screen


async def _fields(pilot: Any, values: list[tuple[str, str]]) -> None:
    """Each value typed into its field, then Enter (as the clerk's keys would)."""
    for field, value in values:
        box = pilot.app.screen.query_one(f"#{field}", Input)
        box.focus()
        await pilot.pause()
        box.value = value
        await pilot.press("enter")
    await settle(pilot)


def _note(pilot: Any, field: str) -> str:
    return str(pilot.app.screen.query_one(f"#note-{field}", Static).content)


CARD = [("department", "D01"), ("business_type", "SCQS"),
        ("case_no", "某检刑诉〔2026〕801号"), ("case_name", "冯某盗窃案"), ("charge", "C01"),
        ("persons", "2"), ("accepted_on", "20261009"), ("concluded_on", "20261118")]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_outcome_persons_start_as_the_persons_and_none_is_r31(
        folder: StoreDir, lang: str) -> None:
    app = build_app(folder, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_entry(pilot)
        await _fields(pilot, [*CARD, ("outcome", "tqgs")])
        assert screen.query_one("#outcome_persons", Input).value == "2"
        assert screen.focused is screen.query_one("#outcome_persons", Input)
        await pilot.press("1")  # typed over: the value was selected
        assert screen.query_one("#outcome_persons", Input).value == "1"
        # persons and an outcome that nobody has: a named rule says so beside 处理人数
        # (R27 first, which names the persons without one; R31 is counted with it)
        screen.query_one("#outcome_persons", Input).value = "0"
        await settle(pilot)
        note = _note(pilot, "outcome_persons")
        assert "R27" in note or "R31" in note
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows("SELECT outcome, outcome_persons, problems > 0 FROM card") == [("TQGS", 0, 1)]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_outcome_shows_candidates_while_typed_and_judges_a_chosen_one(
        folder: StoreDir, lang: str) -> None:
    app = build_app(folder, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_entry(pilot)
        await _fields(pilot, CARD)
        screen.query_one("#outcome", Input).focus()
        await pilot.pause()
        for typed in (["提"] if lang == "zh" else ["p", "r", "o", "s", "e"]):
            await pilot.press(typed)
            await settle(pilot)
            assert "R02" not in _note(pilot, "outcome")
        shown = "TQGS 提起公诉" if lang == "zh" else "TQGS prosecuted"
        assert shown in _note(pilot, "outcome")
        screen.query_one("#outcome", Input).value = ""
        await pilot.press(*"tqgs")
        await settle(pilot)
        assert shown in _note(pilot, "outcome") and "R02" not in _note(pilot, "outcome")
        screen.query_one("#outcome", Input).value = "YSQS"  # chosen, and not of 审查起诉
        await pilot.press("enter")
        await settle(pilot)
        assert "R02" in _note(pilot, "outcome")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_at_80_columns_a_message_shows_its_text_wrapped(
        folder: StoreDir, lang: str) -> None:
    app = build_app(folder, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_entry(pilot)
        await _fields(pilot, [("case_no", "2026-1")])
        note = pilot.app.screen.query_one("#note-case_no", Static)
        text = str(note.content)
        assert "R06" in text and ("looks like" if lang == "en" else "案号") in text
        assert note.region.height >= 2  # wrapped under itself, not cut to the code
        assert note.region.right <= 80


async def test_typed_values_are_checked_before_the_required_fields_are_filled(
        folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_entry(pilot)
        await _fields(pilot, [("accepted_on", "20261118"), ("concluded_on", "20261009")])
        assert "R01" in _note(pilot, "concluded_on")
        assert "required" not in screen_text(pilot)  # said only on saving
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "required" in _note(pilot, "department")


async def test_enter_on_the_last_field_saves(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_entry(pilot)
        await _fields(pilot, [*CARD, ("outcome", "TQGS"), ("remarks", "核对")])
        assert rows("SELECT case_no, remarks, outcome_persons FROM card") == [
            ("某检刑诉〔2026〕801号", "核对", 2)]
        assert "card #1 saved" in screen_text(pilot)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_esc_on_a_changed_card_asks_and_a_draft_survives_a_lock(
        folder: StoreDir, lang: str) -> None:
    app = build_app(folder, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_entry(pilot)
        await pilot.press("escape")  # unchanged: closes as before
        await settle(pilot)
        assert not isinstance(app.screen, CardEntryScreen | UnsavedDialog)
        screen = await _reopen(pilot)
        await _fields(pilot, CARD[:4])
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "UnsavedDialog"
        await pilot.press("escape")  # keep editing
        await settle(pilot)
        assert app.screen is screen
        assert screen.query_one("#case_name", Input).value
        await pilot.press("escape", "s")  # keep as a draft
        await settle(pilot)
        assert not isinstance(app.screen, CardEntryScreen | UnsavedDialog)
        assert rows("SELECT state, case_name FROM card_draft") == [("kept", "冯某盗窃案")]
        await pilot.press("ctrl+l")  # a lock: the store is closed
        await settle(pilot)
        await type_into(pilot, "#lock-password", ADMIN_PW)
        screen = await _reopen(pilot)
        offered = str(screen.query_one("#card-status", Static).content)
        assert ("Ctrl+R takes it up" if lang == "en" else "按 Ctrl+R 取出") in offered
        assert "card-drafts" in {b.binding.id for b in screen.active_bindings.values()}
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.query_one("#case_no", Input).value == "某检刑诉〔2026〕801号"
        await _fields(pilot, CARD[4:])
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows("SELECT state, card_id FROM card_draft") == [("used", 1)]
        assert "card-drafts" not in {b.binding.id for b in screen.active_bindings.values()}


async def _reopen(pilot: Any) -> CardEntryScreen:
    await pilot.press("f8")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CardEntryScreen)
    return screen


async def test_a_draft_taken_up_can_be_discarded(folder: StoreDir) -> None:
    session = folder.unlock("admin", ADMIN_PW)
    drafts.save(session, cards.CardInput(department="D01", case_no="某检刑诉〔2026〕802号"))
    session.close()
    app = build_app(folder, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_entry(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.query_one("#department", Input).value == "D01"
        await pilot.press("escape", "d")
        await settle(pilot)
        assert rows("SELECT state FROM card_draft") == [("discarded",)]
        assert not isinstance(app.screen, CardEntryScreen)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_editing_a_card_looks_like_editing(folder: StoreDir, lang: str) -> None:
    from tests.test_cards import TYPED

    session = folder.unlock("admin", ADMIN_PW)
    card_id, _c = cards.add(session, TYPED)
    session.close()
    app = build_app(folder, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        app.push_screen(CardEntryScreen(editing=card_review.get(card_id)))
        await settle(pilot)
        screen = app.screen
        title = "Edit card" if lang == "en" else "修改登记卡"
        assert screen.sub_title == f"{title} 某检刑诉〔2026〕101号"
        shown = {b.binding.id for b in screen.active_bindings.values() if b.binding.show}
        assert "card-save-edit" in shown
        assert not {"card-save", "card-copy", "card-drafts"} & shown
        screen.query_one("#remarks", Input).value = "补充"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert card_review.get(card_id).remarks == "补充"
        # a new card keeps its keys
        await pilot.press("f8")
        await settle(pilot)
        ids = {b.binding.id for b in app.screen.active_bindings.values()}
        assert {"card-save", "card-copy"} <= ids and "card-save-edit" not in ids


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_card_view_lists_its_problems_and_says_values_in_words(
        folder: StoreDir, lang: str) -> None:
    from tests.test_card_safety import OWN

    session = folder.unlock("admin", ADMIN_PW)
    card_id, checked = cards.add(session, replace(OWN, major="both", major_override="院定"))
    card_review.return_card(session, card_id, "核对金额")
    session.close()
    assert checked.problems
    app = build_app(folder, lang=lang)
    async with app.run_test(size=(120, 50)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CardDetailDialog)
        text = screen_text(pilot)
        for problem in checked.problems:
            assert problem.code in text
        if lang == "en":
            assert "both 大案要案" in text and f"Status: entered {glyphs.TO} returned" in text
        else:
            assert "大案要案" in text and "状态" in text
            assert "both" not in text and "submitted" not in text and "returned" not in text
