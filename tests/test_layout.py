"""The layering of DESIGN.md and the vetted dependency set, checked on the source."""

from __future__ import annotations

import ast
import tomllib

from tests.conftest import REPO


def _imports(folder: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (REPO / folder).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
        found[str(path.relative_to(REPO))] = names
    return found


def test_store_and_exports_never_import_textual() -> None:
    for folder in ("store", "exports"):
        offenders = [p for p, names in _imports(folder).items()
                     if {n.split(".")[0] for n in names} & {"textual", "rich", "tui"}]
        assert offenders == []


def test_screens_never_touch_peewee() -> None:
    forbidden = ("peewee", "playhouse", "sqlcipher3", "store.models", "store.vault.database")
    offenders = [p for p, names in _imports("tui").items()
                 if any(n == f or n.startswith(f + ".") for n in names for f in forbidden)]
    assert offenders == []


def test_runtime_dependencies_are_exactly_the_vetted_set() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    names = {dep.split(">")[0].split("=")[0].split("<")[0].strip().lower()
             for dep in project["dependencies"]}
    assert names == {"textual", "peewee", "sqlcipher3", "python-docx", "appdirs"}
    assert "textual-dev" not in " ".join(project["optional-dependencies"]["dev"])


def test_layout_of_the_design_exists() -> None:
    for folder in ("tui", "tui/screens", "store", "exports", "tests", "bench"):
        assert (REPO / folder).is_dir(), folder


def test_the_login_screen_does_not_load_the_database_layer() -> None:
    """Start-up stays close to a bare Textual app only while this holds (see bench)."""
    import subprocess
    import sys

    code = ("import sys, statdesk.cli, statdesk.commands, tui.app, tui.screens.login, "
            "tui.screens.first_run; print(sorted(m for m in ('peewee', 'store.vault.database', "
            "'store.models') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, check=True).stdout.strip()
    assert out == "[]"


def test_arrows_point_down_statdesk_tui_exports_store() -> None:
    """DESIGN.md's layers: store/ imports none of the others (the catalog is its own), and
    exports/ turns the store's records into documents without the app or the command line."""
    above = {"store": {"exports", "statdesk", "tui", "bench", "tools"},
             "exports": {"statdesk", "tui", "bench", "tools"}}
    for folder, forbidden in above.items():
        offenders = sorted(f"{p}: {sorted(n for n in names if n.split('.')[0] in forbidden)}"
                           for p, names in _imports(folder).items()
                           if {n.split(".")[0] for n in names} & forbidden)
        assert offenders == [], offenders
