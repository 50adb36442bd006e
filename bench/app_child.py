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


async def _log_in(app: Any, pilot: Any, password: str) -> None:
    """As admin, through the login screen, until the session is open."""
    screen: Any = app.screen
    screen.query_one("#operator").value = "admin"
    screen.query_one("#password").value = password
    screen.submit()
    while app.session is None:
        await pilot.pause(0.01)
    await pilot.pause()


def audit_screen(data_dir: str, password: str) -> None:
    """Log in, open the audit screen; print ms to its first page and the peak RSS."""
    from store.vault.folder import StoreDir
    from store.vault.paths import DataPaths
    from tui.app import build_app
    from tui.screens.audit import AuditScreen

    async def go() -> None:
        with StoreDir(DataPaths(__import__("pathlib").Path(data_dir))) as folder:
            app = build_app(folder, lang="zh")
            async with app.run_test(size=(120, 40)) as pilot:
                await _log_in(app, pilot, password)
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


async def _plain_list(app: Any, pilot: Any, rows: list[tuple[str, ...]]) -> float:
    """The baseline: ms to push a plain Textual screen (header, table, footer) with the same
    rows, filled as it mounts, until drawn."""
    from textual.app import ComposeResult
    from textual.screen import Screen
    from textual.widgets import DataTable, Footer, Header

    drawn: list[float] = []

    class PlainList(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns(*"#ABCDEFG")
            table.add_rows(rows)
            self.call_after_refresh(lambda: drawn.append(time.perf_counter()))

    start = time.perf_counter()
    app.push_screen(PlainList())
    while not drawn:
        await asyncio.sleep(0.001)
    return (drawn[0] - start) * 1000


def card_screen(data_dir: str, password: str) -> None:
    """Log in, open the card list; print ms to its first page, ms from one keystroke in the
    search box (盗窃 → 盗窃案) to the list drawn again, and the peak RSS."""
    from store.vault.folder import StoreDir
    from store.vault.paths import DataPaths
    from tui.app import build_app
    from tui.screens.card_list import CardListScreen

    async def go() -> None:
        with StoreDir(DataPaths(__import__("pathlib").Path(data_dir))) as folder:
            app = build_app(folder, lang="zh")
            async with app.run_test(size=(120, 40)) as pilot:
                await _log_in(app, pilot, password)
                drawn: list[float] = []
                shown = CardListScreen.show

                def show_then_time(screen: CardListScreen, page: Any, more: bool) -> None:
                    shown(screen, page, more)
                    screen.call_after_refresh(lambda: drawn.append(time.perf_counter()))

                CardListScreen.show = show_then_time  # type: ignore[method-assign,assignment]

                async def timed(*keys: str) -> float:
                    drawn.clear()
                    start = time.perf_counter()
                    await pilot.press(*keys)
                    while not drawn:
                        await asyncio.sleep(0.001)
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                    return (drawn[-1] - start) * 1000

                cold = await timed("f9")
                listed: Any = app.screen
                rows: list[tuple[str, ...]] = [
                    (str(r.id), r.case_no, r.case_name, r.department, r.business_type, r.month,
                     r.status, "") for r in listed.current.rows]
                await pilot.press("escape")
                await pilot.pause(0.2)
                first = await timed("f9")
                search: Any = app.screen.query_one("#card-search")
                search.focus()
                search.value = "盗窃"
                await app.workers.wait_for_complete()
                await pilot.pause(0.2)
                keystroke = await timed("案")
                peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                plain = await _plain_list(app, pilot, rows)
        print(f"{cold:.1f} {first:.1f} {keystroke:.1f} {peak_kb / 1024:.1f} {plain:.1f}",
              flush=True)

    asyncio.run(go())


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "bare":
        bare()
    elif mode == "statdesk":
        statdesk(sys.argv[2])
    elif mode == "cards":
        card_screen(sys.argv[2], sys.argv[3])
    else:
        audit_screen(sys.argv[2], sys.argv[3])
