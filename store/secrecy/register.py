"""The secrecy register (D4, D5): classified documents received, registered, numbered,
distributed against signature to the custodians on their distribution list.

Each copy (份) of a received document is an item of the catalogue; its distribution is
signed for by the custodian and stays open until the copy is checked in (清交). Every
refusal names its rule and writes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from store import clock
from store.custody import items, people
from store.custody.models import Incident, Item
from store.custody.people import Person
from store.dates import parse_date
from store.errors import FieldError, InvalidInput, RuleRefused
from store.i18n import _
from store.secrecy.models import Distribution, Document, Recipient
from store.text import check_line, whole_number
from store.vault.database import db, record, records, scalar
from store.vault.session import Session

CLASSIFIED = ("secret", "confidential", "top")
APPROVERS = ("secrecy", "leader")
"""Who may approve a wider distribution or a redistribution: the secrecy committee office or
a leader (D4, D7)."""


@dataclass(frozen=True)
class Receipt:
    """A received document as the clerk enters it (every field as typed)."""

    sender: str
    doc_no: str
    title: str
    received_on: str
    classification: str
    copies: str
    copy_numbers: str
    """Which copies arrived, e.g. "1-5" or "2,4,7-9"; empty: all of them."""
    pages: str = ""
    sealed: bool = True
    """Receipt check: the envelope arrived sealed and intact."""
    note: str = ""
    recipients: str = ""
    """The distribution list: the custodians' names or short codes, separated by 、，, a
    comma or spaces."""
    location: str = ""


@dataclass(frozen=True)
class Copy:
    """A copy of a received document, as the register lists it."""

    id: int
    reg_no: str
    doc_no: str
    sender: str
    title: str
    copy_no: int
    copies: int
    classification: str
    received_on: str
    status: str
    holder: str
    """The custodian who signed for it, while it is distributed."""
    signed_at: str
    document_id: int
    pages: int = 0
    """Pages of each copy, as counted on receipt (0: not entered)."""
    sealed: bool = True
    """The envelope arrived sealed and intact (the receipt check, D4)."""
    receipt_note: str = ""
    """What was found when the seal was broken."""


class _Signed(NamedTuple):
    """A copy's open distribution: to whom."""

    id: int
    person_id: int
    name: str
    code: str = ""


_YEAR = re.compile(r"[(\[【〔]\s*(\d{4})\s*[)\]】〕]")


def document_number(text: str) -> str:
    """A 文号 as typed: full-width forms folded, spaces dropped, the year's brackets made
    〔〕 whichever were typed (（2026）, [2026], 【2026】), so one document has one number."""
    return _YEAR.sub(r"〔\1〕", items.normalise(text))


def copy_numbers(text: str, total: int) -> list[int]:
    """"1-5", "2,4,7-9" (full-width forms and 、 too) → the copy numbers, each once."""
    cleaned = unicodedata.normalize("NFKC", text).replace("、", ",").replace(" ", "")
    if not cleaned:
        return list(range(1, total + 1))
    found: list[int] = []
    for part in cleaned.split(","):
        match = re.fullmatch(r"(\d{1,4})(?:[-~](\d{1,4}))?", part)
        if not match:
            raise FieldError(_("copy numbers: e.g. 1-5 or 2,4,7-9"), "copy_numbers")
        low, high = int(match[1]), int(match[2] or match[1])
        if not 1 <= low <= high <= total:
            raise FieldError(_("copy numbers run from 1 to the {total} copies").format(
                total=total), "copy_numbers")
        found += range(low, high + 1)
    if len(set(found)) != len(found):
        raise RuleRefused("D4", _("a copy number is given twice"), "copy_numbers")
    return sorted(found)


def _custodians(typed: str) -> list[Person]:
    """The custodians typed: short codes or names, separated by 、，, a comma or spaces."""
    found: list[Person] = []
    for part in re.split(r"\s+", unicodedata.normalize("NFKC", typed).strip()):
        for person in people.find_several(part, field="recipients") if part else []:
            if person.external:
                raise RuleRefused("D4", _("{name} is an external unit: classified copies go "
                                          "to named custodians of this procuratorate").format(
                    name=person.name), "recipients")
            if person.id not in {p.id for p in found}:
                found.append(person)
    if not found:
        raise RuleRefused("D4", _("name the distribution list: the custodians' names or short "
                                  "codes"), "recipients")
    return found


