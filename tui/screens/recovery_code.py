"""The recovery code, shown this once; the clerk confirms by typing its last group."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from store.i18n import N_, _
from store.vault import recovery
from tui.screens.base import BaseScreen
from tui.widgets import Field

if TYPE_CHECKING:
    from store.settings import Settings
    from store.vault.session import NewStore


class RecoveryCodeScreen(BaseScreen):
    TITLE_TEXT = N_("Recovery code")
    ROOT = True
    DEFAULT_CSS = """
    RecoveryCodeScreen #recovery-code {
        text-style: bold; width: 100%; content-align: center middle; border: heavy $warning;
        margin: 1 0;
    }
    """
    DEFAULT_CLASSES = "form-screen"

    def __init__(self, new: NewStore, settings: Settings) -> None:
        super().__init__()
        self.new = new
        self.settings = settings

    def body(self) -> ComposeResult:
        with Vertical(classes="form-box"):
            yield Static(_("The store is created."), classes="form-title")
            yield Static(_("RECOVERY CODE - shown only this once. Write it down on paper and "
                           "seal it in the safe; it unlocks the store if every password is "
                           "lost."))
            yield Static(self.new.recovery_code, id="recovery-code")
            yield Field(_("To confirm you have written it down, type its last five characters"),
                        Input(id="confirm-code"), id="confirm-code-field")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#confirm-code", Input).focus()

    @on(Input.Submitted, "#confirm-code")
    def confirm(self, event: Input.Submitted) -> None:
        last = recovery.normalize(self.new.recovery_code)[-recovery.GROUP_LEN:]
        if recovery.normalize(event.value) != last:
            self.query_one("#confirm-code-field", Field).show_error(
                _("that is not the end of the code: check what you wrote down"))
            return
        self.confirmed()

    def confirmed(self) -> None:
        """The code is written down: the new store's session starts."""
        self.desk.start_session(self.new.session, self.settings)
