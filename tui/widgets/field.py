"""A labelled form field with its message beside it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from tui import glyphs


class Field(Vertical):
    """Label, input and the message that says what is wrong with what was typed."""

    DEFAULT_CSS = """
    Field { height: auto; }
    Field .field-label { padding: 0 1; }
    Field > .field-error { color: $error; padding: 0 1; height: auto; display: none; }
    Field.-invalid > .field-error { display: block; }
    Field > .field-row { height: auto; }
    Field > .field-row > .field-label { width: 30; }
    Field > .field-row > * { width: 1fr; }
    """

    def __init__(self, label: str, control: Widget, *, id: str | None = None,
                 inline: bool = False) -> None:
        super().__init__(id=id)
        self.label = label
        self.control = control
        self.inline = inline

    def compose(self) -> ComposeResult:
        if self.inline:
            with Horizontal(classes="field-row"):
                yield Label(self.label, classes="field-label")
                yield self.control
        else:
            yield Label(self.label, classes="field-label")
            yield self.control
        yield Static("", classes="field-error")

    def show_error(self, message: str) -> None:
        """Show the message (prefixed so it does not rely on colour) and focus the field, its
        text selected: what is typed next replaces it (also when the cursor was already in
        it, where focusing selects nothing)."""
        error = self.query_one(".field-error", Static)
        error.update(Text(f"{glyphs.BAD} {message}"))  # never markup
        self.add_class("-invalid")
        self.focus_selected()

    def focus_selected(self) -> None:
        """The cursor to the field, with all of its text selected."""
        self.control.focus()
        if isinstance(self.control, Input):
            self.control.select_all()

    def clear_error(self) -> None:
        self.query_one(".field-error", Static).update("")
        self.remove_class("-invalid")
