"""The app's login through Pilot, and how the login screen looks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Input, Static

from store.session import StoreDir
from tests.conftest import CLERK_PW, Store
from tui.app import build_app
from tui.screens.home import HomeScreen
from tui.screens.login import LoginScreen


@pytest.fixture
def folder(store: Store) -> Iterator[StoreDir]:
    with StoreDir(store.paths) as opened:
        yield opened


async def _login(pilot, name: str, password: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.click("#operator")
    await pilot.press(*name, "enter", *password, "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_login_opens_home_with_operator_and_unit(folder: StoreDir) -> None:
    app = build_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, LoginScreen)
        await _login(pilot, "clerk", CLERK_PW)
        assert isinstance(app.screen, HomeScreen)
        text = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "测试县人民检察院" in text and "clerk" in text
        assert app.session is not None and app.session.actor.name == "clerk"


async def test_wrong_password_shows_message_and_clears_field(folder: StoreDir) -> None:
    app = build_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await _login(pilot, "clerk", "wrong-password")
        assert isinstance(app.screen, LoginScreen)
        assert "wrong password" in str(app.screen.query_one("#login-error", Static).render())
        assert app.screen.query_one("#password", Input).value == ""
        assert folder.failures.count("clerk") == 1


async def test_screenshot_is_not_offered(folder: StoreDir) -> None:
    app = build_app(folder)
    async with app.run_test(size=(80, 24)):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles and "Quit" in titles
        assert app.save_screenshot() == ""


def test_login_screen_looks_right(folder: StoreDir, snap_compare) -> None:
    assert snap_compare(build_app(folder), terminal_size=(80, 24))


def test_login_error_looks_right(folder: StoreDir, snap_compare) -> None:
    async def wrong(pilot) -> None:  # type: ignore[no-untyped-def]
        await _login(pilot, "nobody", "x")

    assert snap_compare(build_app(folder), terminal_size=(80, 24), run_before=wrong)


async def test_demo_store_shows_its_credentials_on_login(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from store import demo
    from store.paths import DataPaths

    paths = DataPaths(tmp_path / "demo")
    demo.ensure_demo(paths)
    with StoreDir(paths) as opened:
        app = build_app(opened)
        async with app.run_test(size=(80, 24)) as pilot:
            hint = str(app.screen.query_one("#login-demo", Static).render())
            assert "statdesk-demo" in hint
            await _login(pilot, "admin", demo.DEMO_PASSWORD)
            assert isinstance(app.screen, HomeScreen)
