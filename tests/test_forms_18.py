"""Forms a clerk fills (issue 18, points 3, 4 and 5), driven by keyboard through Pilot:
Enter on a choice list moves on and what is typed next lands in the next field; Esc on a
changed form asks (keep editing or discard) and writes nothing; after a refusal the field the
cursor returns to has its text selected, so typing replaces it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Select, Static
from textual.widgets._footer import FooterKey

from store import clock, holidays, operators, settings
from store.cards import entry as cards
from store.cards import review as card_review
from store.cards.entry import CardInput
from store.vault.database import rows
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from tests.conftest import ADMIN_PW, Store
from tests.tui_support import login, screen_text, settle, type_into
from tui.app import StatdeskApp, build_app
from tui.dialogs.conclude import ConcludeDialog
from tui.dialogs.form import FormDialog
from tui.dialogs.holiday import HolidayDialog
from tui.dialogs.operators import AddOperatorDialog, DisableDialog
from tui.dialogs.persons import PersonsDialog
from tui.dialogs.unsaved import UnsavedDialog
from tui.screens.first_run import FirstRunScreen
from tui.screens.settings import SettingsScreen
from tui.widgets import Choice

SIZE = (80, 24)
OPEN_CASE = CardInput(department="D01", business_type="SCQS", case_no="某检刑诉〔2026〕61号",
                      case_name="周某盗窃案", charge="C01", persons="2", accepted_on="20261009")


@pytest.fixture
def folder(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[StoreDir]:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(store.paths) as opened:
        yield opened


async def _keys(pilot: Any, text: str) -> None:
    """Type `text` key by key, as a clerk does."""
    await pilot.press(*text)
    await settle(pilot)


async def _holiday_dialog(pilot: Any) -> None:
    await login(pilot, "admin", ADMIN_PW)
    await pilot.press("f5")
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, HolidayDialog)


def _with_an_open_case(folder: StoreDir) -> StatdeskApp:
    """The app on a store holding one accepted card of a case still open (to conclude)."""
    session = folder.unlock("admin", ADMIN_PW)
    card_id, _checked = cards.add(session, OPEN_CASE)
    card_review.accept(session, card_id, True)
    session.close()
    return build_app(folder, lang="en")


async def _card_list(pilot: Any) -> None:
    await login(pilot, "admin", ADMIN_PW)
    await pilot.press("f9")
    await settle(pilot)


def _focused(pilot: Any) -> Any:
    """The widget with the cursor now."""
    return pilot.app.focused


def _footer(pilot: Any) -> list[str]:
    return [str(key.description) for key in pilot.app.screen.query(FooterKey)]


def _selected(control: Input) -> bool:
    """Whether all of the field's text is selected (typing replaces it)."""
    start, end = sorted(control.selection)
    return bool(control.value) and (start, end) == (0, len(control.value))


# --- 4. Enter on a choice list moves on ------------------------------------------------


async def test_enter_on_a_choice_moves_on_and_typing_lands_in_the_next_field(
        folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _holiday_dialog(pilot)
        dialog = app.screen
        await _keys(pilot, "20270101")
        await pilot.press("enter")
        await settle(pilot)
        kind = dialog.query_one("#kind", Choice)
        assert app.focused is kind
        assert "Open list" in _footer(pilot)  # the key that opens it, while it has the cursor
        await pilot.press("enter")  # the kind shown (a holiday) stands: on to the name
        await settle(pilot)
        assert not kind.expanded and kind.value == "holiday"
        assert _focused(pilot) is dialog.query_one("#name", Input)
        await _keys(pilot, "NewYear")
        assert dialog.query_one("#name", Input).value == "NewYear"
        await pilot.press("enter")  # the last field: saved
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert [(d.day, d.kind, d.name) for d in holidays.list_year(2027)] == [
            (date(2027, 1, 1), "holiday", "NewYear")]


async def test_space_opens_the_list_and_esc_closes_only_the_list(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _holiday_dialog(pilot)
        kind = app.screen.query_one("#kind", Choice)
        kind.focus()
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        assert kind.expanded
        await pilot.press("down", "enter")  # the make-up working day picked
        await settle(pilot)
        assert kind.value == "workday" and not kind.expanded and app.focused is kind
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not kind.expanded and isinstance(app.screen, HolidayDialog)


async def test_a_choice_last_in_a_form_saves_on_enter(folder: StoreDir) -> None:
    """A new outcome's form ends with its business type, a choice list: Enter there saves,
    as on a last input (left blank, it is refused there first)."""
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        await pilot.press("t", "t")  # departments, business types, outcomes
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        for typed in ("ZZ9", "TestZh", "TestEn", "zz"):
            await _keys(pilot, typed)
            await pilot.press("enter")
        await settle(pilot)
        parent = app.screen.query_one("#parent", Choice)
        assert app.focused is parent
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is parent and parent.is_blank()
        assert "choose the business type" in screen_text(pilot)  # Enter on it: refused
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("down", "enter")  # the first business type
        await settle(pilot)
        chosen = parent.value
        assert app.focused is parent and not parent.is_blank()
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, FormDialog)
        assert rows("SELECT parent FROM code WHERE code = 'ZZ9'") == [(chosen,)]


async def test_enter_on_a_choice_inside_a_form_goes_to_the_next_field(
        folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AddOperatorDialog)
        role = app.screen.query_one("#role", Choice)
        await _keys(pilot, "wang")
        await pilot.press("enter")
        await _keys(pilot, "WangWu")
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is role
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is app.screen.query_one("#password")
        await _keys(pilot, "wang-password-1")
        await pilot.press("enter")
        await _keys(pilot, "wang-password-1")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, FormDialog)
        assert {o.name: o.role for o in operators.list_operators()}["wang"] == "clerk"


