"""Destruction batches (A7, D6, D9): registered, approved by a leader, arranged (place,
method, two or more supervisors), printed for signing, carried out — and nothing deleted.

Only an eligible item joins a batch: in the office's custody, with no open loan or
distribution, no copy of it still out, not held, not destroyed, not in another open batch;
a copy once recovered may go alone (D6, D7), one not yet recovered may not (D7/B5).
Eligibility is checked again when the batch is carried out. Every refusal names its rule and
writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from peewee import SQL

from store import clock
from store.custody import items, people
from store.custody.people import Person
from store.dates import parse_date
from store.destruction import rules as destruction_rules
from store.destruction.models import BatchItem, BatchSupervisor, DestructionBatch
from store.errors import FieldError, InvalidInput, RuleRefused
from store.i18n import N_, _
from store.text import check_line
from store.vault.database import db, execute, record, records, scalar
from store.vault.session import Session

REASONS = {"expired": N_("retention period over"), "superseded": N_("superseded"),
           "waste": N_("drafts and printing waste (D6)"), "damaged": N_("damaged beyond use"),
           "other": N_("other (see the note)")}
METHODS = {"shred": N_("shredding"), "incinerate": N_("incineration"),
           "media": N_("degaussing and physical destruction"),
           "shred+media": N_("shredding; degaussing and physical destruction"),
           "incinerate+media": N_("incineration; degaussing and physical destruction")}
MEDIA = ("disk", "usb")
"""Magnetic and electronic media: degaussed and physically destroyed, never shredded."""
STATES = {"draft": N_("draft"), "approved": N_("approved"), "printed": N_("printed for signing"),
          "executed": N_("destroyed"), "cancelled": N_("cancelled")}
OPEN = ("draft", "approved", "printed")


@dataclass(frozen=True)
class Batch:
    """A batch with the names of its approver and handler, and how many items it lists."""

    id: int
    number: str
    status: str
    created_at: str
    created_by: str
    approver: str
    approved_on: str
    approval_ref: str
    place: str
    method: str
    planned_on: str
    handler: str
    printed_at: str
    list_sha256: str
    executed_on: str
    note: str
    count: int
    """Items listed (those taken off left out)."""
    cancel_reason: str = ""
    list_text: str = ""
    """The manifest's canonical text as printed (exports.canonical); '' for a batch printed
    before schema 21, whose `list_sha256` was computed over the store's codes (`digest`)."""
    list_lang: str = ""
    """The language the manifest was first printed in: a reprint is printed in it."""
    certificate_text: str = ""
    certificate_lang: str = ""
    certificate_sha256: str = ""


@dataclass(frozen=True)
class Line:
    """An item on a batch: the item as printed on the list, its reason and what became of it."""

    item_id: int
    reg_no: str
    title: str
    classification: str
    copy_no: int
    copies: int
    pages: int
    kind: str
    reason: str
    note: str
    state: str
    outcome_note: str
    original_id: int | None
    status: str
    """The item's own status (destroyed once the batch is carried out)."""


_BATCH = ("SELECT b.id, b.number, b.status, b.created_at, b.created_by,"
          " coalesce(a.name, '') AS approver, b.approved_on, b.approval_ref, b.place, b.method,"
          " b.planned_on, coalesce(h.name, '') AS handler, b.printed_at, b.list_sha256,"
          " b.executed_on, b.note, (SELECT count(*) FROM batch_item x WHERE x.batch_id = b.id"
          " AND x.state != 'removed') AS count, b.cancel_reason, b.list_text, b.list_lang,"
          " b.certificate_text, b.certificate_lang, b.certificate_sha256 FROM destruction_batch b"
          " LEFT JOIN person a ON a.id = b.approver_id LEFT JOIN person h ON h.id = b.handler_id")
_LINE = ("SELECT i.id AS item_id, i.reg_no, i.title, i.classification, i.copy_no, i.copies,"
         " i.pages, i.kind, x.reason, x.note, x.state, x.outcome_note, i.original_id, i.status"
         " FROM batch_item x JOIN item i ON i.id = x.item_id")


