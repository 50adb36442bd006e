"""What the unlock found and the operator must read before work: dismissed with Enter only."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from store.i18n import N_, _
from tui import glyphs
from tui.dialogs.exclusive import Exclusive


class NoticesDialog(ModalScreen[None], Exclusive):
    """Each of the session's notices (a rollback, a forged record, a key to rotate), loudly."""

    DEFAULT_CSS = """
    NoticesDialog { align: center middle; }
    NoticesDialog > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: heavy $error; padding: 0 1; background: $surface;
    }
    NoticesDialog .notices-title { text-style: bold; color: $error; margin-bottom: 1; }
    NoticesDialog #notices { height: auto; max-height: 16; }
    NoticesDialog .notice { margin-bottom: 1; }
    NoticesDialog .confirm-keys { text-style: bold; }
    """
    BINDINGS = [Binding("enter", "read", N_("I have read this"), id="notices-read")]

    def __init__(self, notices: list[str]) -> None:
        super().__init__()
        self.notices = list(notices)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(glyphs.WARN + " " + _("Read this before you start work"),
                         classes="notices-title")
            with VerticalScroll(id="notices"):
                for notice in self.notices:  # may quote names typed by others: never markup
                    yield Static(Text(f"{glyphs.WARN} {notice}"), classes="notice")
            yield Static(_("Each of these is in the audit log. Enter: I have read this"),
                         classes="confirm-keys")

    def action_read(self) -> None:
        self.dismiss(None)
