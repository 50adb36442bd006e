"""First run, login, recovery code, failed attempts: through the app as a clerk meets it."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.vault import recovery
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from tests.conftest import ADMIN_PW, CLERK_PW, Store, wait_is_over
from tests.tui_support import login, screen_text, settle, type_into
from tui.app import build_app
from tui.screens.dashboard import DashboardScreen
from tui.screens.first_run import FirstRunScreen
from tui.screens.login import LoginScreen
from tui.screens.recovery_code import RecoveryCodeScreen


async def test_first_run_to_dashboard(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "fresh")
    with StoreDir(paths, create=True) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            assert isinstance(app.screen, FirstRunScreen)
            await type_into(pilot, "#unit", "某某县人民检察院")
            await type_into(pilot, "#admin", "zhang")
            await type_into(pilot, "#display", "张主任")
            await type_into(pilot, "#password", "zhang-password-1")
            await type_into(pilot, "#confirm", "zhang-password-2")  # a slip
            assert "differ" in screen_text(pilot)
            assert not paths.db.exists()
            await type_into(pilot, "#password", "zhang-password-1")  # both are typed again
            await type_into(pilot, "#confirm", "zhang-password-1")
            assert isinstance(app.screen, RecoveryCodeScreen)
            code = app.screen.new.recovery_code
            assert code in screen_text(pilot)
            await type_into(pilot, "#confirm-code", "WRONG")
            assert isinstance(app.screen, RecoveryCodeScreen)
            await type_into(pilot, "#confirm-code", code[-5:].lower())
            assert isinstance(app.screen, DashboardScreen)
            shown = screen_text(pilot)
            assert "某某县人民检察院" in shown and "张主任" in shown and "zhang" not in shown
    with StoreDir(paths) as folder:
        assert folder.recover(code).actor.is_admin


@pytest.mark.parametrize(("field", "value", "message"), [
    ("#unit", "", "type the unit's name"),
    ("#admin", "bad name", "cannot be an operator name"),
    ("#password", "short", "too short"),
])
async def test_first_run_refuses_bad_input_beside_the_field(
        tmp_path: Path, field: str, value: str, message: str) -> None:
    paths = DataPaths(tmp_path / "fresh")
    with StoreDir(paths, create=True) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            values = {"#unit": "某县院", "#admin": "zhang", "#display": "张",
                      "#password": "long-password-1", "#confirm": "long-password-1"}
            values[field] = value
            if field == "#password":
                values["#confirm"] = value
            for selector, text in values.items():
                await type_into(pilot, selector, text, enter=selector == "#confirm")
            assert message in screen_text(pilot)
            assert app.focused is app.screen.query_one(field)
        assert not paths.db.exists()


async def test_login_success_shows_dashboard(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            assert isinstance(app.screen, LoginScreen)
            await login(pilot, "clerk", CLERK_PW)
            assert isinstance(app.screen, DashboardScreen)
            text = screen_text(pilot)
            assert "测试县人民检察院" in text and "李统计" in text
            assert "departments' case cards due" in text


async def test_login_failure_then_delay_then_count_shown(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "clerk", "wrong-password")
            assert isinstance(app.screen, LoginScreen)
            assert "wrong password" in screen_text(pilot)
            assert app.screen.query_one("#password").value == ""  # type: ignore[attr-defined]
            await login(pilot, "clerk", CLERK_PW)  # at once: the delay refuses
            assert "wait" in screen_text(pilot) and isinstance(app.screen, LoginScreen)
            wait_is_over(folder, "clerk")
            await login(pilot, "clerk", CLERK_PW)
            assert isinstance(app.screen, DashboardScreen)
            notes = [n.message for n in app._notifications]
            assert any("1 failed unlock attempt" in n for n in notes)


async def test_recovery_code_path(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+r")
            await settle(pilot)
            await type_into(pilot, "#code", recovery.new_code())
            assert "wrong recovery code" in screen_text(pilot)
            folder.failures.clear("(recovery)")
            await type_into(pilot, "#code", store.recovery_code)
            assert isinstance(app.screen, DashboardScreen)
            assert app.session is not None and app.session.actor.is_admin


async def test_demo_store_shows_its_credentials_on_login(tmp_path: Path) -> None:
    from store.demo import build as demo

    paths = DataPaths(tmp_path / "demo")
    demo.ensure_demo(paths)
    with StoreDir(paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            assert "statdesk-demo" in screen_text(pilot)
            await login(pilot, "admin", demo.DEMO_PASSWORD)
            assert isinstance(app.screen, DashboardScreen)


async def test_screenshot_is_not_offered(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert not any("Screenshot" in t for t in titles)
            assert any("Audit log" in t for t in titles) and any("Quit" in t for t in titles)
            assert app.save_screenshot() == ""