def get(batch_id: int) -> Batch:
    found = record(Batch, _BATCH + " WHERE b.id = ?",
                   (batch_id,)) if 0 < batch_id < 2**63 else None
    if found is None:
        raise InvalidInput(_("no destruction batch #{id}").format(id=batch_id))
    return found


def lines(batch_id: int) -> list[Line]:
    """The batch's items in the order they were added (removed ones left out)."""
    return records(Line, _LINE + " WHERE x.batch_id = ? AND x.state != 'removed' ORDER BY x.id",
                   (batch_id,))


class Supervisor(NamedTuple):
    """A supervisor named for a batch."""

    person: Person
    present: bool
    """There when the batch was carried out."""


def supervisors(batch_id: int) -> list[Supervisor]:
    """The supervisors named for a batch, in the order they were named."""
    named = BatchSupervisor.select().where(BatchSupervisor.batch_id == batch_id).order_by(
        SQL("rowid"))
    return [Supervisor(people.get(row.person_id), row.present) for row in named]


def ledger(number: str = "") -> list[Batch]:
    """Every batch, open ones first, newest first; with `number`, those that hold that item."""
    if number.strip():
        return records(
            Batch, _BATCH + " WHERE b.id IN (SELECT x.batch_id FROM batch_item x JOIN item i ON"
            " i.id = x.item_id WHERE instr(i.reg_no, ?) > 0) ORDER BY b.status NOT IN"
            " ('draft', 'approved', 'printed'), b.id DESC", (items.normalise(number),))
    return records(Batch, _BATCH + " ORDER BY b.status NOT IN ('draft', 'approved', 'printed'),"
                   " b.id DESC")


def create(session: Session, note: str = "") -> Batch:
    """A new draft batch, numbered 销-YYYY-NNN within the year."""
    note = check_line(note, 200)
    year = clock.today().year
    with db.atomic():
        count = DestructionBatch.select().where(
            DestructionBatch.number.startswith(f"销-{year}-")).count()
        number = f"销-{year}-{count + 1:03d}"
        new = int(DestructionBatch.insert(number=number, created_at=clock.stamp(),
                                          created_by=session.actor.name, note=note).execute())
        session.audit.append(session.actor.name, "batch.create", "batch", number, note=note)
    return get(new)


def _draft(batch_id: int) -> Batch:
    batch = get(batch_id)
    if batch.status != "draft":
        raise RuleRefused("A7", _("batch {number} is {state}: its list is fixed").format(
            number=batch.number, state=_(STATES[batch.status])))
    return batch


def add(session: Session, batch_id: int, number: str, reason: str, note: str = "") -> Line:
    """An eligible item onto a draft batch, with the reason it is destroyed."""
    if reason not in REASONS:
        raise FieldError(_("choose the reason from the list"), "reason")
    note = check_line(note, 200, _("say what the reason is") if reason == "other" else "",
                      "note")
    with db.atomic():
        batch = _draft(batch_id)
        item = items.by_number(number)
        if item is None:
            raise FieldError(_("no item numbered {number}").format(
                number=items.normalise(number)), "number")
        if _listed(batch_id, item.id) is not None:
            raise RuleRefused("A7", _("{number} is on this batch already").format(
                number=item.reg_no), "number")
        refused = destruction_rules.why_not(item, batch_id)
        if refused:  # every reason is said, the first rule leading
            rule, said = refused[0].split(": ", 1)
            raise RuleRefused(rule, destruction_rules.joined([said, *refused[1:]]), "number")
        BatchItem.insert(batch_id=batch_id, item_id=item.id, reason=reason, note=note,
                         added_at=clock.stamp(), added_by=session.actor.name).execute()
        session.audit.append(session.actor.name, "batch.add", "batch", batch.number,
                             new={"item": item.reg_no, "reason": reason}, note=note)
    return next(line for line in lines(batch_id) if line.item_id == item.id)


def _listed(batch_id: int, item_id: int) -> BatchItem | None:
    """The item's line on the batch, while it is listed there."""
    return BatchItem.get_or_none(BatchItem.batch_id == batch_id, BatchItem.item_id == item_id,
                                 BatchItem.open)


