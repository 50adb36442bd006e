"""The clerk's day on 7 December (issue 18): F10 opens on the month that is due next and `b`
writes that month's briefings, each deadline says which month it wants, the dashboard's counts
and states mean what they say on the day, a clerk's F4 / F5 says it is for administrators, and
people are named by their names (王管理), not their logins (`admin`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from store import clock, i18n
from store.cards import codes
from store.custody import desk
from store.report import deadlines, submission
from store.report import figures as report
from store.vault.database import execute
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, CLERK_PW, Store
from tests.desk_fixture import setup
from tests.report_fixture import Case, insert_cases, write
from tests.tui_support import login, screen_text, settle
from tui.app import build_app
from tui.screens.dashboard import DashboardScreen
from tui.screens.report import ReportScreen

SEVENTH = datetime(2026, 12, 7, 9, 30).astimezone()
"""Monday 7 December 2026: November's report not submitted, its briefings of the 2nd and the
6th overdue."""


@pytest.fixture
def folder(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[StoreDir]:
    monkeypatch.setattr(clock, "now", lambda: SEVENTH)
    with StoreDir(store.paths) as opened:
        session = opened.unlock("admin", ADMIN_PW)
        insert_cases()  # cards of October and November, none submitted
        session.close()
        yield opened


def _notes(app: object) -> list[str]:
    return [n.message for n in app._notifications]  # type: ignore[attr-defined]


def _submit(folder: StoreDir, month: str) -> None:
    session = folder.unlock("admin", ADMIN_PW)
    execute("UPDATE card SET status = 'accepted' WHERE month = ? AND status = 'submitted'",
            (month,))  # reviewed
    for state in submission.departments(month):
        submission.confirm(session, month, state.department, "部门内勤", "2026-12-01")
    submission.submit(session, month, "市人民检察院", swing_note="季节性变化")
    session.close()


# --- point 10: F10 opens on the month due next; the deadlines say which month ---------------


async def test_f10_opens_on_november_until_it_is_submitted(folder: StoreDir,
                                                          tmp_path: Path) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(120, 50)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await settle(pilot)
        shown = screen_text(pilot)
        # the briefings want November's report, the cards and the report December's own
        assert "leaders: the other business tables (2026-11; C12)" in shown
        assert "leaders: main business situation and the ledger of major self-investigated " \
               "cases (2026-11; C12)" in shown
        assert "departments' case cards due (2026-12; C4)" in shown
        assert "the unit's report and its case information go up, after reconciliation " \
               "(2026-12; C5)" in shown
        await pilot.press("f10")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        assert screen.month == "2026-11"
        assert screen.query_one("#report-month", Input).value == "2026-11"
        assert screen.data is not None and screen.data.report.month == "2026-11"
        await pilot.press("b")
        await settle(pilot)
        written = sorted(p.name for p in (folder.paths.root / "exports").glob("*.docx"))
        assert written == ["briefing-main-2026-11.docx", "briefing-tables-2026-11.docx"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        state = {d.key: d.state for d in deadlines.calendar(clock.today()).deadlines}
        assert state["briefing-main"] == "done" and state["briefing-tables"] == "done"
    _submit(folder, "2026-11")
    app = build_app(folder, lang="en")
    async with app.run_test(size=(120, 50)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen) and app.screen.month == "2026-12"


async def test_the_deadlines_say_their_month_in_chinese(folder: StoreDir) -> None:
    app = build_app(folder, lang="zh")
    async with app.run_test(size=(120, 50)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await settle(pilot)
        shown = screen_text(pilot)
        assert "向领导报送其他业务报表（2026 年 11 月份；C12）" in shown
        assert "各部门案件登记卡交齐（2026 年 12 月份；C4）" in shown
        assert "每月加密备份（C8）" in shown  # no month of its own; Chinese brackets
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen) and app.screen.month == "2026-11"


def test_the_month_due_next(folder: StoreDir, monkeypatch: pytest.MonkeyPatch) -> None:
    session = folder.unlock("admin", ADMIN_PW)
    assert deadlines.report_month(clock.today()) == "2026-11"
    wanted = {d.key: d.month for d in deadlines.calendar(clock.today()).deadlines}
    assert wanted["briefing-main"] == wanted["briefing-tables"] == "2026-11"
    assert wanted["cards"] == wanted["report"] == "2026-12" and wanted["backup"] == ""
    session.close()
    _submit(folder, "2026-11")
    folder.unlock("admin", ADMIN_PW)
    assert deadlines.report_month(clock.today()) == "2026-12"


def test_a_store_begun_this_month_opens_on_it(store: Store,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: SEVENTH)
    with StoreDir(store.paths) as folder:
        folder.unlock("admin", ADMIN_PW)
        assert deadlines.report_month(clock.today()) == "2026-12"  # no November card


# --- point 13: a clerk's F4 / F5 -------------------------------------------------------------


@pytest.mark.parametrize(("lang", "operators", "settings"), [
    ("en", "Operators is for administrators: log in as an administrator to open it.",
     "Settings is for administrators: log in as an administrator to open it."),
    ("zh", "「操作员」仅限管理员使用：请以管理员身份登录后打开。",
     "「设置」仅限管理员使用：请以管理员身份登录后打开。")])
async def test_a_clerk_pressing_an_administrators_key_is_told(
        folder: StoreDir, lang: str, operators: str, settings: str) -> None:
    app = build_app(folder, lang=lang)
    async with app.run_test(size=(120, 50)) as pilot:
        await login(pilot, "clerk", CLERK_PW)
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert _notes(app)[-1] == operators
        await pilot.press("f9")  # from another screen too
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert _notes(app)[-1] == settings
        assert type(app.screen).__name__ == "CardListScreen"
    i18n.set_language("en")


async def test_an_administrator_still_opens_them(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(120, 50)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert type(app.screen).__name__ == "SettingsScreen"
        assert not any("administrators" in n for n in _notes(app))
        footer_keys = [k.binding.key for k in app.screen.active_bindings.values()
                       if not k.binding.description and k.binding.show]
        assert footer_keys == []  # the clerks' keys never show in a footer


# --- point 16: the dashboard on 7 December ---------------------------------------------------


@pytest.mark.parametrize(("lang", "reading", "cards", "done"), [
    ("en", "1 reading open", "departments' case cards due (2026-12; C4)", "done"),
    ("zh", "查阅中 1", "各部门案件登记卡交齐（2026 年 12 月份；C4）", "完成")])
async def test_the_dashboard_counts_what_is_open_today(
        folder: StoreDir, lang: str, reading: str, cards: str, done: str) -> None:
    session = folder.unlock("admin", ADMIN_PW)
    numbers = setup(session)
    desk.record(session, desk.Request("lwj", [numbers["volume"]], "read", slip_no="借-301",
                                      head="zbz"))  # read in the room, today
    # every department has a card in December already: the 25th has not come
    write([Case("2026-12", c.code, "SCQS") for c in codes.all_codes("department")])
    session.close()
    app = build_app(folder, lang=lang)
    async with app.run_test(size=(120, 50)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await settle(pilot)
        shown = screen_text(pilot)
        assert reading in shown  # not "0 left open": today's reading is open
        line = next(x for x in shown.splitlines() if cards in x)
        assert done not in line.split(cards)[0]  # due, not done, before the cut-off day
        state = {d.key: d.state for d in deadlines.calendar(clock.today()).deadlines}
        assert state["cards"] == "due" and deadlines.missing_departments("2026-12") == []
    i18n.set_language("en")


def test_cards_are_done_from_the_cut_off_day(folder: StoreDir,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    folder.unlock("admin", ADMIN_PW)
    write([Case("2026-12", c.code, "SCQS") for c in codes.all_codes("department")])
    cutoff = next(d.day for d in deadlines.calendar(clock.today()).deadlines
                  if d.key == "cards")
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, cutoff.day, 17).astimezone())
    assert {d.key: d.state for d in deadlines.calendar(clock.today()).deadlines}["cards"] == \
        "done"


# --- point 15: names, not logins -------------------------------------------------------------


async def test_people_are_named_by_their_names(folder: StoreDir) -> None:
    _submit(folder, "2026-11")
    app = build_app(folder, lang="en")
    async with app.run_test(size=(120, 50)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await settle(pilot)
        shown = screen_text(pilot)
        assert "Operator: 王管理, administrator" in shown and "(admin)" not in shown
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("p")  # November, submitted
        await settle(pilot)
        assert "by 王管理, revision 1" in screen_text(pilot)
        assert "by admin" not in screen_text(pilot)
        await pilot.press("f3")
        await settle(pilot)
        table = app.screen.query_one("#audit-table", DataTable)
        actors = {str(table.get_row_at(n)[2]) for n in range(table.row_count)}
        assert "王管理" in actors and "admin" not in actors
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "王管理 (admin)" in screen_text(pilot)  # the login beside the name, in the entry


def test_the_built_report_names_the_submitter(folder: StoreDir) -> None:
    _submit(folder, "2026-11")
    folder.unlock("clerk", CLERK_PW)
    done = submission.revisions("2026-11")
    assert done[0].by == "admin" and done[0].by_name == "王管理"
    assert report.check_month("2026-11") == "2026-11"
