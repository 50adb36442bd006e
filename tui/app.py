"""The statdesk Textual app; one factory builds it for the command line and for tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from statdesk.i18n import _
from store.session import Session, StoreDir
from tui.screens.home import HomeScreen
from tui.screens.login import LoginScreen


class StatdeskApp(App[None]):
    """Keyboard-driven desk: login first, then the home screen."""

    TITLE = "statdesk 统计资料管理台"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [Binding("ctrl+q", "quit", _("Quit"), priority=True, id="quit")]

    def __init__(self, folder: StoreDir, lang: str | None = None) -> None:
        super().__init__()
        self.folder = folder
        self.lang = lang or "zh"
        self.session: Session | None = None

    def on_mount(self) -> None:
        self.push_screen(LoginScreen(self.folder))

    def on_login_screen_unlocked(self, message: LoginScreen.Unlocked) -> None:
        self.session = message.session
        self.switch_screen(HomeScreen(message.overview))
        if message.session.failed_attempts:
            self.notify(_("{n} failed unlock attempt(s) since your last login; they are in the "
                          "audit log").format(n=message.session.failed_attempts),
                        severity="warning", timeout=15)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette's system commands, without the one that writes the screen to a file."""
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":
                yield command

    def deliver_screenshot(self, *args: Any, **kwargs: Any) -> None:
        """Screens hold classified data: never written to a file from here."""
        self.notify(_("screenshots are disabled"), severity="warning")

    def save_screenshot(self, *args: Any, **kwargs: Any) -> str:
        self.notify(_("screenshots are disabled"), severity="warning")
        return ""

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close()


def build_app(folder: StoreDir, lang: str | None = None) -> StatdeskApp:
    """The one factory: the command line and the tests build the app here."""
    return StatdeskApp(folder, lang)
