"""`statdesk selfcheck`: is this installation whole? Run after installing or upgrading.

Each check prints one line; the exit status is 0 only when every check passed.
Nothing in a store is written: the app is started headless on the data folder's
store up to its login screen (or, with no store there or the store open in the app,
on an empty temporary folder up to its first-run screen) and closed again.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from store import i18n
from store.i18n import _, ngettext

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from store.vault.paths import DataPaths

PACKAGES = ("statdesk", "store", "exports", "tui")
"""statdesk's own packages: every module in them must import."""


def _modules() -> str:
    count = 0
    for name in PACKAGES:
        package = importlib.import_module(name)
        count += 1
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            if info.name.rsplit(".", 1)[-1] == "__main__":
                continue
            importlib.import_module(info.name)
            count += 1
    return _("{n} modules import").format(n=count)


def _styles() -> str:
    """Every screen's style sheet is where the screen will look for it."""
    from textual.app import App
    from textual.screen import Screen

    import tui

    found = 0
    for info in pkgutil.walk_packages(tui.__path__, prefix="tui."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Screen | App) \
                    and value.__module__ == info.name:
                for sheet in _sheets(value):
                    path = Path(module.__file__ or "").parent / sheet
                    if not path.is_file():
                        raise FileNotFoundError(path)
                    found += 1
    return _("{n} style sheets present").format(n=found)


def _sheets(cls: type) -> list[str]:
    paths = vars(cls).get("CSS_PATH")
    if paths is None:
        return []
    return [str(p) for p in (paths if isinstance(paths, list | tuple) else [paths])]


def _catalog() -> str:
    mo = i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    if not mo.is_file():
        raise FileNotFoundError(mo)
    current = i18n.language()
    try:
        i18n.set_language("zh")
        chinese = i18n._("Help")
    finally:
        i18n.set_language(current)
    if chinese == "Help":
        raise ValueError(_("the Chinese catalog has no translations"))
    return _("the Chinese catalog is present ({word})").format(word=chinese)


def _cipher() -> str:
    """A keyed database round trip on disk, and the file is not plaintext."""
    from store.vault import cipher
    from store.vault.paths import SQLITE_HEADER

    cipher.quiet_cipher_log()
    key, salt = secrets.token_bytes(cipher.KEY_BYTES), secrets.token_bytes(cipher.SALT_BYTES)
    with tempfile.TemporaryDirectory(prefix="statdesk-selfcheck-") as folder:
        path = Path(folder) / "check.db"
        conn = cipher.connect_raw(str(path), key, salt)
        try:
            conn.execute("CREATE TABLE t (word TEXT)")
            conn.execute("INSERT INTO t VALUES ('统计')")
            conn.commit()
        finally:
            conn.close()
        if path.read_bytes()[:16] == SQLITE_HEADER or "统计".encode() in path.read_bytes():
            raise ValueError(_("the database file was written in plaintext"))
        conn = cipher.connect_raw(str(path), key, salt)
        try:
            word = conn.execute("SELECT word FROM t").fetchone()[0]
        finally:
            conn.close()
    if word != "统计":
        raise ValueError(_("the encrypted database did not read back"))
    from store.vault.installed import versions

    return _("SQLCipher {v} encrypts and reads back").format(v=versions().sqlcipher)


def _word() -> str:
    import docx

    document = docx.Document()
    document.add_paragraph("统计资料管理台")
    buffer = io.BytesIO()
    document.save(buffer)
    return _("Word files can be written ({n} bytes)").format(n=len(buffer.getvalue()))


def _start(paths: DataPaths) -> str:
    """Start the app headless, wait for its first screen, close it.

    On the data folder's store when there is one (opening a folder finishes a restore that a
    crash interrupted, as every start does); on an empty temporary folder when there is none,
    or when the app has the store open now (its lock is not taken from it).
    """
    from store.errors import StoreBusy
    from store.vault.folder import StoreDir
    from store.vault.paths import DataPaths as Paths

    with tempfile.TemporaryDirectory(prefix="statdesk-selfcheck-") as empty:
        spare = Paths(Path(empty) / "data")
        if paths.db.exists():
            try:
                with StoreDir(paths) as folder:
                    return _headless(folder)
            except StoreBusy:
                with StoreDir(spare, create=True) as folder:
                    return _("{outcome} (the store is open in statdesk now: started on an "
                             "empty folder instead)").format(outcome=_headless(folder))
        with StoreDir(spare, create=True) as folder:
            return _headless(folder)


def _headless(folder: object) -> str:
    from tui.app import build_app
    from tui.screens.first_run import FirstRunScreen
    from tui.screens.login import LoginScreen

    app = build_app(folder, lang=i18n.language())  # type: ignore[arg-type]
    reached: list[str] = []

    async def walk(pilot: Pilot[object]) -> None:
        for _attempt in range(200):
            await pilot.pause(0.02)
            if isinstance(app.screen, LoginScreen | FirstRunScreen):
                reached.append(type(app.screen).__name__)
                break
        app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=walk)
    if not reached:
        raise RuntimeError(_("the app did not reach its login screen"))
    screen = _("the login screen") if reached[0] == "LoginScreen" else _("the first-run screen")
    return _("the app starts and shows {screen}").format(screen=screen)


def run(paths: DataPaths, say: Callable[[str], None]) -> int:
    """Run every check; one line each. 0 when all passed."""
    from statdesk.about import report

    lines, whole = report()
    say(" / ".join(lines))
    failed = 0 if whole else 1
    checks: list[tuple[str, Callable[[], str]]] = [
        (_("modules"), _modules), (_("styles"), _styles), (_("messages"), _catalog),
        (_("encryption"), _cipher), (_("Word"), _word),
        (_("start"), lambda: _start(paths)),
    ]
    for label, check in checks:
        try:
            outcome = check()
        except Exception as exc:
            failed += 1
            say(_("FAILED  {label}: {why} ({kind})").format(label=label, why=exc,
                                                         kind=type(exc).__name__))
        else:
            say(_("ok      {label}: {what}").format(label=label, what=outcome))
    say(_("statdesk is installed and works") if not failed
        else ngettext("{n} check failed: this installation is not usable",
                      "{n} checks failed: this installation is not usable", failed).format(
                          n=failed))
    return 0 if not failed else 1
