"""The Chinese app says everything in Chinese (issue 18, point 11).

Every screen (each destination, opened as its key opens it), every dialog its own keys open,
F1 over each, the command palette, and every command's `--help` and a typical output are read
in Chinese; a Latin word there that is not a code (R01, D7, SCDB), a key name (F3, Ctrl+B,
Esc), a command or option of statdesk's own, a product's name (SQLCipher, Word), a number, a
file name, a path or a hash is English left over, and is named with where it was found.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from statdesk import cli
from store import i18n
from store.cards import seed_codes
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, Store
from tests.tui_support import login, screen_text, settle
from tui import navigation
from tui.app import build_app
from tui.keys import our_keys

NAMES = frozenset({
    "statdesk", "STATDESK", "SQLCipher", "SQLite", "Word", "Ctrl", "Esc", "Enter", "Tab",
    "Shift", "Up", "Down", "Left", "Right", "PgUp", "PgDn", "Home", "End", "Space", "Backspace",
    "Del", "docx", "sdbk", "json", "txt",
    "esc", "enter", "tab", "space", "del", "delete", "backspace", "pageup", "pagedown", "home",
    "end", "up", "down", "left", "right", "ctrl", "shift"})
"""Names that stay as they are in Chinese: products, key names (the footer writes them in small
letters, "esc", "^p"), file kinds."""
LOGINS = frozenset({"admin", "clerk"})
"""The test store's login names: what an operator types to log in (their names are Chinese)."""
_SEEDED = [(e.name_en, e.short) for entries in seed_codes.CODES_2026.values() for e in entries] + [
    (row[2], row[3]) for table in (seed_codes.DEPARTMENTS, seed_codes.BUSINESS_TYPES,
                                   seed_codes.OUTCOMES, seed_codes.CHARGES, seed_codes.RANKS)
    for row in table]
WORD_OF = re.compile(r"[A-Za-z]+")
SHORTS = frozenset(short for _, short in _SEEDED)
"""The code tables' short codes (pinyin initials such as dyjcb): codes typed to find an entry."""
CODE_NAMES = frozenset(w for name, _ in _SEEDED for w in WORD_OF.findall(name))
"""The code tables' English names: data the code dialog edits in its English-name field."""
LANGUAGES = frozenset({"English"})
"""The settings' choice of language names each language in its own words."""
GLYPHS = frozenset({"OK"})
"""The screens' console mark for done or passed (tui.glyphs.OK), before a Chinese sentence."""
NOT_CODES = frozenset({"OK", "PRAGMA", "FAILED", "NOTE", "WARNING", "ERROR", "NEW", "YES", "NO"})
"""Capital words that are English, not codes."""
LEFT_ALONE = re.compile(
    r"`[^`]*`"                              # a command quoted to be typed
    r"|'[^'\s]*'"                           # a value quoted as typed: 'nobody'
    r"|「[^」]*」"                            # a value quoted in Chinese
    r"|\{[^{}]*\}"                          # a template's field: 统-{year}-{n:04d}
    r"|(?<![\w-])--?[a-z][a-z0-9-]*"        # an option: --data-dir, -h
    r"|\$?[A-Z][A-Z0-9_]*_[A-Z0-9_]+"       # an environment variable: STATDESK_DATA_DIR
    r"|\S*[/\\]\S*"                         # a path
    r"|[\w.-]+\.(?:docx|sdbk|json|txt|mo|po|py|db|keys|lock)\b"  # a file name
    r"|\b[0-9a-f]{7,}\b"                    # a hash
    r"|\b[A-Za-z]{1,3}-\d{4}-\d+\b")        # a number such as 销-2026-001's Latin kin
WORD = re.compile(r"[A-Za-z]+")


def english(text: str, allowed: frozenset[str] = LOGINS | GLYPHS | SHORTS | LANGUAGES,
            ) -> list[str]:
    """The Latin words of `text` that are not codes, key names, names of ours or paths."""
    found = []
    for line in text.splitlines():
        cleaned = LEFT_ALONE.sub(" ", line)
        for word in WORD.findall(cleaned):
            if len(word) == 1 or word in NAMES or word in allowed:
                continue
            if "Ctrl".startswith(word) and f"{word}│" in line:
                continue  # a key name cut where a dialog covers the screen behind it
            if re.fullmatch(r"[fF]\d{1,2}", word):
                continue  # a function key as the footer writes it: f1
            if word.isupper() and len(word) <= 5 and word not in NOT_CODES:
                continue  # a code: SCDB, ZZLA, FTJ (rule codes carry digits and are cut off)
            found.append(f"{word!r} in {line.strip()!r}")
    return found


# --- the command line ---------------------------------------------------------------------

def _parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
             ) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))


def _ours(parser: argparse.ArgumentParser) -> frozenset[str]:
    """statdesk's own command names and the values its options take (typed as they are)."""
    words: set[str] = set()
    for _path, one in _parsers(parser):
        for action in one._actions:
            for choice in action.choices or ():
                words.update(WORD.findall(str(choice)))
        words.update(WORD.findall(one.prog))
    return frozenset(words)


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("STATDESK_LANG", "zh")
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


