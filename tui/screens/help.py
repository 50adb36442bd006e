"""F1: every key of the screen beneath, in the current language."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from statdesk.i18n import N_, _


def key_rows(screen: Screen[Any]) -> list[tuple[str, str]]:
    """(key, what it does) for every key of `screen` and of the app, then the common keys.

    Keys of Textual's own widgets (moving in a table, editing a field) are summed up
    in the last lines, in the current language, rather than listed one by one.
    """
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        ours = type(active.node).__module__.startswith("tui.")
        if not ours or not active.enabled or not binding.description \
                or binding.description in seen:
            continue
        seen.add(binding.description)
        rows.append((screen.app.get_key_display(binding), _(binding.description)))
    rows.append(("↑ ↓ PgUp PgDn Home End", _("move in tables and lists")))
    rows.append(("Tab / Shift+Tab", _("next / previous field")))
    rows.append(("Enter", _("next field, or open the selected row")))
    rows.append(("Ctrl+P", _("command palette: every screen and command by name")))
    return rows


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 70; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    """
    BINDINGS = [Binding("escape,f1", "dismiss", N_("Close"), id="close")]

    def __init__(self, beneath: Screen[Any]) -> None:
        super().__init__()
        self.beneath = beneath

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=True, pad_edge=False)
        table.add_column(_("Key"), no_wrap=True, style="bold")
        table.add_column(_("What it does"), ratio=1)
        for key, what in key_rows(self.beneath):
            table.add_row(key, what)
        with VerticalScroll() as box:
            box.border_title = _("Keys of this screen") + " — F1 / Esc " + _("to close")
            yield Static(table, id="help-keys")
