"""What review found in the app: each case once let a clerk down; now each is handled."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from statdesk import cli
from store import settings
from store.audit import log as audit
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, CLERK_PW, Store, wait_is_over
from tests.tui_support import login, screen_text, settle, type_into
from tui.app import StatdeskApp, build_app
from tui.screens.audit import AuditScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.lock import LockScreen
from tui.screens.login import LoginScreen
from tui.screens.settings import SettingsScreen


def test_the_command_opens_the_first_run_on_an_empty_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def headless(self: StatdeskApp) -> None:
        async def go() -> None:
            async with self.run_test():
                seen.append(type(self.screen).__name__)
        asyncio.run(go())

    monkeypatch.setattr(StatdeskApp, "run", headless)
    assert cli.main(["--data-dir", str(tmp_path / "new")]) == 0
    assert seen == ["FirstRunScreen"]


async def test_locking_while_a_worker_reads_the_store_waits_for_it(store: Store) -> None:
    from bench.app import fill_audit

    with StoreDir(store.paths) as folder:
        fill_audit(folder, 60_000, ADMIN_PW)
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("f3")
            await settle(pilot)
            await pilot.press("v")  # a long verification in a worker thread…
            await pilot.press("ctrl+l")  # …and the lock at once
            assert isinstance(app.screen, LockScreen)
            await app.closer.wait()
            await settle(pilot)
            await type_into(pilot, "#lock-password", ADMIN_PW)
            assert isinstance(app.screen, AuditScreen) and app.session is not None
            actions = [e.action for e in audit.recent(3)]
        assert actions[:2] == ["login", "session.lock"]


async def test_empty_password_is_refused_beside_the_field(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "clerk", "")
            assert "type your password" in screen_text(pilot)
            assert app.focused is app.screen.query_one("#password")
            assert folder.failures.count("clerk") == 0


@pytest.mark.parametrize(("key", "value", "message"), [
    ("#idle_minutes", "①", "whole number"), ("#cutoff_day", "²", "whole number"),
    ("#unit_name", "   ", "cannot be empty")])
async def test_settings_refuse_odd_values(store: Store, key: str, value: str,
                                          message: str) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("f5")
            await settle(pilot)
            assert isinstance(app.screen, SettingsScreen)
            await type_into(pilot, key, value, enter=False)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert message in screen_text(pilot)
            assert settings.get("unit_name") == "测试县人民检察院"


async def test_a_recovery_session_locks_and_reopens_with_the_code(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+r")
            await settle(pilot)
            await type_into(pilot, "#code", store.recovery_code)
            assert isinstance(app.screen, DashboardScreen)
            assert "recovery code" in screen_text(pilot)
            await pilot.press("ctrl+l")
            await settle(pilot)
            assert "Recovery code" in screen_text(pilot)
            await type_into(pilot, "#lock-password", store.recovery_code)
            assert isinstance(app.screen, DashboardScreen) and app.session is not None


async def test_failures_at_the_lock_screen_are_told_after_unlock(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "clerk", CLERK_PW)
            await pilot.press("ctrl+l")
            await settle(pilot)
            await app.closer.wait()
            await type_into(pilot, "#lock-password", "wrong-password")
            wait_is_over(folder, "clerk")
            await type_into(pilot, "#lock-password", CLERK_PW)
            assert app.session is not None
            assert any("1 failed unlock attempt" in n.message for n in app._notifications)


async def test_quit_logs_out_and_the_login_screen_comes_back(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            assert isinstance(app.screen, LoginScreen)
            await login(pilot, "clerk", CLERK_PW)
            await pilot.press("ctrl+q")
            await settle(pilot)
        session = folder.unlock("admin", ADMIN_PW)
        assert "session.logout" in [e.action for e in audit.recent(3)]
        session.close()
