"""16 colours (TERM=linux): a placeholder is half-bright, never underlined, so it cannot pass
for a filter typed in; a field has a background and a frame of its own.

The Linux console draws underlined text in a colour of its own (typed and placeholder text
alike) and "dim" as its half-bright dark grey: what is read here are the attributes and ANSI
colours the app writes, cell by cell, after Textual's line filters.
"""

from __future__ import annotations

from typing import Any

import pytest
from rich.cells import cell_len
from rich.color import ColorSystem
from rich.style import Style
from textual.geometry import Region
from textual.widgets import Input, Select

from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, Store
from tests.tui_support import login, settle
from tui.app import StatdeskApp, build_app

Cell = tuple[str, int | None, int | None, Style]


@pytest.fixture
def sixteen_colours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "linux")
    monkeypatch.delenv("COLORTERM", raising=False)


def _number(colour: Any) -> int | None:
    return None if colour is None else colour.downgrade(ColorSystem.STANDARD).number


def _cells(app: StatdeskApp, region: Region) -> list[Cell]:
    strips = app.screen._compositor.render_strips()
    found: list[Cell] = []
    for y in range(region.y, region.bottom):
        x = 0
        for segment in strips[y]:
            style = segment.style or Style()
            for ch in segment.text:
                if region.x <= x < region.right:
                    found.append((ch, _number(style.color), _number(style.bgcolor), style))
                x += cell_len(ch)
    return found


def _letters(cells: list[Cell]) -> list[Cell]:
    return [c for c in cells if c[0].strip()]


async def test_console_placeholders_are_half_bright_and_fields_stand_apart(
        store: Store, sixteen_colours: None) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="zh")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.console.color_system == "standard"
            assert app.ansi_color  # the console's own colours, not RGB guessed back
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("f9")
            await settle(pilot)
            screen = app.screen
            screen.query_one("#card-table").focus()
            await pilot.pause()
            month = screen.query_one("#card-month", Input)
            hint = _letters(_cells(app, month.content_region))
            assert "".join(c[0] for c in hint).startswith("月份")
            assert all(c[3].dim and not c[3].underline and not c[3].italic for c in hint)
            status = screen.query_one("#card-status", Select)
            prompt = _letters(_cells(app, status.region))[:-1]  # its arrow stays bright
            assert prompt and all(c[3].dim for c in prompt)

            month.value = "2026-11"
            await pilot.pause()
            typed = _letters(_cells(app, month.content_region))
            assert typed and not any(c[3].dim or c[3].underline for c in typed)
            assert {c[1] for c in typed}.isdisjoint({c[1] for c in hint})

            fields = {c[2] for c in _cells(app, month.content_region)}
            screen_back = _cells(app, Region(month.region.x - 1, month.region.y, 1, 1))[0][2]
            assert fields == {4} and screen_back in (None, 0)  # blue on the console's black

            await pilot.press("f12", "a")  # a form: its fields framed in white, not black
            await settle(pilot)
            title = app.screen.query_one("#title", Input)
            frame = _cells(app, Region(title.region.x, title.region.y, title.region.width, 1))
            assert {c[1] for c in frame if c[0].strip()} == {14}  # focused: bright cyan
            kind = app.screen.query_one("#kind", Select)
            frame = _cells(app, Region(kind.region.x, kind.region.y, kind.region.width, 1))
            assert {c[1] for c in frame if c[0].strip()} == {7}