# --- 3. Esc on a changed form asks --------------------------------------------------------


async def test_esc_on_an_unchanged_form_closes_it_at_once(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _holiday_dialog(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)


async def test_esc_on_a_changed_form_asks_keep_keeps_discard_writes_nothing(
        folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _holiday_dialog(pilot)
        dialog = app.screen
        await type_into(pilot, "#day", "20271001", enter=False)
        await type_into(pilot, "#name", "国庆节", enter=False)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedDialog)
        said = screen_text(pilot)
        assert "Changes not saved" in said and "keep editing" in said
        assert "keep as a draft" not in said  # only the card entry keeps drafts
        await pilot.press("escape")  # keep editing: the default
        await settle(pilot)
        assert app.screen is dialog
        assert dialog.query_one("#day", Input).value == "20271001"
        assert dialog.query_one("#name", Input).value == "国庆节"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # Enter keeps editing too
        await settle(pilot)
        assert app.screen is dialog
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")  # discard
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert holidays.list_year(2027) == []


async def test_a_choice_changed_alone_counts_as_a_change(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _holiday_dialog(pilot)
        app.screen.query_one("#kind", Choice).value = "workday"
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedDialog)


async def test_the_draft_answer_is_offered_only_when_asked(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        answers: list[str | None] = []
        await login(pilot, "admin", ADMIN_PW)
        app.push_screen(UnsavedDialog(), answers.append)
        await settle(pilot)
        await pilot.press("s")  # no draft here: the key does nothing
        await settle(pilot)
        assert isinstance(app.screen, UnsavedDialog)
        await pilot.press("escape")
        await settle(pilot)
        app.push_screen(UnsavedDialog(draft=True), answers.append)
        await settle(pilot)
        assert "keep as a draft" in screen_text(pilot)
        await pilot.press("s")
        await settle(pilot)
        app.push_screen(UnsavedDialog(draft=True), answers.append)
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
    assert answers == ["keep", "draft", "discard"]


async def test_esc_on_a_changed_conclusion_asks_and_discard_writes_nothing(
        folder: StoreDir) -> None:
    app = _with_an_open_case(folder)
    async with app.run_test(size=SIZE) as pilot:
        await _card_list(pilot)
        listing = app.screen
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ConcludeDialog)
        await pilot.press("escape")  # nothing typed: closed at once
        await settle(pilot)
        assert app.screen is listing
        await pilot.press("c")
        await settle(pilot)
        await _keys(pilot, "20261120")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConcludeDialog)
        assert app.screen.query_one("#concluded_on", Input).value == "20261120"
        await pilot.press("f6")  # the persons list: Esc on it unchanged closes it at once
        await settle(pilot)
        assert isinstance(app.screen, PersonsDialog)
        await pilot.press("delete")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedDialog)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConcludeDialog)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert app.screen is listing
        assert rows("SELECT concluded_on, outcome FROM card") == [("", "")]


