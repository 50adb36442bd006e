"""A dashboard panel: a title, data fetched from the store off the UI thread, and its view."""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from textual.widgets import Static

from store.i18n import N_, _
from tui import glyphs
from tui.workers import Reply, StoreRoute, reply, store_work


class Panel(StoreRoute, Static):
    """Subclasses set `TITLE` (a catalog message) and implement `fetch` and `render_data`.

    A failed fetch is shown in the panel itself, in one line.
    """

    class Fetched(Reply):
        """What `fetch` found."""

        def __init__(self, data: Any) -> None:
            super().__init__()
            self.data = data

    DEFAULT_CSS = """
    Panel {
        border: round $primary;
        border-title-color: $text;
        padding: 0 1;
        height: auto;
    }
    """
    TITLE = N_("Panel")

    def on_mount(self) -> None:
        self.border_title = _(self.TITLE)
        self.update(_("loading..."))
        self.reload()

    @store_work("panel")
    def reload(self) -> None:
        reply(self, self.Fetched(self.fetch()))

    def on_panel_fetched(self, message: Fetched) -> None:
        message.stop()
        self.update(self.render_data(message.data))

    def show_trouble(self, line: str) -> None:
        self.update(f"{glyphs.BAD} {line}")

    def fetch(self) -> Any:
        """Runs in a worker thread: call store services only, return plain data."""
        raise NotImplementedError

    def render_data(self, data: Any) -> RenderableType:
        """Runs on the UI thread: turn the data into what the panel shows."""
        raise NotImplementedError
