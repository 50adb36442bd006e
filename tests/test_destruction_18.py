"""Issue 18 on the destruction screens: the cursor stays on the row acted on (point 1), people
are typed by name or code (point 12), a recovered copy goes alone (point 22) — in both
languages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from textual.widgets import DataTable

from store import clock
from store.custody import desk, items, people
from store.destruction import batches as destruction
from store.destruction import holds
from store.vault.database import rows
from store.vault.folder import StoreDir
from store.vault.session import Session
from tests.conftest import ADMIN_PW, Store
from tests.desk_fixture import setup
from tests.tui_support import login, screen_text, settle
from tui.app import build_app
from tui.screens.batch import BatchScreen
from tui.screens.destruction import DestructionScreen
from tui.screens.holds import HoldsScreen

NUMBERS = [f"统-2026-000{n}" for n in range(1, 7)]


@pytest.fixture
def folder(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[StoreDir]:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(store.paths) as opened:
        session = opened.unlock("admin", ADMIN_PW)
        setup(session)  # 统-2026-0001 … 0004
        for title in ("2026年9月统计报表", "2026年8月统计报表"):  # 0005, 0006
            items.register(session, title, "report", "internal", pages="3", location="A柜")
        people.add(session, "jxa", "蒋秀安", "supervisor", department="纪检监察室")
        people.add(session, "gzm", "郭智明", "supervisor", department="办公室")
        session.close()
        yield opened


async def _keys(pilot: Any, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


def _cursor(pilot: Any) -> str:
    """The key of the row under the list's cursor."""
    table = pilot.app.screen.query_one(DataTable)
    return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)


def _session(pilot: Any) -> Session:
    """The app's session, for the store work a test does beside the clerk."""
    return pilot.app.session  # type: ignore[no-any-return]


def _offered(pilot: Any, action: str) -> bool:
    """The screen offers the action (its key is in the footer)."""
    return any(b.binding.action == action and b.enabled
               for b in pilot.app.screen.active_bindings.values())


