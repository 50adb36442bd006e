"""The report screen by keyboard: views, the cards behind a figure, confirm, submit, revise."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import DataTable

from store import clock
from store.cards import months
from store.report import submission
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, Store
from tests.report_fixture import CARDS, insert
from tests.tui_support import login, screen_text, settle, type_into
from tui.app import build_app
from tui.screens.card_list import CardListScreen
from tui.screens.report import ReportScreen

NOVEMBER = [c for c in CARDS if c[0] == "2026-11" and c[6] != "submitted"]


@pytest.fixture
def folder(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[StoreDir]:
    from datetime import datetime

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(store.paths) as opened:
        yield opened


def _cell(table: DataTable[object], row: str, column: str) -> str:
    return str(table.get_cell(row, column))


async def test_views_and_the_cards_behind_a_figure(folder: StoreDir) -> None:
    session = folder.unlock("admin", ADMIN_PW)
    insert()
    session.close()
    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await pilot.press("f10")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        table = screen.query_one(DataTable)
        assert _cell(table, "SCQS|TQGS", "cases") == "2"
        assert _cell(table, "|", "cases") == "6" and _cell(table, "|", "percent") == "+50.0%"
        assert "still open" in screen_text(pilot)
        await pilot.press("v")  # year to date
        await settle(pilot)
        assert _cell(table, "|", "cases") == "8"
        await pilot.press("v")  # by department
        await settle(pilot)
        assert _cell(table, "|", "D06:cases") == "1" and _cell(table, "|", "cases") == "6"
        await pilot.press("v", "v")  # reconciliation, then back to the month
        await settle(pilot)
        table.move_cursor(row=table.get_row_index("SCQS|TQGS"),
                          column=table.get_column_index("cases"))
        await pilot.press("enter")
        await settle(pilot)
        listed = app.screen
        assert isinstance(listed, CardListScreen) and listed.current is not None
        assert [r.business_type for r in listed.current.rows] == ["SCQS", "SCQS"]
        assert {r.status for r in listed.current.rows} == {"accepted"}
        assert "cards behind 2026-11 SCQS TQGS" in screen_text(pilot)


async def test_confirm_submit_and_revise_by_keyboard(folder: StoreDir) -> None:
    session = folder.unlock("admin", ADMIN_PW)
    insert(NOVEMBER + [("2026-10", "D01", "SCQS", "TQGS", 1, 1, "reported")] * 10)
    session.close()
    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await pilot.press("f10")
        await settle(pilot)
        assert "not yet confirmed: D01, D02, D03, D04, D05, D06" in screen_text(pilot)
        for _department in range(6):  # the dialog offers the next unconfirmed one
            await pilot.press("c")
            await settle(pilot)
            await type_into(pilot, "#who", "刘内勤")
            await type_into(pilot, "#day", "20261126")
            await settle(pilot)
        assert all(d.current for d in submission.departments("2026-11"))
        await pilot.press("s")
        await settle(pilot)
        await type_into(pilot, "#to", "市人民检察院")
        await type_into(pilot, "#note", "")
        await type_into(pilot, "#swing", "")  # the note is missing: refused, nothing locked
        assert "explain them in a note" in screen_text(pilot)
        assert months.locked() == frozenset()
        await type_into(pilot, "#swing", "十月集中办结积案")
        await settle(pilot)
        assert "2026-11" in months.locked()
        assert "submitted to 市人民检察院" in screen_text(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert "nothing changed since revision 1" in screen_text(pilot)
        await pilot.press("escape", "w")
        await settle(pilot)
        written = sorted(p.name for p in folder.paths.exports.iterdir())
        assert written == ["report-2026-11-r1.docx", "report-2026-11.docx"]


async def test_an_empty_month_and_a_bad_month_on_screen(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await pilot.press("f10")
        await settle(pilot)
        assert "no accepted cards this month" in screen_text(pilot)
        assert "still open" in screen_text(pilot)
        await type_into(pilot, "#report-month", "0001-01")
        assert "a month looks like 2026-11" in screen_text(pilot)
        await type_into(pilot, "#report-month", "2026-13")
        assert "a month looks like 2026-11" in screen_text(pilot)
