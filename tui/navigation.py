"""Where each key and palette command leads; the dashboard is always the bottom screen."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.screen import Screen

from store.i18n import N_, _
from tui.keys import key_in, key_of
from tui.ways import keys_to, screen_class

if TYPE_CHECKING:
    from tui.app import StatdeskApp

ADMIN_ONLY = frozenset({"operators", "settings", "codes"})

DESTINATIONS: dict[str, tuple[str, str]] = {
    "dashboard": (N_("Home"), N_("who is working, this month's deadlines")),
    "audit": (N_("Audit log"), N_("page, filter and verify the audit log")),
    "operators": (N_("Operators"), N_("add operators, change passwords, disable")),
    "settings": (N_("Settings"), N_("unit, idle lock, language, cut-off day, holidays")),
    "report": (N_("Monthly report"), N_("the month's report: reconcile, submit, revise, Word")),
    "desk": (N_("Borrow desk"), N_("read, lend, copy and take back items under the rules")),
    "catalogue": (N_("Item catalogue"), N_("register items, find them, see their chain of "
                                           "custody")),
    "register": (N_("Secrecy register"), N_("classified documents received, distributed "
                                            "against signature, checked in")),
    "checks": (N_("Checklist runs"), N_("holiday-eve storage check, quarterly check-in, "
                                        "inventory, spot check")),
    "destruction": (N_("Destruction ledger"), N_("destruction batches: registered, approved, "
                                                 "supervised, printed, carried out")),
    "holds": (N_("Holds"), N_("items kept from destruction while a case is open")),
    "incidents": (N_("Incidents"), N_("damaged or missing items, for the secrecy officer")),
    "analysis": (N_("Analysis reports"), N_("the year's analysis reports, at least eight")),
    "codes": (N_("Code tables"), N_("departments, business types, outcomes, charges, ranks")),
    "backups": (N_("Backups"), N_("make, verify and restore the monthly backups")),
    "cards": (N_("Enter cards"), N_("enter case registration cards, checked as you type")),
    "card_list": (N_("Card list"), N_("find, filter and open cards, with their history")),
}
"""Each destination's title and what it is for (catalog messages); its keys come from the
bindings (`tui.ways`)."""


SCREEN_MODULES = ("tui.screens.card_list", "tui.screens.card_entry", "tui.screens.audit",
                  "tui.screens.report", "tui.screens.desk", "tui.screens.catalogue",
                  "tui.screens.backups", "tui.screens.settings", "tui.screens.operators")
"""The screens of every day. The secrecy and destruction screens, opened a few times a
quarter, load when first opened: importing them too held the interpreter while the first
screen after login was drawn."""


def preload_screens() -> None:
    """Import the screens' modules (in a worker, once logged in) so the first F8 or F9 opens
    as fast as the second."""
    for name in SCREEN_MODULES:
        importlib.import_module(name)


def reset_to_dashboard(app: StatdeskApp) -> None:
    """Leave whatever is shown (login, lock) for a fresh dashboard at the bottom."""
    from tui.screens.dashboard import DashboardScreen

    while len(app.screen_stack) > 2:
        app.pop_screen()
    app.switch_screen(DashboardScreen())


def go(app: StatdeskApp, where: str, screen: Screen[object] | None = None) -> None:
    """Open a screen above the dashboard (closing whatever else was open)."""
    from tui.screens.dashboard import DashboardScreen

    if app.session is None:
        return
    if where in ADMIN_ONLY and not app.session.actor.is_admin:
        refuse(app, where)
        return
    while len(app.screen_stack) > 2 and not isinstance(app.screen, DashboardScreen):
        app.pop_screen()
    if where != "dashboard":
        app.push_screen(screen or screen_class(where)())


def refuse(app: StatdeskApp, where: str) -> None:
    """A clerk pressed the key of an administrators' screen (F4, F5): say so, instead of
    nothing (the app's key for it is hidden from clerks, so a key of its own says this)."""
    if app.session is None:
        return
    app.notify(_("{screen} is for administrators: log in as an administrator to open it.")
               .format(screen=_(DESTINATIONS[where][0])), severity="warning")


def _with_key(title: str, key: str) -> str:
    """A palette command's title with its key, e.g. "Lock (Ctrl+L)"."""
    return f"{title} ({key})"


def palette_commands(app: StatdeskApp, screen: Screen[object]) -> Iterator[SystemCommand]:
    """Every screen (by role), the key rotation, this screen's own keys, lock, help and quit."""
    from tui.keys import our_keys
    from tui.screens.help import HelpScreen

    if app.session is not None:
        for where, (title, help_text) in DESTINATIONS.items():
            if where in ADMIN_ONLY and not app.session.actor.is_admin:
                continue
            yield SystemCommand(_with_key(_(title), " ".join(keys_to(app, where))),
                                _(help_text), partial(go, app, where))
        if app.session.actor.is_admin:
            from tui.dialogs.rotation import open_rotation

            yield SystemCommand(_("Rotate the master key"), _(
                "a new master key: one-time passwords and a new recovery code, shown once"),
                partial(open_rotation, app))
        yield SystemCommand(_with_key(_("Lock"), key_of(app, "lock")),
                            _("close the store and lock the screen"), app.action_lock)
    app_actions = {"help", "quit", "lock", "rotate_key", "rotate"} | {
        f"go('{where}')" for where in DESTINATIONS}
    for own in our_keys(screen):
        if own.action.removeprefix("app.") not in app_actions:
            yield SystemCommand(_with_key(_(own.description), own.key),
                                _("a key of this screen"),
                                partial(app.run_action, own.action, own.node))
    help_key = key_of(app, "help")
    yield SystemCommand(_with_key(_("Help"), help_key), _("every key of this screen"),
                        app.action_help)
    yield SystemCommand(_with_key(_("About statdesk"), f"{help_key} {key_in(HelpScreen, 'about')}"),
                        _("versions of statdesk, SQLCipher and SQLite, the schema, the data "
                          "folder"), app.action_about)
    yield SystemCommand(_with_key(_("Quit"), key_of(app, "quit")), _("log out and leave statdesk"),
                        app.action_quit)
