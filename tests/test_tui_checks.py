"""The secrecy register and the checklist runs by keyboard: receive, distribute, walk a run
line by line, close it; pause and resume."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from store import clock, holidays
from store.custody import items
from store.secrecy import checks, closing
from store.secrecy import register as secrecy
from store.vault.database import rows
from store.vault.folder import StoreDir
from tests import secrecy_fixture
from tests.conftest import ADMIN_PW, Store
from tests.tui_support import login, screen_text, settle
from tui.app import build_app
from tui.screens.checklist import ChecklistScreen
from tui.screens.checks import ChecksScreen
from tui.screens.register import RegisterScreen


@pytest.fixture
def folder(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[StoreDir]:
    """The fixture's people and document, and 15 more items in three cabinets (20 in all)."""
    from datetime import datetime

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(store.paths) as opened:
        session = opened.unlock("admin", ADMIN_PW)
        secrecy_fixture.setup(session)
        holidays.set_day(session, "2027-01-01", "holiday", "元旦")
        for n in range(15):
            items.register(session, f"2026年{n % 12 + 1}月统计报表", "report", "internal",
                           location=f"{'ABC'[n % 3]}柜-1层")
        session.close()
        yield opened


async def _keys(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*keys)
    await settle(pilot)


async def _open(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    await login(pilot, "admin", ADMIN_PW)
    await _keys(pilot, "f12", *keys)


async def test_a_twenty_line_run_walked_by_keyboard(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "k")
        assert isinstance(app.screen, ChecksScreen)
        await _keys(pilot, "v", "enter")  # a full inventory, confirmed
        assert isinstance(app.screen, ChecklistScreen)
        run = checks.runs()[0]
        assert (run.kind, run.total, run.status) == ("inventory", 20, "open")
        await _keys(pilot, "tab")  # from the scan field to the list
        for _n in range(19):
            await _keys(pilot, "p")
        await _keys(pilot, "c")  # one line left: refused, said on screen
        assert "A2: 1 line is not resolved yet: 统-" in screen_text(pilot)
        assert checks.get(run.id).status == "open"
        await _keys(pilot, "x")  # the last line: missing, with what is known
        await _keys(pilot, *"last seen on the desk", "enter")
        assert "20/20 resolved" in screen_text(pilot)
        await _keys(pilot, "c", *"lwj", "enter", *"lwj", "enter")
        assert "someone other than the checker" in screen_text(pilot)
        assert checks.get(run.id).status == "open"
        await _keys(pilot, "end", "ctrl+u", *"jxa", "enter")
        closed = checks.get(run.id)
        assert (closed.status, closed.checker, closed.supervisor) == ("closed", "李文杰",
                                                                      "蒋秀安")
        last = checks.all_lines(run.id)[-1]
        assert last.result == "missing" and items.get(last.item_id).status == "missing"
        assert rows("SELECT count(*) FROM incident WHERE status = 'open'") == [(1,)]
        assert [line.result for line in checks.all_lines(run.id)[:19]] == ["present"] * 19


async def test_scanning_marks_lines_and_names_what_is_not_in_the_run(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "k", "v", "enter")
        first = checks.all_lines(checks.runs()[0].id)[4]
        await _keys(pilot, *first.reg_no, "enter")
        assert f"OK {first.reg_no}: OK present" in screen_text(pilot)
        await _keys(pilot, *"统-2026-9999", "enter")
        assert "no item numbered 统-2026-9999" in screen_text(pilot)
        assert checks.tally(checks.runs()[0].id) == {"": 19, "present": 1}


async def test_a_paused_run_resumes_where_it_was_after_a_restart(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "k", "h", "enter", "tab", "p", "p", "p")  # the holiday eve
        assert "元旦" in screen_text(pilot)
        await _keys(pilot, "escape")  # paused
        assert isinstance(app.screen, ChecksScreen)
        assert "3/20 resolved" in screen_text(pilot)
    again = build_app(folder, lang="en")
    async with again.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "k", "enter")
        assert isinstance(again.screen, ChecklistScreen)
        assert "3/20 resolved" in screen_text(pilot)
        table = again.screen.query_one("#lines")
        assert table.cursor_row == 3  # the first line still to check


