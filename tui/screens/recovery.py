"""Unlock with the recovery code from the safe: acts as an administrator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from store.i18n import N_, _
from store.vault.folder import StoreDir
from store.vault.policy import RECOVERY_ACTOR
from tui import glyphs
from tui.screens.base import BaseScreen
from tui.screens.login import WaitCountdown
from tui.widgets import Field
from tui.workers import call_store

if TYPE_CHECKING:
    from store.vault.session import Session

RECOVERY_NAME = RECOVERY_ACTOR


def recover_job(folder: StoreDir, code: str) -> tuple[Session, dict[str, str]]:
    from store import settings

    session = folder.recover(code)
    return session, settings.all_values()


class RecoveryScreen(BaseScreen):
    CSS_PATH = "forms.tcss"
    TITLE_TEXT = N_("Recovery code")

    def body(self) -> ComposeResult:
        with Vertical(classes="form-box"):
            yield Static(_("Unlock with the recovery code"), classes="form-title")
            yield Static(_("The code sealed in the safe at setup: 30 letters and digits. "
                           "It acts as an administrator: set a new password on the Operators "
                           "screen (F4), then seal the code again."))
            yield Field(_("Recovery code"),
                        Input(id="code", placeholder="XXXXX-XXXXX-" + glyphs.MORE),
                        id="code-field")
            yield Static("", id="recovery-message")
            yield Static(_("Enter: unlock | Esc: back to login"), classes="form-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#code", Input).focus()

    @on(Input.Submitted, "#code")
    def submit(self, event: Input.Submitted) -> None:
        message = self.query_one("#recovery-message", Static)
        if WaitCountdown(self, message, RECOVERY_NAME).start():
            return
        message.update(_("unlocking..."))
        folder, code = self.desk.folder, event.value
        self.desk.closer.when_closed(lambda: call_store(
            self, lambda: recover_job(folder, code), self.unlocked, self.failed))

    def unlocked(self, result: tuple[Session, dict[str, str]]) -> None:
        self.desk.start_session(*result)
        self.app.notify(_("Unlocked with the recovery code. Set a new password on the Operators "
                          "screen (F4)."), severity="warning", timeout=30)

    def failed(self, text: str) -> None:
        self.query_one("#recovery-message", Static).update(f"{glyphs.BAD} {text}")
        self.query_one("#code", Input).value = ""
