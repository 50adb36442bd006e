"""The Word baseline: a table built with python-docx's plain `add_row()` loop and saved."""

from __future__ import annotations

import time
from pathlib import Path

from exports.tables_doc import Section


def add_row_table(section: Section, path: Path) -> float:
    """Seconds to build `section`'s table row by row with add_row() and save it (the rows
    are made before the clock starts)."""
    from exports import docx_base

    begin = time.perf_counter()
    doc = docx_base.new_document(landscape=True)
    grid = doc.add_table(rows=1, cols=len(section.header))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, section.header, strict=True):
        cell.text = text
    for values in section.rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, values, strict=False):  # a group row has one cell
            cell.text = text
    doc.save(str(path))
    return time.perf_counter() - begin
