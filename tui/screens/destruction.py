"""The destruction ledger (F12, e): every batch and its state, found by an item's number;
a new batch (n), a batch opened (Enter), the holds (h)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from store.destruction import batches as destruction
from store.destruction.batches import Batch
from store.i18n import N_, _
from tui import glyphs
from tui.keys import key_of
from tui.screens.base import BaseScreen
from tui.widgets.fit_table import FitTable
from tui.widgets.kept_row import KeptRow
from tui.workers import Reply, reply, store_work


def batch_when(batch: Batch) -> str:
    if batch.status == "executed":
        return _("destroyed {day}").format(day=batch.executed_on)
    if batch.planned_on:
        return _("planned {day}").format(day=batch.planned_on)
    return glyphs.NONE


class DestructionScreen(BaseScreen):
    TITLE_TEXT = N_("Destruction ledger")
    AUTO_FOCUS = "#batches"
    DEFAULT_CSS = """
    DestructionScreen #batch-search { margin: 0 1; }
    DestructionScreen #batches { height: 1fr; margin: 0 1; }
    DestructionScreen #batches-hint { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("n", "new_batch", N_("New batch"), id="batches-new"),
        Binding("h", "holds", N_("Holds"), id="batches-holds"),
        Binding("f", "find", N_("Find"), id="batches-find"),
    ]

    class Loaded(Reply):
        """The batches (those holding the item searched for, if one is)."""

        def __init__(self, found: list[Batch]) -> None:
            super().__init__()
            self.found = found

    class Created(Reply):
        """A new batch was opened."""

        def __init__(self, batch: Batch) -> None:
            super().__init__()
            self.batch = batch

    def __init__(self) -> None:
        super().__init__()
        self.shown: dict[str, Batch] = {}
        self.keep = KeptRow()
        """The batch the cursor was on before a reload (back from a batch or a dialog)."""

    def body(self) -> ComposeResult:
        yield Input(placeholder=_("an item's number: the batches that hold it"),
                    id="batch-search", compact=True)
        yield FitTable(id="batches", cursor_type="row", zebra_stripes=True, give_way=(3,))
        yield Static(_("Enter: open the batch | {new}: new batch | {holds}: holds | {find}: "
                       "find by item").format(new=key_of(self, "batches-new"),
                                              holds=key_of(self, "batches-holds"),
                                              find=key_of(self, "batches-find")),
                     id="batches-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DataTable).add_columns(_("Batch"), _("State"), _("Items"),
                                              _("Approved by"), _("When"))
        self.load()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.load()

    @on(Input.Changed, "#batch-search")
    def searched(self) -> None:
        """A new search starts at the top of the ledger."""
        self.load(stay=False)

    def load(self, stay: bool = True) -> None:
        """The ledger for what is in the search field (a newer load supersedes an older);
        `stay`: the cursor stays on the batch it was on."""
        self.keep.remember(self.query_one(DataTable), stay)
        self.read_ledger(self.query_one("#batch-search", Input).value)

    @store_work("load")
    def read_ledger(self, wanted: str) -> None:
        reply(self, self.Loaded(destruction.ledger(wanted)))

    @on(Loaded)
    def show(self, message: Loaded) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.shown = {str(b.id): b for b in message.found}
        for b in message.found:
            table.add_row(b.number, _(destruction.STATES[b.status]), str(b.count),
                          Text(b.approver or glyphs.NONE), batch_when(b), key=str(b.id))
        if not message.found:
            table.add_row(_("No batches: {new} opens one.").format(
                new=key_of(self, "batches-new")), "", "", "", "")
        self.keep.restore(table)

    def action_find(self) -> None:
        self.query_one("#batch-search", Input).focus()

    def action_holds(self) -> None:
        from tui.screens.holds import HoldsScreen

        self.app.push_screen(HoldsScreen())

    def action_new_batch(self) -> None:
        from tui.dialogs.confirm import ConfirmDialog

        session = self.desk.session
        if session is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.create(session)

        self.app.push_screen(ConfirmDialog(_("Open a new destruction batch? It is numbered "
                                             "now and stays on record.")), answered)

    @store_work("create", write=True)
    def create(self, session: Any) -> None:
        reply(self, self.Created(destruction.create(session)))

    @on(Created)
    def created(self, message: Created) -> None:
        self.keep.go_to(str(message.batch.id))  # back from it, the cursor is on it
        self.open_batch(message.batch)

    def open_batch(self, batch: Batch) -> None:
        from tui.screens.batch import BatchScreen

        self.app.push_screen(BatchScreen(batch.id))

    @on(DataTable.RowSelected)
    def selected(self, event: DataTable.RowSelected) -> None:
        batch = self.shown.get(str(event.row_key.value))
        if batch is not None:
            self.open_batch(batch)