def remove(session: Session, batch_id: int, number: str) -> None:
    """Take an item off a draft batch (kept on record as removed)."""
    with db.atomic():
        batch = _draft(batch_id)
        item = items.by_number(number)
        found = _listed(batch_id, item.id) if item else None
        if found is None or item is None:
            raise InvalidInput(_("{number} is not on this batch").format(
                number=items.normalise(number)))
        BatchItem.update(state="removed", open=False).where(BatchItem.id == found.id).execute()
        session.audit.append(session.actor.name, "batch.remove", "batch", batch.number,
                             old={"item": item.reg_no})


@dataclass(frozen=True)
class Arrangements:
    """The leader's approval and the arrangements, as the clerk enters them."""

    approver: str
    """The approving leader: a name, part of one, or a short code (`people.find`)."""
    approved_on: str
    reference: str
    place: str
    method: str
    planned_on: str
    handler: str
    """Who carries it out (经办人): a name or a short code."""
    supervisors: str
    """Two or more supervisors (监销人): names or short codes separated by 、，or a comma
    (short codes by spaces as well)."""


def approve(session: Session, batch_id: int, given: Arrangements) -> Batch:
    """The leader's approval and the arrangements: the batch's list is fixed from now."""
    with db.atomic():
        batch = _draft(batch_id)
        listed = lines(batch_id)
        if not listed:
            raise RuleRefused("A7", _("the batch has no items yet"))
        destruction_rules.still_eligible(batch_id, listed)
        kinds = {destruction_rules.medium(line) for line in listed}
        a = destruction_rules.arranged(given, bool(kinds & set(MEDIA)), bool(kinds - set(MEDIA)),
                                      METHODS)
        if a.approved.isoformat() < batch.created_at[:10]:
            raise FieldError(_("the approval comes after the batch was opened ({day})").format(
                day=batch.created_at[:10]), "approved_on")
        DestructionBatch.update(
            status="approved", approver_id=a.approver.id, approved_on=a.approved.isoformat(),
            approval_ref=a.reference, place=a.place, method=given.method,
            planned_on=a.planned.isoformat(), handler_id=a.handler.id).where(
            DestructionBatch.id == batch_id).execute()
        for person in a.watchers:
            BatchSupervisor.insert(batch_id=batch_id, person_id=person.id).execute()
        session.audit.append(session.actor.name, "batch.approve", "batch", batch.number,
                             old={"status": "draft"}, new={
                                 "status": "approved", "approver": a.approver.code,
                                 "reference": a.reference, "method": given.method,
                                 "supervisors": [p.code for p in a.watchers]})
    return get(batch_id)


def digest(listed: list[Line]) -> str:
    """The SHA-256 by the method of batches printed before schema 21: over the store's codes
    (each line's number on the list, registration number, title, classification, copy, pages,
    kind, reason and note), which the paper does not show. Kept to check those batches'
    reprints; a manifest printed since is hashed over its canonical text (`text_digest`)."""
    text = "\n".join("\t".join([str(n), line.reg_no, line.title, line.classification,
                                 f"{line.copy_no}/{line.copies}", str(line.pages), line.kind,
                                 line.reason, line.note]) for n, line in enumerate(listed, 1))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_digest(text: str) -> str:
    """The SHA-256 of a printed document's canonical text (exports.canonical), UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Printable(NamedTuple):
    """A batch and its list, as printed for signing."""

    batch: Batch
    lines: list[Line]


def for_print(batch_id: int) -> Printable:
    """The batch and its list, if it may be printed for signing (approved, or printed
    before: a reprint carries the same digest). A batch printed before schema 21 is checked
    here by the old digest; one printed since, by its canonical text (`same_text`)."""
    batch = get(batch_id)
    if batch.status not in ("approved", "printed", "executed"):  # reprints keep the digest
        raise RuleRefused("A7", _("batch {number} is {state}: it is printed for signing once "
                                  "approved, with its place, method and supervisors").format(
            number=batch.number, state=_(STATES[batch.status])))
    listed = lines(batch_id)
    if batch.status != "approved" and not batch.list_text \
            and digest(listed) != batch.list_sha256:
        raise _no_longer(batch)
    return Printable(batch, listed)


def _no_longer(batch: Batch) -> RuleRefused:
    return RuleRefused("A7", _("batch {number}'s list no longer matches the one printed for "
                               "signing").format(number=batch.number))


def same_text(batch: Batch, text: str) -> None:
    """A reprint's canonical text is the one printed first, or the reprint is refused (A7)."""
    if batch.list_text and text != batch.list_text:
        raise _no_longer(batch)


