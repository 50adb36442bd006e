"""What the app does for a bare Linux text console: a CJK font's glyphs only, 16 colours.

On TERM=linux (and under fbterm) rich and Textual pick the 16-colour "standard" colour
system: the theme's dark greys all become black, so a field's background vanishes into the
screen's and a placeholder can look typed. The app then carries the class `-ansi16`, whose
rules in app.tcss give fields a colour of their own and placeholders another; and a last
line filter draws any character the console font lacks (a name typed with "·", an ellipsis
Textual adds where it cuts a label) as an ASCII stand-in of the same width.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.segment import Segment
from textual.app import App
from textual.binding import Binding
from textual.color import Color
from textual.content import Content
from textual.filter import LineFilter

from store.i18n import N_
from tui import glyphs

ANSI16 = "-ansi16"
"""The App's class when it draws in 16 colours."""

STAND_INS = {"·": ".", "…": "~", "—": "-", "–": "-", "•": "*", "“": '"', "”": '"', "‘": "'",
             "’": "'", "→": ">", "←": "<", "↑": "^", "↓": "v", "▼": "v", "▲": "^", "✓": "v",
             "✗": "x", "×": "x", "⚠": "!", "⭘": "o", "≠": "#", "●": "*", "○": "o"}
"""ASCII for the characters most likely to come up; any other is "?" in each of its cells."""


def stand_in(text: str) -> str:
    """`text` with every character the console font lacks replaced, cell for cell."""
    if all(glyphs.drawn(ch) or ch == "\n" for ch in text):
        return text
    return "".join(ch if glyphs.drawn(ch) or ch == "\n" else
                   STAND_INS.get(ch, "?") if cell_len(ch) == 1 else "?" * cell_len(ch)
                   for ch in text)


class ConsoleGlyphs(LineFilter):
    """Draws each character the console font lacks as its ASCII stand-in (16 colours only)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [segment if segment.control else Segment(stand_in(segment.text), segment.style)
                for segment in segments]


class ConsoleSafeApp(App[None]):
    """Textual's App, told apart on a 16-colour console and drawing console glyphs only; at
    80 columns the keys a footer has no room for are behind one key (Ctrl+G; a control key
    every terminal and the Linux console send, that no field takes)."""

    BINDINGS = [Binding("ctrl+g", "more_keys", N_("More keys"), show=False, id="more-keys")]

    def __init__(self) -> None:
        super().__init__()
        self.sixteen_colours = self.console.color_system in ("standard", "windows")
        """Rich picked 16 colours from TERM and COLORTERM (TERM=linux, fbterm)."""
        self.set_class(self.sixteen_colours, ANSI16)
        if self.sixteen_colours:  # the console's own colours, and its half-bright for "dim"
            self.ansi_color = True
        self._console_glyphs = ConsoleGlyphs(enabled=self.sixteen_colours)

    def get_line_filters(self) -> Sequence[LineFilter]:
        return [*super().get_line_filters(), *[f for f in (self._console_glyphs,) if f.enabled]]

    def action_more_keys(self) -> None:
        """List the keys of the screen that its footer has no room for (again: close it)."""
        from tui.dialogs.more_keys import MoreKeysDialog, show_more_keys

        if isinstance(self.screen, MoreKeysDialog):
            self.screen.dismiss(None)
        else:
            show_more_keys(self.screen)

    def get_key_display(self, binding: Binding) -> str:
        """Keys by name where Textual shows a symbol ("Enter", not U+23CE)."""
        return glyphs.key_name(super().get_key_display(binding))

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header's title and sub-title, with a console dash between them."""
        if not sub_title:
            return Content(title)
        return Content.assemble(Content(title), (glyphs.DASH, "dim"),
                                Content(sub_title).stylize("dim"))
