"""Yes or no, by keyboard: Enter or y confirms, Esc or n cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from store.i18n import N_, _


class ConfirmDialog(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical {
        width: 60; max-width: 100%; height: auto; border: round $warning;
        padding: 0 1; background: $surface;
    }
    ConfirmDialog .confirm-keys { margin-top: 1; text-style: bold; }
    """
    BINDINGS = [Binding("enter,y", "answer(True)", N_("Yes"), id="confirm-yes"),
                Binding("escape,n", "answer(False)", N_("No"), id="confirm-no")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)  # may quote typed names
            yield Static(_("Enter / y: yes | Esc / n: no"), classes="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
