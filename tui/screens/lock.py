"""The lock screen: nothing of the work behind it; the same operator's password reopens."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from store.i18n import N_, _
from store.vault.policy import RECOVERY_ACTOR
from tui import glyphs
from tui.keys import key_of
from tui.screens.unlocking import UnlockScreen, WaitCountdown
from tui.widgets import Field, SecretInput


class LockScreen(UnlockScreen):
    TITLE_TEXT = N_("Locked")
    ROOT = True
    DEFAULT_CSS = "LockScreen #lock-message { height: auto; padding: 0 1; }"
    DEFAULT_CLASSES = "form-screen"
    BINDINGS = [Binding("ctrl+o", "other", N_("Another operator"), id="other")]

    def __init__(self, operator: str, display_name: str, reason: str) -> None:
        super().__init__()
        self.operator = operator
        self.display_name = display_name
        self.reason = reason

    @property
    def recovering(self) -> bool:
        """The session being locked was opened with the recovery code: it asks for the code."""
        return self.operator == RECOVERY_ACTOR

    def body(self) -> ComposeResult:
        with Vertical(classes="form-box"):
            yield Static(_("statdesk is locked"), classes="form-title")
            who = _("The recovery code was in use.") if self.recovering else \
                _("{display} ({name}) was working.").format(display=self.display_name,
                                                            name=self.operator)
            yield Static(_("{who} {why}.").format(who=who, why=self.reason), id="lock-who")
            other = Field(_("Operator"), Input(id="lock-operator"), id="lock-operator-field")
            other.display = False
            yield other
            yield Field(_("Recovery code") if self.recovering else _("Password"),
                        SecretInput(id="lock-password"), id="lock-password-field")
            yield Static("", id="lock-message")
            yield Static(_("Enter: unlock | {other}: another operator (ends {name}'s session)")
                         .format(other=key_of(self, "other"), name=self.operator),
                         classes="form-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#lock-password", Input).focus()

    def action_other(self) -> None:
        field = self.query_one("#lock-operator-field", Field)
        field.display = True
        self.query_one("#lock-operator", Input).focus()

    @on(Input.Submitted, "#lock-operator")
    def to_password(self) -> None:
        self.query_one("#lock-password", Input).focus()

    @on(Input.Submitted, "#lock-password")
    def submit(self, event: Input.Submitted) -> None:
        other = self.query_one("#lock-operator", Input).value.strip()
        name = other if self.query_one("#lock-operator-field", Field).display and other \
            else self.operator
        field = self.query_one("#lock-password-field", Field)
        field.clear_error()
        if not event.value:
            field.show_error(_("type your password"))
            return
        message = self.query_one("#lock-message", Static)
        if WaitCountdown(self, message, name).start():
            return
        message.update(_("unlocking..."))
        self.unlock(name, event.value)

    def on_unlock_screen_unlocked(self, message: UnlockScreen.Unlocked) -> None:
        """The same operator goes back to their work; another starts afresh at home."""
        if message.session.actor.name == self.operator:
            self.desk.resume_session(message.session)
            self.app.pop_screen()
        else:
            self.desk.start_session(message.session, message.settings)

    def show_trouble(self, line: str) -> None:
        self.query_one("#lock-message", Static).update(Text(f"{glyphs.BAD} {line}"))
        password = self.query_one("#lock-password", Input)
        password.value = ""
        password.focus()