def mark_printed(session: Session, batch_id: int, text: str = "", lang: str = "") -> Printable:
    """Once the manifest is written: an approved batch becomes printed, the canonical text of
    its manifest as printed (`text`, in `lang`) and that text's digest kept with it. Without a
    text (a batch marked printed with no paper: the demo), the digest is the old method's."""
    with db.atomic():
        batch, listed = for_print(batch_id)
        if batch.status == "approved":
            sha = text_digest(text) if text else digest(listed)
            destruction_rules.still_eligible(batch_id, listed)
            DestructionBatch.update(status="printed", printed_at=clock.stamp(),
                                    list_sha256=sha, list_text=text, list_lang=lang).where(
                DestructionBatch.id == batch_id).execute()
            session.audit.append(session.actor.name, "batch.print", "batch", batch.number,
                                 old={"status": "approved"},
                                 new={"status": "printed", "list_sha256": sha, "lang": lang})
        else:
            same_text(batch, text)
    return Printable(get(batch_id), listed)


def same_certificate(batch: Batch, text: str) -> None:
    """A certificate written again reproduces the text of the first one, or is refused (A7)."""
    if batch.certificate_text and text != batch.certificate_text:
        raise RuleRefused("A7", _("batch {number}'s certificate no longer matches the one "
                                  "written first").format(number=batch.number))


def record_certificate(session: Session, batch_id: int, text: str, lang: str) -> Batch:
    """Once the certificate is first written: its canonical text, language and digest kept
    with the batch; a later one must reproduce the text (A7)."""
    with db.atomic():
        batch = get(batch_id)
        same_certificate(batch, text)
        if batch.certificate_text:
            return batch
        sha = text_digest(text)
        DestructionBatch.update(certificate_text=text, certificate_lang=lang,
                                certificate_sha256=sha).where(
            DestructionBatch.id == batch_id).execute()
        session.audit.append(session.actor.name, "batch.certificate", "batch", batch.number,
                             new={"certificate_sha256": sha, "lang": lang})
    return get(batch_id)


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _supervisor(typed: str, named: list[Person]) -> Person | None:
    """The named supervisor typed: by short code, by name, or the only one whose name
    holds what was typed."""
    text = _folded(typed)
    exact = [p for p in named if text in (p.code, _folded(p.name))]
    found = exact or [p for p in named if text in _folded(p.name)]
    return found[0] if len(found) == 1 else None


def _present(text: str, named: list[Person]) -> list[Person]:
    """The named supervisors typed as present: names or short codes separated by 、，or a
    comma (short codes by spaces as well); anyone else is refused, naming who was named."""
    found: list[Person] = []
    for part in people.split(text):
        typed = [part] if _supervisor(part, named) is not None else part.split()
        for one in typed:
            person = _supervisor(one, named)
            if person is None:
                raise RuleRefused("D9", _("{text} is not a supervisor named for this batch "
                                          "({names})").format(
                    text=one, names="、".join(p.name for p in named)), "present")
            if person not in found:
                found.append(person)
    return found


@dataclass(frozen=True)
class Execution:
    """What the clerk records of a destruction carried out."""

    done_on: str
    present: str
    """The supervisors who were there (two or more of those named): names or short codes."""
    kept: dict[str, str]
    """Registration numbers not destroyed, with why."""
    confirm: str
    """The batch number, typed again."""


