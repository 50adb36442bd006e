"""Idle lock, manual lock, another operator at the lock screen, roles, help, languages."""

from __future__ import annotations

import pytest

from store import clock, i18n, settings
from store.audit import log as audit
from store.vault.database import db
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, CLERK_PW, Store
from tests.tui_support import login, screen_text, settle, type_into
from tui.app import build_app
from tui.screens.audit import AuditScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.help import HelpScreen
from tui.screens.lock import LockScreen
from tui.screens.operators import OperatorsScreen


async def test_idle_lock_closes_the_store_and_the_same_operator_comes_back(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en", idle_seconds=1.5)
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "clerk", CLERK_PW)
            await pilot.press("f3")
            await settle(pilot)
            assert isinstance(app.screen, AuditScreen)
            idle_since = app.last_activity
            app.lock_if_idle()  # what the idle timer does: not idle long enough yet
            assert not isinstance(app.screen, LockScreen)
            monkeypatch.setattr(clock, "monotonic", lambda: idle_since + 1.5)
            app.lock_if_idle()  # 1.5 s later, without a key
            await app.closer.wait()
            await settle(pilot)
            assert isinstance(app.screen, LockScreen)
            assert app.session is None and db.deferred and db.open_connections == 0
            shown = screen_text(pilot)
            for row_text in ("store created", "operator added", "Time", "Action"):
                assert row_text not in shown  # nothing of the audit screen behind it
            assert "clerk" in shown and "Password" in shown
            await type_into(pilot, "#lock-password", "wrong-password")
            assert "wrong password" in screen_text(pilot)
            folder.failures.clear("clerk")
            await type_into(pilot, "#lock-password", CLERK_PW)
            assert isinstance(app.screen, AuditScreen)  # back where the clerk was
            assert app.session is not None and app.session.actor.name == "clerk"
            actions = [e.action for e in audit.recent(10)]
            assert "session.lock" in actions


async def test_another_operator_at_the_lock_screen_ends_the_first_session(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "clerk", CLERK_PW)
            await pilot.press("ctrl+l")
            await settle(pilot)
            assert isinstance(app.screen, LockScreen)
            await pilot.press("ctrl+o")
            await type_into(pilot, "#lock-operator", "admin")
            await type_into(pilot, "#lock-password", ADMIN_PW)
            assert isinstance(app.screen, DashboardScreen)
            assert app.session is not None and app.session.actor.name == "admin"
            assert len(app.screen_stack) == 2


async def test_a_clerk_cannot_reach_the_operators_screen(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "clerk", CLERK_PW)
            await pilot.press("f4")
            await settle(pilot)
            assert not isinstance(app.screen, OperatorsScreen)
            await pilot.press("f5")
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)
            titles = " ".join(c.title for c in app.get_system_commands(app.screen))
            assert "Operators" not in titles and "Settings" not in titles
            footer_keys = [b.binding.description for b in app.screen.active_bindings.values()
                           if b.binding.show]
            assert "Staff" not in footer_keys and "Setup" not in footer_keys
            assert "Audit" in footer_keys and "List" in footer_keys


async def test_escape_goes_back_and_f1_lists_the_keys(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("f4")
            await settle(pilot)
            assert isinstance(app.screen, OperatorsScreen)
            await pilot.press("f1")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            keys = screen_text(pilot)
            for words in ("Add", "Password", "Disable", "Back", "Help"):
                assert words in keys
            await pilot.press("escape")
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)


async def test_language_switch_from_settings(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder)  # no --lang: the setting decides
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            assert "操作员：王管理" in screen_text(pilot)  # Chinese by default
            assert app.screen.sub_title == "首页"
            await pilot.press("f5")
            await settle(pilot)
            app.screen.query_one("#language").value = "en"  # type: ignore[attr-defined]
            await pilot.press("ctrl+s")
            await settle(pilot)
            await settle(pilot)  # every screen composed again in English
            assert i18n.language() == "en"
            assert settings.current().language == "en"
            await pilot.press("escape")
            await settle(pilot)
            assert "Operator: 王管理" in screen_text(pilot)
            assert app.screen.sub_title == "Home"
    i18n.set_language("en")


@pytest.fixture(autouse=True)
def _english_after(monkeypatch: pytest.MonkeyPatch) -> None:
    yield
    i18n.set_language("en")


async def test_a_clerk_changes_their_own_password_from_home(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "clerk", CLERK_PW)
            await pilot.press("f6")
            await settle(pilot)
            await type_into(pilot, "#password", "clerk-password-new", enter=False)
            await type_into(pilot, "#confirm", "clerk-password-new")
            assert isinstance(app.screen, DashboardScreen)
        assert folder.unlock("clerk", "clerk-password-new").actor.name == "clerk"
