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
    """Said under the table (e.g. "no cards"); an empty table with a note prints the note
    alone under its heading, one with none its header."""
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
                                 audit_line=document.audit_line, title=document.title,
                                 author=document.author)
    docx_base.title(doc, document.title)
    for text in document.lines:
        docx_base.line(doc, text)
    last: Table | None = None  # the last table written, and the lines written after it
    since: list[Paragraph] = []
    for section in document.sections:
        docx_base.heading(doc, section.heading)  # kept with what follows it
        # an empty table with a note is its note alone, under the heading: a header with no
        # rows says nothing the note does not, and a reader may let the note leave it
        grids = [] if not section.rows and section.note else docx_base.tables(
            doc, section.header, section.rows, section.widths_mm, section.bold_rows,
            section.group_rows, section.whole, section.header_groups, section.figures_from)
        if grids:
            last, since = grids[-1], []
        said = [docx_base.line(doc, text, docx_base.TABLE_SIZE)
                for text in ((section.note,) if section.note else ()) + section.under]
        since += said
        for paragraph in said[:-1]:  # a section's lines under its table stay together
            docx_base.keep_with_next(paragraph)
    if document.signatures:  # the signatures stay with the last rows and all that follows
        if last is not None:  # them, even when the last sections are notes alone
            docx_base.keep_with_next(last, docx_base.KEPT_WITH_SIGNATURES)
        for paragraph in since:
            docx_base.keep_with_next(paragraph)
    for index, text in enumerate(document.signatures):
        signature = docx_base.line(doc, text, space_before=docx_base.BODY_SIZE
                                   if index == 0 else None)
        if index < len(document.signatures) - 1:
            docx_base.keep_with_next(signature)
    doc.save(str(path))


def author_of(session: Session) -> str:
    """The unit and the operator's full name; never a login: with no full name on record
    (the recovery code's holder), the unit alone."""
    from store import operators, settings

    login = session.actor.name
    name = session.actor.display_name or operators.display_name(login)
    unit = settings.current().printed_unit()
    return unit if name == login else f"{unit} {name}"


def save(session: Session, document: TablesDocument, name: str, action: str,
         details: dict[str, object], folder: Path | None = None) -> Path:
    """Write `document` where `folder` says, the audit head in its footer and the unit and
    operator as its author (unless it names one), and log it as a carrier
    (exports.carrier)."""
    author = document.author or author_of(session)
    return carrier.write(
        session, lambda path, head: write(path, replace(document, audit_line=head,
                                                        author=author)),
        name, action, details, folder)
