"""A dashboard panel: a title, data fetched from the store off the UI thread, and its view."""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from textual.widgets import Static

from store.i18n import N_, _
from tui import glyphs
from tui.workers import call_store


class Panel(Static):
    """Subclasses set `TITLE` (a catalog message) and implement `fetch` and `render_data`."""

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

    def reload(self) -> None:
        call_store(self, self.fetch, lambda data: self.update(self.render_data(data)),
                   lambda text: self.update(f"{glyphs.BAD} {text}"))

    def fetch(self) -> Any:
        """Runs in a worker thread: call store services only, return plain data."""
        raise NotImplementedError

    def render_data(self, data: Any) -> RenderableType:
        """Runs on the UI thread: turn the data into what the panel shows."""
        raise NotImplementedError
