"""The borrow desk: reading in the room, lending, copies, returns — under rules A3, B1–B6, D7.

Every refusal names its rule. A request is checked whole before anything is written;
then each item's loan and custody event go in one transaction with the audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from store import clock, settings
from store.custody import items, models, people
from store.custody.items import Item
from store.custody.people import Person
from store.dates import parse_date
from store.errors import FieldError, InvalidInput, NotAllowed, RuleRefused
from store.i18n import N_, _, ngettext
from store.text import check_line
from store.vault import database
from store.vault.database import db, records
from store.vault.session import Session

MODES = {"read": N_("read in the room"), "lend": N_("lend out"),
         "copy": N_("photocopy or excerpt")}
CONDITIONS = {"intact": N_("intact"), "damaged": N_("damaged"), "altered": N_("altered"),
              "marked": N_("marked"), "soiled": N_("soiled")}


@dataclass(frozen=True)
class Request:
    borrower: str
    """The borrower as typed: a short code, a name or part of one (people.find)."""
    numbers: list[str]
    mode: str = "read"
    slip_no: str = ""
    head: str = ""
    letter_no: str = ""
    issuing_organ: str = ""
    approver: str = ""
    secrecy: str = ""
    due_on: str = ""


@dataclass
class Checked:
    borrower: Person
    items: list[Item]
    head: Person | None = None
    approver: Person | None = None
    secrecy: Person | None = None
    due: date | None = None
    texts: dict[str, str] = field(default_factory=dict)


class _Holder(NamedTuple):
    """Who has an item out, and since when."""

    name: str
    since: str


def _who(text: str, roles: tuple[str, ...], rule: str, missing: str, wrong: str,
         where: str, who: str = "") -> Person:
    """The person typed in a signer's field (a short code, a name or part of one), who must
    have one of `roles`: refused under `rule` when the field is empty or the person has
    another role (`wrong`, with their {name} and `who` may sign instead as {who}); a name that
    is nobody's, or several people's, is said beside the field."""
    if not text.strip():
        raise RuleRefused(rule, missing, where)
    if people.matching(text, roles, limit=1):  # one of them, or several to choose from
        return people.find(text, roles, where)
    other = people.find(text, (), where)  # on record, in another role?
    raise RuleRefused(rule, wrong.format(name=other.name, who=who), where)


def signers(borrower: Person) -> list[Person]:
    """Who may sign an internal borrower's slip (B1): the heads of the borrower's department
    on record (none when the department has no head on record)."""
    return people.heads_of(borrower.department)


def _may_sign(borrower: Person) -> str:
    """B1's words on who signs this borrower's slip: the heads of their department, by name."""
    heads = signers(borrower)
    if heads:
        return ngettext("the head of {department} signs: {names}",
                        "the heads of {department} sign: {names}", len(heads)).format(
            department=borrower.department, names="、".join(h.name for h in heads))
    if borrower.department:
        return _("no head of {department} is on record; a deputy chief prosecutor signs")\
            .format(department=borrower.department)
    return _("the borrow slip is signed by the department head")


def available(number: str) -> Item:
    """The item behind a scanned number, if it may go to the counter now (B5: no re-lending)."""
    item = items.by_number(number)
    if item is None:
        raise FieldError(_("no item numbered {number}").format(
            number=items.normalise(number)), "item")
    if item.status in ("destroyed", "missing"):
        raise NotAllowed(_("{number} is {status}").format(
            number=item.reg_no, status=_(items.STATUSES[item.status])))
    unknown = _Holder("?", "")
    if item.status == "distributed":
        holder = database.record(_Holder, "SELECT p.name, d.signed_at AS since FROM distribution d"
                                 " JOIN person p ON p.id = d.person_id WHERE d.item_id = ?"
                                 " AND d.status = 'open'", (item.id,)) or unknown
        raise RuleRefused("D5", _("{number} is distributed to {name} since {since}; it comes "
                                  "back to the office at the check-in").format(
            number=item.reg_no, name=holder.name, since=str(holder.since)[:10]))
    if item.status != "in":
        holder = database.record(_Holder, "SELECT p.name, l.opened_at AS since FROM loan l"
                                 " JOIN person p ON p.id = l.borrower_id WHERE l.item_id = ?"
                                 " AND l.status = 'open'", (item.id,)) or unknown
        raise RuleRefused("B5", _("{number} is out with {name} since {since}; no re-lending "
                                  "until it is returned").format(
            number=item.reg_no, name=holder.name, since=str(holder.since)[:10]))
    return item


def check(request: Request) -> Checked:
    """Every rule for the whole request; raises the first refusal, writes nothing."""
    if request.mode not in MODES:
        raise InvalidInput(_("choose reading, lending or a copy"))
    if not request.borrower.strip():
        raise FieldError(_("pick the borrower (short code or name)"), "borrower")
    borrower = people.find(request.borrower, field="borrower")
    if not request.numbers:
        raise FieldError(_("scan or type at least one item number"), "item")
    found = [available(n) for n in request.numbers]
    if len({i.id for i in found}) != len(found):
        raise FieldError(_("an item is scanned twice"), "item")
    checked = Checked(borrower, found)
    texts = checked.texts
    leaders = ("leader",)
    if borrower.external:
        if not borrower.county_or_above:  # B2: county level or above only
            raise RuleRefused("B2", _("the borrowing unit {unit} is below county level: only a "
                                      "unit at county level or above borrows from the office")
                              .format(unit=borrower.unit), "borrower")
        texts["letter_no"] = check_line(request.letter_no, 40)
        if not texts["letter_no"]:
            raise RuleRefused("B2", _("an external unit needs its introduction letter's "
                                      "number"), "letter_no")
        texts["issuing_organ"] = check_line(request.issuing_organ, 60)
        if not texts["issuing_organ"]:
            raise RuleRefused("B2", _("name the organ that issued the introduction letter"),
                              "issuing_organ")
        organ = models.Person.select().where(
            models.Person.role == "external", models.Person.county_or_above,
            models.Person.status == "active", models.Person.unit == texts["issuing_organ"])
        if not organ.exists():
            raise RuleRefused("B2", _("{organ} is not on record as an organ at county level "
                                      "or above").format(organ=texts["issuing_organ"]),
                              "issuing_organ")
        checked.approver = _who(request.approver, leaders, "B2",
                                _("the deputy chief prosecutor in charge signs for an "
                                  "external unit"), _("{name} is not a deputy chief prosecutor"),
                                "approver")
        if request.mode != "read":  # B4: external use is in the room only
            raise RuleRefused("B4", _("an external unit reads in the room only; nothing is "
                                      "lent or copied out of the procuratorate"), "mode")
    else:
        texts["slip_no"] = check_line(request.slip_no, 40)
        if not texts["slip_no"]:
            raise RuleRefused("B1", _("an internal borrower needs a borrow slip number"),
                              "slip_no")
        checked.head = _who(request.head, ("head", "leader"), "B1", _may_sign(borrower),
                            _("{name} is not a department head; {who}"), "head",
                            _may_sign(borrower))
        if checked.head.role == "head" and borrower.department and \
                checked.head.department != borrower.department:
            raise RuleRefused("B1", _("{name} heads another department; {who}").format(
                name=checked.head.name, who=_may_sign(borrower)), "head")
    if request.mode == "lend":
        if any(i.classification in items.HIGH for i in found) and not request.approver.strip():
            raise RuleRefused("A3", _("机密 and 绝密 material leaves the room only with the "
                                      "deputy chief's approval recorded"), "approver")
        checked.approver = _who(request.approver, leaders, "B3",
                                _("lending out needs the deputy chief's approval"),
                                _("{name} is not a deputy chief prosecutor"), "approver")
        checked.due = _due(request.due_on)
    for signer, field_name, rule in ((checked.head, "head", "B1"),
                                     (checked.approver, "approver", "B3")):
        if signer is not None and signer.id == borrower.id:
            raise RuleRefused(rule, _("{name} cannot sign for their own loan").format(
                name=signer.name), field_name)
    if request.mode == "copy":
        checked.approver = _who(request.approver, leaders, "B5",
                                _("an excerpt or photocopy needs the deputy chief's approval"),
                                _("{name} is not a deputy chief prosecutor"), "approver")
        checked.secrecy = _who(request.secrecy, ("secrecy",), "D7",
                               _("copying needs the secrecy committee office's approval"),
                               _("{name} is not of the secrecy committee office"), "secrecy")
        checked.due = _due(request.due_on)
    return checked


def _due(text: str) -> date:
    if not text.strip():
        raise RuleRefused("B3", _("give the date it must be back by"), "due_on")
    day = parse_date(text, "due_on")
    longest = settings.current().loan_max_days
    if day < clock.today():
        raise FieldError(_("the due date {day} is in the past").format(day=day.isoformat()),
                         "due_on")
    if day > clock.today() + timedelta(days=longest):
        raise FieldError(_("at most {n} days: back by {day} at the latest").format(
            n=longest, day=(clock.today() + timedelta(days=longest)).isoformat()), "due_on")
    return day


def record(session: Session, request: Request) -> list[int]:
    """Check the request, then record a loan per item (copies registered as new items linked
    to their original). Returns the loan ids. The checks run inside the transaction, which
    holds the write lock, so two requests for one item cannot both pass them."""
    loans = []
    status = {"read": "reading", "lend": "lent", "copy": "in"}[request.mode]
    with db.atomic():
        checked = check(request)
        for item in checked.items:
            target = item
            if request.mode == "copy":  # D7: a copy is registered like its original
                # With the borrower until recovered; its registration names the original
                # and the secrecy office's approval.
                target = items.register(
                    session, _("Copy of {title}").format(title=item.title)[:100], "copy",
                    item.classification, pages=str(item.pages), location=item.location,
                    custodian=checked.borrower.name, original_id=item.id, status="copy",
                    approved_by=checked.secrecy.id if checked.secrecy else None)
                items.event(session, item.id, "copy", checked.borrower.id,
                            checked.approver.id if checked.approver else None,
                            target.reg_no)
            loan = int(models.Loan.insert(
                item_id=target.id, borrower_id=checked.borrower.id, mode=request.mode,
                slip_no=checked.texts.get("slip_no", ""),
                head_id=checked.head.id if checked.head else None,
                letter_no=checked.texts.get("letter_no", ""),
                issuing_organ=checked.texts.get("issuing_organ", ""),
                approver_id=checked.approver.id if checked.approver else None,
                secrecy_id=checked.secrecy.id if checked.secrecy else None,
                due_on=checked.due.isoformat() if checked.due else "", opened_at=clock.stamp(),
                opened_by=session.actor.name).execute())
            if request.mode != "copy":
                models.Item.update(status=status).where(models.Item.id == item.id).execute()
            reference = checked.texts.get("slip_no") or checked.texts.get("letter_no", "")
            signer = checked.approver or checked.head
            items.event(session, target.id, "copy" if request.mode == "copy" else
                        request.mode, checked.borrower.id, signer.id if signer else None,
                        reference, loan)
            session.audit.append(session.actor.name, f"loan.{request.mode}", "item",
                                 target.reg_no, new={"borrower": checked.borrower.code,
                                                     "loan": loan, "due": request.due_on})
            loans.append(loan)
    return loans


class CopyMade(NamedTuple):
    """A copy the desk registered: its own number and its original's."""

    copy: str
    original: str