def receive(session: Session, receipt: Receipt) -> list[items.Item]:
    """Register a received document: the document, its distribution list and one item per
    copy, in one transaction with the audit entries. A broken seal opens an incident."""
    sender = check_line(receipt.sender, 60, _("give the sending organ"), "sender")
    doc_no = check_line(document_number(receipt.doc_no), 30, _("give the document number (文号)"),
                    "doc_no")
    title = check_line(receipt.title, 60, _("give the document's title"), "title")
    received = parse_date(receipt.received_on, "received_on")
    if received > clock.today():
        raise FieldError(_("the date received cannot be in the future"), "received_on")
    if receipt.classification not in CLASSIFIED:
        raise FieldError(_("the register is for classified documents: secret, confidential "
                           "or top secret"), "classification")
    total = whole_number(receipt.copies, 1, 999, _("number of copies"), "copies")
    numbers = copy_numbers(receipt.copy_numbers, total)
    if not receipt.pages.strip():
        raise FieldError(_("give the number of pages"), "pages")
    pages = whole_number(receipt.pages, 1, 100000, _("pages"), "pages")
    note = check_line(receipt.note, 200, "" if receipt.sealed else _(
        "the seal was not intact: say what was found"), "note")
    location = check_line(receipt.location, 40, _("give where the copies are kept (cabinet "
                                                  "and shelf)"), "location")
    custodians = _custodians(receipt.recipients)
    with db.atomic():
        earlier = Document.get_or_none(Document.sender == sender, Document.doc_no == doc_no)
        if earlier is not None and earlier.copies != total:
            raise RuleRefused("D4", _("{doc} was registered as {n} copies in all: a later "
                                      "receipt of it counts the same copies").format(
                doc=doc_no, n=earlier.copies), "copies")
        taken = {row.copy_no: row.reg_no for row in Item.select(Item.copy_no, Item.reg_no)
                 .join(Document, on=Document.id == Item.document_id)
                 .where(Document.sender == sender, Document.doc_no == doc_no)}
        clash = sorted(set(numbers) & set(taken))
        if clash:
            raise RuleRefused("D4", _("copy {n} of {doc} is already registered as {number}")
                              .format(n=clash[0], doc=doc_no, number=taken[clash[0]]),
                              "copy_numbers")
        stamp = clock.stamp()
        document = int(Document.insert(
            sender=sender, doc_no=doc_no, title=title, received_on=received.isoformat(),
            classification=receipt.classification, copies=total, pages=pages,
            sealed=receipt.sealed, receipt_note=note, created_at=stamp,
            created_by=session.actor.name).execute())
        for person in custodians:
            Recipient.insert(document_id=document, person_id=person.id, added_at=stamp,
                             added_by=session.actor.name).execute()
        made = [items.register(session, f"{doc_no} {title}", "classified",
                               receipt.classification, str(n), str(total), str(pages),
                               location, document_id=document) for n in numbers]
        if not receipt.sealed:  # one incident for the envelope, an event on every copy
            Incident.insert(item_id=made[0].id, kind="seal", note=note, opened_at=stamp,
                            opened_by=session.actor.name).execute()
            for copy_item in made:
                items.event(session, copy_item.id, "incident", note=note)
        session.audit.append(session.actor.name, "document.receive", "document", doc_no,
                             new={"sender": sender, "title": title,
                                  "received_on": received.isoformat(),
                                  "classification": receipt.classification,
                                  "copies": numbers, "sealed": receipt.sealed,
                                  "recipients": [p.code for p in custodians]}, note=note)
    return made


def _approver(code: str, rule: str, why: str) -> Person:
    if not code.strip():
        raise RuleRefused(rule, why, "approver")
    person = people.find(code, field="approver")
    if person.role not in APPROVERS:
        raise RuleRefused(rule, _("{name} cannot approve: the secrecy committee office or a "
                                  "leader approves").format(name=person.name), "approver")
    return person


class Listed(NamedTuple):
    """A custodian on a distribution list."""

    person: Person
    approved_by: str
    """Who approved adding them (empty: on the first list)."""


class _Listed(NamedTuple):
    person_id: int
    approved_by: str


