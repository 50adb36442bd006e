"""F1: every key of the screen beneath, then every logic rule of a card, in the current
language."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from store.cards.rules import ERROR, RULES
from store.i18n import N_, _
from tui import glyphs
from tui.keys import key_in, key_of, our_keys, said
from tui.widgets import Table


def key_rows(screen: Screen[Any]) -> list[tuple[str, str]]:
    """(key, what it does) for statdesk's keys of `screen`, then the common keys."""
    rows = [(key.key, _(key.description)) for key in our_keys(screen)]
    rows.append(("Up Down PgUp PgDn Home End", _("move in tables and lists")))
    rows.append(("Tab / Shift+Tab", _("next / previous field")))
    rows.append(("Enter", _("next field, or open the selected row")))
    rows.append((said(screen.app.COMMAND_PALETTE_BINDING),
                 _("command palette: every screen and command by name")))
    rows.append((key_in(HelpScreen, "about"), _("About statdesk: versions and the data folder")))
    return rows


def rule_rows() -> list[tuple[str, str, str]]:
    """(code, error or warning, what it checks) for every logic rule of a card (逻辑校验)."""
    return [(rule.code, _("error") if rule.severity == ERROR else _("warning"),
             _(rule.description)) for rule in RULES]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 70; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    HelpScreen #help-rules { margin-top: 1; }
    """
    BINDINGS = [Binding("f1,escape", "dismiss", N_("Close"), id="close"),
                Binding("a", "app.about", N_("About statdesk"), id="about")]

    def __init__(self, beneath: Screen[Any]) -> None:
        super().__init__()
        self.rows = key_rows(beneath)  # read while that screen is the active one

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=True, pad_edge=False)
        table.add_column(_("Key"), no_wrap=True, style="bold")
        table.add_column(_("What it does"), ratio=1)
        for key, what in self.rows:
            table.add_row(key, what)
        rules = Table(box=None, expand=True, show_header=True, pad_edge=False,
                      title=_("Logic rules of a card"), title_justify="left", title_style="bold")
        rules.add_column(_("Rule"), no_wrap=True, style="bold")
        rules.add_column(_("Kind"), no_wrap=True)
        rules.add_column(_("What it checks"), ratio=1)
        for code, kind, what in rule_rows():
            rules.add_row(code, kind, what)
        with VerticalScroll() as box:
            box.border_title = _("Keys of this screen") + glyphs.DASH + _("{keys} to close").format(
                keys=key_of(self, "close"))
            yield Static(table, id="help-keys")
            yield Static(rules, id="help-rules")
