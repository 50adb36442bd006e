"""Child processes of the app benchmark: each prints its figure and exits."""

from __future__ import annotations

import asyncio
import resource
import sys
import time
from typing import Any


def bare() -> None:
    """A bare Textual app that draws one label, then exits."""
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("statdesk")

        def on_mount(self) -> None:
            self.call_after_refresh(self.exit)

    Bare().run(headless=True)


def statdesk(data_dir: str) -> None:
    """`statdesk --data-dir D`, the real start, leaving as soon as the login screen is drawn."""
    from textual.app import App

    from statdesk import cli
    from tui import app as tui_app
    from tui.screens.login import LoginScreen

    original = LoginScreen.on_mount

    def drawn(self: LoginScreen) -> None:
        original(self)
        self.app.call_after_refresh(self.app.exit)

    LoginScreen.on_mount = drawn  # type: ignore[method-assign]
    tui_app.StatdeskApp.run = lambda self, **kw: App.run(self, headless=True)  # type: ignore[method-assign]
    cli.main(["--data-dir", data_dir])


def audit_screen(data_dir: str, password: str) -> None:
    """Log in, open the audit screen; print ms to its first page and the peak RSS."""
    from store.folder import StoreDir
    from store.paths import DataPaths
    from tui.app import build_app
    from tui.screens.audit import AuditScreen

    async def go() -> None:
        with StoreDir(DataPaths(__import__("pathlib").Path(data_dir))) as folder:
            app = build_app(folder, lang="zh")
            async with app.run_test(size=(120, 40)) as pilot:
                screen: Any = app.screen
                screen.query_one("#operator").value = "admin"
                screen.query_one("#password").value = password
                screen.submit()
                while app.session is None:
                    await pilot.pause(0.01)
                await pilot.pause()
                drawn: list[float] = []
                shown = AuditScreen.show

                def show_then_time(screen: AuditScreen, page: Any) -> None:
                    shown(screen, page)
                    screen.call_after_refresh(lambda: drawn.append(time.perf_counter()))

                AuditScreen.show = show_then_time  # type: ignore[method-assign,assignment]
                start = time.perf_counter()
                await pilot.press("f3")
                while not drawn:
                    await asyncio.sleep(0.001)
                elapsed = drawn[0] - start
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"{elapsed * 1000:.1f} {peak_kb / 1024:.1f}", flush=True)

    asyncio.run(go())


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "bare":
        bare()
    elif mode == "statdesk":
        statdesk(sys.argv[2])
    else:
        audit_screen(sys.argv[2], sys.argv[3])
