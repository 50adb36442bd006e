"""Unlock with the recovery code from the safe: acts as an administrator."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from store.i18n import N_, _
from store.vault.policy import RECOVERY_ACTOR
from tui import glyphs
from tui.keys import key_of
from tui.screens.unlocking import UnlockScreen, WaitCountdown
from tui.widgets import Field

RECOVERY_NAME = RECOVERY_ACTOR


class RecoveryScreen(UnlockScreen):
    TITLE_TEXT = N_("Recovery code")
    DEFAULT_CSS = "RecoveryScreen #recovery-message { height: auto; padding: 0 1; }"
    DEFAULT_CLASSES = "form-screen"

    def body(self) -> ComposeResult:
        with Vertical(classes="form-box"):
            yield Static(_("Unlock with the recovery code"), classes="form-title")
            yield Static(_("The code sealed in the safe at setup: 30 letters and digits. "
                           "It acts as an administrator: set a new password on the Operators "
                           "screen ({key}), then seal the code again.").format(
                               key=key_of(self.app, "go-operators")))
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
        self.unlock(RECOVERY_NAME, event.value)

    def on_unlock_screen_unlocked(self, message: UnlockScreen.Unlocked) -> None:
        self.desk.start_session(message.session, message.settings)
        self.app.notify(_("Unlocked with the recovery code. Set a new password on the Operators "
                          "screen ({key}).").format(key=key_of(self.app, "go-operators")),
                        severity="warning", timeout=30)

    def show_trouble(self, line: str) -> None:
        self.query_one("#recovery-message", Static).update(Text(f"{glyphs.BAD} {line}"))
        self.query_one("#code", Input).value = ""
