"""How the screens look, in both languages, at 80×24 (and the dashboard at 160×50).

Clock and store id are frozen so the pictures compare; review an SVG before
accepting it with `--snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from store import i18n, operators
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from tests.conftest import ADMIN_PW
from tests.tui_support import freeze, login, settle
from tui.app import build_app


@pytest.fixture
def frozen_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[StoreDir]:
    freeze(monkeypatch)
    paths = DataPaths(tmp_path / "data")
    with StoreDir(paths, create=True) as folder:
        new = folder.init("admin", ADMIN_PW, "某某县人民检察院", "王管理")
        operators.add(new.session, "clerk", "clerk", "clerk-password-1", "李统计")
        new.session.close()
        yield folder
    i18n.set_language("en")


async def _to_dashboard(pilot: Any) -> None:
    await login(pilot, "admin", ADMIN_PW)
    await settle(pilot)


async def _to_audit(pilot: Any) -> None:
    await _to_dashboard(pilot)
    await pilot.press("f3")
    await settle(pilot)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_login(frozen_folder: StoreDir, snap_compare, lang: str) -> None:
    assert snap_compare(build_app(frozen_folder, lang=lang), terminal_size=(80, 24))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dashboard(frozen_folder: StoreDir, snap_compare, lang: str) -> None:
    assert snap_compare(build_app(frozen_folder, lang=lang), terminal_size=(80, 24),
                        run_before=_to_dashboard)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_audit(frozen_folder: StoreDir, snap_compare, lang: str) -> None:
    assert snap_compare(build_app(frozen_folder, lang=lang), terminal_size=(80, 24),
                        run_before=_to_audit)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dashboard_large_terminal(frozen_folder: StoreDir, snap_compare, lang: str) -> None:
    assert snap_compare(build_app(frozen_folder, lang=lang), terminal_size=(160, 50),
                        run_before=_to_dashboard)


async def _to_card_entry(pilot: Any) -> None:
    """The entry screen as a clerk first meets it (typing and live checks have Pilot tests)."""
    await _to_dashboard(pilot)
    await pilot.press("f8")
    await settle(pilot)  # the code tables arrive from a worker
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_card_entry(frozen_folder: StoreDir, snap_compare, lang: str,
                    size: tuple[int, int]) -> None:
    assert snap_compare(build_app(frozen_folder, lang=lang), terminal_size=size,
                        run_before=_to_card_entry)


async def _to_persons_list(pilot: Any) -> None:
    """A case of three persons over the card it belongs to, the third not arrested."""
    await _to_card_entry(pilot)
    for value in ["D01", "SCDB", "某检刑捕〔2026〕11号", "U-2026-11", "赵某等3人盗窃案", "C01",
                  "3", "JY", "", "20261102", "20261110", "PZDB", "PZ"]:
        pilot.app.focused.value = value
        await pilot.press("enter")
    await pilot.press("f6")
    await settle(pilot)
    await pilot.press("down", "down", "enter")
    for value in ["赵丙", "Y", "C01", "QB", "BPDB", "WZ", ""]:
        pilot.app.focused.value = value
        await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_persons_list(frozen_folder: StoreDir, snap_compare, lang: str) -> None:
    assert snap_compare(build_app(frozen_folder, lang=lang), terminal_size=(80, 24),
                        run_before=_to_persons_list)


async def _to_case_view(pilot: Any) -> None:
    """An open 审查起诉 case, sent back and re-sent, with its time limit."""
    from store.cards import entry as cards
    from store.cards import events
    from store.cards import review as card_review
    from store.cards.entry import CardInput
    from store.cards.persons import PersonInput

    await _to_dashboard(pilot)
    session = pilot.app.session
    card_id, _checked = cards.add(session, CardInput(
        department="D01", business_type="SCQS", case_no="某检刑诉〔2026〕61号",
        case_name="周某等盗窃案", charge="C01", accepted_on="20261009",
        unified_no="410522202600061",
        people=(PersonInput(name="周某", custody="JY", plea="1"),
                PersonInput(name="吴某", minor="1", custody="QB"))))
    card_review.accept(session, card_id, True)
    events.record_event(session, card_id, "returned", "20261015", note="补充证据")
    events.record_event(session, card_id, "resent", "20261101")
    await pilot.press("f9")
    await settle(pilot)
    await pilot.press("o")
    await settle(pilot)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_case_view(frozen_folder: StoreDir, snap_compare, lang: str) -> None:
    assert snap_compare(build_app(frozen_folder, lang=lang), terminal_size=(80, 24),
                        run_before=_to_case_view)


async def _to_report(pilot: Any) -> None:
    from tests.report_fixture import insert_cases

    await _to_dashboard(pilot)
    insert_cases()
    await pilot.press("f10")
    await settle(pilot)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report(frozen_folder: StoreDir, snap_compare, lang: str) -> None:
    assert snap_compare(build_app(frozen_folder, lang=lang), terminal_size=(80, 24),
                        run_before=_to_report)


async def _to_desk(pilot: Any) -> None:
    from store.custody import desk
    from tests.desk_fixture import setup

    await _to_dashboard(pilot)
    setup(pilot.app.session)
    desk.record(pilot.app.session, desk.Request("lwj", ["统-2026-0004"], "read",
                                                slip_no="借-001", head="zbz"))
    await pilot.press("f11")
    await settle(pilot)
    await pilot.press(*"lwj", "enter", "tab", *"借-002", "enter", *"zbz", "enter")
    for number in ("统-2026-0001", "统-2026-0004"):  # the second is out: refused (B5)
        await pilot.press(*number, "enter")
        await settle(pilot)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_desk(frozen_folder: StoreDir, snap_compare, lang: str) -> None:
    assert snap_compare(build_app(frozen_folder, lang=lang), terminal_size=(80, 24),
                        run_before=_to_desk)


async def _to_checklist(pilot: Any) -> None:
    from store import holidays
    from store.custody import items
    from store.secrecy import checks
    from store.secrecy import register as secrecy
    from tests import secrecy_fixture

    await _to_dashboard(pilot)
    session = pilot.app.session
    copies = secrecy_fixture.setup(session)
    secrecy.distribute(session, copies[0].reg_no, "zbz")
    for n in range(6):
        items.register(session, f"2026年{n + 1}月统计报表", "report", "internal",
                       location=f"{'AB'[n % 2]}柜-1层")
    holidays.set_day(session, "2027-01-01", "holiday", "元旦")
    run = checks.start(session, "holiday")
    checks.mark(session, run.id, checks.all_lines(run.id)[0].reg_no)
    await pilot.press("f12", "k", "enter", "tab", "p", "x")
    await settle(pilot)
    await pilot.press(*"last seen in the reading room", "enter")
    await settle(pilot)
    await pilot.press("shift+tab", *"统-2026-0999", "enter")
    await settle(pilot)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_checklist(frozen_folder: StoreDir, snap_compare, lang: str) -> None:
    assert snap_compare(build_app(frozen_folder, lang=lang), terminal_size=(80, 24),
                        run_before=_to_checklist)


async def _to_batch(pilot: Any) -> None:
    from store.custody import desk
    from store.destruction import batches as destruction
    from store.destruction import holds
    from tests.desk_fixture import setup

    await _to_dashboard(pilot)
    session = pilot.app.session
    numbers = setup(session)
    batch = destruction.create(session)
    destruction.add(session, batch.id, numbers["report"], "superseded")
    destruction.add(session, batch.id, numbers["ledger"], "waste", "打印废页")
    holds.place(session, "案件尚未办结", number=numbers["secret"])
    desk.record(session, desk.Request("lwj", [numbers["volume"]], "read", slip_no="1",
                                      head="zbz"))
    await pilot.press("f12", "e")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    for key in ("secret", "volume"):  # held; being read: each refused, and why
        await pilot.press(*numbers[key], "enter")
        await settle(pilot)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_batch(frozen_folder: StoreDir, snap_compare, lang: str) -> None:
    assert snap_compare(build_app(frozen_folder, lang=lang), terminal_size=(80, 24),
                        run_before=_to_batch)


async def _to_rotation(pilot: Any) -> None:
    """A clerk disabled: the dashboard's warning line, and the rotation dialog over it."""
    await _to_dashboard(pilot)
    session = pilot.app.session
    operators.add(session, "wang", "clerk", "wang-password-1", "王五")
    operators.disable(session, "clerk", "调离")
    await pilot.press("f4")
    await settle(pilot)
    await pilot.press("escape")
    await settle(pilot)
    await pilot.press("ctrl+k")
    await settle(pilot)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rotation_dialog(frozen_folder: StoreDir, snap_compare, lang: str) -> None:
    assert snap_compare(build_app(frozen_folder, lang=lang), terminal_size=(80, 24),
                        run_before=_to_rotation)
