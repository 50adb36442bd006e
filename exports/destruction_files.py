"""Word files of a destruction batch (A7, D6, D9): the manifest (销毁清单) that the leader, the
handler and the supervisors sign when the items are destroyed, and the certificate (销毁证明)
once the destruction is recorded as carried out.

Both print the SHA-256 of the list (destruction.digest) in the footer of every page, above the
audit head and the page number, so that the signed paper can be matched to the record. Each
file is written into exports/ (or where asked) and logged with its own SHA-256, like every file
that leaves the store.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

from exports import tables_doc
from exports.tables_doc import Section, TablesDocument
from store import settings
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
# quantity" 28 mm so that "quantity" is not broken; 页数或数量 takes two lines in 18 mm.
MANIFEST_WIDTHS: dict[str, list[float]] = {"zh": [14, 35, 61, 22, 14, 18, 30, 49],
                                           "en": [14, 35, 40, 36, 17, 28, 30, 43]}
DESTROYED_WIDTHS: dict[str, list[float]] = {"zh": [14, 35, 92, 22, 14, 18, 48],
                                            "en": [14, 35, 65, 36, 17, 28, 48]}
KEPT_WIDTHS: dict[str, list[float]] = {"zh": [14, 35, 79, 22, 93], "en": [14, 35, 65, 36, 93]}
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


def _footer(sha: str) -> str:
    return _("SHA-256 of the list: {sha}").format(sha=sha)


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


def manifest_document(batch: Batch, listed: list[Line], sha: str) -> TablesDocument:
    """The manifest of an approved batch, to sign when the items are destroyed: the approval
    and arrangements, the totals by classification, every item numbered, the lines to sign
    for the leader, the handler and each supervisor (kept with the list's last row)."""
    watchers = [person for person, _present in destruction.supervisors(batch.id)]
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
    table = [[str(n), line.reg_no, line.title, _level(line), f"{line.copy_no}/{line.copies}",
              _quantity(line), _kind(line), _reason(line)] for n, line in enumerate(listed, 1)]
    items_section = Section(
        _("Items to destroy"),
        [_("No."), _("Number"), _("Title"), _("Classification"), _("Copy"),
         _("Pages or quantity"),
         _("Kind"), _("Reason")], table, MANIFEST_WIDTHS[language()])
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
    return TablesDocument(_("Destruction manifest"), head, [items_section, totals],
                          signatures, landscape=True, footer=_footer(sha))


def manifest(session: Session, batch_id: int, folder: Path | None = None) -> Path:
    """The manifest of an approved (or printed) batch, written and logged; only then is the
    batch marked printed, its list's SHA-256 kept with it (a failed write leaves it
    approved). A reprint carries the same SHA-256."""
    batch, listed = destruction.for_print(batch_id)
    sha = destruction.digest(listed)  # a reprint's digest is checked by for_print
    path = tables_doc.save(session, manifest_document(batch, listed, sha),
                           f"manifest-{_name(batch)}.docx", "export.manifest",
                           {"batch": batch.number, "items": len(listed), "list_sha256": sha,
                            "reprint": batch.status != "approved"}, folder)
    destruction.mark_printed(session, batch.id)  # the list is fixed: its digest is `sha`
    return path


def certificate_document(batch: Batch, listed: list[Line]) -> TablesDocument:
    """What was destroyed, when, where, how and before whom; what was kept and why."""
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
    gone = Section(
        _("Items destroyed"),
        [_("No."), _("Number"), _("Title"), _("Classification"), _("Copy"),
         _("Pages or quantity"),
         _("Kind")],
        [[str(n), line.reg_no, line.title, _level(line), f"{line.copy_no}/{line.copies}",
          _quantity(line), _kind(line)] for n, line in destroyed], DESTROYED_WIDTHS[language()],
        note=_("No item was destroyed.") if not destroyed else "")
    still = Section(
        _("Items not destroyed"),
        [_("No."), _("Number"), _("Title"), _("Classification"), _("Why")],
        [[str(n), line.reg_no, line.title, _level(line), line.outcome_note or "—"]
         for n, line in kept], KEPT_WIDTHS[language()],
        note=_("Every item on the list was destroyed.") if not kept else "")
    totals = _totals(listed, [_("Destroyed"), _("Kept")], [_destroyed, _kept])
    signatures = [
        ngettext("The {n} item of batch {number} listed as destroyed was destroyed beyond "
                 "reconstruction on {day} at {place}, in the presence of the supervisors named "
                 "above.",
                 "The {n} items of batch {number} listed as destroyed were destroyed beyond "
                 "reconstruction on {day} at {place}, in the presence of the supervisors named "
                 "above.", len(destroyed)).format(n=len(destroyed), number=batch.number,
                                                  day=batch.executed_on, place=batch.place),
        _("Handler {name} (signature): {blank}").format(name=batch.handler, blank=BLANK),
        *(_supervisor_line(person) for person in present),
        _("Date: {day}").format(day=batch.executed_on)]
    return TablesDocument(_("Destruction certificate"), head, [totals, gone, still],
                          signatures, landscape=True, footer=_footer(batch.list_sha256))


def certificate(session: Session, batch_id: int, folder: Path | None = None) -> Path:
    """The certificate of a batch carried out, written and logged."""
    batch = destruction.get(batch_id)
    if batch.status != "executed":
        raise RuleRefused("A7", _("batch {number} is {state}: its certificate is made once the "
                                  "destruction is recorded as carried out").format(
            number=batch.number, state=_(destruction.STATES[batch.status])))
    listed = destruction.lines(batch.id)
    destroyed = sum(1 for line in listed if line.state == "destroyed")
    return tables_doc.save(session, certificate_document(batch, listed),
                           f"certificate-{_name(batch)}.docx", "export.certificate",
                           {"batch": batch.number, "destroyed": destroyed,
                            "kept": len(listed) - destroyed,
                            "list_sha256": batch.list_sha256}, folder)