# --- 5. after a refusal, typing replaces the field's text -------------------------------


async def test_a_refused_day_is_selected_and_typing_replaces_it(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _holiday_dialog(pilot)
        await _keys(pilot, "hello")
        await pilot.press("enter", "enter")
        await _keys(pilot, "NewYear")
        await pilot.press("enter")
        await settle(pilot)
        day = app.screen.query_one("#day", Input)
        assert "is not a date" in screen_text(pilot)
        assert app.focused is day and _selected(day)
        await _keys(pilot, "20270101")
        assert day.value == "20270101"  # replaced, not "hello20270101"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert [d.name for d in holidays.list_year(2027)] == ["NewYear"]


async def test_a_field_refused_while_the_cursor_is_in_it_is_selected(folder: StoreDir) -> None:
    """The disable dialog's name typed wrong: the cursor never left the field, and its text
    is selected all the same (focusing alone would select nothing)."""
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("down", "d")
        await settle(pilot)
        assert isinstance(app.screen, DisableDialog)
        await _keys(pilot, "moved")
        await pilot.press("enter")
        await _keys(pilot, "clerc")
        await pilot.press("enter")
        await settle(pilot)
        typed = app.screen.query_one("#typed", Input)
        assert "type clerk exactly" in screen_text(pilot)
        assert app.focused is typed and _selected(typed)
        await _keys(pilot, "clerk")
        assert typed.value == "clerk"


async def test_a_refused_setting_is_selected(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await pilot.press("f5")
        await settle(pilot)
        await type_into(pilot, "#idle_minutes", "abc", enter=False)
        await pilot.press("ctrl+s")
        await settle(pilot)
        idle = app.screen.query_one("#idle_minutes", Input)
        assert app.focused is idle and _selected(idle)
        await _keys(pilot, "15")
        assert idle.value == "15"
        assert settings.get("idle_minutes") == "10"


async def test_a_refused_conclusion_day_is_selected(folder: StoreDir) -> None:
    app = _with_an_open_case(folder)
    async with app.run_test(size=SIZE) as pilot:
        await _card_list(pilot)
        await pilot.press("c")
        await settle(pilot)
        await _keys(pilot, "20261320")
        await pilot.press("ctrl+s")
        await settle(pilot)
        day = app.screen.query_one("#concluded_on", Input)
        assert "not a day of the calendar" in screen_text(pilot)
        assert app.focused is day and _selected(day)


async def test_first_run_passwords_that_differ_are_both_typed_again(tmp_path: Path) -> None:
    """Each password shows only as stars: the clerk cannot tell which one slipped, so both
    are emptied and the cursor goes to the first."""
    paths = DataPaths(tmp_path / "fresh")
    with StoreDir(paths, create=True) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=SIZE) as pilot:
            assert isinstance(app.screen, FirstRunScreen)
            for field, value in (("#unit", "某县院"), ("#admin", "zhang"), ("#display", "张"),
                                 ("#password", "long-password-1")):
                await type_into(pilot, field, value)
            await _keys(pilot, "long-password-2")
            await pilot.press("enter")
            await settle(pilot)
            password = app.screen.query_one("#password", Input)
            assert app.focused is password
            assert password.value == "" and app.screen.query_one("#confirm", Input).value == ""
            error = app.screen.query_one("#password-field .field-error", Static)
            assert "type both again" in str(error.content)
            await _keys(pilot, "long-password-1")
            await pilot.press("enter")
            await _keys(pilot, "long-password-1")
            await pilot.press("enter")
            await settle(pilot)
            assert not isinstance(app.screen, FirstRunScreen)
        assert paths.db.exists()


# --- in Chinese -----------------------------------------------------------------------------


async def test_in_chinese_enter_moves_on_and_esc_asks(folder: StoreDir) -> None:
    app = build_app(folder, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await _holiday_dialog(pilot)
        dialog = app.screen
        await _keys(pilot, "20271001")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert app.focused is dialog.query_one("#name", Input)
        assert dialog.query_one("#kind", Select).value == "holiday"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedDialog)
        said = screen_text(pilot)
        assert "尚未保存" in said and "继续编辑" in said and "放弃" in said
        await pilot.press("escape")
        await settle(pilot)
        dialog.query_one("#kind", Choice).focus()
        await settle(pilot)
        assert "展开列表" in _footer(pilot)
