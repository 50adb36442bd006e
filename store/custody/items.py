"""The item catalogue (载体): registration, lookup, search, the chain of custody."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from store import clock, operators, settings
from store.custody import models
from store.errors import FieldError, InvalidInput
from store.i18n import N_, _
from store.secrecy.models import Distribution
from store.text import check_line, whole_number
from store.vault.database import db, execute, insert, record, records, scalar
from store.vault.session import Session

KINDS = {"report": N_("monthly report"), "volume": N_("bound card volume"),
         "analysis": N_("analysis"), "ledger": N_("ledger"),
         "classified": N_("classified document"), "disk": N_("disk"), "usb": N_("USB drive"),
         "copy": N_("copy")}
LEVELS = {"public": N_("public 公开"), "internal": N_("internal 内部"), "secret": N_("secret 秘密"),
          "confidential": N_("confidential 机密"), "top": N_("top secret 绝密")}
HIGH = ("confidential", "top")
"""机密 and 绝密: never out of the room without approval recorded (A3)."""
STATUSES = {"in": N_("in custody"), "reading": N_("being read in the room"),
            "lent": N_("lent out"), "copy": N_("copy not yet recovered"),
            "destroyed": N_("destroyed"), "missing": N_("missing"),
            "distributed": N_("distributed against signature")}
EVENTS = {"register": N_("registered"), "read": N_("read in the room"), "lend": N_("lent"),
          "copy": N_("copied"), "return": N_("returned"), "recover": N_("copy recovered"),
          "incident": N_("incident raised"), "destroy": N_("destroyed"),
          "missing": N_("reported missing"), "found": N_("found again"),
          "incident-closed": N_("incident closed"), "receive": N_("received and registered"),
          "distribute": N_("distributed against signature"), "checkin": N_("checked in"),
          "kept": N_("kept by its custodian at the check-in"),
          "seen": N_("found in storage at a check while recorded as out"),
          "hold": N_("put on hold"), "hold-lifted": N_("hold lifted")}
COLUMNS = ("id, reg_no, title, kind, classification, copy_no, copies, pages, location,"
           " custodian, original_id, status")
"""The columns an `Item` is read from, for a query over the item table alone."""


@dataclass(frozen=True)
class Item:
    """An item of the catalogue as the store hands it out (its `item` row but for who
    registered it when, and the document it is a copy of)."""

    id: int
    reg_no: str
    title: str
    kind: str
    classification: str
    copy_no: int
    copies: int
    pages: int
    location: str
    custodian: str
    original_id: int | None
    status: str


@dataclass(frozen=True)
class Event:
    """One step of the chain of custody, with the names of who it concerned and who signed."""

    at: str
    kind: str
    by: str
    person: str
    approved_by: str
    reference: str
    note: str


def normalise(number: str) -> str:
    """As typed or scanned: full-width forms folded, spaces dropped."""
    return unicodedata.normalize("NFKC", number).strip().replace(" ", "")


def next_number(year: int) -> str:
    """The next registration number from the pattern setting, e.g. 统-2026-0001: numbered
    within the year of registration, skipping any number already taken."""
    pattern = settings.current().item_number_pattern
    n = int(scalar("SELECT count(*) FROM item WHERE created_at LIKE ?", (f"{year}-%",))) + 1
    while _taken(pattern.format(year=year, n=n)):
        n += 1
    return pattern.format(year=year, n=n)


def _taken(number: str) -> bool:
    return scalar("SELECT 1 FROM item WHERE reg_no = ?", (number,)) is not None


def register(session: Session, title: str, kind: str, classification: str, copy_no: str = "1",
             copies: str = "1", pages: str = "0", location: str = "", custodian: str = "",
             reg_no: str = "", original_id: int | None = None, status: str = "in",
             document_id: int | None = None, approved_by: int | None = None) -> Item:
    """A new item with its registration event (in one transaction with the audit entry).
    Plain SQL here and in `event`: a received document registers each of its copies, and the
    desk, destruction and the checklists write an event per item, in loops where peewee's
    building of each statement would cost more than the statement itself.

    A copy (`original_id`) names its original in its registration event, with who approved
    the copying (`approved_by`: the secrecy committee office, D7)."""
    title = check_line(title, 100, _("give the item's title"), "title")
    if kind not in KINDS:
        raise InvalidInput(_("choose the kind from the list"))
    if classification not in LEVELS:
        raise InvalidInput(_("choose the classification from the list"))
    copy_n = whole_number(copy_no, 1, 9999, _("copy number"), "copy_no")
    copies_n = whole_number(copies, 1, 9999, _("number of copies"), "copies")
    if copy_n > copies_n:
        raise FieldError(_("copy number {n} is more than the {total} copies").format(
            n=copy_n, total=copies_n), "copy_no")
    pages_n = whole_number(pages, 0, 100000, _("pages"), "pages")
    location = check_line(location, 40, "", "location")
    custodian = check_line(custodian, 40, "", "custodian")
    with db.atomic():
        number = normalise(reg_no) if reg_no.strip() else next_number(clock.today().year)
        check_line(number, 30, _("give the registration number"), "reg_no")
        if _taken(number):
            raise FieldError(_("registration number {number} is already used").format(
                number=number), "reg_no")
        new = insert(f"INSERT INTO item ({COLUMNS.replace('id, ', '', 1)}, created_at,"
                     " created_by, document_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (number, title, kind, classification, copy_n, copies_n, pages_n, location,
                      custodian, original_id, status, clock.stamp(), session.actor.name,
                      document_id))
        event(session, new, "receive" if document_id else "register", approved_by=approved_by,
              reference=number_of(original_id))
        session.audit.append(session.actor.name, "item.register", "item", number,
                             new={"title": title, "kind": kind,
                                  "classification": classification, "copy": copy_n,
                                  "original": original_id})
    return get(new)


def event(session: Session, item_id: int, kind: str, person_id: int | None = None,
          approved_by: int | None = None, reference: str = "", loan_id: int | None = None,
          note: str = "") -> None:
    """One custody event (inside the caller's transaction)."""
    execute("INSERT INTO custody_event (item_id, at, kind, by, person_id, approved_by,"
            " reference, loan_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (item_id, clock.stamp(), kind, session.actor.name, person_id, approved_by,
             reference, loan_id, note))


