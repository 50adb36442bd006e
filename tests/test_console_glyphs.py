"""Only what a console CJK font can draw reaches the screen (a bare Linux console under fbterm).

The font has ASCII, CJK ideographs, CJK symbols and punctuation, full-width forms, box
drawing and block elements; anything else comes out as a blank or a box. Both the committed
snapshot SVGs and the screens and dialogs reached through Pilot, in both languages, are read
for any other character.
"""

from __future__ import annotations

import ast
import html
import re
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.style import Style
from textual.geometry import Region
from textual.widgets import DataTable, Input

from store import i18n
from store.demo import build as demo
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from tests.conftest import ADMIN_PW, Store
from tests.tui_support import freeze, login, settle, type_into
from tools import po
from tui.app import StatdeskApp, build_app
from tui.terminal import ANSI16, ConsoleGlyphs

SNAPSHOTS = Path(__file__).parent / "__snapshots__" / "test_tui_snapshots"

DRAWABLE = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00A0),  # the no-break space the SVG export writes for a space
    (0x2500, 0x257F),  # box drawing
    (0x2580, 0x259F),  # block elements
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3400, 0x4DBF),  # CJK unified ideographs, extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xFF00, 0xFFEF),  # half-width and full-width forms
)
"""What the console's CJK font draws: the issue's list, kept here apart from the app's own
table (tui/glyphs.py) so that widening that table cannot quietly pass this test."""

_TEXT = re.compile(r"<text\b[^>]*>(.*?)</text>", re.S)


def drawable(ch: str) -> bool:
    return any(low <= ord(ch) <= high for low, high in DRAWABLE)


def svg_text(svg: str) -> str:
    """The characters an SVG screenshot draws, line by line of its text elements."""
    return "\n".join(html.unescape(found) for found in _TEXT.findall(svg))


def undrawable(text: str, where: str) -> list[str]:
    """One line per character the console cannot draw: the character, its code point, where."""
    found: dict[str, int] = {}
    for ch in text:
        if ch != "\n" and not drawable(ch):
            found[ch] = found.get(ch, 0) + 1
    return [f"{ch!r} U+{ord(ch):04X} ({n}x) on {where}" for ch, n in found.items()]


def test_the_rule_itself() -> None:
    assert undrawable("统计 ｜ OK -> 「」、。 ─│┌ █▌", "x") == []
    assert undrawable("a · b", "the test") == ["'·' U+00B7 (1x) on the test"]


def test_snapshots_draw_only_console_glyphs() -> None:
    pictures = sorted(SNAPSHOTS.glob("*.svg"))
    assert pictures, "no snapshot SVGs found"
    problems = [line for svg in pictures
                for line in undrawable(svg_text(svg.read_text(encoding="utf-8")), svg.name)]
    assert problems == [], "\n".join(problems)


REPLACED = {"tui/glyphs.py", "tui/terminal.py"}
"""The tables that name the characters they replace."""
WORD_ONLY = ("_files.py", "return_lists.py")
"""store/ modules whose messages are printed in Word files only, never drawn on the screen."""


def _strings(tree: ast.AST) -> list[str]:
    """Every string constant of a module but its docstrings."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef
                                | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
            and isinstance(node.value, str) and id(node) not in docstrings]


def test_the_screens_strings_hold_console_glyphs_only() -> None:
    """What a walk through the screens may miss: every string in tui/, and both languages of
    every message tui/ or store/ shows (Word-only messages may keep typographic marks)."""
    root = Path(__file__).resolve().parent.parent
    problems: list[str] = []
    for path in sorted((root / "tui").rglob("*.py")):
        name = str(path.relative_to(root))
        if name not in REPLACED:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            problems += undrawable("".join(_strings(tree)), name)
    shown = {msgid for msgid, places in po.extract().items()
             if any(p.startswith(("tui/", "store/")) and not p.split(":")[0].endswith(WORD_ONLY)
                    for p in places)}
    for catalog in po.CATALOGS:
        for msgid, msgstr in po.parse(catalog).items():
            if msgid in shown:
                text = (msgid + msgstr).replace(po.PLURAL, "")  # a plural's forms, separated
                problems += undrawable(text, f"{catalog.parent.parent.name}: {msgid!r}")
    assert problems == [], "\n".join(problems)


# --- every screen and dialog, through Pilot --------------------------------------------------


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo store, made once; each test works on a copy."""
    import os

    os.environ.setdefault("STATDESK_TEST_KDF_ITER", "1000")
    root = tmp_path_factory.mktemp("glyph-demo") / "data"
    demo.ensure_demo(DataPaths(root), cards=200)
    return root


EXPECTED_SCREENS = 36
"""How many different screens and dialogs the walk reaches."""


