"""Every screen at 80×24, in both languages: each key it shows is in the footer or behind the
"more keys" key, the footer's keys do not overlap, and the columns it needs are on screen.

A list screen may say which of its table's columns it needs (`NEEDED_COLUMNS`, column keys);
by default it needs every column.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import DataTable
from textual.widgets._footer import FooterKey

from store.demo import build as demo
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from tests.tui_support import freeze, login, settle
from tui.app import build_app
from tui.dialogs.more_keys import MoreKeysDialog
from tui.screens.card_list import CardListScreen
from tui.widgets.footer import MORE_KEYS, AppFooter, footer_entries

SIZE = (80, 24)

ROUTES: list[tuple[str, str | None, tuple[str, ...]]] = [
    ("dashboard", None, ()), ("audit", "audit", ()), ("operators", "operators", ()),
    ("settings", "settings", ()), ("codes", "codes", ()), ("backups", "backups", ()),
    ("card entry", "cards", ()), ("card list", "card_list", ()), ("report", "report", ()),
    ("analysis", "analysis", ()), ("desk", "desk", ()), ("returns", "desk", ("ctrl+r",)),
    ("catalogue", "catalogue", ()), ("people", "catalogue", ("m",)),
    ("incidents", "incidents", ()), ("register", "register", ()), ("checks", "checks", ()),
    ("checklist", "checks", ("enter",)), ("destruction", "destruction", ()),
    ("batch", "destruction", ("enter",)), ("holds", "holds", ()),
]
"""(name, destination, keys pressed there) of every screen a clerk or administrator opens."""


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import os

    os.environ.setdefault("STATDESK_TEST_KDF_ITER", "1000")
    root = tmp_path_factory.mktemp("demo-80x24") / "data"
    demo.ensure_demo(DataPaths(root), cards=150)
    return root


@pytest.fixture
def folder(demo_template: Path, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[StoreDir]:
    freeze(monkeypatch)
    root = tmp_path / "data"
    shutil.copytree(demo_template, root)
    with StoreDir(DataPaths(root)) as opened:
        yield opened


def _shown_keys(screen: Screen[Any]) -> dict[str, str]:
    """The keys `screen` shows (action: description), as the footer would with the room."""
    entries, _palette, _more = footer_entries(screen)
    return {e.action: e.description for e in entries}


def _footer_problems(screen: Screen[Any], width: int) -> tuple[set[str], list[str]]:
    """The actions whose keys are on screen in the footer, and what is wrong with it."""
    problems: list[str] = []
    keys = list(screen.query_one(AppFooter).query(FooterKey))
    on_screen = {k.action for k in keys if k.region.width and k.region.right <= width}
    ordered = sorted((k.region for k in keys if k.region.width), key=lambda r: r.x)
    for left, right in pairwise(ordered):
        if left.right > right.x:
            problems.append(f"footer keys overlap at column {right.x}")
    return on_screen, problems


def _column_problems(screen: Screen[Any]) -> list[str]:
    """Columns the screen needs that end beyond their table's right edge."""
    problems: list[str] = []
    needed = getattr(screen, "NEEDED_COLUMNS", None)
    for table in screen.query(DataTable):
        if not table.display or not table.columns:
            continue
        room = table.scrollable_content_region.width
        right = table._row_label_column_width
        for column in table.ordered_columns:
            right += column.get_render_width(table)
            key = str(column.key.value)
            if (needed is None or key in needed) and right > room:
                problems.append(f"column {column.label.plain!r} of #{table.id} ends at {right}, "
                                f"the table is {room} wide")
    return problems


async def _check_screen(pilot: Any, name: str) -> list[str]:
    app = pilot.app
    screen = app.screen
    where = f"{name} ({type(screen).__name__})"
    on_screen, problems = _footer_problems(screen, SIZE[0])
    wanted = _shown_keys(screen)
    missing = {action: text for action, text in wanted.items() if action not in on_screen}
    if missing:
        await pilot.press("ctrl+g")
        await settle(pilot)
        overlay = app.screen
        listed = {e.action for e in overlay.entries} if isinstance(overlay, MoreKeysDialog) \
            else set()
        problems += [f"key {text!r} is neither in the footer nor behind the more-keys key"
                     for action, text in missing.items() if action not in listed]
        if isinstance(overlay, MoreKeysDialog):
            await pilot.press("escape")
            await settle(pilot)
        assert app.screen is screen, where
    problems += _column_problems(screen)
    return [f"{where}: {p}" for p in problems]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_every_screen_fits_80x24(folder: StoreDir, lang: str) -> None:
    app = build_app(folder, lang=lang)
    problems: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "admin", demo.DEMO_PASSWORD)
        await settle(pilot)
        for name, where, keys in ROUTES:
            if where is not None:
                app.action_go(where)
                await settle(pilot)
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            problems += await _check_screen(pilot, name)
    assert problems == [], "\n".join(problems)


