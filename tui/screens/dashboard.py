"""Home: the dashboard's panels (see tui/panels)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll

from statdesk.i18n import N_, _
from tui.panels import PANELS
from tui.screens.base import BaseScreen


class DashboardScreen(BaseScreen):
    TITLE_TEXT = N_("Home")
    ROOT = True
    BINDINGS = [
        Binding("f3", "app.go('audit')", N_("Audit log"), id="home-audit"),
        Binding("f4", "app.go('operators')", N_("Operators"), id="home-operators"),
        Binding("f5", "app.go('settings')", N_("Settings"), id="home-settings"),
        Binding("f6", "my_password", N_("My password"), id="home-password"),
        Binding("ctrl+l", "app.lock", N_("Lock"), id="home-lock"),
    ]

    def action_my_password(self) -> None:
        """Every operator changes their own password here; administrators also on F4."""
        from tui.dialogs.operators import PasswordDialog

        session = self.desk.session
        if session is not None and session.actor.name != "(recovery)":
            self.app.push_screen(PasswordDialog(session, session.actor.name),
                                 lambda saved: self.app.notify(_("Saved.")) if saved else None)

    def body(self) -> ComposeResult:
        with VerticalScroll(id="panels"):
            for panel in PANELS:
                yield panel()