def get(item_id: int) -> Item:
    found = record(Item, f"SELECT {COLUMNS} FROM item WHERE id = ?", (item_id,))
    if found is None:
        raise InvalidInput(_("no such item"))
    return found


def by_number(number: str) -> Item | None:
    return record(Item, f"SELECT {COLUMNS} FROM item WHERE reg_no = ?", (normalise(number),))


def chain(item_id: int) -> list[Event]:
    """Every custody event of an item in the order it happened: by the event's date, events of
    one moment in the order they were entered. Each names who it concerned: the person
    recorded with it, else the borrower of its loan (a return), else the custodian who held
    the copy (a check-in, kept or found in storage: the distribution signed last before it)."""
    return records(
        Event, "SELECT e.at, e.kind, "
        + operators.shown_as("e.by") + " AS by, coalesce(p.name, b.name, CASE WHEN e.kind IN"
        " ('checkin', 'kept', 'seen') THEN (SELECT h.name FROM distribution d JOIN person h"
        " ON h.id = d.person_id WHERE d.item_id = e.item_id AND d.signed_at <= e.at"
        " ORDER BY d.signed_at DESC, d.id DESC LIMIT 1) END, '') AS person,"
        " coalesce(a.name, '') AS approved_by, e.reference, e.note FROM custody_event e"
        " LEFT JOIN person p ON p.id = e.person_id LEFT JOIN person a ON a.id = e.approved_by"
        " LEFT JOIN loan l ON l.id = e.loan_id LEFT JOIN person b ON b.id = l.borrower_id"
        " WHERE e.item_id = ? ORDER BY e.at, e.id", (item_id,))


def number_of(item_id: int | None) -> str:
    """The registration number of an item (an original a copy was made of), or ""."""
    if item_id is None:
        return ""
    return str(scalar("SELECT reg_no FROM item WHERE id = ?", (item_id,)) or "")


def search(text: str = "", kind: str = "", classification: str = "", status: str = "",
           after: int | None = None, limit: int = 100) -> list[Item]:
    """A page of the catalogue, newest first, filtered (keyset by id)."""
    where: list[str] = []
    params: list[object] = []
    if text.strip():
        where.append("(reg_no LIKE ? OR title LIKE ? OR location LIKE ? OR custodian LIKE ?)")
        params += [f"%{text.strip()}%"] * 4
    for column, value in (("kind", kind), ("classification", classification),
                          ("status", status)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if after is not None:
        where.append("id < ?")
        params.append(after)
    sql = f"SELECT {COLUMNS} FROM item" + (" WHERE " + " AND ".join(where) if where else "")
    return records(Item, sql + " ORDER BY id DESC LIMIT ?", (*params, limit))


def report_missing(session: Session, number: str, note: str) -> Item:
    """An item that cannot be found: reported missing with what is known, any open loan
    closed, an incident opened for the secrecy officer (D12). Never deleted."""
    note = check_line(note, 200, _("say what is known of it"))
    with db.atomic():
        item = by_number(number)
        if item is None:
            raise InvalidInput(_("no item numbered {number}").format(number=normalise(number)))
        if item.status in ("destroyed", "missing"):
            raise InvalidInput(_("{number} is {status}").format(
                number=item.reg_no, status=_(STATUSES[item.status])))
        gone(session, item, note)
    return get(item.id)


def gone(session: Session, item: Item, note: str, kind: str = "missing") -> None:
    """Inside the caller's transaction: the item is missing; its open loan or distribution is
    closed as missing, the event goes in its chain and an incident is opened (D12)."""
    loan = models.Loan.get_or_none(models.Loan.item_id == item.id, models.Loan.status == "open")
    loan_id = int(loan.id) if loan else None
    if loan_id is not None:
        models.Loan.update(status="closed", closed_at=clock.stamp(), closed_by=session.actor.name,
                           condition="missing", note=note).where(
            models.Loan.id == loan_id).execute()
    Distribution.update(status="closed", outcome="missing", closed_at=clock.stamp(),
                        closed_by=session.actor.name, note=note).where(
        Distribution.item_id == item.id, Distribution.status == "open").execute()
    models.Item.update(status="missing").where(models.Item.id == item.id).execute()
    event(session, item.id, "missing", loan_id=loan_id, note=note)
    models.Incident.insert(item_id=item.id, loan_id=loan_id, kind=kind, note=note,
                           opened_at=clock.stamp(), opened_by=session.actor.name).execute()
    session.audit.append(session.actor.name, "item.missing", "item", item.reg_no,
                         old={"status": item.status}, new={"status": "missing"}, note=note)