def copies_made(loan_ids: list[int]) -> list[CopyMade]:
    """The copies registered by these loans (a copy's loan is on the copy), in loan order."""
    return records(CopyMade, "SELECT i.reg_no AS copy, o.reg_no AS original FROM loan l"
                   " JOIN item i ON i.id = l.item_id JOIN item o ON o.id = i.original_id"
                   " WHERE l.id IN (SELECT value FROM json_each(?)) AND l.mode = 'copy'"
                   " ORDER BY l.id", (f"[{','.join(map(str, loan_ids))}]",))


@dataclass(frozen=True)
class Returned:
    """An item taken back: as it now stands, from whom, in what condition."""

    item: Item
    borrower: str
    condition: str
    incident: bool


def return_item(session: Session, number: str, condition: str = "intact",
                note: str = "") -> Returned:
    """Take an item back, checked for damage (B6); anything but intact raises an incident
    for the secrecy officer. A copy coming back is recovered (D7)."""
    item = items.by_number(number)
    if item is None:
        raise InvalidInput(_("no item numbered {number}").format(number=items.normalise(number)))
    if condition not in CONDITIONS:
        raise InvalidInput(_("choose the condition from the list"))
    note = check_line(note, 200, _("say what is wrong with it") if condition != "intact"
                      else "", "note")
    with db.atomic():  # the write lock first: a second scan of the same item waits, then fails
        return _take_back(session, item, condition, note)


