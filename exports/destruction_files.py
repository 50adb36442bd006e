"""Word files of a destruction batch (A7, D6, D9): the manifest (销毁清单) that the leader, the
handler and the supervisors sign when the items are destroyed, and the certificate (销毁证明)
once the destruction is recorded as carried out.

Each prints its SHA-256, computed over its canonical text (exports.canonical: the lines under
the title from the approval, or the execution, on, then every row of its item tables, as
printed), states in one sentence under the table how it is computed, and prints on every
page's footer the page and the number of pages, the batch number, the digest's first 16
characters and a line for the initials of the handler and the supervisors. The text and its
language are kept with the batch (schema 21): a reprint is printed in that language and must
reproduce the text, and `statdesk export verify` reads a file back against it. Each file is
written into exports/ (or where asked) and logged with its own SHA-256, like every file that
leaves the store.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from exports import canonical, tables_doc
from exports.canonical import Shape
from exports.tables_doc import Section, TablesDocument
from store import i18n, settings
from store.custody import items
from store.custody.people import Person
from store.destruction import batches as destruction
from store.destruction.batches import Batch, Line
from store.errors import InvalidInput, RuleRefused
from store.i18n import _, language, ngettext
from store.vault.session import Session

# Landscape A4 (243 mm of text), by language. A number of 统-2026-0001's length needs 35 mm
# when the workstation substitutes a wider font for 仿宋, a kind such as 登记卡合订本 30 mm;
# in English the headers "Classification" and "Copy" need 36 and 17 mm, and "Pages or
# quantity" 28 mm so that "quantity" is not broken; 页数或数量 takes two lines in 20 mm (three
# characters a line with the cell's margins), 序号 of four digits one line in 16 mm.
MANIFEST_WIDTHS: dict[str, list[float]] = {"zh": [16, 35, 59, 22, 14, 20, 30, 47],
                                           "en": [14, 35, 40, 36, 17, 28, 30, 43]}
DESTROYED_WIDTHS: dict[str, list[float]] = {"zh": [16, 35, 88, 22, 14, 20, 48],
                                            "en": [14, 35, 65, 36, 17, 28, 48]}
KEPT_WIDTHS: dict[str, list[float]] = {"zh": [16, 35, 77, 22, 93], "en": [14, 35, 65, 36, 93]}
WHOLE = frozenset({0, 1, 4})
"""序号, the registration number and the copy never break inside (a 序号 of 3,000 rows too)."""
TOTAL_WIDTHS: list[float] = [60, 30, 30]
BLANK = "____________________"


def find(text: str) -> Batch:
    """A batch by its number as typed (销-2026-001; full-width forms folded) or by its id
    (12 or #12)."""
    typed = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    plain = typed.removeprefix("#")
    if plain.isascii() and plain.isdigit():
        return destruction.get(int(plain))
    found = destruction.id_of(typed)
    if found is None:
        raise InvalidInput(_("no destruction batch {number}").format(number=typed))
    return destruction.get(int(found))


def _unit() -> str:
    return settings.current().printed_unit()


def _listed(names: list[str]) -> str:
    return ("、" if language() == "zh" else ", ").join(names) or "—"


def _reason(line: Line) -> str:
    reason = _(destruction.REASONS[line.reason]) if line.reason in destruction.REASONS \
        else line.reason
    if not line.note:
        return reason
    return _("{reason}: {note}").format(reason=reason, note=line.note)


def _level(line: Line) -> str:
    return _(items.LEVELS[line.classification]) if line.classification in items.LEVELS \
        else line.classification


def _kind(line: Line) -> str:
    return _(items.KINDS[line.kind]) if line.kind in items.KINDS else line.kind


def _method(batch: Batch) -> str:
    return _(destruction.METHODS[batch.method]) if batch.method in destruction.METHODS \
        else batch.method


def _name(batch: Batch) -> str:
    """The file's name part: 销-2026-001 → 2026-001 (plain ASCII on any medium)."""
    return batch.number.split("-", 1)[-1] if batch.number.startswith("销-") else str(batch.id)


def _footer(batch: Batch, sha: str, signers: int) -> str:
    """Every page: the page of how many, the batch, the digest's first 16 characters; then a
    blank for the initials of each person who signs (the handler and the supervisors), so
    that a page swapped in is caught."""
    return "\n".join([
        _("Page {page} of {pages} · {number} · SHA-256 (first 16): {prefix}").format(
            page="{page}", pages="{pages}", number=batch.number, prefix=sha[:16]),
        _("Initials of the handler and supervisors on every page: {blanks}").format(
            blanks=("\u3000" if language() == "zh" else "   ").join(["______"] * signers))])


@contextmanager
def _printed_in(lang: str) -> Iterator[None]:
    """The words of a document in `lang` (that of its first printing), the language of the
    screen restored after."""
    before = language()
    if lang and lang != before:
        i18n.set_language(lang)
    try:
        yield
    finally:
        if language() != before:
            i18n.set_language(before)


def _approval(batch: Batch) -> str:
    return _("Approved by {leader} on {day}, reference {reference}").format(
        leader=batch.approver, day=batch.approved_on, reference=batch.approval_ref)


def _totals(listed: list[Line], header: list[str],
            columns: list[Callable[[list[Line]], int]]) -> Section:
    """One row per classification on the list, each column a figure of its lines; the total."""
    table = []
    for level in items.LEVELS:
        group = [line for line in listed if line.classification == level]
        if group:
            table.append([_(items.LEVELS[level]), *(str(figure(group)) for figure in columns)])
    table.append([_("Total"), *(str(figure(listed)) for figure in columns)])
    return Section(_("Totals by classification"), [_("Classification"), *header], table,
                   TOTAL_WIDTHS[:len(columns) + 1], frozenset({len(table) - 1}))


def _pages(group: list[Line]) -> int:
    return sum(line.pages for line in group)


def _destroyed(group: list[Line]) -> int:
    return sum(1 for line in group if line.state == "destroyed")


def _kept(group: list[Line]) -> int:
    return sum(1 for line in group if line.state != "destroyed")


def _supervisor_line(person: Person) -> str:
    return _("Destruction supervisor {name} (signature): {blank}").format(name=person.name,
                                                                          blank=BLANK)


def _quantity(line: Line) -> str:
    """Pages for paper; for a disk or drive, one piece (its pages say nothing)."""
    medium = line.kind in destruction.MEDIA or (line.kind == "copy" and not line.pages)
    return ngettext("{n} piece", "{n} pieces", 1).format(n=1) if medium else str(line.pages)


def _manifest_lines(batch: Batch, listed: list[Line], watchers: list[Person],
                    ) -> tuple[list[str], list[list[str]]]:
    """The lines under the title and the items table's rows, as printed."""
    head = [_unit(),
            ngettext("Destruction batch {number}: {n} item",
                     "Destruction batch {number}: {n} items", len(listed)).format(
                         number=batch.number, n=len(listed)),
            _approval(batch),
            _("To be destroyed at {place} on {day}: {method}").format(
                place=batch.place, day=batch.planned_on, method=_method(batch)),
            _("Handler: {handler}; supervisors: {names}").format(
                handler=batch.handler, names=_listed([p.name for p in watchers]))]
    if batch.note:
        head.append(_("Note: {note}").format(note=batch.note))
    table = _cells([[str(n), line.reg_no, line.title, _level(line),
                     f"{line.copy_no}/{line.copies}", _quantity(line), _kind(line),
                     _reason(line)] for n, line in enumerate(listed, 1)])
    return head, table


HEAD_FROM = 1
"""The lines under the title in the canonical text: from the second (the batch's number and
count) on; only the unit's line is not in it."""


def _cells(rows: list[list[str]]) -> list[list[str]]:
    """Rows as printed: a "|" typed in a title or a note prints as "｜", so that the canonical
    text's "|" only ever joins two cells (a cell's end cannot be moved unseen)."""
    return [[cell.replace("|", "｜") for cell in row] for row in rows]


def _tables_text(*sections: tuple[str, list[list[str]]]) -> list[list[str]]:
    """The canonical rows of the hashed tables: each table that has rows as its heading, then
    its rows, so that a row cannot move from one table to another unseen."""
    return [row for heading, rows in sections if rows for row in ([heading], *rows)]


def _manifest_header() -> list[str]:
    return [_("No."), _("Number"), _("Title"), _("Classification"), _("Copy"),
            _("Pages or quantity"), _("Kind"), _("Reason")]


def _destroyed_header() -> list[str]:
    return [_("No."), _("Number"), _("Title"), _("Classification"), _("Copy"),
            _("Pages or quantity"), _("Kind")]


def _kept_header() -> list[str]:
    return [_("No."), _("Number"), _("Title"), _("Classification"), _("Why")]


def _list_label() -> str:
    return _("SHA-256 of this list: {sha}")


def _certificate_label() -> str:
    return _("SHA-256 of this certificate: {sha}")


def manifest_text(batch: Batch, listed: list[Line]) -> str:
    """The manifest's canonical text in the current language (what its SHA-256 is of)."""
    head, table = _manifest_lines(batch, listed, [p for p, _here in
                                                  destruction.supervisors(batch.id)])
    return canonical.text_of(head[HEAD_FROM:], _tables_text((_("Items to destroy"), table)))


def printed_text(batch_id: int) -> tuple[str, str]:
    """The canonical text of an approved batch's manifest, in the current language, and that
    language: what marking it printed keeps (store.demo.build.PrintedText)."""
    batch, listed = destruction.for_print(batch_id)
    return manifest_text(batch, listed), language()


def manifest_document(batch: Batch, listed: list[Line], sha: str | None = None,
                      ) -> TablesDocument:
    """The manifest of an approved batch, to sign when the items are destroyed: the approval
    and arrangements, every item numbered, the totals by classification, the lines to sign
    for the leader, the handler and each supervisor (kept with the list's last row). `sha`
    is the digest printed: by default that of its canonical text; a batch printed before
    schema 21 is reprinted with the digest it had then, said to be of the old method."""
    watchers = [person for person, _present in destruction.supervisors(batch.id)]
    head, table = _manifest_lines(batch, listed, watchers)
    if sha is None:
        sha = destruction.text_digest(canonical.text_of(
            head[HEAD_FROM:], _tables_text((_("Items to destroy"), table))))
        said = [_("How this list's SHA-256 is computed: the lines under the title from the "
                  "batch's line on, then the heading of the table of items and every row of "
                  "it (not its header); the cells of a row joined by a vertical bar “|”, the "
                  "lines by line breaks, in UTF-8."), _list_label().format(sha=sha)]
    else:
        said = [_list_label().format(sha=sha),
                _("This SHA-256 was computed when the list was first printed, before statdesk "
                  "stated how: over the store's codes, not the printed words. It cannot be "
                  "computed again from this paper; the store's record of the batch holds it.")]
    items_section = Section(_("Items to destroy"), _manifest_header(), table,
                            MANIFEST_WIDTHS[language()], under=tuple(said), whole=WHOLE)
    totals = _totals(listed, [_("Items"), _("Pages")], [len, _pages])
    signatures = [
        ngettext("The {n} item of batch {number} listed above was destroyed beyond "
                 "reconstruction in our presence.",
                 "All {n} items of batch {number} listed above were destroyed beyond "
                 "reconstruction in our presence.", len(listed)).format(
                     n=len(listed), number=batch.number),
        _("Date carried out: {blank}").format(blank=BLANK),
        _("Approving leader {name} (signature): {blank}").format(name=batch.approver,
                                                                 blank=BLANK),
        _("Handler {name} (signature): {blank}").format(name=batch.handler, blank=BLANK),
        *(_supervisor_line(person) for person in watchers)]
    return TablesDocument(_("Destruction manifest"), head, [totals, items_section],
                          signatures, landscape=True,
                          footer=_footer(batch, sha, 1 + len(watchers)))


def manifest(session: Session, batch_id: int, folder: Path | None = None) -> Path:
    """The manifest of an approved (or printed) batch, written and logged; only then is the
    batch marked printed, the canonical text of its list and its SHA-256 kept with it (a
    failed write leaves it approved). A reprint is printed in the language of the first
    printing and must reproduce its text: it carries the same SHA-256."""
    batch, listed = destruction.for_print(batch_id)
    old = batch.status != "approved" and not batch.list_text  # printed before schema 21
    with _printed_in(batch.list_lang):
        lang = language()
        text = manifest_text(batch, listed)
        destruction.same_text(batch, text)
        document = manifest_document(batch, listed, batch.list_sha256 if old else None)
        sha = batch.list_sha256 if old else destruction.text_digest(text)
        path = tables_doc.save(session, document, f"manifest-{_name(batch)}.docx",
                               "export.manifest",
                               {"batch": batch.number, "items": len(listed),
                                "list_sha256": sha, "reprint": batch.status != "approved"},
                               folder)
    destruction.mark_printed(session, batch.id, "" if old else text, lang)
    return path


def _certificate_parts(batch: Batch, listed: list[Line]) -> tuple[
        list[str], list[list[str]], list[list[str]], list[Person]]:
    """The lines under the title, the rows of the destroyed and of the kept, and the
    supervisors present, as printed."""
    named = destruction.supervisors(batch.id)
    present = [person for person, here in named if here]
    absent = [person for person, here in named if not here]
    destroyed = [(n, line) for n, line in enumerate(listed, 1) if line.state == "destroyed"]
    kept = [(n, line) for n, line in enumerate(listed, 1) if line.state != "destroyed"]
    head = [_unit(),
            ngettext("Destruction batch {number}: {destroyed} item destroyed, {kept} kept",
                     "Destruction batch {number}: {destroyed} items destroyed, {kept} kept",
                     len(destroyed)).format(number=batch.number, destroyed=len(destroyed),
                                            kept=len(kept)),
            _("Carried out on {day} at {place}: {method}").format(
                day=batch.executed_on, place=batch.place, method=_method(batch)),
            _approval(batch),
            _("Handler: {handler}; supervisors present: {names}").format(
                handler=batch.handler, names=_listed([p.name for p in present]))]
    if absent:
        head.append(_("Named as supervisors but not present: {names}").format(
            names=_listed([p.name for p in absent])))
    head.append(_("SHA-256 of the manifest it refers to: {sha}").format(sha=batch.list_sha256))
    gone = _cells([[str(n), line.reg_no, line.title, _level(line),
                    f"{line.copy_no}/{line.copies}", _quantity(line), _kind(line)]
                   for n, line in destroyed])
    still = _cells([[str(n), line.reg_no, line.title, _level(line), line.outcome_note or "—"]
                    for n, line in kept])
    return head, gone, still, present


def certificate_text(batch: Batch, listed: list[Line]) -> str:
    """The certificate's canonical text in the current language (what its SHA-256 is of)."""
    head, gone, still, _present = _certificate_parts(batch, listed)
    return canonical.text_of(head[HEAD_FROM:], _tables_text(
        (_("Items destroyed"), gone), (_("Items not destroyed"), still)))


def certificate_document(batch: Batch, listed: list[Line]) -> TablesDocument:
    """What was destroyed, when, where, how and before whom; what was kept and why; the
    certificate's own SHA-256 and that of the manifest it refers to."""
    head, gone_rows, still_rows, present = _certificate_parts(batch, listed)
    sha = destruction.text_digest(canonical.text_of(head[HEAD_FROM:], _tables_text(
        (_("Items destroyed"), gone_rows), (_("Items not destroyed"), still_rows))))
    gone = Section(_("Items destroyed"), _destroyed_header(), gone_rows,
                   DESTROYED_WIDTHS[language()], whole=WHOLE,
                   note=_("No item was destroyed.") if not gone_rows else "")
    still = Section(
        _("Items not destroyed"), _kept_header(), still_rows, KEPT_WIDTHS[language()],
        note=_("Every item on the list was destroyed.") if not still_rows else "",
        whole=frozenset({0, 1}),
        under=(_("How this certificate's SHA-256 is computed: the lines under the title from "
                 "the batch's line on, then, for each of the tables “{destroyed}” and "
                 "“{kept}” that has rows, its heading and every row (not its header); the "
                 "cells of a row joined by a vertical bar “|”, the lines by line breaks, in "
                 "UTF-8.").format(destroyed=_("Items destroyed"), kept=_("Items not destroyed")),
               _certificate_label().format(sha=sha)))
    totals = _totals(listed, [_("Destroyed"), _("Kept")], [_destroyed, _kept])
    destroyed = len(gone_rows)
    signatures = [
        ngettext("The {n} item of batch {number} listed as destroyed was destroyed beyond "
                 "reconstruction on {day} at {place}, in the presence of the supervisors named "
                 "above.",
                 "The {n} items of batch {number} listed as destroyed were destroyed beyond "
                 "reconstruction on {day} at {place}, in the presence of the supervisors named "
                 "above.", destroyed).format(n=destroyed, number=batch.number,
                                             day=batch.executed_on, place=batch.place),
        _("Handler {name} (signature): {blank}").format(name=batch.handler, blank=BLANK),
        *(_supervisor_line(person) for person in present),
        _("Date: {day}").format(day=batch.executed_on)]
    return TablesDocument(_("Destruction certificate"), head, [totals, gone, still],
                          signatures, landscape=True,
                          footer=_footer(batch, sha, 1 + len(present)))


def certificate(session: Session, batch_id: int, folder: Path | None = None) -> Path:
    """The certificate of a batch carried out, written and logged; its canonical text, its
    language and its SHA-256 kept with the batch the first time (a later one is written in
    that language and must reproduce the text)."""
    batch = destruction.get(batch_id)
    if batch.status != "executed":
        raise RuleRefused("A7", _("batch {number} is {state}: its certificate is made once the "
                                  "destruction is recorded as carried out").format(
            number=batch.number, state=_(destruction.STATES[batch.status])))
    listed = destruction.lines(batch.id)
    destroyed = sum(1 for line in listed if line.state == "destroyed")
    with _printed_in(batch.certificate_lang):
        lang = language()
        text = certificate_text(batch, listed)
        destruction.same_certificate(batch, text)
        path = tables_doc.save(session, certificate_document(batch, listed),
                               f"certificate-{_name(batch)}.docx", "export.certificate",
                               {"batch": batch.number, "destroyed": destroyed,
                                "kept": len(listed) - destroyed,
                                "list_sha256": batch.list_sha256,
                                "certificate_sha256": destruction.text_digest(text)}, folder)
    destruction.record_certificate(session, batch.id, text, lang)
    return path


def shapes() -> list[Shape]:
    """How a manifest and a certificate are read back, in each language."""
    found = []
    for lang in i18n.LANGUAGES:
        with _printed_in(lang):
            found += [Shape("manifest", lang, _("Destruction manifest"),
                            (tuple(_manifest_header()),), _list_label(), HEAD_FROM),
                      Shape("certificate", lang, _("Destruction certificate"),
                            (tuple(_destroyed_header()), tuple(_kept_header())),
                            _certificate_label(), HEAD_FROM)]
    return found


def read(path: Path) -> canonical.Read:
    """A manifest or certificate file read back (InvalidInput if it is neither)."""
    return canonical.from_docx(path, shapes())
