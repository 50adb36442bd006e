"""The app's own keys on a screen: for the help screen and the command palette.

Textual's widgets bring keys of their own (moving in a table, editing a field),
with English descriptions; only keys declared in statdesk's classes are listed
one by one, the rest are summed up in the current language by the help screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen


@dataclass(frozen=True)
class OurKey:
    key: str
    description: str
    """A catalog message (translate when shown)."""
    action: str
    node: DOMNode


def _declared(node: DOMNode) -> set[tuple[str, str]]:
    """(action, description) of the bindings declared by statdesk's own classes of `node`.

    Textual copies bindings when it builds a screen's map, so they are matched by content.
    """
    found: set[tuple[str, str]] = set()
    for cls in type(node).__mro__:
        if cls.__module__.startswith("tui."):
            for binding in cls.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding):
                    found.add((binding.action, binding.description))
    return found


def our_keys(screen: Screen[Any]) -> list[OurKey]:
    """Enabled keys of `screen` declared by statdesk, once per description, each named as a
    sentence names it ("F3", "Ctrl+B"), as F1 and the command palette show them."""
    keys: list[OurKey] = []
    seen: set[str] = set()
    declared: dict[int, set[tuple[str, str]]] = {}
    for active in screen.active_bindings.values():
        node, binding = active.node, active.binding
        ours = declared.setdefault(id(node), _declared(node))
        wanted = (binding.action, binding.description) in ours and active.enabled
        if not wanted or not binding.description or binding.description in seen:
            continue
        seen.add(binding.description)
        keys.append(OurKey(binding.key_display or said(binding.key), binding.description,
                           binding.action, node))
    return keys


NAMED = {"escape": "Esc", "enter": "Enter", "tab": "Tab", "space": "Space",
         "backspace": "Backspace", "delete": "Del", "pageup": "PgUp", "pagedown": "PgDn"}
"""Keys a sentence names otherwise than their binding does."""


def said(keys: str) -> str:
    """A binding's keys as a sentence names them: "F3", "Ctrl+S", "Esc", "c"; several as
    "Esc / F1" (the footer's own short forms, "f3" and "^s", read as code in a sentence)."""
    named = []
    for key in keys.split(","):
        *modifiers, last = key.strip().split("+")
        if modifiers and len(last) == 1:
            last = last.upper()
        else:
            last = NAMED.get(last, last.upper() if last[:1] == "f" and last[1:].isdigit()
                             else last if len(last) == 1 else last.title())
        named.append("+".join([*(m.title() for m in modifiers), last]))
    return " / ".join(named)


def key_in(cls: type, binding_id: str) -> str:
    """The keys bound to the binding `binding_id` of `cls` (or a class it extends), as a
    sentence names them: hints and help name keys from the bindings, never typed twice."""
    for klass in cls.__mro__:
        for binding in klass.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.id == binding_id:
                return binding.key_display or said(binding.key)
    raise KeyError(f"{cls.__name__} has no binding {binding_id!r}")


def key_of(node: DOMNode, binding_id: str) -> str:
    """The keys bound to the binding `binding_id` of `node`'s classes, as a sentence names
    them (e.g. "F3", "c", "Ctrl+S")."""
    return key_in(type(node), binding_id)