def execute_batch(session: Session, batch_id: int, done: Execution) -> Batch:
    """Record the destruction carried out: every item destroyed (or kept, with why) in one
    transaction, an event in each chain of custody."""
    with db.atomic():
        batch = get(batch_id)
        if batch.status in ("draft", "approved"):
            raise RuleRefused("A7", _("batch {number} is {state}: it is carried out once "
                                      "approved and printed for signing").format(
                number=batch.number, state=_(STATES[batch.status])))
        if batch.status != "printed":
            raise RuleRefused("A7", _("batch {number} is {state}").format(
                number=batch.number, state=_(STATES[batch.status])))
        if items.normalise(done.confirm) != batch.number:
            raise RuleRefused("D9", _("type the batch number {number} to confirm").format(
                number=batch.number), "confirm")
        day = parse_date(done.done_on, "done_on")
        if day > clock.today() or day.isoformat() < batch.printed_at[:10]:
            raise FieldError(_("the destruction is dated between the printing of its manifest "
                               "({day}) and today").format(day=batch.printed_at[:10]),
                             "done_on")
        present = {p.code for p in _present(done.present, [p for p, _here in
                                                           supervisors(batch_id)])}
        if len(present) < 2:
            raise RuleRefused("D9", _("two or more of the named supervisors are present"),
                              "present")
        listed = lines(batch_id)
        numbers = {line.reg_no for line in listed}
        kept = {items.normalise(k): check_line(v, 200) for k, v in done.kept.items()}
        for number, why in kept.items():
            if number not in numbers:
                raise FieldError(_("{number} is not on this batch").format(number=number),
                                 "kept")
            if not why:
                raise FieldError(_("say why {number} was not destroyed").format(
                    number=number), "kept")
        if len(kept) == len(listed):
            raise RuleRefused("A7", _("nothing on the list was destroyed: cancel the batch "
                                      "instead, with why"), "kept")
        destruction_rules.still_eligible(batch_id, listed, frozenset(kept))
        for line in listed:  # plain SQL in this loop over a list of thousands
            if line.reg_no in kept:
                execute("UPDATE batch_item SET state = 'kept', outcome_note = ?, open = 0"
                        " WHERE batch_id = ? AND item_id = ? AND open = 1",
                        (kept[line.reg_no], batch_id, line.item_id))
                continue
            execute("UPDATE item SET status = 'destroyed' WHERE id = ?", (line.item_id,))
            execute("UPDATE batch_item SET state = 'destroyed', open = 0 WHERE batch_id = ?"
                    " AND item_id = ? AND open = 1", (batch_id, line.item_id))
            items.event(session, line.item_id, "destroy", reference=batch.number)
        execute("UPDATE batch_supervisor SET present = (person_id IN (SELECT id FROM person"
                " WHERE code IN (SELECT value FROM json_each(?)))) WHERE batch_id = ?",
                (json.dumps(sorted(present)), batch_id))
        DestructionBatch.update(status="executed", executed_on=day.isoformat(),
                                executed_at=clock.stamp(), executed_by=session.actor.name).where(
            DestructionBatch.id == batch_id).execute()
        session.audit.append(session.actor.name, "batch.execute", "batch", batch.number,
                             old={"status": "printed"}, new={
                                 "status": "executed", "on": day.isoformat(),
                                 "destroyed": len(listed) - len(kept), "kept": kept,
                                 "present": sorted(present)})
    return get(batch_id)


def cancel(session: Session, batch_id: int, reason: str) -> Batch:
    """A batch not carried out is cancelled with a reason; its items are free again."""
    reason = check_line(reason, 200, _("say why the batch is cancelled"))
    with db.atomic():
        batch = get(batch_id)
        if batch.status not in OPEN:
            raise RuleRefused("A7", _("batch {number} is {state}").format(
                number=batch.number, state=_(STATES[batch.status])))
        BatchItem.update(open=False, state="released").where(
            BatchItem.batch_id == batch_id, BatchItem.state == "listed").execute()
        DestructionBatch.update(status="cancelled", cancelled_at=clock.stamp(),
                                cancelled_by=session.actor.name, cancel_reason=reason).where(
            DestructionBatch.id == batch_id).execute()
        session.audit.append(session.actor.name, "batch.cancel", "batch", batch.number,
                             old={"status": batch.status}, new={"status": "cancelled"},
                             note=reason)
    return get(batch_id)


def id_of(number: str) -> int | None:
    """The id of the batch numbered `number` exactly (e.g. 销-2026-001), or None."""
    found = scalar("SELECT id FROM destruction_batch WHERE number = ?", (number,))
    return None if found is None else int(found)
