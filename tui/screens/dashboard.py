"""Home: the dashboard's panels (see tui/panels), under the store's key warnings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from store import clock, operators
from store.cards import codes
from store.i18n import N_, _
from store.keys import rollback, rotation_due
from store.report import deadlines
from store.vault.policy import RECOVERY_ACTOR
from tui import glyphs
from tui.keys import key_of
from tui.panels import PANELS, Panel
from tui.panels.codes_offer import CodesOfferNotice
from tui.screens.base import BaseScreen
from tui.workers import Reply, reply, store_work

if TYPE_CHECKING:
    from store.cards.codes import Code
    from store.keys.rollback import Rollback
    from store.keys.rotation_due import RotationDue


class DashboardScreen(BaseScreen):
    TITLE_TEXT = N_("Home")
    ROOT = True
    DEFAULT_CSS = """
    DashboardScreen #key-warnings {
        display: none; height: auto; padding: 0 1; color: $error; text-style: bold;
    }
    """
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
        # Said in the deadlines panel, on the deadline of cards handed in (the footer is full
        # at 80 columns): a department with no cases says so (零报).
        Binding("z", "zero_return", N_("Zero return"), show=False, id="home-zero"),
        # Administrators only; said in the warning line while a rotation is due.
        Binding("ctrl+k", "rotate_key", N_("Rotate the master key"), show=False,
                id="home-rotate"),
        # Administrators only, while a rollback waits: said in its warning line.
        Binding("ctrl+a", "acknowledge_rollback", N_("Acknowledge the rollback"), show=False,
                id="home-rollback"),
    ]

    class KeyWarnings(Reply):
        """What the store says of its key: a rotation due, a rollback not yet acknowledged."""

        def __init__(self, due: RotationDue | None, rolled_back: Rollback | None,
                     noticed_by: str = "") -> None:
            super().__init__()
            self.due = due
            self.rolled_back = rolled_back
            self.noticed_by = noticed_by
            """The full name of the operator who noticed the rollback."""

    class Calendar(Reply):
        """This month's deadlines, for marking one done."""

        def __init__(self, calendar: deadlines.Calendar) -> None:
            super().__init__()
            self.calendar = calendar

    class ZeroChoices(Reply):
        """The month whose cards are due, its departments and those with no cards yet, for
        recording a zero return."""

        def __init__(self, month: str, departments: list[Code], missing: list[str]) -> None:
            super().__init__()
            self.month = month
            self.departments = departments
            self.missing = missing

    def __init__(self) -> None:
        super().__init__()
        self.rolled_back: Rollback | None = None
        self.greeted = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        session = self.desk.session
        if action == "my_password":  # the recovery code has no password of its own
            return session is not None and session.actor.name != RECOVERY_ACTOR
        if action == "rotate_key":
            return session is not None and session.actor.is_admin
        if action == "acknowledge_rollback":
            return session is not None and session.actor.is_admin and \
                self.rolled_back is not None
        return super().check_action(action, parameters)

    def on_mount(self) -> None:
        """A new session: what its unlock found comes first, then a one-time password is
        replaced, before any work (this screen is made afresh for every session)."""
        from tui.dialogs.notices import NoticesDialog
        from tui.dialogs.operators import ForcedPasswordDialog

        self.reload_warnings()
        session = self.desk.session
        if session is None or self.greeted:
            return
        self.greeted = True
        if session.must_change_password:
            self.app.push_screen(ForcedPasswordDialog(session), self._own_password)
        if session.notices:  # on top: read first
            self.app.push_screen(NoticesDialog(session.notices))

    def _own_password(self, saved: bool | None) -> None:
        from tui.screens.login import LoginScreen

        if saved:
            self.app.notify(_("Saved. Use your own password from now on."))
            return
        self.desk.end_session("session.logout")
        while len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        self.app.switch_screen(LoginScreen())

    def on_screen_resume(self) -> None:
        """Back from another screen: the panels and warnings show what is true now."""
        for panel in self.query(Panel):
            if panel.is_mounted:
                panel.reload()
        if self.is_mounted:
            self.reload_warnings()

    def reload_warnings(self) -> None:
        if self.desk.session is not None:
            self.read_warnings()

    @store_work("warnings")
    def read_warnings(self) -> None:
        rolled_back = rollback.current()
        reply(self, self.KeyWarnings(rotation_due.current(), rolled_back, operators.display_name(
            rolled_back.noticed_by) if rolled_back is not None else ""))

    @on(KeyWarnings)
    def show_warnings(self, found: KeyWarnings) -> None:
        """One line for each: red, marked, with the administrator's key to act on it."""
        session = self.desk.session
        admin = session is not None and session.actor.is_admin
        self.rolled_back = rolled_back = found.rolled_back
        lines: list[str] = []
        if rolled_back is not None:
            said = _("The store was rolled back outside statdesk: the backup {file} holds audit "
                     "entry #{seen}, the store ends at #{live}.") if rolled_back.backup else \
                _("The store was rolled back outside statdesk: {name} had seen audit entry "
                  "#{seen}, the store ends at #{live}.")
            lines.append(said.format(
                file=rolled_back.backup, name=found.noticed_by, seen=rolled_back.seen_id,
                live=rolled_back.live_id) + glyphs.SEP + (
                _("{key}: acknowledge it").format(key=key_of(self, "home-rollback")) if admin
                else _("an administrator must look into it")))
        due = found.due
        if due is not None:
            said = _("Rotate the master key - {reason} ({names})").format(
                reason=_(due.reason), names=", ".join(due.subjects)) if due.subjects else \
                _("Rotate the master key - {reason}").format(reason=_(due.reason))
            lines.append(said + glyphs.SEP + (
                _("{key}: rotate it now").format(key=key_of(self, "home-rotate")) if admin
                else _("an administrator rotates it")))
        shown = self.query_one("#key-warnings", Static)
        shown.update(Text("\n".join(f"{glyphs.WARN} {line}" for line in lines)))
        shown.display = bool(lines)
        self.refresh_bindings()

    def action_rotate_key(self) -> None:
        from tui.dialogs.rotation import open_rotation

        open_rotation(self.desk)

    def action_acknowledge_rollback(self) -> None:
        from tui.dialogs.rollback import AcknowledgeRollbackDialog

        session, found = self.desk.session, self.rolled_back
        if session is not None and found is not None:
            self.app.push_screen(AcknowledgeRollbackDialog(session, found), self._saved)

    def _saved(self, saved: bool | None) -> None:
        if saved:
            self.app.notify(_("Saved."))

    def action_mark_deadline(self) -> None:
        if self.desk.session is not None:
            self.read_calendar()

    @store_work("calendar")
    def read_calendar(self) -> None:
        reply(self, self.Calendar(deadlines.calendar(clock.today())))

    @on(Calendar)
    def mark_deadline(self, found: Calendar) -> None:
        from tui.dialogs.deadline import MarkDoneDialog

        session = self.desk.session
        if session is not None:
            self.app.push_screen(MarkDoneDialog(session, found.calendar), self._marked)

    def _marked(self, done: bool | None) -> None:
        if done:
            self.on_screen_resume()

    def action_zero_return(self) -> None:
        if self.desk.session is not None:
            self.read_zero_choices()

    @store_work("zero")
    def read_zero_choices(self) -> None:
        today = clock.today()
        month = deadlines.cards_month(today)
        reply(self, self.ZeroChoices(month, codes.all_codes("department"),
                                     deadlines.missing_departments(month)))

    @on(ZeroChoices)
    def ask_zero_return(self, found: ZeroChoices) -> None:
        from tui.dialogs.zero_return import ZeroReturnDialog

        session = self.desk.session
        if session is not None:
            self.app.push_screen(ZeroReturnDialog(session, found.month, found.departments,
                                                  found.missing), self._zero_said)

    def _zero_said(self, saved: bool | None) -> None:
        if saved:
            self.app.notify(_("Zero return recorded: its cards count as handed in."))
            self.on_screen_resume()

    def action_backup_now(self) -> None:
        """The backup panel's key: open the backup screen and start this month's backup."""
        from tui.screens.backups import BackupsScreen

        self.desk.go("backups", BackupsScreen(start_backup=True))

    def action_my_password(self) -> None:
        """Every operator changes their own password here; administrators also on F4."""
        from tui.dialogs.operators import PasswordDialog

        session = self.desk.session
        if session is not None and session.actor.name != RECOVERY_ACTOR:
            self.app.push_screen(PasswordDialog(session, session.actor.name), self._saved)

    def body(self) -> ComposeResult:
        yield Static("", id="key-warnings")
        yield CodesOfferNotice()  # while the 2026 code tables are offered and not adopted
        with VerticalScroll(id="panels"):
            for panel in PANELS:
                yield panel()
