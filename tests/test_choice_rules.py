"""Every choice list is a `Choice` and every form moves on from it (issue 18, point 4): checks
of the code itself, apart from the forms' Pilot tests (tests/test_forms_18.py)."""

from __future__ import annotations

import ast
from pathlib import Path

from tui.dialogs.form import FormDialog

REPO = Path(__file__).resolve().parent.parent


def _bare_selects(tree: ast.AST) -> list[int]:
    """Lines that build Textual's `Select(...)` itself (not a `Choice`)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            called = node.func.value if isinstance(node.func, ast.Subscript) else node.func
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            if name == "Select":
                found.append(node.lineno)
    return found


def test_every_choice_list_of_the_screens_is_a_choice() -> None:
    """Textual's Select opens on Enter: the screens and forms build `Choice` (tui/widgets/
    choice.py), never a bare `Select(...)`."""
    bare = [f"{path.relative_to(REPO)}:{line}" for path in sorted((REPO / "tui").rglob("*.py"))
            for line in _bare_selects(ast.parse(path.read_text(encoding="utf-8")))]
    assert bare == []


def test_every_form_dialog_moves_on_from_its_choices() -> None:
    """Every FormDialog subclass in the code base: its choice lists are `Choice`s, and Enter
    on any field goes through the form's `move_on` (on the last field it saves)."""
    import importlib
    import inspect
    import pkgutil
    import textwrap

    import tui

    for module in pkgutil.walk_packages(tui.__path__, "tui."):
        importlib.import_module(module.name)

    def below(cls: type) -> list[type]:
        found: list[type] = []
        direct: type
        for direct in cls.__subclasses__():
            found += [direct, *below(direct)]
        return found

    forms = below(FormDialog)
    assert len(forms) > 20
    for form in forms:
        assert getattr(form, "move_on") is FormDialog.move_on, form  # noqa: B009
        assert getattr(form, "next_or_submit") is FormDialog.next_or_submit, form  # noqa: B009
        source = textwrap.dedent(inspect.getsource(form))
        assert _bare_selects(ast.parse(source)) == [], form