async def test_receiving_and_distributing_by_keyboard(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "r")
        assert isinstance(app.screen, RegisterScreen)
        assert "Copies: confidential 机密 5" in screen_text(pilot)
        await _keys(pilot, "a")
        for text in ("某省人民检察院", "某检发〔2026〕21号", "年度统计督查通报"):
            await _keys(pilot, *text, "enter")
        await _keys(pilot, "enter", "tab")  # today; secret (a choice list: Tab leaves it)
        await _keys(pilot, "3", "enter", "enter")  # 3 copies, all of them
        await _keys(pilot, "4", "enter", "tab", "enter")  # 4 pages; sealed; no note
        await _keys(pilot, *"zbz sjy", "enter", *"保密柜-2层", "enter")
        assert [c.copy_no for c in secrecy.register(secrecy.Filter(text="21号"))] == [3, 2, 1]
        assert "secret 秘密 3" in screen_text(pilot)
        await _keys(pilot, "d", *"wbz", "enter", "enter")  # the newest copy, to wbz: refused
        assert "D4: 王部长 is not on this document's distribution list" in screen_text(pilot)
        await _keys(pilot, "end", "ctrl+u", *"sjy", "enter", "enter")
        newest = secrecy.register(secrecy.Filter(text="21号"))[0]
        assert (newest.status, newest.holder) == ("distributed", "孙佳怡")
        assert "孙佳怡" in screen_text(pilot)


async def test_widening_the_list_then_distributing_and_taking_back(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "r")
        newest = secrecy.register()[0]
        await _keys(pilot, "l", *"sjy", "enter", *"zbz", "enter")  # a head cannot approve
        assert "D4: 张部长 cannot approve" in screen_text(pilot)
        await _keys(pilot, "end", "ctrl+u", *"bmb", "enter")
        listed = secrecy.recipients(newest.document_id)
        assert [(p.code, a) for p, a in listed][-1] == ("sjy", "保密办刘")
        await _keys(pilot, "d")
        assert "sjy 孙佳怡（approved by 保密办刘）" in screen_text(pilot)
        await _keys(pilot, *"sjy", "enter", "enter")
        assert secrecy.copy(newest.id).holder == "孙佳怡"
        await _keys(pilot, "t", *"matter closed", "enter")
        assert secrecy.copy(newest.id).status == "in"
        assert [e.kind for e in items.chain(newest.id)][-2:] == ["distribute", "checkin"]


async def test_a_closed_run_is_read_only_and_its_check_in_report_is_written(
        folder: StoreDir) -> None:
    from store.secrecy import checks as store_checks

    app = build_app(folder, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        session = app.session
        copy = secrecy.register()[0]
        secrecy.distribute(session, copy.reg_no, "zbz")
        run = store_checks.start(session, "quarter")
        store_checks.mark(session, run.id, copy.reg_no)
        closing.close(session, run.id, "lwj", "jxa")
        await _keys(pilot, "f12", "k", "c")
        assert "Check-in report written" in " ".join(
            str(n.message) for n in app._notifications)
        await _keys(pilot, "enter")
        assert isinstance(app.screen, ChecklistScreen)
        assert "closed: read only" in screen_text(pilot)
        assert app.screen.query_one("#scan").disabled
        await _keys(pilot, "u", "p", "c")  # nothing happens on a closed run
        assert store_checks.tally(run.id) == {"returned": 1}
        assert [p.name for p in folder.paths.exports.glob("*.docx")] == [
            f"checkin-{run.period}-{run.id}.docx"]


async def test_the_register_and_the_loan_ledger_are_written_for_a_period(
        folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "r")
        await _keys(pilot, "w")
        await _keys(pilot, "enter", "enter")  # this year to today
        await _keys(pilot, "escape", "l")  # the catalogue's loan ledger: this month
        await _keys(pilot, "enter", "enter")
        written = sorted(p.name for p in folder.paths.exports.glob("*.docx"))
        assert written == ["loan-ledger-2026-11-01-2026-11-30.docx",
                           "secrecy-register-2026-01-01-2026-11-30.docx"]
        notes = " ".join(str(n.message) for n in app._notifications)
        assert "Register written" in notes and "Loan ledger written" in notes
