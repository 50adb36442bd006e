"""The secrecy register (D4) in Word: the classified documents received in a period, one
line per copy under a row naming its document, the totals by classification and each
document's distribution list. Written into exports/ and logged with its SHA-256.

A copy's line holds what the receipt and the distribution recorded of it (number, copy
number, classification, pages, the seal as it arrived, the date received, its state, who
holds it and the day they signed for it), each in a column of its own that is as wide as
its longest value, so that a line prints on one line and a landscape page holds about
twenty copies.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from exports import tables_doc
from exports.tables_doc import Section, TablesDocument
from store import settings
from store.custody import items
from store.dates import parse_date
from store.errors import InvalidInput
from store.i18n import _, language, ngettext
from store.secrecy import register as secrecy
from store.vault.session import Session

TEXT_MM = 243.0
"""Landscape A4 between the official margins (297 − 28 − 26 mm)."""
EM_MM = 12 * 25.4 / 72
"""A full-width character of the tables' 小四 (12 pt)."""
NARROW = 0.6
"""A digit or Latin letter, in ems: a little over half, so that a date never wraps in the
fonts that stand in for 仿宋 where it is missing."""
PADDING_MM = 3.8
"""A cell's left and right margins (Table Grid: 1.9 mm each)."""
WHOLE = frozenset({0, 1, 2, 3, 4, 5, 8})
"""Number, copy, classification, pages, received on, seal, signed for on: never broken."""
SHARES = {6: 3.0, 7: 2.0}
"""The room left over goes to the state and the holder."""
SMALLEST_MM = 16.0


def text_mm(text: str) -> float:
    """About how wide `text` prints in the tables' size: a full-width character one em, any
    other (仿宋's digits and Latin letters) a little over half of one."""
    return sum(EM_MM if unicodedata.east_asian_width(c) in "WFA" else EM_MM * NARROW
               for c in text)


def _header_mm(title: str) -> float:
    """A header may wrap between words, never inside one."""
    return max((text_mm(word) for word in title.split()), default=0.0)


def widths(header: list[str], rows: list[list[str]]) -> list[float]:
    """Each column as wide as its longest value (its header's longest word), the room left on
    the page shared by the state and the holder; on a page too narrow for that (English),
    those two give back room down to `SMALLEST_MM`."""
    natural = [max([_header_mm(title), *(text_mm(row[i]) for row in rows)]) + PADDING_MM
               for i, title in enumerate(header)]
    spare = TEXT_MM - sum(natural)
    if spare >= 0:
        total = sum(SHARES.values())
        return [round(w + spare * SHARES.get(i, 0.0) / total, 1) for i, w in enumerate(natural)]
    flexible = {i: max(SMALLEST_MM, TEXT_MM - sum(w for j, w in enumerate(natural)
                                                   if j not in SHARES)) * share
                / sum(SHARES.values()) for i, share in SHARES.items()}
    return [round(flexible.get(i, w), 1) for i, w in enumerate(natural)]


def _listed(names: list[str]) -> str:
    return ("、" if language() == "zh" else ", ").join(names)


def _copies(first: str, last: str) -> list[secrecy.Copy]:
    """Every copy received in the range, by date, document and copy number."""
    wanted = secrecy.Filter(first=first, last=last)
    found: list[secrecy.Copy] = []
    page = secrecy.register(wanted, limit=500)
    while page:
        found += page
        page = secrecy.register(wanted, after=page[-1].id, limit=500)
    return sorted(found, key=lambda c: (c.received_on, c.document_id, c.copy_no, c.id))


def _document(copy: secrecy.Copy) -> str:
    """The row above a document's copies: its title, 文号, sender, copies printed, and what
    was found when its envelope arrived broken."""
    printed = ngettext("printed in {n} copy", "printed in {n} copies", copy.copies).format(
        n=copy.copies)
    if copy.sealed:
        return _("{title} ({doc_no}, from {sender}, {copies})").format(
            title=copy.title, doc_no=copy.doc_no, sender=copy.sender, copies=printed)
    return _("{title} ({doc_no}, from {sender}, {copies}; seal broken on receipt: {note})"
             ).format(title=copy.title, doc_no=copy.doc_no, sender=copy.sender, copies=printed,
                      note=copy.receipt_note or "—")


