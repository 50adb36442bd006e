"""The statdesk Textual app; one factory builds it for the command line and for tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import SystemCommand
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.notifications import SeverityLevel
from textual.screen import Screen

from store import clock, i18n
from store.i18n import N_, _, ngettext
from store.vault.folder import StoreDir
from tui import navigation
from tui.closing import Closer
from tui.terminal import ConsoleSafeApp

if TYPE_CHECKING:
    from store.settings import Settings
    from store.vault.session import Session


TEXTUAL_WORDS = (N_("Dismiss menu"), N_("Show menu"), N_("Exit the command palette"),
                 N_("Select"), N_("palette"))
"""Textual's own words that statdesk shows (its widgets' key descriptions, which the footer
translates, and a choice list's prompt), kept in the catalog with their translations."""


class StatdeskApp(ConsoleSafeApp):
    """Keyboard-driven desk: first run or login, then the dashboard and its screens."""

    TITLE = N_("statdesk")
    """In English the name alone: on a console without Chinese glyphs nothing else is needed."""
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        # Shown in the footer of the dashboard (see DashboardScreen); they work everywhere.
        Binding("f1", "help", N_("Help"), id="help"),
        Binding("f2", "go('dashboard')", N_("Home"), show=False, id="go-dashboard"),
        Binding("f3", "go('audit')", N_("Audit"), show=False, id="go-audit"),
        Binding("f4", "go('operators')", N_("Operators"), show=False, id="go-operators"),
        Binding("f5", "go('settings')", N_("Settings"), show=False, id="go-settings"),
        # A clerk's F4 / F5 (the two above are off for clerks): says the screen is for
        # administrators, instead of nothing. No description: never in the footer or F1.
        Binding("f4", "admin_only('operators')", "", show=False),
        Binding("f5", "admin_only('settings')", "", show=False),
        Binding("f7", "go('backups')", N_("Backups"), show=False, id="go-backups"),
        Binding("f8", "go('cards')", N_("Enter cards"), show=False, id="go-cards"),
        Binding("f9", "go('card_list')", N_("Card list"), show=False, id="go-card-list"),
        Binding("f10", "go('report')", N_("Monthly report"), show=False, id="go-report"),
        Binding("f11", "go('desk')", N_("Borrow desk"), show=False, id="go-desk"),
        Binding("f12", "go('catalogue')", N_("Item catalogue"), show=False, id="go-catalogue"),
        Binding("ctrl+l", "lock", N_("Lock"), show=False, id="lock"),
        Binding("ctrl+q", "quit", N_("Quit"), priority=True, show=False, id="quit"),
    ]

    def __init__(self, folder: StoreDir, lang: str | None = None,
                 idle_seconds: float | None = None) -> None:
        self.folder = folder
        self.fixed_lang = lang
        if lang:
            i18n.set_language(lang)
        self.idle_override = idle_seconds
        self.idle_limit = idle_seconds or 600.0
        self.session: Session | None = None
        self.last_activity = clock.monotonic()
        super().__init__()
        self.closer = Closer(self)
        self.title = _(self.TITLE)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Messages quote what clerks typed (names, reasons): never read as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # --- start, sessions ----------------------------------------------------------------

    def on_mount(self) -> None:
        from tui.screens.first_run import FirstRunScreen
        from tui.screens.login import LoginScreen

        self.push_screen(LoginScreen() if self.folder.has_store else FirstRunScreen())
        self.set_interval(min(5.0, self.idle_limit / 4), self.lock_if_idle)
        if getattr(self.folder, "tightened", False):  # said once, where the clerk looks
            self.notify(_("the data directory {root} was open to other users; it is now closed "
                          "to them (mode 0700)").format(root=self.folder.paths.root),
                        severity="warning", timeout=20)

    def start_session(self, session: Session, settings: Settings) -> None:
        """A successful unlock: language and idle time from the settings, then home."""
        self.session = session
        if not self.fixed_lang and settings.language in i18n.LANGUAGES:
            i18n.set_language(settings.language)
            self.title = _(self.TITLE)
        if self.idle_override is None:
            self.idle_limit = settings.idle_minutes * 60.0
        self.last_activity = clock.monotonic()
        navigation.reset_to_dashboard(self)
        self._say_failures(session)
        self._say_upgrade(session)
        self.run_worker(navigation.preload_screens, thread=True, group="preload",
                        exit_on_error=False)

    def resume_session(self, session: Session) -> None:
        """The same operator unlocked the lock screen: back to where they were."""
        self.session = session
        self.last_activity = clock.monotonic()
        self._say_failures(session)

    def _say_failures(self, session: Session) -> None:
        if session.failed_attempts:
            self.notify(ngettext("{n} failed unlock attempt since your last login; it is in "
                                 "the audit log",
                                 "{n} failed unlock attempts since your last login; they are in "
                                 "the audit log", session.failed_attempts).format(
                                     n=session.failed_attempts),
                        severity="warning", timeout=20)

    def _say_upgrade(self, session: Session) -> None:
        if session.upgraded is not None:
            done = session.upgraded
            self.notify(_("The store was upgraded from statdesk {old} (schema {old_schema}) to "
                          "{new} (schema {new_schema}). The store as it was is kept in the "
                          "safety backup {backup}.").format(
                              old=done.from_version, old_schema=done.from_schema,
                              new=done.to_version, new_schema=done.to_schema,
                              backup=done.backup), title=_("Store upgraded"), timeout=30)

    def after_restore(self, message: str) -> None:
        """The store was replaced (its session already closed): everyone logs in again."""
        from tui.screens.login import LoginScreen

        self.session = None
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(LoginScreen())
        self.notify(message, severity="warning", timeout=30)

    def end_session(self, action: str) -> None:
        """Leave the session now; the store is closed once running workers are done."""
        if self.session is not None:
            session, self.session = self.session, None
            self.closer.close(session, action)

    # --- idle lock ----------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown | events.MouseScrollDown
                      | events.MouseScrollUp | events.Paste):
            self.last_activity = clock.monotonic()
        await super().on_event(event)

    def lock_if_idle(self) -> None:
        """Timer: lock once the operator has been idle for the set minutes."""
        if self.session is not None and clock.monotonic() - self.last_activity >= self.idle_limit:
            minutes = self.idle_limit / 60
            self.lock(_("Locked after {m} idle minutes").format(
                m=int(minutes) if minutes == int(minutes) else round(minutes, 1)))

    def lock(self, reason: str) -> None:
        """Cover everything with the lock screen at once; close the database behind it."""
        from tui.screens.lock import LockScreen

        if self.session is None:
            return
        actor = self.session.actor
        self.push_screen(LockScreen(actor.name, actor.display_name, reason))
        self.call_after_refresh(self._clear_toasts)  # no message of the work stays on screen
        self.end_session("session.lock")

    def _clear_toasts(self) -> None:
        with contextlib.suppress(NoMatches):
            self.clear_notifications()

    # --- actions ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("go", "lock", "admin_only"):
            if self.session is None:
                return False
            if action == "go" and parameters and str(parameters[0]) in navigation.ADMIN_ONLY:
                return self.session.actor.is_admin
        return True

    def action_go(self, where: str) -> None:
        navigation.go(self, where)

    def action_admin_only(self, where: str) -> None:
        navigation.refuse(self, where)

    def go(self, where: str, screen: Screen[Any]) -> None:
        """Open `screen` as the destination `where` (a screen made with arguments of its own),
        above the dashboard, as its key would."""
        navigation.go(self, where, screen)

    def action_help_quit(self) -> None:
        """Ctrl+C (Textual's reminder that it does not quit), in the current language."""
        from tui.keys import key_of

        self.notify(_("Press {key} to quit statdesk").format(key=key_of(self, "quit")),
                    title=_("Do you want to quit?"))

    def action_lock(self) -> None:
        self.lock(_("Locked by the operator"))

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_about(self) -> None:
        from tui.dialogs.about import AboutDialog

        if not isinstance(self.screen, AboutDialog):
            self.push_screen(AboutDialog(self.folder.paths.root))

    async def action_quit(self) -> None:
        self.end_session("session.logout")
        await self.closer.wait()
        self.exit()

    def set_language(self, lang: str) -> None:
        """Switch the language now: every screen is composed again."""
        from tui.screens.base import BaseScreen

        i18n.set_language(lang)
        self.title = _(self.TITLE)
        for screen in self.screen_stack:
            screen.refresh_bindings()
            if isinstance(screen, BaseScreen) and screen.is_mounted:
                screen.retranslate()

    # --- palette, screenshots -----------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Our screens and this screen's own keys, in the current language.

        Textual's own commands are left out: "Screenshot" writes screens to files, and
        the rest would be English in a Chinese desk.
        """
        yield from navigation.palette_commands(self, screen)

    def action_command_palette(self) -> None:
        """Textual's palette, with its prompt in the current language."""
        from tui.widgets import Palette

        if self.use_command_palette and not Palette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(Palette(id="--command-palette",
                                     placeholder=_("Type a screen or command...")))

    def deliver_screenshot(self, *args: Any, **kwargs: Any) -> None:
        """Screens hold classified data: never written to a file from here."""
        self.notify(_("screenshots are disabled"), severity="warning")

    def save_screenshot(self, *args: Any, **kwargs: Any) -> str:
        self.notify(_("screenshots are disabled"), severity="warning")
        return ""

    async def on_unmount(self) -> None:
        self.end_session("session.logout")
        await self.closer.wait()


def build_app(folder: StoreDir, lang: str | None = None,
              idle_seconds: float | None = None) -> StatdeskApp:
    """The one factory: the command line and the tests build the app here."""
    return StatdeskApp(folder, lang, idle_seconds)
