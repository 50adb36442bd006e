"""A labelled form field with its message beside it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Static

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
        """Show the message (prefixed so it does not rely on colour) and focus the field."""
        error = self.query_one(".field-error", Static)
        error.update(Text(f"{glyphs.BAD} {message}"))  # never markup
        self.add_class("-invalid")
        self.control.focus()

    def clear_error(self) -> None:
        self.query_one(".field-error", Static).update("")
        self.remove_class("-invalid")
