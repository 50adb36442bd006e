"""The row a table's cursor stays on across a reload: the row acted on, wherever it now is,
or the row that took its place when it left the list (the next one)."""

from __future__ import annotations

from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist


class KeptRow:
    """Remembered before a table is cleared and filled again, restored after."""

    def __init__(self) -> None:
        self.key: str | None = None
        """The key of the row the cursor was on (or is to go to)."""
        self.row = 0
        """Its place in the table, for when it is no longer listed."""
        self.wanted = False
        """`go_to` named the row: the next `remember` leaves it be."""

    def remember(self, table: DataTable[object], stay: bool = True) -> None:
        """Note the row under the cursor; `stay=False` starts at the top (a new search)."""
        if self.wanted and stay:
            return
        self.key, self.row, self.wanted = None, 0, False
        if stay and table.row_count:
            self.key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
            self.row = table.cursor_row

    def go_to(self, key: str) -> None:
        """The cursor is to go to the row keyed `key` the next time the table is filled (a
        row just added)."""
        self.key, self.wanted = key, True

    def restore(self, table: DataTable[object]) -> None:
        """Put the cursor back on the remembered row, or on the row now in its place."""
        self.wanted = False
        if not table.row_count:
            return
        try:
            at = table.get_row_index(self.key) if self.key is not None else self.row
        except RowDoesNotExist:  # the row left the list: the one that took its place
            at = self.row
        table.move_cursor(row=max(0, min(at, table.row_count - 1)))
