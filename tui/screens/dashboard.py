"""Home: the dashboard's panels (see tui/panels)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll

from store.i18n import N_, _
from store.policy import RECOVERY_ACTOR
from tui.panels import PANELS, Panel
from tui.screens.base import BaseScreen


class DashboardScreen(BaseScreen):
    TITLE_TEXT = N_("Home")
    ROOT = True
    BINDINGS = [
        Binding("f3", "app.go('audit')", N_("Audit"), id="home-audit"),
        # Short words: the footer must hold every screen's key at 80 columns.
        # Administrators only, and rare: in F1 and the palette, not the crowded footer.
        Binding("f4", "app.go('operators')", N_("Staff"), show=False, id="home-operators"),
        Binding("f5", "app.go('settings')", N_("Setup"), id="home-settings"),
        # Said in the Today panel, so not repeated in the footer (80 columns are few).
        Binding("f6", "my_password", N_("Password"), show=False, id="home-password"),
        Binding("f7", "app.go('backups')", N_("Backup"), id="home-backups"),
        Binding("f8", "app.go('cards')", N_("Cards"), id="home-cards"),
        Binding("f9", "app.go('card_list')", N_("List"), id="home-card-list"),
        Binding("f10", "app.go('report')", N_("Report"), id="home-report"),
        # Said in the backup panel itself, so not repeated in the footer.
        Binding("ctrl+b", "backup_now", N_("Back up"), show=False, id="home-backup-now"),
        # Said in the Today panel with F6, so the footer keeps room for every screen.
        Binding("ctrl+l", "app.lock", N_("Lock"), show=False, id="home-lock"),
        # Said in the deadlines panel.
        Binding("ctrl+d", "mark_deadline", N_("Mark a deadline done"), show=False,
                id="home-deadline"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "my_password":  # the recovery code has no password of its own
            session = self.desk.session
            return session is not None and session.actor.name != RECOVERY_ACTOR
        return super().check_action(action, parameters)

    def on_screen_resume(self) -> None:
        """Back from another screen: the panels show what is true now."""
        for panel in self.query(Panel):
            if panel.is_mounted:
                panel.reload()

    def action_mark_deadline(self) -> None:
        from store import clock, deadlines
        from tui.dialogs.deadline import MarkDoneDialog
        from tui.workers import call_store

        session = self.desk.session
        if session is None:
            return

        def marked(done: bool | None) -> None:
            if done:
                self.on_screen_resume()

        call_store(self, lambda: deadlines.calendar(clock.today()),
                   lambda cal: self.app.push_screen(MarkDoneDialog(session, cal), marked))

    def action_backup_now(self) -> None:
        """The backup panel's key: open the backup screen and start this month's backup."""
        from tui import navigation
        from tui.screens.backups import BackupsScreen

        navigation.go(self.desk, "backups", BackupsScreen(start_backup=True))

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
