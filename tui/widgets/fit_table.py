"""A table whose columns fit its width: long names and notes give way, cut with a mark.

Textual's DataTable gives each column the width of its longest cell, so at 80 columns a long
title pushes the columns after it (classification, status, location) off screen, and a cell
cut by a fixed width is cut without a mark. `FitTable` narrows the widest columns until every
column is on screen, and every cell cut ends in glyphs.MORE where it was cut (the console's
font has no ellipsis character).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import DataTable
from textual.widgets._data_table import ColumnKey, RowKey, RowRenderables

from tui import glyphs

GIVE_WAY_FLOOR = 8
"""The columns that give way first keep this many cells before the others narrow too."""
FLOOR = 6
"""No column is narrowed below this many cells (or its own width, if less)."""


def fitted(naturals: Sequence[int], room: int, give_way: Sequence[int],
           give_way_floor: int = GIVE_WAY_FLOOR) -> list[int]:
    """Widths for columns of content widths `naturals` in `room` cells (their padding already
    taken off): the columns `give_way` (indexes) narrow first, the widest first, down to
    `give_way_floor`; if that is not enough, every column narrows, the widest first, down to
    FLOOR. Columns that already fit keep their width."""
    widths = list(naturals)
    for giving, floor in ((list(give_way), give_way_floor), (list(range(len(widths))), FLOOR)):
        excess = sum(widths) - room
        if excess <= 0 or not giving:
            continue
        cap = max(widths[i] for i in giving)
        while excess > 0 and cap > floor:
            cap -= 1
            for i in giving:
                if widths[i] > cap and excess > 0:
                    widths[i] -= 1
                    excess -= 1
    return widths


def cut(renderable: Any, width: int) -> Any:
    """A cell longer than its column's `width` cells, cut to it and ending in glyphs.MORE
    (the console's font has no U+2026); any other cell as it is."""
    if not isinstance(renderable, Text) or cell_len(renderable.plain) <= width:
        return renderable
    mark = glyphs.MORE if width > 2 * len(glyphs.MORE) else glyphs.MORE[:1]
    shown = renderable.copy()
    shown.truncate(max(width - cell_len(mark), 0))
    shown.append(mark)
    shown.overflow = "crop"
    return shown


class FitTable(DataTable[Any]):
    """A DataTable whose columns stay on screen: `give_way` names the columns (keys or
    indexes) that narrow first, e.g. a title or a note, down to `give_way_floor` cells; by
    default the widest do."""

    def __init__(self, *args: Any, give_way: Iterable[str | int] = (),
                 give_way_floor: int = GIVE_WAY_FLOOR, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.give_way = tuple(give_way)
        self.give_way_floor = give_way_floor
        self._asked: dict[ColumnKey, int | None] = {}
        """The width each column was added with (None: as wide as its cells)."""

    def add_column(self, label: Any, *, width: int | None = None, key: str | None = None,
                   default: Any = None) -> ColumnKey:
        added = super().add_column(label, width=width, key=key, default=default)
        self._asked[added] = width
        return added

    def _naturals(self) -> list[int]:
        """Each column's width as asked, or as wide as its widest cell."""
        return [self._asked.get(c.key) or c.content_width for c in self.ordered_columns]

    def _room(self) -> int:
        """The cells the columns may take: the table's width less the scroll bar, the row
        labels and each column's padding."""
        columns = self.ordered_columns
        tall = self._total_row_height + (self.header_height if self.show_header else 0)
        bar = self.styles.scrollbar_size_vertical if tall > self.size.height else 0
        return (self.size.width - bar - self._row_label_column_width
                - 2 * self.cell_padding * len(columns))

    def fit(self) -> bool:
        """Narrow the columns that give way until all are on screen (or widen them back);
        True if a width changed."""
        columns = self.ordered_columns
        if not columns or not self.size.width:
            return False
        keys = [str(c.key.value) for c in columns]
        giving = [i for i, c in enumerate(columns) if i in self.give_way or keys[i] in
                  self.give_way] if self.give_way else list(range(len(columns)))
        naturals = self._naturals()
        widths = fitted(naturals, self._room(), giving, self.give_way_floor)
        changed = False
        for column, natural, width in zip(columns, naturals, widths, strict=True):
            auto = width == natural and self._asked.get(column.key) is None
            if column.auto_width != auto or (not auto and column.width != width):
                column.auto_width, column.width = auto, width
                changed = True
        return changed

    def _refit(self) -> None:
        if self.fit():
            super()._update_dimensions(())  # the table's width again, with the new widths
            self._clear_caches()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        super()._update_dimensions(new_rows)
        self._refit()
        self._clear_caches()  # rows drawn before a reload must not keep the old widths

    def on_resize(self, event: events.Resize) -> None:
        self._refit()

    def _compute_row_renderables(self, row_index: int) -> RowRenderables:
        found = super()._compute_row_renderables(row_index)
        return RowRenderables(found.label, [
            cell if column.auto_width else cut(cell, column.width)
            for column, cell in zip(self.ordered_columns, found.cells, strict=False)])