def recipients(document_id: int) -> list[Listed]:
    """The distribution list, each with who approved adding them (empty: on the first list)."""
    return [Listed(people.get(row.person_id), row.approved_by) for row in records(
        _Listed, "SELECT r.person_id, coalesce(a.name, '') AS approved_by FROM recipient r"
        " LEFT JOIN person a ON a.id = r.approved_by WHERE r.document_id = ?"
        " ORDER BY r.added_at, r.person_id", (document_id,))]


def _listed(document_id: int, person_id: int) -> bool:
    return scalar("SELECT 1 FROM recipient WHERE document_id = ? AND person_id = ?",
                  (document_id, person_id)) is not None


def add_recipient(session: Session, document_id: int, code: str, approver: str) -> Person:
    """Widen a document's distribution list: only with recorded approval (D4, D7)."""
    person = _custodians(code)[0]
    by = _approver(approver, "D4", _("adding to the distribution list needs the approval of "
                                     "the secrecy committee office or a leader"))
    with db.atomic():
        if _listed(document_id, person.id):
            raise FieldError(_("{name} is already on the list").format(name=person.name),
                             "recipients")
        found = Document.get_or_none(Document.id == document_id)
        if found is None:
            raise InvalidInput(_("no such document"))
        Recipient.insert(document_id=document_id, person_id=person.id, added_at=clock.stamp(),
                         added_by=session.actor.name, approved_by=by.id).execute()
        session.audit.append(session.actor.name, "document.recipient", "document",
                             found.doc_no, new={"person": person.code, "approved_by": by.code})
    return person


def distribute(session: Session, number: str, recipient: str, approver: str = "") -> Copy:
    """Hand a copy to a custodian on its document's list, signed for by them now (D4).
    A copy already out goes on to another custodian only with approval (redistribution)."""
    if not recipient.strip():
        raise FieldError(_("give the custodian's name or short code"), "recipient")
    with db.atomic():
        item = items.by_number(number)
        if item is None:
            raise FieldError(_("no item numbered {number}").format(
                number=items.normalise(number)), "number")
        document = scalar("SELECT document_id FROM item WHERE id = ?", (item.id,))
        if document is None:
            raise RuleRefused("D4", _("{number} is not a copy of a registered classified "
                                      "document").format(number=item.reg_no), "number")
        person = people.find(recipient, field="recipient")
        if not _listed(document, person.id):
            raise RuleRefused("D4", _("{name} is not on this document's distribution list: "
                                      "circulation is never widened").format(name=person.name),
                              "recipient")
        current = record(_Signed, "SELECT d.id, d.person_id, p.name FROM distribution d"
                         " JOIN person p ON p.id = d.person_id WHERE d.item_id = ?"
                         " AND d.status = 'open'", (item.id,))
        approved: Person | None = None
        if item.status == "distributed" and current is not None:
            if current.person_id == person.id:
                raise RuleRefused("D4", _("{number} is already with {name}").format(
                    number=item.reg_no, name=person.name), "recipient")
            approved = _approver(approver, "D4", _("{number} is with {name}: passing it on "
                                                   "needs approval").format(
                number=item.reg_no, name=current.name))
            Distribution.update(status="closed", outcome="passed on", closed_at=clock.stamp(),
                                closed_by=session.actor.name).where(
                Distribution.id == current.id).execute()
        elif item.status != "in":
            raise RuleRefused("D4", _("{number} is {status}: only a copy in the office's "
                                      "custody is distributed").format(
                number=item.reg_no, status=_(items.STATUSES[item.status])), "number")
        elif approver.strip():
            approved = _approver(approver, "D4", "")
        Distribution.insert(item_id=item.id, person_id=person.id,
                            approved_by=approved.id if approved else None,
                            signed_at=clock.stamp(), by=session.actor.name).execute()
        Item.update(status="distributed", custodian=person.name).where(
            Item.id == item.id).execute()
        items.event(session, item.id, "distribute", person_id=person.id,
                    approved_by=approved.id if approved else None)
        session.audit.append(session.actor.name, "item.distribute", "item", item.reg_no,
                             old={"status": item.status}, new={
                                 "status": "distributed", "to": person.code,
                                 "approved_by": approved.code if approved else ""})
    return copy(item.id)


