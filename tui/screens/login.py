"""Login: operator and password; Ctrl+R for the recovery code. The unlock runs off the UI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from store.demo import build as demo
from store.i18n import N_, _
from store.vault.folder import StoreDir
from tui import glyphs
from tui.screens.base import BaseScreen
from tui.widgets import Field, SecretInput
from tui.workers import call_store

if TYPE_CHECKING:
    from store.vault.session import Session


def unlock_job(folder: StoreDir, name: str, password: str) -> tuple[Session, dict[str, str]]:
    """In a worker thread: unlock, then read the settings the session starts with."""
    from store import settings

    session = folder.unlock(name, password)
    return session, settings.all_values()


class WaitCountdown:
    """Shows the growing delay after failed attempts, counting down each second."""

    def __init__(self, screen: BaseScreen, message: Static, name: str) -> None:
        self.screen, self.message, self.name = screen, message, name
        self.counting = False

    def start(self) -> bool:
        """True while the operator must still wait (the message counts down, then clears)."""
        left = self.screen.desk.folder.failures.seconds_left(self.name)
        if left <= 0:
            if self.counting:
                self.message.update(_("You may try again now."))
            self.counting = False
            return False
        self.counting = True
        self.message.update(glyphs.BAD + " " + _("too many failed attempts: wait {s} s").format(
            s=int(left) + 1))
        self.screen.set_timer(min(1.0, left), self.start)
        return True


class LoginScreen(BaseScreen):
    CSS_PATH = "forms.tcss"
    TITLE_TEXT = N_("Login")
    ROOT = True
    BINDINGS = [Binding("ctrl+r", "recovery", N_("Recovery code"), id="recovery")]

    def body(self) -> ComposeResult:
        with Vertical(id="login-box", classes="form-box"):
            yield Static(_("statdesk - the statistics office's desk"), classes="form-title")
            yield Field(_("Operator"), Input(id="operator", placeholder=_("login name")),
                        id="operator-field")
            yield Field(_("Password"), SecretInput(id="password"),
                        id="password-field")
            yield Static("", id="login-message")
            if demo.is_demo(self.desk.folder.paths):
                yield Static(_("Demo store: operators admin and clerk, password {pw}").format(
                    pw=demo.DEMO_PASSWORD), id="login-demo")
            yield Static(_("Enter: next field / log in | Ctrl+R: recovery code"),
                         classes="form-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#operator", Input).focus()

    @on(Input.Submitted, "#operator")
    def next_field(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    def submit(self) -> None:
        name = self.query_one("#operator", Input).value.strip()
        password = self.query_one("#password", Input).value
        operator_field = self.query_one("#operator-field", Field)
        password_field = self.query_one("#password-field", Field)
        operator_field.clear_error()
        password_field.clear_error()
        if not name:
            operator_field.show_error(_("type your operator name"))
            return
        if not password:
            password_field.show_error(_("type your password"))
            return
        message = self.query_one("#login-message", Static)
        if WaitCountdown(self, message, name).start():
            return
        message.update(_("unlocking..."))
        folder = self.desk.folder
        self.desk.closer.when_closed(lambda: call_store(
            self, lambda: unlock_job(folder, name, password), self.unlocked,
            lambda text: self.failed(name, text)))

    def unlocked(self, result: tuple[Session, dict[str, str]]) -> None:
        self.desk.start_session(*result)

    def failed(self, name: str, text: str) -> None:
        message = self.query_one("#login-message", Static)
        message.update(f"{glyphs.BAD} {text}")
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()

    def action_recovery(self) -> None:
        from tui.screens.recovery import RecoveryScreen

        self.app.push_screen(RecoveryScreen())
