"""A choice list that Enter leaves, as it leaves an input: the value shown stands and the form
moves on. Another key (Space, or Alt+Down) opens the list; Textual's Select opened it on Enter,
so what the clerk typed next went into the list instead of the next field.

The closed and open arrows are drawn in ASCII ("v" and "^"): a console CJK font lacks
Textual's U+25BC/25B2 (see tui/glyphs.py).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Protocol, TypeVar, runtime_checkable

from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Select, Static

from store.i18n import N_
from tui import glyphs

ChoiceType = TypeVar("ChoiceType", bound=Hashable)


@runtime_checkable
class MovesOn(Protocol):
    """A screen that decides where Enter on a field leads (a form saves on its last field)."""

    def move_on(self, control: Widget) -> None: ...


class Choice(Select[ChoiceType], inherit_bindings=False):
    """Textual's `Select` (same constructor): Enter takes the shown value and moves focus on
    (in a form, on its last field, it saves); Space or Alt+Down opens the list, Up and Down
    too; Esc in the open list closes it, Enter there picks the highlighted value."""

    BINDINGS = [
        Binding("enter", "take", N_("Next"), show=False, id="take"),
        Binding("space,alt+down", "open_list", N_("Open list"), id="open-list"),
        Binding("down,up", "open_list", N_("Open list"), show=False),
    ]

    class Taken(Message):
        """Enter on the closed list: its shown value stands and focus moved on."""

        def __init__(self, choice: Choice[Any]) -> None:
            super().__init__()
            self.choice = choice

        @property
        def control(self) -> Choice[Any]:
            return self.choice

    def on_mount(self) -> None:
        for selector, mark in ((".down-arrow", glyphs.DESCENDING), (".up-arrow", glyphs.ASCENDING)):
            for arrow in self.query(f"SelectCurrent > {selector}").results(Static):
                arrow.update(mark)

    def action_take(self) -> None:
        """Enter: keep the value shown and go on, as Enter does in an input."""
        self.post_message(self.Taken(self))
        screen = self.screen
        if isinstance(screen, MovesOn):
            screen.move_on(self)
        else:
            screen.focus_next()

    def action_open_list(self) -> None:
        """Open the list (Textual's own action), or close it if it is open."""
        if self.expanded:
            self.expanded = False
            self.focus()
        else:
            self.action_show_overlay()