class _OnLoan(NamedTuple):
    loan: int
    borrower: str
    borrower_id: int


def _take_back(session: Session, item: Item, condition: str, note: str) -> Returned:
    found = database.record(_OnLoan, "SELECT l.id AS loan, p.name AS borrower, p.id AS"
                            " borrower_id FROM loan l JOIN person p ON p.id = l.borrower_id"
                            " WHERE l.item_id = ? AND l.status = 'open'", (item.id,))
    if found is None:
        raise NotAllowed(_("{number} is not on loan").format(number=item.reg_no))
    loan, borrower = found.loan, found.borrower
    models.Loan.update(status="closed", closed_at=clock.stamp(), closed_by=session.actor.name,
                       condition=condition, note=note).where(models.Loan.id == loan).execute()
    models.Item.update(status="in").where(models.Item.id == item.id).execute()
    items.event(session, item.id, "recover" if item.kind == "copy" else "return",
                found.borrower_id, loan_id=loan,
                note=_(CONDITIONS[condition]) + (f": {note}" if note else ""))
    if item.kind == "copy" and item.original_id is not None:  # the original's chain too
        original = items.get(item.original_id)  # the copy is kept as its original is
        models.Item.update(custodian=original.custodian).where(
            models.Item.id == item.id).execute()
        items.event(session, item.original_id, "recover", found.borrower_id,
                    reference=item.reg_no, loan_id=loan)
    if condition != "intact":  # B6: for the secrecy officer
        models.Incident.insert(item_id=item.id, loan_id=loan, kind=condition, note=note,
                               opened_at=clock.stamp(), opened_by=session.actor.name).execute()
        items.event(session, item.id, "incident", loan_id=loan, note=note)
    session.audit.append(session.actor.name, "loan.return", "item", item.reg_no,
                         new={"loan": loan, "condition": condition}, note=note)
    return Returned(items.get(item.id), borrower, condition, condition != "intact")


