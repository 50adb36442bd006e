"""A destruction batch built and carried out by keyboard; holds placed and lifted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from store import clock
from store.custody import desk, items, people
from store.destruction import batches as destruction
from store.destruction import holds
from store.vault.database import rows
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, Store
from tests.desk_fixture import setup
from tests.tui_support import login, screen_text, settle
from tui.app import build_app
from tui.screens.batch import BatchScreen
from tui.screens.destruction import DestructionScreen
from tui.screens.holds import HoldsScreen


@pytest.fixture
def folder(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[StoreDir]:
    from datetime import datetime

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(store.paths) as opened:
        session = opened.unlock("admin", ADMIN_PW)
        setup(session)  # 统-2026-0001 … 0004
        people.add(session, "jxa", "蒋秀安", "supervisor", department="纪检监察室")
        people.add(session, "gzm", "郭智明", "supervisor", department="办公室")
        desk.record(session, desk.Request("lwj", ["统-2026-0003"], "read", slip_no="1",
                                          head="zbz"))
        session.close()
        yield opened


async def _keys(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*keys)
    await settle(pilot)


async def test_a_batch_built_approved_printed_and_carried_out_by_keyboard(
        folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await _keys(pilot, "f12", "e")
        assert isinstance(app.screen, DestructionScreen)
        await _keys(pilot, "n", "enter")  # confirmed: a batch is numbered at once
        assert isinstance(app.screen, BatchScreen)
        for number in ("统-2026-0001", "统-2026-0003", "统-2026-0004"):
            await _keys(pilot, *number, "enter")
            if number == "统-2026-0003":  # being read: refused, and said why
                assert "A7: 统-2026-0003 is being read in the room" in screen_text(pilot)
                assert "B3: 统-2026-0003 has a loan still open" in screen_text(pilot)
        batch = destruction.ledger()[0]
        assert [line.reg_no for line in destruction.lines(batch.id)] == ["统-2026-0001",
                                                                         "统-2026-0004"]
        await _keys(pilot, "tab", "tab", "tab", "p")  # to the list; approve and arrange
        for text in ("cjc", "", "销审〔2026〕9号", "本院保密销毁室"):
            await _keys(pilot, *text, "enter")
        await _keys(pilot, "tab")  # the method: shredding
        for text in ("", "lwj", "jxa cjc"):
            await _keys(pilot, *text, "enter")
        assert "陈检察长 approves the destruction" in screen_text(pilot)
        await _keys(pilot, "end", "ctrl+u", *"jxa gzm", "enter")
        assert destruction.get(batch.id).status == "approved"
        await _keys(pilot, "w")
        assert destruction.get(batch.id).status == "printed"
        assert "Manifest written" in screen_text(pilot)
        await _keys(pilot, "e")
        await _keys(pilot, "enter", *"jxa gzm", "enter", "enter", *"销-2026-01", "enter")
        assert "type the batch number 销-2026-001" in screen_text(pilot)
        assert destruction.get(batch.id).status == "printed"
        await _keys(pilot, "end", "ctrl+u", *"销-2026-001", "enter")
        assert destruction.get(batch.id).status == "executed"
        assert {items.by_number(n).status for n in ("统-2026-0001", "统-2026-0004")} == {  # type: ignore[union-attr]
            "destroyed"}
        assert "destroyed" in screen_text(pilot)
        await _keys(pilot, "c")
        assert "Certificate written" in screen_text(pilot)
        await _keys(pilot, "enter")  # a destroyed stub still opens with its history
        assert "Chain of custody" in screen_text(pilot)
        assert "destroyed" in screen_text(pilot) and "registered" in screen_text(pilot)


async def test_holds_placed_and_lifted_by_keyboard(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await _keys(pilot, "f12", "e", "h")
        assert isinstance(app.screen, HoldsScreen)
        await _keys(pilot, "a")
        await _keys(pilot, *"统-2026-0002", "enter", "tab")  # one item: no kind
        await _keys(pilot, "enter", "enter", *"案件尚未办结", "enter")
        assert [h.reg_no for h in holds.listing()] == ["统-2026-0002"]
        assert "案件尚未办结" in screen_text(pilot)
        await _keys(pilot, "l")
        await _keys(pilot, *"已办结", "enter")
        assert [h.status for h in holds.listing()] == ["lifted"]
        assert rows("SELECT count(*) FROM audit WHERE action LIKE 'hold.%'") == [(2,)]


def test_not_destroyed_items_are_read_as_clerks_type_them() -> None:
    from tui.screens.batch import kept_back

    assert kept_back("统-2026-0001 仍需保留；统-2026-0002：案件重启") == {
        "统-2026-0001": "仍需保留", "统-2026-0002": "案件重启"}
    assert kept_back("统-2026-0003\u3000借阅中") == {"统-2026-0003": "借阅中"}
    assert kept_back(" ") == {}
