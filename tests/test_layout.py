"""The layering of DESIGN.md and the vetted dependency set, checked on the source.

Arrows point down statdesk → tui → exports → store, and no file imports its way back to itself.
The imports are read with `ast` (no module is run): `import a.b` and `from a import b` name
`a.b`, `from a import b` names `a` too, relative imports are resolved against their package.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tests.conftest import REPO

PACKAGES = ("statdesk", "tui", "exports", "store")
"""statdesk's own packages, from the top layer down."""


@dataclass(frozen=True)
class Import:
    """One module named by an import statement of a source file."""

    name: str
    """The module (or module.attribute) named, made absolute."""
    line: int
    in_function: bool
    """Run when the function is called, not when the module loads."""
    typing_only: bool
    """Under `if TYPE_CHECKING:`: read by type checkers, never run."""


@dataclass(frozen=True)
class Source:
    module: str
    path: Path
    imports: tuple[Import, ...]

    @property
    def where(self) -> str:
        return str(self.path.relative_to(REPO))


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _typing_only_nodes(tree: ast.AST) -> set[int]:
    """Every node inside the body of an `if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for statement in node.body for inner in ast.walk(statement))
    return skipped


def _function_nodes(tree: ast.AST) -> set[int]:
    return {id(inner) for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            for inner in ast.walk(node) if inner is not node}


def _named(node: ast.Import | ast.ImportFrom, package: str) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:  # from . import x / from ..y import z
        parts = package.split(".")
        parts = parts[:len(parts) - (node.level - 1)]
        base = ".".join([*parts, base] if base else parts)
    yield base
    yield from (f"{base}.{alias.name}" for alias in node.names if alias.name != "*")


def _read(path: Path) -> Source:
    module = _module_of(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only, in_function = _typing_only_nodes(tree), _function_nodes(tree)
    found = tuple(Import(name, node.lineno, id(node) in in_function, id(node) in typing_only)
                  for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
                  for name in _named(node, package))
    return Source(module, path, found)


@cache
def _sources() -> dict[str, Source]:
    """Every module of statdesk's packages (the message catalogs' folders aside), by name."""
    found = [_read(path) for package in PACKAGES for path in sorted((REPO / package).rglob("*.py"))
             if "locale" not in path.parts]
    return {source.module: source for source in found}


def _in(folder: str) -> list[Source]:
    return [s for s in _sources().values() if s.module == folder or
            s.module.startswith(folder + ".")]


def _under(name: str, roots: set[str] | tuple[str, ...]) -> bool:
    return any(name == root or name.startswith(root + ".") for root in roots)


def _offenders(folder: str, forbidden: set[str] | tuple[str, ...]) -> list[str]:
    """`path:line imports name` for each import of `folder`'s modules (TYPE_CHECKING ones too)
    that names a forbidden module or anything inside it."""
    return sorted(f"{source.where}:{found.line} imports {found.name}" for source in _in(folder)
                  for found in source.imports if _under(found.name, forbidden))


def test_store_and_exports_never_import_textual() -> None:
    for folder in ("store", "exports"):
        assert _offenders(folder, ("textual", "rich")) == []


MODELS = re.compile(r"store(\.\w+)*\.models(\.|$)")
"""`store.models` and every domain's `store.<domain>.models`."""


def _models_elsewhere() -> set[str]:
    """`module.Class` of each model declared in a store module other than a `models` one
    (`store.operators.Operator`, `store.settings.Setting`, ...): a class whose base is a
    peewee model."""
    found = set()
    for source in _in("store"):
        if MODELS.match(source.module):
            continue
        tree = ast.parse(source.path.read_text(encoding="utf-8"))
        found.update(f"{source.module}.{node.name}" for node in tree.body
                     if isinstance(node, ast.ClassDef)
                     and any(ast.unparse(base).endswith("Model") for base in node.bases))
    return found


