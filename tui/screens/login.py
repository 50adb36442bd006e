"""Login: operator and password; the unlock runs in a worker thread."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, Static

from statdesk.i18n import _
from store import demo, settings
from store.errors import StoreError
from store.session import Session, StoreDir


@dataclass(frozen=True)
class Overview:
    """What the home screen shows, read once after unlock."""

    operator: str
    display_name: str
    role: str
    unit_name: str


class LoginScreen(Screen[None]):
    CSS_PATH = "login.tcss"

    class Unlocked(Message):
        def __init__(self, session: Session, overview: Overview) -> None:
            super().__init__()
            self.session = session
            self.overview = overview

    class Failed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, folder: StoreDir) -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="login-box"):
            yield Static(_("统计资料管理台 · statdesk"), id="login-title")
            yield Label(_("Operator"))
            yield Input(id="operator", placeholder=_("login name"))
            yield Label(_("Password"))
            yield Input(id="password", password=True)
            yield Static("", id="login-error")
            if demo.is_demo(self.folder.paths):
                yield Static(_("Demo store: operators admin and clerk, password {pw}").format(
                    pw=demo.DEMO_PASSWORD), id="login-demo")
        yield Footer()

    @on(Input.Submitted, "#operator")
    def next_field(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    def submit(self) -> None:
        name = self.query_one("#operator", Input).value
        password = self.query_one("#password", Input).value
        if not name.strip():
            self.query_one("#login-error", Static).update(_("type your operator name"))
            self.query_one("#operator", Input).focus()
            return
        self.query_one("#login-error", Static).update(_("unlocking…"))
        self.unlock(name, password)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def unlock(self, name: str, password: str) -> None:
        try:
            session = self.folder.unlock(name, password)
            overview = Overview(session.actor.name, session.actor.display_name,
                                session.actor.role, settings.get("unit_name"))
        except StoreError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Unlocked(session, overview))

    def on_login_screen_failed(self, message: Failed) -> None:
        self.query_one("#login-error", Static).update(message.text)
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()
