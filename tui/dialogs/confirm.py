"""Yes or no, by keyboard: Enter or y confirms, Esc or n cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from store.i18n import N_, _
from tui.keys import key_of


class ConfirmDialog(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical {
        width: 60; max-width: 100%; height: auto; border: round $warning;
        padding: 0 1; background: $surface;
    }
    ConfirmDialog .confirm-keys { margin-top: 1; text-style: bold; }
    """
    BINDINGS = [Binding("enter", "answer(True)", N_("Yes"), id="confirm-enter"),
                Binding("y", "answer(True)", N_("Yes"), id="confirm-yes"),
                Binding("escape", "answer(False)", N_("No"), id="confirm-escape"),
                Binding("n", "answer(False)", N_("No"), id="confirm-no")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)  # may quote typed names
            yield Static(_("Enter / {yes}: yes | Esc / {no}: no").format(
                yes=key_of(self, "confirm-yes"), no=key_of(self, "confirm-no")),
                classes="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
