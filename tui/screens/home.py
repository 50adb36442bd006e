"""Home: who is working, for which unit, on which day."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from statdesk.i18n import _
from tui.screens.login import Overview


class HomeScreen(Screen[None]):
    CSS_PATH = "home.tcss"

    def __init__(self, overview: Overview) -> None:
        super().__init__()
        self.overview = overview

    def compose(self) -> ComposeResult:
        o = self.overview
        yield Header()
        with Vertical(id="home-box"):
            yield Static(o.unit_name or _("(unit name not set)"), id="home-unit")
            yield Static(_("Operator: {name} ({display}), {role}").format(
                name=o.operator, display=o.display_name, role=o.role), id="home-operator")
            yield Static(_("Today: {day}").format(day=date.today().isoformat()), id="home-date")
        yield Footer()
