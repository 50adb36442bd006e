"""The backup screen and the dashboard's backup panel, through Pilot."""

from __future__ import annotations

from store.backups import make as backups
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, CLERK_PW, Store
from tests.tui_support import login, screen_text, settle, type_into
from tui.app import build_app
from tui.screens.backups import BackupsScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.login import LoginScreen


async def _wait_idle(pilot) -> None:  # type: ignore[no-untyped-def]
    """The backup's worker runs on the app (leaving the screen does not stop it): waiting
    for every worker waits for it, and for the list read again after it."""
    await settle(pilot)
    await settle(pilot)


async def test_panel_reminds_then_ctrl_b_makes_the_backup(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "clerk", CLERK_PW)
            assert "backup is NOT done yet" in screen_text(pilot)
            await pilot.press("ctrl+b")
            await settle(pilot)
            assert isinstance(app.screen, BackupsScreen)
            await _wait_idle(pilot)
            assert "Backup written and verified" in screen_text(pilot)
            assert len(list(store.paths.backups.glob("*.sdbk"))) == 1
            await pilot.press("v")
            await _wait_idle(pilot)
            assert "the backup is complete and sound" in screen_text(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)
            assert "This month's backup is done" in screen_text(pilot)


async def test_backup_to_a_folder_that_does_not_exist_says_so(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "clerk", CLERK_PW)
            await pilot.press("f7")
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
            await type_into(pilot, "#folder", str(tmp_path / "no-usb"))
            assert "does not exist" in screen_text(pilot)
            usb = tmp_path / "usb"
            usb.mkdir()
            await type_into(pilot, "#folder", str(usb))
            assert isinstance(app.screen, BackupsScreen)
            await _wait_idle(pilot)
            assert len(list(usb.glob("*.sdbk"))) == 1
            assert "removable media" in screen_text(pilot)


async def test_clerk_cannot_restore_and_admin_restores_after_confirming(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        info = backups.make(session)
        session.close()
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "clerk", CLERK_PW)
            await pilot.press("f7")
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)
            assert isinstance(app.screen, BackupsScreen)  # nothing opened for a clerk
            await pilot.press("ctrl+l")
            await settle(pilot)
            await pilot.press("ctrl+o")
            await type_into(pilot, "#lock-operator", "admin")
            await type_into(pilot, "#lock-password", ADMIN_PW)
            await pilot.press("f7")
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)
            await type_into(pilot, "#confirm", "wrong")
            assert "exactly" in screen_text(pilot)
            await type_into(pilot, "#confirm", info.taken_at[:10])
            await _wait_idle(pilot)
            assert isinstance(app.screen, LoginScreen)
            assert app.session is None
    assert len(list(store.paths.backups.glob("*before-restore*.sdbk"))) == 1