def test_screens_and_documents_never_touch_peewee() -> None:
    """The app and the Word files take the store's typed records from its services: neither
    queries the database, nor sees a model."""
    forbidden = ("peewee", "playhouse", "sqlcipher3", "store.vault.database")
    elsewhere = _models_elsewhere()
    assert "store.operators.Operator" in elsewhere
    for folder in ("tui", "exports"):
        assert _offenders(folder, forbidden) == [], folder
        models = sorted(f"{source.where}:{found.line} imports {found.name}"
                        for source in _in(folder) for found in source.imports
                        if MODELS.match(found.name) or found.name in elsewhere)
        assert models == []


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
    """DESIGN.md's layers: store/ imports none of the others (the catalog is its own),
    exports/ turns the store's records into documents without the app or the command line,
    and the app never reaches up into the command line."""
    above = {"store": {"exports", "statdesk", "tui", "bench", "tools"},
             "exports": {"statdesk", "tui", "bench", "tools"},
             "tui": {"statdesk", "bench", "tools"}}
    for folder, forbidden in above.items():
        offenders = _offenders(folder, forbidden)
        assert offenders == [], offenders


def test_the_screens_never_import_the_app_at_run_time() -> None:
    """Screens, dialogs, panels and widgets are handed the app; they name its class for the
    type checker only (`if TYPE_CHECKING:`), so the app module is never loaded through them."""
    offenders = sorted(f"{source.where}:{found.line} imports {found.name}"
                       for source in _in("tui") if source.module != "tui.app"
                       for found in source.imports
                       if not found.typing_only and _under(found.name, ("tui.app",)))
    assert offenders == [], offenders


def _graph() -> dict[str, dict[str, Import]]:
    """module → {module it imports at run time: the first such import}; TYPE_CHECKING imports
    aside, imports inside functions included (they make a circle when the function runs)."""
    sources = _sources()
    graph: dict[str, dict[str, Import]] = {}
    for name, source in sources.items():
        edges: dict[str, Import] = {}
        for found in source.imports:
            if not found.typing_only and found.name in sources and found.name != name:
                edges.setdefault(found.name, found)
        graph[name] = edges
    return graph


def _circles(graph: dict[str, dict[str, Import]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component: list[str] = []
            while not component or component[-1] != module:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(found)


def _told(circle: list[str], graph: dict[str, dict[str, Import]]) -> str:
    """A circle as its modules, then each import that holds it together, file and line."""
    sources = _sources()
    lines = [" ↔ ".join(circle) + ":"]
    for module in circle:
        for target, found in sorted(graph[module].items()):
            if target in circle:
                inside = " (inside a function)" if found.in_function else ""
                lines.append(f"    {sources[module].where}:{found.line} imports {target}{inside}")
    return "\n".join(lines)


def test_the_circle_finder_sees_what_it_must() -> None:
    """The walk itself: a circle through a function-level import counts, one closed only by a
    TYPE_CHECKING import does not, and `from package import module` names the module."""
    tree = ast.parse("from typing import TYPE_CHECKING\nfrom store import clock\n"
                     "if TYPE_CHECKING:\n    from tui import app\n"
                     "def later():\n    from .sibling import thing\n")
    package = "exports"
    typing_only, in_function = _typing_only_nodes(tree), _function_nodes(tree)
    named = {(name, id(node) in typing_only, id(node) in in_function) for node in ast.walk(tree)
             if isinstance(node, ast.Import | ast.ImportFrom) for name in _named(node, package)}
    assert ("store.clock", False, False) in named and ("tui.app", True, False) in named
    assert ("exports.sibling.thing", False, True) in named
    here = Import("x", 1, False, False)
    assert _circles({"a": {"b": here}, "b": {"c": here}, "c": {"a": here}, "d": {"a": here}}) \
        == [["a", "b", "c"]]
    assert _circles({"a": {"b": here}, "b": {}}) == []


def test_no_import_circles_between_files() -> None:
    """Issue 16 (4): no module of statdesk/, tui/, exports/ or store/ imports, at load time or
    inside a function, a module that leads back to it."""
    graph = _graph()
    circles = _circles(graph)
    assert circles == [], "import circles (TYPE_CHECKING imports aside):\n" + "\n".join(
        _told(circle, graph) for circle in circles)