def _line(copy: secrecy.Copy) -> list[str]:
    return [copy.reg_no, f"{copy.copy_no}/{copy.copies}", _(items.LEVELS[copy.classification]),
            str(copy.pages) if copy.pages else "—",
            copy.received_on, _("intact") if copy.sealed else _("broken"),
            _(items.STATUSES[copy.status]) if copy.status in items.STATUSES else copy.status,
            copy.holder or "—", copy.signed_at[:10] if copy.holder else "—"]


def copies_section(copies: list[secrecy.Copy], empty: str) -> Section:
    """One line per copy, under a bold row for each document (repeated on a new page)."""
    table: list[list[str]] = []
    groups: set[int] = set()
    document: int | None = None
    for copy in copies:
        if copy.document_id != document:
            document = copy.document_id
            groups.add(len(table))
            table.append([_document(copy), *[""] * 8])
        table.append(_line(copy))
    header = [_("Number"), _("Copy no."), _("Classification"), _("Pages"), _("Received on"),
              _("Seal"), _("State"), _("Held by"), _("Signed for on")]
    lines = [row for index, row in enumerate(table) if index not in groups]
    return Section(_("Copies, one line each"), header, table, widths(header, lines), note=empty,
                   group_rows=frozenset(groups), whole=WHOLE)


def register(session: Session, first_text: str, last_text: str,
             folder: Path | None = None) -> Path:
    """The secrecy register (D4) of the documents received between two dates: each copy with
    its pages, seal, state and holder, the totals by classification, each document's
    distribution list."""
    first, last = parse_date(first_text), parse_date(last_text)
    if last < first:
        raise InvalidInput(_("the range ends before it begins"))
    copies = _copies(first.isoformat(), last.isoformat())
    counts = secrecy.totals(secrecy.Filter(first=first.isoformat(), last=last.isoformat()))
    totals = [[_(items.LEVELS[level]), str(counts[level])] for level in items.LEVELS
              if counts.get(level)]
    totals.append([_("Total"), str(sum(counts.values()))])
    documents: dict[int, secrecy.Copy] = {}
    for c in copies:
        documents.setdefault(c.document_id, c)
    lists = []
    for document_id, c in documents.items():
        listed = secrecy.recipients(document_id)
        lists.append([c.doc_no, c.title, _listed([p.label() for p, _a in listed]),
                      _listed([_("{name}, approved by {approver}").format(
                          name=p.name, approver=a) for p, a in listed if a]) or "—"])
    empty = _("No classified documents received in this range.") if not copies else ""
    document = TablesDocument(
        _("Register of classified documents received"),
        [settings.current().printed_unit(),
         _("Received {first} to {last}: {documents}, {copies}").format(
             first=first.isoformat(), last=last.isoformat(),
             documents=ngettext("{n} document", "{n} documents", len(documents)).format(
                 n=len(documents)),
             copies=ngettext("{n} copy", "{n} copies", len(copies)).format(n=len(copies)))],
        [copies_section(copies, empty),
         Section(_("Totals by classification"), [_("Classification"), _("Copies")], totals,
                 [60, 30], frozenset({len(totals) - 1}), whole=frozenset({1})),
         Section(_("Distribution lists"), [_("Document number"), _("Title"), _("Custodians"),
                                           _("Added with approval")], lists,
                 [46, 58, 79, 60], note=empty, whole=frozenset({0}))],  # 〔〕 run wide
        [_("Kept by: ____________    Checked by: ____________")], landscape=True)
    return tables_doc.save(session, document, f"secrecy-register-{first}-{last}.docx",
                           "export.register", {"first": first.isoformat(),
                                               "last": last.isoformat(),
                                               "copies": len(copies)}, folder)