async def test_the_more_keys_key_lists_and_runs_what_the_footer_leaves_out(
        folder: StoreDir) -> None:
    """At 80 columns the card list's footer ends with the more-keys key; it lists the rest
    (Void, Sort, Conclude, ...), and a listed key chosen there does what it says."""
    app = build_app(folder, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "clerk", demo.DEMO_PASSWORD)
        await pilot.press("f9")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CardListScreen)
        footer = list(screen.query_one(AppFooter).query(FooterKey))
        assert [k.key for k in footer][-2:] == ["ctrl+g", "ctrl+p"]
        assert footer[-2].description == "更多按键"
        shown = {k.action for k in footer}
        assert "sort" not in shown and "conclude" not in shown
        await pilot.press("ctrl+g")
        await settle(pilot)
        overlay = app.screen
        assert isinstance(overlay, MoreKeysDialog)
        listed = {e.action: e.description for e in overlay.entries}
        assert listed["sort"] == "排序" and "void" in listed and "conclude" in listed
        assert not shown & set(listed)
        # Under the list, the footer shows the list's keys, not the card list's.
        bottom = {k.action for k in screen.query_one(AppFooter).query(FooterKey)}
        assert "accept" not in bottom and "dismiss" in bottom
        order = screen.sort
        await pilot.press("s")  # the listed key itself: sorts the list behind
        await settle(pilot)
        assert app.screen is screen and screen.sort != order
        await pilot.press("ctrl+g")
        await settle(pilot)
        await pilot.press("ctrl+g")  # the key again closes the list
        await settle(pilot)
        assert app.screen is screen


async def test_a_wide_footer_keeps_the_palette_key_apart(folder: StoreDir) -> None:
    """At 120 columns the English card list's keys once ran under the palette key
    ("d Rever▏^p palettee")."""
    app = build_app(folder, lang="en")
    async with app.run_test(size=(120, 30)) as pilot:
        await login(pilot, "clerk", demo.DEMO_PASSWORD)
        await pilot.press("f9")
        await settle(pilot)
        _on_screen, problems = _footer_problems(app.screen, 120)
        assert problems == []
        keys = list(app.screen.query_one(AppFooter).query(FooterKey))
        assert all(k.region.right <= 120 for k in keys)
        assert any(k.key == "ctrl+g" for k in keys)


async def test_a_dialog_shows_its_own_keys_in_the_footer(folder: StoreDir) -> None:
    """A question over the destruction ledger: the footer at the bottom says Enter/Esc, not
    the ledger's keys, which do nothing while the question is open."""
    app = build_app(folder, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "admin", demo.DEMO_PASSWORD)
        app.action_go("destruction")
        await settle(pilot)
        ledger = app.screen
        before = {k.action for k in ledger.query_one(AppFooter).query(FooterKey)}
        assert "new_batch" in before
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is not ledger
        bottom = [k for k in ledger.query_one(AppFooter).query(FooterKey)
                  if k.region.width]
        assert bottom and "new_batch" not in {k.action for k in bottom}
        dialog_actions = {b.action for _n, b, _e, _t in app.screen.active_bindings.values()
                          if b.show}
        assert {k.action for k in bottom} - {"command_palette"} <= dialog_actions
        await pilot.press("escape")
        await settle(pilot)
        assert "new_batch" in {k.action for k in ledger.query_one(AppFooter).query(FooterKey)}


async def test_the_catalogue_cursor_stays_on_the_item_acted_on(folder: StoreDir) -> None:
    """Down ×4, report it missing (a dialog, then a reload): the cursor is still on it."""
    app = build_app(folder, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "clerk", demo.DEMO_PASSWORD)
        await pilot.press("f12")
        await settle(pilot)
        table = app.screen.query_one("#items", DataTable)
        table.focus()
        await pilot.press("down", "down", "down", "down")
        chosen = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert table.cursor_row == 4
        await pilot.press("x")
        await settle(pilot)
        await pilot.press(*"柜中未见", "ctrl+s")
        await settle(pilot)
        await settle(pilot)
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == chosen
        await pilot.press("enter")  # its chain of custody, then back
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == chosen


def test_the_more_keys_key_is_one_for_the_whole_app() -> None:
    from tui.app import StatdeskApp
    from tui.keys import key_in

    assert key_in(StatdeskApp, MORE_KEYS) == "Ctrl+G"