def take_back(session: Session, number: str, note: str = "") -> Copy:
    """A custodian hands a copy back before the quarter's check-in: back in custody."""
    note = check_line(note, 200, "", "note")
    with db.atomic():
        item = items.by_number(number)
        if item is None:
            raise FieldError(_("no item numbered {number}").format(
                number=items.normalise(number)), "number")
        if item.status != "distributed":
            raise RuleRefused("D5", _("{number} is not distributed: nothing to take back")
                              .format(number=item.reg_no), "number")
        holder = record(_Signed, "SELECT d.id, d.person_id, p.name, p.code FROM distribution d"
                        " JOIN person p ON p.id = d.person_id WHERE d.item_id = ?"
                        " AND d.status = 'open'", (item.id,))
        Distribution.update(status="closed", outcome="returned", closed_at=clock.stamp(),
                            closed_by=session.actor.name, note=note).where(
            Distribution.item_id == item.id, Distribution.status == "open").execute()
        Item.update(status="in", custodian="").where(Item.id == item.id).execute()
        items.event(session, item.id, "checkin", note=note)
        session.audit.append(session.actor.name, "item.take_back", "item", item.reg_no,
                             old={"status": "distributed",
                                  "holder": holder.code if holder else ""},
                             new={"status": "in"}, note=note)
    return copy(item.id)


_COPY = ("SELECT i.id, i.reg_no, d.doc_no, d.sender, d.title, i.copy_no, i.copies,"
         " i.classification, d.received_on, i.status, coalesce(p.name, '') AS holder,"
         " coalesce(x.signed_at, '') AS signed_at, d.id AS document_id, d.pages, d.sealed,"
         " d.receipt_note"
         " FROM item i JOIN document d ON d.id = i.document_id"
         " LEFT JOIN distribution x ON x.item_id = i.id AND x.status = 'open'"
         " LEFT JOIN person p ON p.id = x.person_id")


def copy(item_id: int) -> Copy:
    found = record(Copy, _COPY + " WHERE i.id = ?", (item_id,))
    if found is None:
        raise InvalidInput(_("no such copy"))
    return found


@dataclass(frozen=True)
class Filter:
    """What the register's page shows: a search text and bounds, each empty for no bound."""

    text: str = ""
    classification: str = ""
    status: str = ""
    first: str = ""
    """Received on or after (ISO date); empty: no bound."""
    last: str = ""


def _where(wanted: Filter) -> tuple[str, list[object]]:
    where, params = ["1"], []  # type: tuple[list[str], list[object]]
    if wanted.text.strip():
        where.append("(i.reg_no LIKE ? OR d.doc_no LIKE ? OR d.title LIKE ? OR d.sender LIKE ?"
                     " OR i.custodian LIKE ?)")
        params += [f"%{wanted.text.strip()}%"] * 5
    if wanted.classification:
        where.append("i.classification = ?")
        params.append(wanted.classification)
    if wanted.status:
        where.append("i.status = ?")
        params.append(wanted.status)
    if wanted.first:
        where.append("d.received_on >= ?")
        params.append(wanted.first)
    if wanted.last:
        where.append("d.received_on <= ?")
        params.append(wanted.last)
    return " AND ".join(where), params


def register(wanted: Filter = Filter(), after: int | None = None,
             limit: int = 200) -> list[Copy]:
    """A page of the register, newest first (keyset by item id)."""
    where, params = _where(wanted)
    if after is not None:
        where += " AND i.id < ?"
        params.append(after)
    return records(Copy, _COPY + f" WHERE {where} ORDER BY i.id DESC LIMIT ?",
                   (*params, limit))


class _Total(NamedTuple):
    classification: str
    copies: int


def totals(wanted: Filter = Filter()) -> dict[str, int]:
    """Copies under the filter, by classification (the register's totals line)."""
    where, params = _where(wanted)
    return {row.classification: row.copies for row in records(
        _Total, "SELECT i.classification, count(*) AS copies FROM item i"
        f" JOIN document d ON d.id = i.document_id WHERE {where} GROUP BY i.classification",
        params)}


def out_now() -> int:
    """Copies distributed now, not yet checked in."""
    return int(Distribution.select().where(Distribution.status == "open").count())
