"""The report screen by keyboard: per business type 旧存, 新收, 受理, 审结 by outcome, 未结,
退查 and 重报, this month and the year to date in 件 and 人; the rates with their formulas and
what the checks found under the table; the cards behind a figure or a finding; confirm,
submit, revise."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import DataTable, OptionList

from store import clock
from store.cards import months
from store.report import submission
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, Store
from tests.report_fixture import CASES, Case, P, behind, insert_cases, write
from tests.tui_support import login, screen_text, settle, type_into
from tui.app import build_app
from tui.screens.card_list import CardListScreen
from tui.screens.report import ReportScreen

MONTH = ("2026-11", "2026-11")


@pytest.fixture
def folder(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[StoreDir]:
    from datetime import datetime

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(store.paths) as opened:
        yield opened


def _cell(table: DataTable[object], row: str, column: str) -> str:
    return str(table.get_cell(row, column))


def _row(table: DataTable[object], row: str) -> list[str]:
    return [str(c) for c in table.get_row(row)]


async def _report(pilot, app) -> tuple[ReportScreen, DataTable[object]]:  # type: ignore[no-untyped-def]
    await login(pilot, "admin", ADMIN_PW)
    await pilot.press("f10")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ReportScreen)
    if screen.month == "2026-10":  # F10 opens on October, due first (not submitted)
        await pilot.press("n")
        await settle(pilot)
    assert screen.month == "2026-11"
    return screen, screen.query_one("#report-table", DataTable)


async def _enter_on(pilot, table: DataTable[object], row: str, column: str) -> CardListScreen:  # type: ignore[no-untyped-def]
    table.focus()
    table.move_cursor(row=table.get_row_index(row), column=table.get_column_index(column))
    await pilot.press("enter")
    await settle(pilot)
    listed = pilot.app.screen
    assert isinstance(listed, CardListScreen) and listed.current is not None
    return listed


async def test_the_lines_of_a_business_type_this_month_and_the_year_to_date(
        folder: StoreDir) -> None:
    session = folder.unlock("admin", ADMIN_PW)
    insert_cases()
    session.close()
    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        _screen, table = await _report(pilot, app)
        columns = [str(c.label) for c in table.columns.values()]
        assert columns == ["Item", "Month\ncases", "Month\npersons", "Month\nYoY", "YTD\ncases",
                           "YTD\npersons", "YTD\nYoY"]
        # 审查逮捕 this month: 3 carried over (4 persons) + 2 new (4) = 5 received (8);
        # 3 concluded (5 persons: 3 arrested, 2 not), 2 open (3); then the year to date
        assert _row(table, "SCDB:old") == ["\u3000carried over (start)", "3", "4", "-", "1",
                                           "1", "-"]
        assert _row(table, "SCDB:new")[1:4] == ["2", "4", "-"]
        assert _row(table, "SCDB:received")[1:3] == ["5", "8"]
        assert _row(table, "SCDB:concluded")[1:3] == ["3", "5"]
        assert _row(table, "SCDB:concluded/PZDB") == ["\u3000\u3000arrest approved", "2", "3",
                                                      "-", "2", "3", "+100.0%"]
        # three suspects, two arrested: the third counts under 不批准逮捕, not lost
        assert _row(table, "SCDB:concluded/BPDB")[1:3] == ["1", "2"]
        # 未结 is a stock as of the month's end: the year to date's is the month's, not a sum
        assert _row(table, "SCDB:open") == ["\u3000open (end)", "2", "3", "-", "2", "3", "-"]
        # 退查 does not conclude: the case returned this month stays in 未结
        assert _row(table, "SCQS:returned")[1:3] == ["1", "1"]
        assert _row(table, "SCQS:resent")[1:3] == ["1", "2"]
        assert _row(table, "SCQS:open")[1:3] == ["1", "1"]
        assert _row(table, "SCQS:new")[1:4] == ["3", "3", "+200.0%"]
        # 合计 (全口径) in 件 only: no persons added across the stages
        for key, cases in (("all:new", "5"), ("all:concluded", "6"), ("all:open", "3")):
            row = _row(table, key)
            assert row[1] == cases and row[2] == "" and row[5] == "", (key, row)
        assert _row(table, "all:new")[4] == "10"
        labels = [str(row[0]) for row in (table.get_row_at(n) for n in range(table.row_count))]
        assert "Review of arrest" in labels and "Total, all business types (cases only)" in labels
        assert not any("not yet concluded" in label for label in labels)  # 未办结 is gone
        shown = screen_text(pilot)
        assert "non-arrest rate = persons not approved for arrest / (persons approved for " \
               "arrest + persons not approved for arrest): month 40.0%; YTD 40.0%" in shown
        assert "pre-trial detention rate = persons approved for arrest / (persons prosecuted" \
               " + persons not prosecuted): month 75.0%; YTD" in shown
        assert "Stocks, never added up: the start is 2026-10-25 (this month) and " \
               "2025-12-25 (year to date); the end is 2026-11-25." in shown
        assert "OK The checks K01, K02, K03, K04, K06, K07 find nothing." in shown


async def test_the_cards_behind_a_figure(folder: StoreDir) -> None:
    session = folder.unlock("admin", ADMIN_PW)
    insert_cases()
    expected = behind(*MONTH)
    year = behind("2026-01", "2026-11")
    last_year = behind("2025-11", "2025-11")
    session.close()
    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        _screen, table = await _report(pilot, app)
        for row, column, wanted, said in [
                ("SCDB:concluded/BPDB", "month:cases", expected[("", "SCDB:concluded/BPDB")],
                 "2026-11 Review of arrest concluded arrest not approved"),
                ("SCDB:old", "ytd:cases", year[("", "SCDB:old")],
                 "2026-01~2026-11 Review of arrest carried over"),
                ("SCQS:returned", "month:persons", expected[("", "SCQS:returned")],
                 "2026-11 Review for prosecution returned for investigation"),
                ("SCQS:new", "month:change", last_year[("", "SCQS:new")],
                 "2025-11 Review for prosecution new")]:
            listed = await _enter_on(pilot, table, row, column)
            assert {r.id for r in listed.current.rows} == wanted, row  # type: ignore[union-attr]
            assert f"cards behind {said}" in screen_text(pilot)
            await pilot.press("escape")
            await settle(pilot)
        table.move_cursor(row=table.get_row_index("all:open"), column=0)
        await pilot.press("enter")  # a label: nothing behind it
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)


async def test_what_a_check_finds_is_listed_and_leads_to_its_cases(folder: StoreDir) -> None:
    session = folder.unlock("admin", ADMIN_PW)
    insert_cases()
    adult = write([Case("2026-11", "D02", "SCQS", (P("BQS", kind="FTJ"),), "2026-11")])
    session.close()
    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        screen, _table = await _report(pilot, app)
        found = screen.query_one("#report-checks", OptionList)
        said = str(found.get_option_at_index(0).prompt)
        assert said.startswith("X K06 conditional non-prosecution only for minors (YTD): ")
        assert "(附条件不起诉) to an adult" in said
        assert "find nothing" not in screen_text(pilot)
        found.focus()
        found.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        listed = app.screen
        assert isinstance(listed, CardListScreen) and listed.current is not None
        assert [r.id for r in listed.current.rows] == adult


async def test_the_other_views(folder: StoreDir) -> None:
    session = folder.unlock("admin", ADMIN_PW)
    insert_cases()
    session.close()
    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        screen, table = await _report(pilot, app)
        await pilot.press("v")  # by department
        await settle(pilot)
        assert _cell(table, "SCQS:concluded", "dept:D02:cases") == "2"
        assert _cell(table, "SCQS:concluded", "dept:D02:persons") == "2"
        assert _cell(table, "SCQS:concluded", "dept::cases") == "3"
        assert _cell(table, "all:new", "dept::persons") == ""
        assert not screen.query_one("#report-under").display
        listed = await _enter_on(pilot, table, "SCQS:concluded", "dept:D02:cases")
        assert {r.department for r in listed.current.rows} == {"D02"}  # type: ignore[union-attr]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("v")  # reconciliation
        await settle(pilot)
        assert "not yet" in screen_text(pilot)
        await pilot.press("v")  # twelve months
        await settle(pilot)
        assert _row(table, "month:2026-11") == ["2026-11", "5", "6", "3"]
        assert table.row_count == 12
        listed = await _enter_on(pilot, table, "month:2026-11", "trend:concluded")
        assert len(listed.current.rows) == 6  # type: ignore[union-attr]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("v")  # back to the month
        await settle(pilot)
        assert screen.query_one("#report-under").display


async def test_confirm_submit_and_revise_by_keyboard(folder: StoreDir) -> None:
    session = folder.unlock("admin", ADMIN_PW)
    insert_cases([c for c in CASES if c.status != "submitted"]
                 + [Case("2026-10", "D01", "SCQS", (P("TQGS"),), "2026-10",
                         status="reported")] * 10)
    session.close()
    app = build_app(folder, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await _report(pilot, app)
        listed = [d.department for d in submission.departments("2026-11")]
        assert f"not yet confirmed: {', '.join(listed)}" in screen_text(pilot)
        for _department in listed:  # the dialog offers the next unconfirmed one
            await pilot.press("c")
            await settle(pilot)
            await type_into(pilot, "#who", "刘内勤")
            await type_into(pilot, "#day", "20261126")
            await settle(pilot)
        assert all(d.current for d in submission.departments("2026-11"))
        await pilot.press("s")
        await settle(pilot)
        assert "Statistical month 2026-11: 5 cases received, 6 concluded, 3 open at its end" \
               in screen_text(pilot)
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
        await _report(pilot, app)
        assert "no cases received, concluded or open this month" in screen_text(pilot)
        assert "still open" in screen_text(pilot)
        await type_into(pilot, "#report-month", "0001-01")
        assert "a month looks like 2026-11" in screen_text(pilot)
        await type_into(pilot, "#report-month", "2026-13")
        assert "a month looks like 2026-11" in screen_text(pilot)


async def test_the_report_at_80_by_24_in_chinese(folder: StoreDir) -> None:
    session = folder.unlock("admin", ADMIN_PW)
    insert_cases()
    session.close()
    app = build_app(folder, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        _screen, table = await _report(pilot, app)
        assert [str(c.label) for c in table.columns.values()][1:4] == ["本月\n件", "本月\n人",
                                                                        "本月\n同比"]
        assert _row(table, "SCDB:old")[0] == "\u3000旧存（截至期初）"
        assert _row(table, "SCDB:open")[0] == "\u3000未结（截至期末）"
        shown = screen_text(pilot)
        assert "不捕率 = 不批准逮捕人数 / (批准逮捕人数 + 不批准逮捕人数)：本月 40.0%；累计 40.0%" \
               in shown
        assert "存量不累加：期初本月截至2026-10-25、累计截至2025-12-25；期末截至2026-11-25。" \
               in shown
        # every figure column and the label column in view at 80 columns
        width = sum(c.get_render_width(table) for c in table.columns.values())
        assert width <= 80 - 4
        assert table.size.height >= 10