class Visit:
    """Walks the app, reading each screen it reaches for characters the console lacks."""

    def __init__(self, pilot: Any, lang: str) -> None:
        self.pilot, self.lang = pilot, lang
        self.problems: list[str] = []
        self.seen: list[str] = []

    @property
    def app(self) -> StatdeskApp:
        return self.pilot.app  # type: ignore[no-any-return]

    async def look(self, name: str) -> None:
        await settle(self.pilot)
        where = f"{name} [{self.lang}] ({type(self.app.screen).__name__})"
        self.seen.append(where)
        self.problems += undrawable(svg_text(self.app.export_screenshot()), where)

    async def keys(self, name: str, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.look(name)

    async def go(self, where: str, name: str | None = None) -> None:
        self.app.action_go(where)
        await self.look(name or where)

    async def back(self) -> None:
        await self.pilot.press("escape")
        await settle(self.pilot)


async def _wait_for(pilot: Any, ready: Callable[[], bool]) -> None:
    for _tick in range(150):
        if ready():
            return
        await pilot.pause(0.02)


async def _walk_logged_in(visit: Visit) -> None:
    pilot, app = visit.pilot, visit.app
    await visit.look("dashboard")
    app.notify(i18n._("screenshots are disabled"), severity="warning")
    await visit.look("dashboard with a toast")
    await visit.keys("help (F1)", "f1")
    await visit.keys("about (F1 a)", "a")
    await visit.back()
    await visit.back()
    await visit.keys("command palette", "ctrl+p")
    await pilot.press(*"audit")
    await visit.look("command palette, searching")
    await visit.back()
    await visit.back()

    await visit.go("cards", "card entry")
    await _wait_for(pilot, lambda: bool(getattr(app.screen, "tables", None)))
    await pilot.press("ctrl+s")
    await visit.look("card entry, refused")
    await visit.go("card_list", "card list")
    await visit.keys("card detail", "o")
    await visit.back()
    await visit.keys("card list filters", "f")
    await visit.back()
    await visit.go("report")
    for view in range(3):
        await visit.keys(f"report, view {view + 2}", "v")
    await visit.go("analysis")
    await visit.go("desk")
    await type_into(pilot, "#borrower", "zzz-nobody")
    await visit.look("desk, unknown borrower")
    await visit.keys("returns", "ctrl+r")
    await visit.go("catalogue")
    await visit.keys("chain of custody", "enter")
    await visit.back()
    await visit.keys("people", "m")
    await visit.back()
    await visit.keys("register an item", "a")
    await visit.back()
    await visit.go("register", "secrecy register")
    await visit.keys("copy chain", "enter")
    await visit.back()
    await visit.go("checks", "checklist runs")
    await visit.keys("checklist", "enter")
    await visit.go("incidents")
    await visit.go("destruction")
    await visit.keys("new batch, asked", "n")
    await visit.back()
    await visit.keys("destruction batch", "enter")
    await visit.go("holds")
    await visit.keys("hold dialog", "a")
    await visit.back()
    await visit.go("backups")
    await visit.keys("backup in progress", "b")
    await settle(pilot)
    await visit.look("backup done")
    await visit.keys("backup verification", "v")
    await visit.back()
    await visit.go("settings")
    await visit.go("codes", "code tables")
    await visit.keys("code tables, next table", "t")
    await visit.go("operators")
    await visit.keys("add an operator", "a")
    await visit.back()
    await visit.go("audit", "audit log")
    app.screen.query_one(DataTable).focus()
    await visit.keys("audit entry", "enter")
    await visit.back()
    await visit.keys("audit verify", "v")
    await visit.go("dashboard", "dashboard again")
    await visit.keys("lock screen", "ctrl+l")


async def _walk(store_root: Path, lang: str) -> Visit:
    with StoreDir(DataPaths(store_root)) as folder:
        app = build_app(folder, lang=lang)
        async with app.run_test(size=(100, 30)) as pilot:
            visit = Visit(pilot, lang)
            await visit.look("login")
            await type_into(pilot, "#operator", "admin")
            await type_into(pilot, "#password", "not-the-password")
            await visit.look("login, refused")
            await visit.keys("recovery code", "ctrl+r")
            await visit.back()
            await settle(pilot)
            folder.failures._save({})
            await login(pilot, "admin", demo.DEMO_PASSWORD)
            await _walk_logged_in(visit)
    return visit


async def _first_run(root: Path, lang: str) -> Visit:
    with StoreDir(DataPaths(root), create=True) as folder:
        app = build_app(folder, lang=lang)
        async with app.run_test(size=(100, 30)) as pilot:
            visit = Visit(pilot, lang)
            await visit.look("first run")
            await type_into(pilot, "#unit", "某某县人民检察院")
            await type_into(pilot, "#admin", "admin")
            await type_into(pilot, "#display", "王管理")
            await type_into(pilot, "#password", "short")
            await visit.look("first run, refused")
            await type_into(pilot, "#password", "admin-password-1")
            await type_into(pilot, "#confirm", "admin-password-1")
            await visit.look("recovery code shown")
    return visit


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_every_screen_draws_only_console_glyphs(
        demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    freeze(monkeypatch)
    root = tmp_path / "data"
    shutil.copytree(demo_template, root)
    walks: list[Callable[[], Awaitable[Visit]]] = [
        lambda: _walk(root, lang), lambda: _first_run(tmp_path / "new", lang)]
    problems: list[str] = []
    seen: list[str] = []
    for walk in walks:
        visit = await walk()
        problems += visit.problems
        seen += visit.seen
    reached = {where.rsplit("(", 1)[1].rstrip(")") for where in seen}
    assert len(reached) >= EXPECTED_SCREENS, sorted(reached)  # a broken walk reads too little
    assert problems == [], "\n".join(problems)


# --- 16 colours (TERM=linux) -----------------------------------------------------------------


def _standard(colour: RichColor | None) -> int | None:
    """The colour as a 16-colour terminal gets it (rich's downgrade, as on output)."""
    return None if colour is None else colour.downgrade(ColorSystem.STANDARD).number


def _cells(app: StatdeskApp, region: Region) -> list[tuple[str, int | None, int | None]]:
    """(character, foreground, background) of each cell of `region` as drawn in 16 colours.

    Read from the screen's compositor, the lines Textual writes to the terminal (after its
    line filters); reversed cells have their colours swapped, as the terminal shows them.
    """
    strips = app.screen._compositor.render_strips()
    found: list[tuple[str, int | None, int | None]] = []
    for y in range(region.y, region.bottom):
        x = 0
        for segment in strips[y]:
            style = segment.style or Style()
            fore, back = _standard(style.color), _standard(style.bgcolor)
            if style.reverse:
                fore, back = back, fore
            for ch in segment.text:
                if region.x <= x < region.right:
                    found.append((ch, fore, back))
                x += cell_len(ch)
    return found


def _letters(app: StatdeskApp, field: Input) -> tuple[set[int | None], set[int | None]]:
    """The foreground colours of the letters in a field, and its backgrounds (as the Linux
    console draws them: it has no bright backgrounds, colour 8-15 behind text is 0-7)."""
    cells = _cells(app, field.content_region)
    return ({fore for ch, fore, _back in cells if ch.strip()},
            {None if back is None else back % 8 for _ch, _fore, back in cells})


def _beside(app: StatdeskApp, field: Input) -> int | None:
    """The background just left of the field (its form, or the screen) on the Linux console."""
    region = field.region
    back = _cells(app, Region(region.x - 1, region.y + region.height // 2, 1, 1))[0][2]
    return None if back is None else back % 8


@pytest.fixture
def sixteen_colours(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bare Linux console: rich picks its 16-colour "standard" system from TERM=linux."""
    monkeypatch.setenv("TERM", "linux")
    monkeypatch.delenv("COLORTERM", raising=False)


async def _field_stands_out(pilot: Any, field: Input, elsewhere: Input, value: str) -> None:
    app = pilot.app
    elsewhere.focus()  # no cursor in the field measured
    field.value = ""
    await pilot.pause()
    hint_colours, hint_backs = _letters(app, field)
    field.value = value
    await pilot.pause()
    typed_colours, typed_backs = _letters(app, field)
    assert hint_colours and typed_colours
    assert hint_colours.isdisjoint(typed_colours), (field.id, hint_colours, typed_colours)
    around = {_beside(app, field), _cells(app, Region(0, app.size.height // 2, 1, 1))[0][2]}
    assert (hint_backs | typed_backs).isdisjoint(around), (field.id, hint_backs, around)


async def test_sixteen_colours_a_field_and_its_placeholder_stand_out(
        store: Store, sixteen_colours: None) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="zh")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.console.color_system == "standard"
            assert app.has_class(ANSI16)
            screen = app.screen
            await _field_stands_out(pilot, screen.query_one("#operator", Input),
                                    screen.query_one("#password", Input), "admin")
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("f9")  # the card list: one-line filter fields above the table
            await settle(pilot)
            screen = app.screen
            await _field_stands_out(pilot, screen.query_one("#card-search", Input),
                                    screen.query_one("#card-dept", Input), "2026")


async def test_sixteen_colours_draw_a_stand_in_for_what_the_font_lacks(
        store: Store, sixteen_colours: None) -> None:
    """A name typed with a middle dot (阿依古丽·买买提) shows a full stop on the console."""
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="zh")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            name = app.screen.query_one("#operator", Input)
            name.value = "阿依古丽·买买提"
            app.screen.query_one("#password", Input).focus()
            await pilot.pause()
            drawn = "".join(ch for ch, _fore, _back in _cells(app, name.content_region))
            assert "阿依古丽.买买提" in drawn.replace(" ", "")


async def test_full_colour_terminals_keep_the_theme(store: Store) -> None:
    """The test run's terminal is truecolor (tests/conftest.py): no 16-colour rules, no
    stand-ins, so the snapshots show the theme as it is."""
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.console.color_system == "truecolor"
            assert not app.has_class(ANSI16)
            assert not any(isinstance(f, ConsoleGlyphs) for f in app.get_line_filters())