def _listed(batch_id: int) -> list[str]:
    return [line.reg_no for line in destruction.lines(batch_id)]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_batch_list_acts_on_the_row_the_cursor_is_on(folder: StoreDir,
                                                               lang: str) -> None:
    app = build_app(folder, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await _keys(pilot, "f12", "e", "n", "enter")
        assert isinstance(app.screen, BatchScreen)
        batch = destruction.ledger()[0]
        for number in NUMBERS[:2] + NUMBERS[3:6]:  # 0003 … 0006 but 0003
            await _keys(pilot, *number, "enter")
        assert _listed(batch.id) == ["统-2026-0001", "统-2026-0002", "统-2026-0004",
                                     "统-2026-0005", "统-2026-0006"]
        await _keys(pilot, "tab", "tab", "tab")  # to the list: on the line added last
        assert _cursor(pilot) == str(items.by_number("统-2026-0006").id)  # type: ignore[union-attr]
        await _keys(pilot, "up", "up", "up")  # 统-2026-0002
        await _keys(pilot, "enter")  # its chain of custody, then back
        await _keys(pilot, "escape")
        await _keys(pilot, "p")  # the approval dialog, closed unchanged
        await _keys(pilot, "escape")
        await _keys(pilot, "x")
        assert _listed(batch.id) == ["统-2026-0001", "统-2026-0004", "统-2026-0005",
                                     "统-2026-0006"]
        await _keys(pilot, "x")  # the line that took its place: the next one
        assert _listed(batch.id) == ["统-2026-0001", "统-2026-0005", "统-2026-0006"]
        await _keys(pilot, "down", "x")  # the last line: the cursor stays at the end
        await _keys(pilot, "x")
        assert _listed(batch.id) == ["统-2026-0001"]


async def test_the_ledger_keeps_the_batch_opened(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        made = [destruction.create(_session(pilot)) for _n in range(3)]
        await _keys(pilot, "f12", "e")
        assert isinstance(app.screen, DestructionScreen)
        await _keys(pilot, "down", "enter")  # the second batch, newest first
        assert isinstance(app.screen, BatchScreen) and app.screen.batch_id == made[1].id
        await _keys(pilot, *NUMBERS[0], "enter", "escape")
        assert isinstance(app.screen, DestructionScreen)
        assert _cursor(pilot) == str(made[1].id)
        await _keys(pilot, "enter")  # Enter again opens the same batch
        assert isinstance(app.screen, BatchScreen) and app.screen.batch_id == made[1].id
        await _keys(pilot, "escape", "n", "enter")  # a new batch, then back to the ledger
        new = destruction.ledger()[0]
        await _keys(pilot, "escape")
        assert _cursor(pilot) == str(new.id)


async def test_the_holds_keep_the_hold_acted_on(folder: StoreDir) -> None:
    app = build_app(folder, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        placed = [holds.place(_session(pilot), f"案件{n}尚未办结", number=NUMBERS[n])
                  for n in range(3)]
        await _keys(pilot, "f12", "e", "h")
        assert isinstance(app.screen, HoldsScreen)
        await _keys(pilot, "down")  # the second newest: 案件1
        await _keys(pilot, "l", *"已办结", "enter")
        assert holds.get(placed[1].id).status == "lifted"
        assert _cursor(pilot) == str(placed[1].id)  # lifted, listed last: still on it
        assert not _offered(pilot, "lift")  # nothing to lift on a lifted hold
        await _keys(pilot, "up")  # the one above it: 案件0
        assert _offered(pilot, "lift")
        await _keys(pilot, "l", *"查毕", "enter")
        assert holds.get(placed[0].id).status == "lifted"
        assert holds.get(placed[2].id).status == "on"
        await _keys(pilot, "a", *NUMBERS[4], "enter", "tab", "enter", "enter",
                    *"巡视待查", "enter")
        newest = holds.listing()[0]
        assert newest.reg_no == NUMBERS[4] and _cursor(pilot) == str(newest.id)
        assert "admin" not in screen_text(pilot)  # who placed it is named, not the login


async def _arrange(pilot: Any, approver: str, handler: list[str], watchers: list[str]) -> None:
    """Fill the approval dialog: approver, date, reference, place, method, plan, people."""
    await _keys(pilot, *approver, "enter", "enter", *"销审〔2026〕9号", "enter",
                *"本院保密销毁室", "enter")
    await _keys(pilot, "tab", "enter")  # the method stays: shredding; the planned day
    await _keys(pilot, *handler)
    await _keys(pilot, *watchers)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_people_are_typed_by_name_and_several_supervisors_picked(
        folder: StoreDir, lang: str) -> None:
    app = build_app(folder, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await _keys(pilot, "f12", "e", "n", "enter")
        batch = destruction.ledger()[0]
        await _keys(pilot, *NUMBERS[0], "enter", "tab", "tab", "tab", "p")
        # 陈检察长 typed whole; 李 picks 李文杰 (李警官 is an external unit, not offered);
        # 蒋 and 郭 each picked from the candidates, separated by a comma
        await _arrange(pilot, "陈检察长", ["李"], [])
        assert "李文杰（第一检察部，lwj）" in screen_text(pilot)
        assert "李警官" not in screen_text(pilot)
        await _keys(pilot, "enter", "enter")  # taken; on to the supervisors
        await _keys(pilot, *"蒋")
        assert "蒋秀安（纪检监察室，jxa）" in screen_text(pilot)
        await _keys(pilot, "enter", ",", *"郭", "enter")
        assert destruction.get(batch.id).status == "draft"  # a candidate taken, not saved
        await _keys(pilot, "enter")  # the last field: saved
        approved = destruction.get(batch.id)
        assert (approved.status, approved.approver, approved.handler) == (
            "approved", "陈检察长", "李文杰")
        assert [p.name for p, _here in destruction.supervisors(batch.id)] == ["蒋秀安", "郭智明"]
        assert "陈检察长" in screen_text(pilot)
        await _keys(pilot, "w", "e")  # printed; the destruction recorded by names too
        await _keys(pilot, "enter", *"郭智明", ",", *"蒋", "enter", "enter", "enter",
                    *batch.number, "enter")
        assert destruction.get(batch.id).status == "executed"
        assert rows("SELECT present FROM batch_supervisor") == [(1,), (1,)]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_name_not_on_record_is_said_beside_its_field(folder: StoreDir,
                                                             lang: str) -> None:
    app = build_app(folder, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await _keys(pilot, "f12", "e", "n", "enter")
        batch = destruction.ledger()[0]
        await _keys(pilot, *NUMBERS[0], "enter", "tab", "tab", "tab", "p")
        await _arrange(pilot, "陈检察长", [*"lwj", "enter"], [*"jxa 刘备", "enter"])
        said = screen_text(pilot)
        assert ("刘备" in said and "no one on record matches" in said if lang == "en"
                else "没有与「刘备」相符的人员" in said)
        assert destruction.get(batch.id).status == "draft"


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_an_unrecovered_copy_is_refused_by_d7_b5_and_a_recovered_one_goes_alone(
        folder: StoreDir, lang: str) -> None:
    app = build_app(folder, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        desk.record(_session(pilot), desk.Request(
            "lwj", [NUMBERS[1]], "copy", slip_no="1", head="zbz", approver="cjc",
            secrecy="bmb", due_on="2026-12-10"))
        copy = str(rows("SELECT reg_no FROM item WHERE original_id IS NOT NULL")[0][0])
        await _keys(pilot, "f12", "e", "n", "enter")
        batch = destruction.ledger()[0]
        await _keys(pilot, *copy, "enter")
        said = screen_text(pilot)
        assert f"D7/B5: {copy}" in said and "B3" not in said
        assert ("is a copy not yet recovered" in said if lang == "en"
                else "尚未收回的复印件" in said)
        assert _listed(batch.id) == []
        desk.return_item(_session(pilot), copy)  # recovered at the desk
        await _keys(pilot, *copy, "enter")
        assert _listed(batch.id) == [copy]  # alone: its original is not on the batch
