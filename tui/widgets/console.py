"""Textual's widgets, drawing only what a console CJK font has (see tui/glyphs.py).

Textual draws a few marks of its own that the console's font lacks: a choice list's arrow,
a password's dots, the command palette's magnifying glass, and rich's tables cut a long word
with an ellipsis. These subclasses draw ASCII instead; statdesk's screens use them in place
of Textual's and rich's.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, TypeVar

from rich.table import Table as RichTable
from rich.text import Text
from textual.command import CommandPalette, SearchIcon
from textual.widgets import Input, Select, Static

from tui import glyphs

ChoiceType = TypeVar("ChoiceType", bound=Hashable)


class Choice(Select[ChoiceType]):
    """A choice list whose closed and open arrows are "v" and "^" (Textual's are U+25BC/25B2)."""

    def on_mount(self) -> None:
        for selector, mark in ((".down-arrow", glyphs.DESCENDING), (".up-arrow", glyphs.ASCENDING)):
            for arrow in self.query(f"SelectCurrent > {selector}").results(Static):
                arrow.update(mark)


class SecretInput(Input):
    """A password field: each typed character shows as "*" (Textual's mask is U+2022)."""

    def __init__(self, *, id: str | None = None, placeholder: str = "") -> None:
        super().__init__(id=id, placeholder=placeholder, password=True)

    @property
    def _value(self) -> Text:
        """What the field draws: Textual's own masks with U+2022, which the font lacks."""
        if self.password:
            return Text(glyphs.PASSWORD * len(self.value), no_wrap=True, overflow="ignore",
                        end="")
        return super()._value


class Palette(CommandPalette):
    """Textual's command palette with an ASCII mark before its input."""

    def on_mount(self) -> None:
        for icon in self.query(SearchIcon):
            icon.icon = glyphs.SEARCH_ICON


class Table(RichTable):
    """rich's table, cutting what does not fit plain (fold or crop), never with U+2026."""

    def add_column(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("overflow", "fold")
        super().add_column(*args, **kwargs)
