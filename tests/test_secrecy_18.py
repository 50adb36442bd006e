"""Issue 18 on the secrecy screens, by keyboard at 80×24 in English and Chinese: the cursor
stays on the row acted on (point 1), person fields take names (12), damaged copies and the
check-in (21), incidents found again (23), closing names the open lines (24), and the smaller
secrecy items of point 26."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from textual.widgets import DataTable

from store import clock, holidays
from store.custody import desk, incidents, items
from store.secrecy import checks
from store.secrecy import register as secrecy
from store.vault.folder import StoreDir
from tests import secrecy_fixture
from tests.conftest import ADMIN_PW, Store
from tests.tui_support import login, screen_text, settle
from tui.app import build_app
from tui.dialogs.confirm import ConfirmDialog
from tui.screens.checklist import ChecklistScreen
from tui.screens.checks import ChecksScreen
from tui.screens.incidents import IncidentsScreen
from tui.screens.register import RegisterScreen


@pytest.fixture
def folder(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[StoreDir]:
    """The fixture's people and five copies, 6 reports in two cabinets; no holiday entered;
    one report lent to 李文杰."""
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(store.paths) as opened:
        session = opened.unlock("admin", ADMIN_PW)
        secrecy_fixture.setup(session)
        reports = [items.register(session, f"2026年{n + 1}月统计报表", "report", "internal",
                                  location=f"{'AB'[n % 2]}柜-1层") for n in range(6)]
        desk.record(session, desk.Request("lwj", [reports[0].reg_no], "lend", slip_no="9",
                                          head="zbz", approver="cjc", due_on="2026-12-10"))
        session.close()
        yield opened


async def _keys(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def _row_key(app) -> str:  # type: ignore[no-untyped-def]
    table = app.screen.query_one(DataTable)
    return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_register_keeps_its_cursor_and_takes_names(folder: StoreDir,
                                                              lang: str) -> None:
    app = build_app(folder, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await _keys(pilot, "f12", "r")
        assert isinstance(app.screen, RegisterScreen)
        await _keys(pilot, "down", "down")
        chosen = _row_key(app)
        await _keys(pilot, "t", "escape")  # a dialog opened and left: the same copy
        assert _row_key(app) == chosen
        await _keys(pilot, "d", *"王部长", "enter", "enter")  # a name, not a code
        copy = secrecy.copy(int(chosen))
        assert (copy.status, copy.holder) == ("distributed", "王部长")
        assert _row_key(app) == chosen  # acted on: the cursor stays on it
        assert app.screen.query_one(DataTable).cursor_row == 2


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_receive_form_reads_as_examples_and_refuses_blanks(folder: StoreDir,
                                                                      lang: str) -> None:
    app = build_app(folder, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await _keys(pilot, "f12", "r", "a")
        dialog = app.screen
        copies = dialog.query_one("#copies")
        assert copies.placeholder == ("how many were printed, e.g. 5" if lang == "en"
                                      else "印制总份数，例如 5")
        assert "e.g." in dialog.query_one("#pages").placeholder or lang == "zh"
        for text in ("某省人民检察院", "某检发〔2026〕21号", "年度统计督查通报"):
            await _keys(pilot, *text, "enter")
        await _keys(pilot, "enter", "tab", "3", "enter", "enter")
        await _keys(pilot, "enter", "tab", "enter")  # pages left blank
        await _keys(pilot, *"zbz", "enter", *"保密柜-2层", "enter")
        said = screen_text(pilot)
        assert ("give the number of pages" if lang == "en" else "请填写页数") in said
        assert not secrecy.register(secrecy.Filter(text="21号"))
        pages = dialog.query_one("#pages")
        pages.value = "4"
        location = dialog.query_one("#location")
        location.value = ""
        await _keys(pilot, "ctrl+s")
        said = screen_text(pilot)
        assert ("give where the copies are kept" if lang == "en" else "请填写存放位置") in said
        assert not secrecy.register(secrecy.Filter(text="21号"))


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_start_confirmations_say_the_quarter_the_share_and_the_lines(
        folder: StoreDir, lang: str) -> None:
    app = build_app(folder, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        secrecy.distribute(app.session, secrecy.register()[0].reg_no, "zbz")
        await _keys(pilot, "f12", "k", "q")
        assert isinstance(app.screen, ConfirmDialog)
        said = screen_text(pilot)
        assert ("check-in of 2026 Q4" in said and "1 line?" in said if lang == "en" else
                "2026年第四季度清交" in said and "共 1 条" in said)
        await _keys(pilot, "escape", "h")  # no holiday entered: said, with what to do
        said = screen_text(pilot)
        assert ("No holiday is entered for the next 30 days" in said and "Settings" in said
                if lang == "en" else "未来三十天内没有录入节假日" in said)
        await _keys(pilot, "escape", "s")
        assert ("random sample of" if lang == "en" else "随机抽取") in screen_text(pilot)
        await _keys(pilot, "escape", "q", "enter")  # started: the dashboard names the quarter
        assert isinstance(app.screen, ChecklistScreen)
        assert ("#1 check-in of 2026 Q4" if lang == "en" else "2026年第四季度清交") in (
            screen_text(pilot))
        await _keys(pilot, "escape", "escape", "escape", "f2")
        said = screen_text(pilot)
        assert ("check-in of 2026 Q4: 0/1 resolved" if lang == "en" else
                "2026年第四季度清交：已核对 0/1") in said


async def test_a_holiday_with_holidays_entered_is_named(folder: StoreDir) -> None:
    app = build_app(folder, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        holidays.set_day(app.session, "2026-12-07", "holiday", "测试节")
        await _keys(pilot, "f12", "k", "h")
        assert "开始「测试节节前集中保管清点」" in screen_text(pilot)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_closing_names_the_open_lines_and_a_key_goes_to_the_next(folder: StoreDir,
                                                                        lang: str) -> None:
    app = build_app(folder, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await _keys(pilot, "f12", "k", "v", "enter", "tab", "p", "p", "p", "c")
        run = checks.runs()[0]
        lines = checks.all_lines(run.id)
        said = screen_text(pilot)
        assert (f"8 lines are not resolved yet, the first: {lines[3].reg_no}, "
                f"{lines[4].reg_no}" if lang == "en" else
                f"还有 8 条未核对，前几条为：{lines[3].reg_no}、{lines[4].reg_no}") in said
        table = app.screen.query_one(DataTable)
        assert table.cursor_row == 3  # the first line still open
        await _keys(pilot, "p", "up", "up", "j")  # from line 3: the next open is line 5
        assert table.cursor_row == 4
        await _keys(pilot, "escape")
        assert isinstance(app.screen, ChecksScreen)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_an_item_on_loan_found_in_the_cabinet_is_said_and_returned_at_the_close(
        folder: StoreDir, lang: str) -> None:
    app = build_app(folder, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        lent = next(i for i in items.search(status="lent"))
        await _keys(pilot, "f12", "k", "v", "enter")
        await _keys(pilot, *lent.reg_no, "enter")
        said = screen_text(pilot)
        assert ("Closing the run will record it returned" if lang == "en" else
                "结束清点时将登记为已归还") in said
        assert "李文杰" in said
        run = checks.runs()[0]
        for line in checks.all_lines(run.id):
            if not line.result:
                checks.mark(app.session, run.id, line.reg_no)
        await _keys(pilot, "tab", "c", *"李文杰", "enter", *"蒋秀安", "enter")  # names
        closed = checks.get(run.id)
        assert (closed.status, closed.checker, closed.supervisor) == ("closed", "李文杰",
                                                                      "蒋秀安")
        assert items.get(lent.id).status == "in"


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_incidents_found_again_offer_to_close_and_keep_the_cursor(folder: StoreDir,
                                                                         lang: str) -> None:
    app = build_app(folder, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        first, second = secrecy.register()[:2]
        items.report_missing(app.session, first.reg_no, "柜内未见")
        items.report_missing(app.session, second.reg_no, "柜内未见")
        await _keys(pilot, "f12", "i")
        assert isinstance(app.screen, IncidentsScreen)
        said = screen_text(pilot)
        assert said.count("! open" if lang == "en" else "! 待处理") == 2  # the state shows
        await _keys(pilot, "down")
        chosen = _row_key(app)
        number = app.screen.shown[chosen].reg_no
        await _keys(pilot, "g", *"档案室", "enter")
        assert isinstance(app.screen, ConfirmDialog)  # it offers to close the incident
        said = screen_text(pilot)
        assert (f"Incident #{chosen} stays open" if lang == "en" else
                f"第 {chosen} 号异常事件在填写处理情况并结案前仍为待处理") in said
        await _keys(pilot, "escape")  # not now: the line says what happened and what next
        said = screen_text(pilot)
        assert (f"{number} is back in custody (found: 档案室)" if lang == "en" else
                f"{number} 已收回在库（发现于：档案室）") in said
        assert _row_key(app) == chosen
        assert items.by_number(number).status == "in"
        await _keys(pilot, "c", *"已归位", "enter")
        assert [i.status for i in incidents.listing() if str(i.id) == chosen] == ["closed"]
        assert _row_key(app) == chosen  # the closed incident, wherever it now is


async def test_found_again_then_closed_from_the_offer(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        number = secrecy.register()[0].reg_no
        items.report_missing(app.session, number, "柜内未见")
        await _keys(pilot, "f12", "i", "g", *"档案室", "enter", "enter")  # yes: close it
        await _keys(pilot, *"归还保管", "enter")
        assert [(i.status, i.action) for i in incidents.listing()] == [("closed", "归还保管")]
        assert "closed: 归还保管" in screen_text(pilot)


async def test_the_runs_keep_their_cursor_after_a_run_is_walked(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        session = app.session
        assert session is not None
        checks.start(session, "inventory")
        checks.start(session, "spot", seed=3)
        await _keys(pilot, "f12", "k", "down")
        chosen = _row_key(app)
        await _keys(pilot, "enter")
        assert isinstance(app.screen, ChecklistScreen)
        await _keys(pilot, "tab", "p", "escape")  # a line marked: the list reloads
        assert isinstance(app.screen, ChecksScreen)
        assert _row_key(app) == chosen and app.screen.query_one(DataTable).cursor_row == 1