def test_every_command_help_is_chinese(chinese: None, cli_run) -> None:  # type: ignore[no-untyped-def]
    ours = _ours(cli.build_parser()) | LOGINS
    found = []
    for path, _parser in _parsers(cli.build_parser()):
        if "report-zero" in path:
            path = ("report", "zero")
        result = cli_run([*path, "--help", "--lang", "zh"])
        assert result.code == 0, path
        found += [f"statdesk {' '.join(path)} --help: {w}" for w in english(result.out, ours)]
    assert not found, "\n".join(found)


def test_usage_errors_are_chinese(chinese: None, cli_run) -> None:  # type: ignore[no-untyped-def]
    ours = _ours(cli.build_parser()) | LOGINS
    found = []
    for argv in (["--lang", "zh", "user", "add"], ["--lang", "zh", "--lang-x"],
                 ["--lang", "zh", "user", "nobody"], ["--lang", "zh", "demo", "--cards", "x"],
                 ["--lang", "zh", "export"], ["--lang", "xx"]):
        result = cli_run(argv)
        assert result.code == 2, argv
        found += [f"statdesk {' '.join(argv)}: {w}" for w in english(result.err, ours)]
    assert not found, "\n".join(found)


def test_typical_outputs_are_chinese(chinese: None, store: Store,
                                     cli_run) -> None:  # type: ignore[no-untyped-def]
    ours = _ours(cli.build_parser()) | LOGINS
    data = ["--data-dir", str(store.paths.root), "--lang", "zh"]
    auth = [*data, "--user", "admin", "--password-stdin"]
    found = []
    for argv, stdin in ((["user", "list", *auth], ADMIN_PW + "\n"),
                        (["audit", "verify", *auth], ADMIN_PW + "\n"),
                        (["backup", *auth], ADMIN_PW + "\n"),
                        (["codes", "offered", *auth], ADMIN_PW + "\n"),
                        (["report", "2026-11", *auth], ADMIN_PW + "\n")):
        result = cli_run(argv, stdin)
        said = result.out + result.err
        if argv[0] == "backup":
            made = re.search(r"\S+\.sdbk", said)
            assert made, said
            verified = cli_run(["backup", "verify", made.group(), *auth], ADMIN_PW + "\n")
            said += verified.out + verified.err
        found += [f"statdesk {argv[0]} {argv[1]}: {w}" for w in english(said, ours)]
    assert not found, "\n".join(found)


# --- the app ------------------------------------------------------------------------------

def _drawn(pilot: Pilot[Any]) -> str:
    """What the screen draws (its own compositor) and the whole text of its widgets."""
    strips = pilot.app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips) + "\n" + screen_text(pilot)


NAVIGATION = {"help", "quit", "lock", "back", "app.back", "command_palette"}


async def _dialogs_of(pilot: Pilot[Any], where: str, found: list[str]) -> None:
    """Each key of the screen that opens a dialog: what the dialog says, then Esc."""
    app = pilot.app
    screen = app.screen
    for key in our_keys(screen):
        action = key.action.removeprefix("app.")
        if action in NAVIGATION or action.startswith("go(") or key.node is app:
            continue
        if app.screen is not screen:
            break
        await pilot.press(*_keys(key.key))
        await settle(pilot)
        if app.screen is not screen and not isinstance(app.screen, type(screen)):
            data = CODE_NAMES if type(app.screen).__name__ == "CodeDialog" else frozenset()
            found += [f"{where} {key.key} ({type(app.screen).__name__}): {w}"
                      for w in english(_drawn(pilot), LOGINS | GLYPHS | SHORTS | LANGUAGES | data)]
            for _ in range(3):
                if app.screen is screen:
                    break
                await pilot.press("escape")
                await settle(pilot)
            if app.screen is not screen and isinstance(app.screen, Screen):
                await pilot.press("d")  # an "unsaved changes" question: discard
                await settle(pilot)


def _keys(shown: str) -> list[str]:
    first = shown.split(" / ")[0]
    *mods, last = first.split("+")
    name = {"Esc": "escape", "Enter": "enter", "PgUp": "pageup", "PgDn": "pagedown",
            "Del": "delete", "Space": "space", "Tab": "tab"}.get(last, last)
    name = name.lower() if len(name) > 1 or mods else name
    return ["+".join([*(m.lower() for m in mods), name])]


async def test_every_screen_is_chinese(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATDESK_LANG", "zh")
    found: list[str] = []
    try:
        with StoreDir(store.paths) as folder:
            app = build_app(folder, lang="zh")
            async with app.run_test(size=(160, 50)) as pilot:
                await settle(pilot)
                found += [f"login: {w}" for w in english(_drawn(pilot))]
                await login(pilot, "admin", ADMIN_PW)
                for where in navigation.DESTINATIONS:
                    navigation.go(app, where)
                    await settle(pilot)
                    found += [f"{where}: {w}" for w in english(_drawn(pilot))]
                    await pilot.press("f1")
                    await settle(pilot)
                    found += [f"{where} F1: {w}" for w in english(_drawn(pilot))]
                    await pilot.press("escape")
                    await settle(pilot)
                    await _dialogs_of(pilot, where, found)
                navigation.go(app, "dashboard")
                await settle(pilot)
                await pilot.press("ctrl+p")
                await settle(pilot)
                found += [f"palette: {w}" for w in english(_drawn(pilot))]
    finally:
        i18n.set_language("en")
    assert not found, "\n".join(dict.fromkeys(found))
