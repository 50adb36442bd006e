"""Login: operator and password; the recovery code from here too. The unlock runs off the UI
thread (`tui.screens.unlocking`)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from store.demo import build as demo
from store.i18n import N_, _
from tui import glyphs
from tui.keys import key_of
from tui.screens.unlocking import UnlockScreen, WaitCountdown
from tui.widgets import Field, SecretInput


class LoginScreen(UnlockScreen):
    TITLE_TEXT = N_("Login")
    ROOT = True
    DEFAULT_CSS = """
    LoginScreen #login-message { height: auto; padding: 0 1; }
    LoginScreen #login-demo { color: $text-muted; padding: 0 1; }
    """
    DEFAULT_CLASSES = "form-screen"
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
            yield Static(_("Enter: next field / log in | {recovery}: recovery code").format(
                recovery=key_of(self, "recovery")), classes="form-hint")

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
        self.unlock(name, password)

    def on_unlock_screen_unlocked(self, message: UnlockScreen.Unlocked) -> None:
        self.desk.start_session(message.session, message.settings)

    def show_trouble(self, line: str) -> None:
        """A refused unlock: said above the password, which is typed again."""
        self.query_one("#login-message", Static).update(Text(f"{glyphs.BAD} {line}"))
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()

    def action_recovery(self) -> None:
        from tui.screens.recovery import RecoveryScreen

        self.app.push_screen(RecoveryScreen())
