"""The lock screen: nothing of the work behind it; the same operator's password reopens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from store.i18n import N_, _
from store.vault.policy import RECOVERY_ACTOR
from tui import glyphs
from tui.screens.base import BaseScreen
from tui.screens.login import WaitCountdown, unlock_job
from tui.screens.recovery import recover_job
from tui.widgets import Field, SecretInput
from tui.workers import call_store

if TYPE_CHECKING:
    from store.vault.session import Session


class LockScreen(BaseScreen):
    CSS_PATH = "forms.tcss"
    TITLE_TEXT = N_("Locked")
    ROOT = True
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
            yield Static(f"{who} {self.reason}.", id="lock-who")
            other = Field(_("Operator"), Input(id="lock-operator"), id="lock-operator-field")
            other.display = False
            yield other
            yield Field(_("Recovery code") if self.recovering else _("Password"),
                        SecretInput(id="lock-password"), id="lock-password-field")
            yield Static("", id="lock-message")
            yield Static(_("Enter: unlock | Ctrl+O: another operator (ends {name}'s session)")
                         .format(name=self.operator), classes="form-hint")

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
        folder, secret = self.desk.folder, event.value
        job = (lambda: recover_job(folder, secret)) if name == RECOVERY_ACTOR else \
            (lambda: unlock_job(folder, name, secret))
        self.desk.closer.when_closed(lambda: call_store(self, job, self.unlocked, self.failed))

    def unlocked(self, result: tuple[Session, dict[str, str]]) -> None:
        session, settings = result
        if session.actor.name == self.operator:
            self.desk.resume_session(session)
            self.app.pop_screen()
        else:
            self.desk.start_session(session, settings)

    def failed(self, text: str) -> None:
        self.query_one("#lock-message", Static).update(f"{glyphs.BAD} {text}")
        password = self.query_one("#lock-password", Input)
        password.value = ""
        password.focus()
