"""Textual's widgets, drawing only what a console CJK font has (see tui/glyphs.py).

Textual draws a few marks of its own that the console's font lacks: a choice list's arrow,
a password's dots, the command palette's magnifying glass, and rich's tables cut a long word
with an ellipsis. These subclasses draw ASCII instead; statdesk's screens use them in place
of Textual's and rich's (the choice list is tui/widgets/choice.py).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from rich.align import Align
from rich.table import Table as RichTable
from rich.text import Text
from textual.command import CommandList, CommandPalette, SearchIcon
from textual.widgets import Input
from textual.widgets.option_list import Option

from store.i18n import _
from tui import glyphs


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
    """Textual's command palette with an ASCII mark before its input, and its "No matches
    found" in the current language."""

    def on_mount(self) -> None:
        for icon in self.query(SearchIcon):
            icon.icon = glyphs.SEARCH_ICON

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Textual's countdown to saying that nothing matches, saying it in our words."""
        self._stop_no_matches_countdown()
        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN,
                                                partial(self._say_no_matches, search_value))

    def _say_no_matches(self, search_value: str) -> None:
        if search_value:
            self.query_one(CommandList).add_option(Option(
                Align.center(Text(_("No matches found"), style="not bold")), disabled=True,
                id=self._NO_MATCHES))
            self._list_visible = True
        else:  # nothing typed: nothing to say
            self._list_visible = False


class Table(RichTable):
    """rich's table, cutting what does not fit plain (fold or crop), never with U+2026."""

    def add_column(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("overflow", "fold")
        super().add_column(*args, **kwargs)
