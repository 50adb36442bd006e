"""What every screen shares: header, translated footer, Escape to go back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header

from store.i18n import N_, _
from tui import glyphs
from tui.widgets import AppFooter
from tui.workers import StoreRoute

if TYPE_CHECKING:
    from tui.app import StatdeskApp


class BaseScreen(StoreRoute, Screen[Any]):
    """A full screen of the app; `TITLE_TEXT` is a catalog message. A failed store worker
    of the screen is said as a notification (`StoreRoute`)."""

    TITLE_TEXT = N_("statdesk")
    ROOT = False
    """A root screen (login, dashboard) has nothing to go back to."""

    BINDINGS = [Binding("escape", "back", N_("Back"), id="back")]

    @property
    def desk(self) -> StatdeskApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header(icon=glyphs.HEADER_ICON)
        yield from self.body()
        yield AppFooter(compact=True)

    def body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.sub_title = _(self.TITLE_TEXT)

    def retranslate(self) -> None:
        """The language changed: compose again (what was typed but not saved is dropped)."""
        self.sub_title = _(self.TITLE_TEXT)
        self.call_later(self.recompose)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return not self.ROOT
        return True

    def action_back(self) -> None:
        if not self.ROOT and len(self.app.screen_stack) > 1:
            self.app.pop_screen()
