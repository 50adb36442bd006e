"""The desk by keyboard only, as with a barcode scanner (a number typed, then Enter)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from store import clock
from store.custody import items
from store.vault.database import rows
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, Store
from tests.desk_fixture import setup
from tests.tui_support import login, screen_text, settle
from tui.app import build_app
from tui.screens.desk import DeskScreen
from tui.screens.returns import ReturnsScreen


@pytest.fixture
def folder(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[StoreDir]:
    from datetime import datetime

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(store.paths) as opened:
        session = opened.unlock("admin", ADMIN_PW)
        setup(session)
        session.close()
        yield opened


async def _type(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*text, "enter")
    await settle(pilot)


async def test_lending_and_returning_three_items_by_keyboard(folder: StoreDir) -> None:
    numbers = ["统-2026-0001", "统-2026-0002", "统-2026-0004"]
    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await pilot.press("f11")
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        await _type(pilot, "lwj")  # the borrower; then the mode list
        await pilot.press("space", "down", "enter", "enter")  # lend out
        await settle(pilot)
        await _type(pilot, "借-101")
        await _type(pilot, "zbz")
        await _type(pilot, "cjc")
        await _type(pilot, "2026-12-15")
        for number in numbers:
            await _type(pilot, number)
        await _type(pilot, "统-2026-9999")  # a number that does not exist
        assert "no item numbered 统-2026-9999" in screen_text(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows("SELECT count(*), min(mode), min(due_on) FROM loan WHERE status = 'open'"
                    ) == [(3, "lend", "2026-12-15")]
        assert {items.by_number(n).status for n in numbers} == {"lent"}  # type: ignore[union-attr]
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ReturnsScreen)
        for number in numbers:
            await _type(pilot, number)
        await _type(pilot, numbers[0])  # once more: it is not on loan any longer
        assert "is not on loan" in screen_text(pilot)
        assert rows("SELECT count(*) FROM loan WHERE status = 'open'") == [(0,)]
        assert {items.by_number(n).status for n in numbers} == {"in"}


async def test_a_refusal_names_its_rule_and_puts_the_cursor_there(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await pilot.press("f11")
        await settle(pilot)
        await _type(pilot, "xgaj")  # an external unit: letter, organ and deputy chief
        screen = app.screen
        assert screen.query_one("#row-letter_no").display
        assert not screen.query_one("#row-slip_no").display
        screen.query_one("#item").focus()
        await _type(pilot, "统-2026-0001")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "B2: an external unit needs its introduction letter's number" in \
            screen_text(pilot)
        assert screen.focused is screen.query_one("#letter_no")
        assert rows("SELECT count(*) FROM loan") == [(0,)]


async def test_registering_an_item_and_reading_its_chain(folder: StoreDir) -> None:
    from tests.tui_support import type_into
    from tui.screens.catalogue import CatalogueScreen
    from tui.screens.item_chain import ChainDialog

    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, CatalogueScreen)
        await pilot.press("a")
        await settle(pilot)
        await type_into(pilot, "#title", "2026年11月统计报表")
        await pilot.press("ctrl+s")
        await settle(pilot)
        item = items.by_number("统-2026-0005")
        assert item is not None and item.title == "2026年11月统计报表"
        await type_into(pilot, "#item-search", "11月统计", enter=False)
        await settle(pilot)
        app.screen.query_one("#items").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChainDialog)
        assert "registered" in screen_text(pilot) and "Chain of custody" in screen_text(pilot)


async def test_the_cursor_goes_where_the_clerk_fixes_it(folder: StoreDir) -> None:
    from textual.widgets import Select

    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await pilot.press("f11")
        await settle(pilot)
        screen = app.screen
        await pilot.press(*"李文", "tab")  # part of a name, then Tab: the person is taken
        await settle(pilot)
        assert screen.query_one("#borrower").value == "李文杰"  # type: ignore[attr-defined]
        await pilot.press("space", "down", "enter", "enter")  # lend out
        await _type(pilot, "借-201")
        await _type(pilot, "zbz")
        await _type(pilot, "cjc")
        await _type(pilot, "2026-11-01")  # a due date in the past
        await _type(pilot, "统-2026-0001")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "the due date 2026-11-01 is in the past" in screen_text(pilot)
        assert screen.focused is screen.query_one("#due_on")
        screen.query_one("#due_on").value = "2026-12-01"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows("SELECT count(*) FROM loan") == [(1,)]
        assert screen.query_one("#mode", Select).value == "read"  # back to the default
        await pilot.press("ctrl+r")
        await settle(pilot)
        returns = app.screen
        returns.query_one("#condition", Select).value = "damaged"
        returns.query_one("#item").focus()
        await _type(pilot, "统-2026-0001")  # damaged, but nothing said about it
        assert returns.focused is returns.query_one("#note")
        assert rows("SELECT count(*) FROM loan WHERE status = 'open'") == [(1,)]


async def test_filtering_the_catalogue_and_the_dashboard_panel(folder: StoreDir) -> None:
    from textual.widgets import DataTable, Select

    from store.custody import desk

    session = folder.unlock("admin", ADMIN_PW)
    desk.record(session, desk.Request("lwj", ["统-2026-0002"], "read", slip_no="借-301",
                                      head="zbz"))
    session.close()
    app = build_app(folder, lang="en")
    async with app.run_test(size=(120, 50)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await settle(pilot)
        assert "1 reading open" in screen_text(pilot)  # today's, counted (issue 18, 16)
        assert "from an earlier day" not in screen_text(pilot)
        from datetime import datetime

        # the next morning, the reading is still open
        clock.now = lambda: datetime(2026, 12, 1, 9).astimezone()
        pilot.app.screen.on_screen_resume()  # type: ignore[attr-defined]
        await settle(pilot)
        assert "0 overdue | 0 copies not recovered | 1 reading open, 1 of them from an " \
            "earlier day" in screen_text(pilot)
        await pilot.press("f12")
        await settle(pilot)
        table = app.screen.query_one("#items", DataTable)
        assert table.row_count == 4
        app.screen.query_one("#item-level", Select).value = "confidential"
        await settle(pilot)
        assert table.row_count == 1 and "自侦案件统计" in str(table.get_row_at(0)[1])
        app.screen.query_one("#item-level", Select).clear()
        app.screen.query_one("#item-status", Select).value = "reading"
        await settle(pilot)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == [
            "统-2026-0002"]


async def test_a_duplicate_number_is_said_beside_the_number(folder: StoreDir) -> None:
    from tests.tui_support import type_into

    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await pilot.press("f12")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_into(pilot, "#title", "重复编号的报表", enter=False)
        await type_into(pilot, "#reg_no", "统-2026-0001", enter=False)
        await pilot.press("ctrl+s")
        await settle(pilot)
        field = app.screen.query_one("#reg_no-field")
        assert field.has_class("-invalid") and app.screen.focused is app.screen.query_one(
            "#reg_no")
        assert "already used" in screen_text(pilot)
        assert rows("SELECT count(*) FROM item") == [(4,)]


async def test_a_superseded_load_of_the_catalogue_is_dropped(
        folder: StoreDir, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first search is held in the store until the second one is shown: its answer,
    coming last, is dropped, and the table keeps the second's rows."""
    import asyncio
    import threading

    from textual.widgets import DataTable, Input

    from tui import workers
    from tui.screens import catalogue
    from tui.screens.catalogue import CatalogueScreen

    release, first_answered = threading.Event(), threading.Event()
    held: list[threading.Thread] = []
    search, real_reply = items.search, workers.reply

    def held_search(text: str = "", *args: Any, **kwargs: Any) -> list[items.Item]:
        if text == "统计":  # the first search: held until the second is shown
            held.append(threading.current_thread())
            release.wait(timeout=30)
        return search(text, *args, **kwargs)

    def noted_reply(node: Any, message: Any) -> None:
        real_reply(node, message)
        if threading.current_thread() in held:
            first_answered.set()

    monkeypatch.setattr(items, "search", held_search)
    monkeypatch.setattr(catalogue, "reply", noted_reply)
    app = build_app(folder, lang="en")
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("f12")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, CatalogueScreen)
            table = screen.query_one("#items", DataTable)
            search_box = screen.query_one("#item-search", Input)
            search_box.value = "统计"  # two rows, held in the store
            await pilot.pause()
            search_box.value = "台账"  # one row, at once: the first search is cancelled
            # settle would wait for the held (cancelled) worker: wait for the second's rows
            for _ in range(200):
                if table.row_count == 1:
                    break
                await pilot.pause()
            titles = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
            assert titles == ["2026年自侦大要案台账"]
            release.set()
            assert await asyncio.to_thread(first_answered.wait, 30)
            await settle(pilot)
            assert [str(table.get_row_at(i)[1]) for i in range(table.row_count)] == titles
    finally:
        release.set()
