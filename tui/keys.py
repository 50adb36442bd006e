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
    """Enabled keys of `screen` declared by statdesk, once per description."""
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
        keys.append(OurKey(screen.app.get_key_display(binding), binding.description,
                           binding.action, node))
    return keys


def key_of(node: DOMNode, binding_id: str) -> str:
    """The key bound to the binding `binding_id` of `node`'s classes, as the footer shows it
    (e.g. "F3", "c", "^s"): hints and help name keys from the bindings, never typed twice."""
    for cls in type(node).__mro__:
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.id == binding_id:
                return node.app.get_key_display(binding)
    raise KeyError(f"{type(node).__name__} has no binding {binding_id!r}")