@dataclass(frozen=True)
class OpenLoan:
    """A loan still open, as the desk's lists show it."""

    loan_id: int
    reg_no: str
    title: str
    borrower: str
    mode: str
    opened_at: str
    due_on: str


_OPEN = ("SELECT l.id AS loan_id, i.reg_no, i.title, p.name AS borrower, l.mode, l.opened_at,"
         " l.due_on FROM loan l JOIN item i ON i.id = l.item_id"
         " JOIN person p ON p.id = l.borrower_id")


def overdue(today: date | None = None) -> list[OpenLoan]:
    """Loans past their due date, and copies not yet recovered past theirs (oldest first)."""
    day = (today or clock.today()).isoformat()
    return records(OpenLoan, _OPEN + " WHERE l.status = 'open' AND l.due_on != ''"
                   " AND l.due_on < ? ORDER BY l.due_on, l.id", (day,))


def outstanding_copies() -> list[OpenLoan]:
    """Every copy not yet recovered (D7), due or not."""
    return records(OpenLoan, _OPEN + " WHERE l.status = 'open' AND l.mode = 'copy'"
                   " ORDER BY l.due_on, l.id")


def still_reading(today: date | None = None) -> list[OpenLoan]:
    """In-room readings not closed the day they began (B3: read in the room, same day)."""
    day = (today or clock.today()).isoformat()
    return records(OpenLoan, _OPEN + " WHERE l.status = 'open' AND l.mode = 'read'"
                   " AND l.opened_at < ? ORDER BY l.opened_at", (day,))


class LedgerLine(NamedTuple):
    """A loan as the ledger (C11) lists it, every column as text."""

    opened_on: str
    reg_no: str
    title: str
    borrower: str
    mode: str
    reference: str
    """The borrow slip's or the introduction letter's number."""
    signed_by: str
    """The approving leader, else the department head who signed the slip."""
    due_on: str
    returned_on: str
    condition: str
    classification: str
    """The item's level (items.LEVELS key)."""
    department: str
    """The borrower's department, or an external borrower's unit."""


