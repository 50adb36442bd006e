"""A document of titled tables: the monthly report, its revisions, the leaders' briefings.

The store hands over words and figures already formatted in the reader's language;
this module only lays them out (GB/T 9704 page, East Asian fonts, repeated headers).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from exports import carrier, docx_base

if TYPE_CHECKING:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from store.vault.session import Session


@dataclass(frozen=True)
class Section:
    heading: str
    header: list[str]
    rows: list[list[str]]
    widths_mm: list[float]
    bold_rows: frozenset[int] = frozenset()
    note: str = ""
    """Said under the table (e.g. "no cards"); an empty table still prints its header."""
    group_rows: frozenset[int] = frozenset()
    """Rows that label the group below them (e.g. a cabinet shelf): one bold cell across."""
    under: tuple[str, ...] = ()
    """Paragraphs printed under the table, after the note (e.g. the rates with their
    formulas)."""
    whole: frozenset[int] = frozenset()
    """Columns whose cells never break inside (a date, a number, a 文号, a registration
    number): widened to their longest cell, the room taken from the other columns."""
    header_groups: tuple[tuple[str, int], ...] = ()
    """A row above the header naming groups of columns, each (label, columns spanned), e.g.
    ("", 1), ("本月", 3), ("本年累计", 3); repeated on every page with the header."""
    figures_from: int | None = None
    """The columns from this one on hold figures: right-aligned, their titles centred and a
    size smaller (五号), so that narrow columns keep their units on one line."""


@dataclass(frozen=True)
class TablesDocument:
    title: str
    lines: list[str]
    """Under the title: unit, month, state (e.g. still open), revision."""
    sections: list[Section]
    signatures: list[str] = field(default_factory=list)
    """The prepared-by / approved-by lines, with blanks to sign on."""
    landscape: bool = False
    footer: str = ""
    """Printed small in the footer of every page, above the audit head (e.g. the SHA-256 of a
    list to sign, so the paper can be matched to the record). Lines are split on "\n";
    "{page}" and "{pages}" print the page's number and the number of pages (fields)."""
    author: str = ""
    """The file's creator (core properties): the unit and the operator who made it; `save`
    sets it from the session when left empty."""
    audit_line: str = ""
    """The audit head, printed beside the page number on every page; `save` sets it at the
    moment of writing (exports.carrier.audit_line)."""


def write(path: Path, document: TablesDocument) -> None:
    doc = docx_base.new_document(landscape=document.landscape, footer=document.footer,
                                 audit_line=document.audit_line)
    docx_base.title(doc, document.title)
    for text in document.lines:
        docx_base.line(doc, text)
    last: Paragraph | Table | None = None
    for section in document.sections:
        docx_base.heading(doc, section.heading)
        last = docx_base.table(doc, section.header, section.rows, section.widths_mm,
                               section.bold_rows, section.group_rows)
        if section.figures_from is not None:
            _align_figures(last, section.figures_from)
        if section.note:
            last = docx_base.line(doc, section.note, docx_base.TABLE_SIZE)
        for text in section.under:
            last = docx_base.line(doc, text, docx_base.TABLE_SIZE)
    if document.signatures and last is not None:
        docx_base.keep_with_next(last)
    for index, text in enumerate(document.signatures):
        signature = docx_base.line(doc, text, space_before=docx_base.BODY_SIZE
                                   if index == 0 else None)
        if index < len(document.signatures) - 1:
            docx_base.keep_with_next(signature)
    doc.save(str(path))


def _align_figures(grid: Table, first: int) -> None:
    """Figures to the right of their cells from column `first` on, their titles centred in
    五号 (on the XML: a report's table has a hundred rows). A group's one cell across is left
    as is."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for cell in grid.rows[0].cells[first:]:
        for run in cell.paragraphs[0].runs:
            run.font.size = Pt(10.5)
    for index, tr in enumerate(grid._tbl.tr_lst):
        align = WD_ALIGN_PARAGRAPH.CENTER if index == 0 else WD_ALIGN_PARAGRAPH.RIGHT
        for tc in tr.tc_lst[first:]:
            for paragraph in tc.iter(qn("w:p")):
                properties = paragraph.get_or_add_pPr()
                properties.jc_val = align
                if not "".join(t.text or "" for t in paragraph.iter(qn("w:t"))):
                    # an empty cell's line is as high as its paragraph mark: the table's size,
                    # not the body's
                    mark, size = OxmlElement("w:rPr"), OxmlElement("w:sz")
                    size.set(qn("w:val"), str(int(docx_base.TABLE_SIZE.pt * 2)))
                    mark.append(size)
                    properties.append(mark)


def save(session: Session, document: TablesDocument, name: str, action: str,
         details: dict[str, object], folder: Path | None = None) -> Path:
    """Write `document` where `folder` says, the audit head in its footer, and log it as a
    carrier (exports.carrier)."""
    return carrier.write(
        session, lambda path, head: write(path, replace(document, audit_line=head)), name,
        action, details, folder)
