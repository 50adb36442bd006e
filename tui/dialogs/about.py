"""About statdesk: its version, SQLCipher's, SQLite's, the schema and the data folder.

Opened from F1 (key a) and from the command palette. The versions are read in a
worker: asking SQLCipher loads the database layer, which the login screen does not.
"""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from store.i18n import N_, _
from tui import glyphs
from tui.workers import Reply, StoreRoute, reply, store_work


class AboutDialog(StoreRoute, ModalScreen[None]):
    DEFAULT_CSS = """
    AboutDialog { align: center middle; }
    AboutDialog > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    AboutDialog .about-keys { margin-top: 1; }
    """
    BINDINGS = [Binding("escape,enter", "dismiss", N_("Close"), id="about-close")]

    class Found(Reply):
        """The versions were read (in a worker)."""

        def __init__(self, rows: list[tuple[str, str]]) -> None:
            super().__init__()
            self.rows = rows
            """(label, value) lines to show."""

    def __init__(self, data_folder: Path) -> None:
        super().__init__()
        self.data_folder = data_folder

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = _("About statdesk")
            yield Static(_("reading the versions"), id="about-rows")
            yield Static(_("Esc / Enter: close"), classes="about-keys")

    def on_mount(self) -> None:
        self.read_versions()

    @store_work("versions")
    def read_versions(self) -> None:
        from store.vault.installed import versions

        found = versions()
        reply(self, self.Found([
            ("statdesk", found.statdesk), ("SQLCipher", found.sqlcipher),
            ("SQLite", found.sqlite), (_("Schema"), str(found.schema)),
            (_("Data folder"), str(self.data_folder))]))

    @on(Found)
    def show(self, found: Found) -> None:
        table = Table(box=None, show_header=False, pad_edge=False, expand=True)
        table.add_column(no_wrap=True, style="bold")
        table.add_column(ratio=1, overflow="fold")
        for label, value in found.rows:
            table.add_row(label, value)
        self.query_one("#about-rows", Static).update(table)

    def show_trouble(self, line: str) -> None:
        """The versions could not be read: said where they would be."""
        self.query_one("#about-rows", Static).update(Text(f"{glyphs.BAD} {line}"))