def loans_between(first: date, last: date) -> list[LedgerLine]:
    """The loan ledger (C11): every loan opened in the range, with its return."""
    return records(
        LedgerLine, "SELECT substr(l.opened_at, 1, 10) AS opened_on, i.reg_no, i.title,"
        " p.name AS borrower, l.mode, l.slip_no || l.letter_no AS reference,"
        " coalesce(a.name, h.name, '') AS signed_by, l.due_on,"
        " substr(l.closed_at, 1, 10) AS returned_on, l.condition, i.classification,"
        " CASE WHEN p.role = 'external' THEN p.unit ELSE p.department END AS department"
        " FROM loan l"
        " JOIN item i ON i.id = l.item_id JOIN person p ON p.id = l.borrower_id"
        " LEFT JOIN person a ON a.id = l.approver_id LEFT JOIN person h ON h.id = l.head_id"
        " WHERE l.opened_at >= ? AND l.opened_at < ? ORDER BY l.id",
        (first.isoformat(), (last + timedelta(days=1)).isoformat()))


def open_incidents() -> int:
    """Returns found damaged, altered, marked or soiled, not yet dealt with (B6)."""
    return int(models.Incident.select().where(models.Incident.status == "open").count())


def open_readings() -> list[OpenLoan]:
    """Every reading not yet closed, today's too: what is still in the room at day's end."""
    return records(OpenLoan, _OPEN + " WHERE l.status = 'open' AND l.mode = 'read'"
                   " ORDER BY l.opened_at")


class LoanAt(NamedTuple):
    """A loan an item was on at a moment: the day it was lent and its due date."""

    item_id: int
    opened_on: str
    due_on: str


def loans_at(item_ids: list[int], stamp: str) -> list[LoanAt]:
    """The loans out of the room (not reading) that the items were on at `stamp` (a
    checklist run's start), oldest first."""
    return records(LoanAt, "SELECT l.item_id, substr(l.opened_at, 1, 10) AS opened_on,"
                   " l.due_on FROM loan l WHERE l.item_id IN (SELECT value FROM json_each(?))"
                   " AND l.opened_at <= ? AND (l.closed_at = '' OR l.closed_at >= ?)"
                   " AND l.mode != 'read' ORDER BY l.id",
                   (f"[{','.join(map(str, item_ids))}]", stamp, stamp))


class SlipLine(NamedTuple):
    """One loan of a borrow slip: the loan, its borrower, its item and who signed for it."""

    mode: str
    slip_no: str
    letter_no: str
    issuing_organ: str
    due_on: str
    opened_at: str
    name: str
    department: str
    unit: str
    role: str
    reg_no: str
    title: str
    classification: str
    pages: int
    head: str
    approver: str
    secrecy: str
    original: str
    """A copy's original's number ('' unless the loan is a copy's)."""


def slip_lines(loan_ids: list[int]) -> list[SlipLine]:
    """The loans of one borrow slip with their borrower, item and signers, in loan order."""
    marks = ", ".join("?" * len(loan_ids))
    return records(
        SlipLine,
        "SELECT l.mode, l.slip_no, l.letter_no, l.issuing_organ, l.due_on, l.opened_at,"
        " p.name, p.department, p.unit, p.role, i.reg_no, i.title, i.classification,"
        " i.pages, coalesce(h.name, '') AS head, coalesce(a.name, '') AS approver,"
        " coalesce(s.name, '') AS secrecy, coalesce(o.reg_no, '') AS original"
        " FROM loan l JOIN person p ON p.id = l.borrower_id JOIN item i ON i.id = l.item_id"
        " LEFT JOIN item o ON o.id = i.original_id"
        " LEFT JOIN person h ON h.id = l.head_id LEFT JOIN person a ON a.id = l.approver_id"
        " LEFT JOIN person s ON s.id = l.secrecy_id"
        f" WHERE l.id IN ({marks}) ORDER BY l.id", tuple(loan_ids))
