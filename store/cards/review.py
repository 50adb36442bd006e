"""Reviewing cards (审核, C4): accept, return, void; corrections once a month is reported (C3)."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from typing import Any

from store import clock, operators
from store.cards import months, persons
from store.cards.entry import CardInput, InvalidCard, record_history, stored_values, validate
from store.cards.models import Card, CardHistory
from store.cards.persons import PersonRecord
from store.cards.rules import Violation, said
from store.errors import InvalidInput, NotAllowed, StoreError
from store.i18n import _, language
from store.text import check_line
from store.vault.database import db, execute, record, records

REASON_LIMIT = 200


@dataclass(frozen=True)
class CardRecord:
    """A stored card, as screens and exports see it."""

    id: int
    department: str
    business_type: str
    case_no: str
    case_name: str
    charge: str
    persons: int
    accepted_on: str
    concluded_on: str
    outcome: str
    outcome_persons: int
    amount: int | None
    rank: str
    major: str
    major_override: str
    month: str
    remarks: str
    status: str
    return_reason: str
    acknowledged: str
    entered_by: str
    entered_at: str
    updated_by: str
    updated_at: str
    unified_no: str
    concluded_month: str
    plea_persons: int
    mixed: int

    def as_input(self) -> CardInput:
        """The card's values as the entry screen shows them (for editing or correcting): its
        persons listed when there is more than one or they differ from what the card's own
        fields make; else a simple card (people=()) with what its one person has."""
        typed = CardInput(
            department=self.department, business_type=self.business_type,
            case_no=self.case_no, case_name=self.case_name, charge=self.charge,
            persons=str(self.persons), accepted_on=self.accepted_on,
            concluded_on=self.concluded_on, outcome=self.outcome,
            outcome_persons=str(self.outcome_persons),
            amount="" if self.amount is None else str(self.amount), rank=self.rank,
            major=self.major, major_override=self.major_override, month=self.month,
            remarks=self.remarks, unified_no=self.unified_no)
        rows = persons.people(self.id)
        # A simple card typed with more outcome persons than persons (R05) reads back as typed.
        simple = self._made_by_card(rows) and (len(rows) <= 1 or
                                               self.outcome_persons > self.persons)
        if not simple:
            return replace(typed, people=tuple(row.as_input() for row in rows))
        first = rows[0] if rows else None
        return replace(typed, custody=first.custody if first else "",
                       minor="1" if first and first.minor else "",
                       plea="1" if first and first.plea else "",
                       outcome_kind=first.outcome_kind if first and first.outcome else "")

    def _made_by_card(self, rows: list[PersonRecord]) -> bool:
        """Whether the persons are those the card's own fields make: all alike, unnamed,
        the first outcome_persons with the card's outcome and its kind."""
        if len(rows) != self.persons:
            return False
        concerned = min(self.outcome_persons, len(rows)) if self.outcome else 0
        first = rows[0] if rows else None
        kind = first.outcome_kind if first and concerned else ""
        return all(
            not row.name and row.charge == self.charge and first is not None
            and (row.custody, row.minor, row.plea) == (first.custody, first.minor, first.plea)
            and (row.outcome, row.outcome_kind) == ((self.outcome, kind) if place < concerned
                                                    else ("", ""))
            for place, row in enumerate(rows))


_CARD_COLUMNS = ", ".join(f.name for f in fields(CardRecord))


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a card: who, when, what it was and became, why."""

    at: str
    by: str
    action: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    reason: str


def get(card_id: int) -> CardRecord:
    found = record(CardRecord, f"SELECT {_CARD_COLUMNS} FROM card WHERE id = ?", (card_id,))
    if found is None:
        raise InvalidInput(_("no card #{id}").format(id=card_id))
    return found


def history(card_id: int) -> list[HistoryEntry]:
    """Every change of a card, oldest first: who, when, what it was and became, why."""
    def load(text: str | None) -> dict[str, Any] | None:
        return None if text is None else dict(json.loads(text))

    changes = CardHistory.select().where(CardHistory.card_id == card_id).order_by(CardHistory.id)
    names = operators.display_names()  # people are shown by name, not by login
    return [HistoryEntry(change.at, operators.display_name(change.by, names), change.action,
                         load(change.old), load(change.new), change.reason)
            for change in changes]


def _set_status(session: Any, card: CardRecord, status: str, reason: str = "",
                acknowledged: str | None = None) -> None:
    """A new status, with the card's problems counted afresh (the list's ✗ stays true) and,
    on acceptance, the warnings acknowledged kept in the history and the audit log."""
    checked = validate(card.as_input(), card.id)
    acknowledging = {} if acknowledged is None else {"acknowledged": acknowledged}
    new: dict[str, Any] = {"status": status, **acknowledging}
    if status == "returned":  # what the department is sent back for, kept as it stood
        new["problems"] = [_kept(v) for v in checked.problems]
    returned = reason if status == "returned" else card.return_reason
    with db.atomic():
        Card.update(status=status, return_reason=returned, problems=len(checked.problems),
                    updated_by=session.actor.name, updated_at=clock.stamp(),
                    **acknowledging).where(Card.id == card.id).execute()
        record_history(session, card.id, status if status != "accepted" else "accept",
                       {"status": card.status}, new, reason)


def _kept(violation: Violation) -> dict[str, Any]:
    """A problem as a return keeps it: its rule code, its catalog message and parameters (to
    say it later in either language) and its words as said at the return (in case the
    message changes in a later version)."""
    def plain(value: object) -> object:
        if isinstance(value, list | tuple):
            return [plain(item) for item in value]
        return value if isinstance(value, str | int | float | bool) or value is None \
            else str(value)

    return {"code": violation.code, "message": violation.message,
            "params": {k: plain(v) for k, v in violation.params.items()},
            "said": said(violation), "language": language()}


def accept(session: Any, card_id: int, acknowledge_warnings: bool = False) -> None:
    """Accept a card: no errors; every warning acknowledged (the acknowledgement is kept)."""
    card = get(card_id)
    if card.status not in ("submitted", "returned"):
        raise NotAllowed(_("only an entered or returned card can be accepted"))
    checked = validate(card.as_input(), card.id)
    if checked.errors:
        raise StoreError(_("the card has errors: {codes}").format(
            codes=", ".join(v.code for v in checked.errors)))
    if checked.warnings and not acknowledge_warnings:
        raise StoreError(_("acknowledge the warnings first: {codes}").format(
            codes=", ".join(v.code for v in checked.warnings)))
    _set_status(session, card, "accepted",
                acknowledged=",".join(v.code for v in checked.warnings))


def return_card(session: Any, card_id: int, reason: str) -> None:
    """Return a card to its department, saying what to correct (谁录入谁负责)."""
    reason = check_line(reason, REASON_LIMIT, _("say what the department must correct"))
    card = get(card_id)
    if card.status not in ("submitted", "accepted"):
        raise NotAllowed(_("only an entered or accepted card can be returned"))
    _set_status(session, card, "returned", reason.strip())


def void(session: Any, card_id: int, reason: str) -> None:
    """A card entered by mistake is voided, never deleted."""
    reason = check_line(reason, REASON_LIMIT, _("say why the card is voided"))
    card = get(card_id)
    if card.status in ("reported", "void"):
        raise NotAllowed(_("a reported or voided card cannot be voided; correct it instead"))
    _set_status(session, card, "void", reason.strip())


def update(session: Any, card_id: int, typed: CardInput, reason: str = "") -> None:
    """Change a card's values and persons. A card of a reported month changes only by a
    correction, with a reason (C3); a 审结 already reported moves only to another reported
    month. The old and new values (and persons, when they change) stay in its history and
    the audit log; person rows change in place, those taken off are marked removed."""
    card = get(card_id)
    if card.status == "void":
        raise NotAllowed(_("a voided card cannot change"))
    correcting = card.status == "reported"
    reason = check_line(reason, REASON_LIMIT, _("the month is reported: a correction needs a "
                                                "reason") if correcting else "")
    checked = validate(typed, card_id)
    if checked.card is None:
        raise InvalidCard(checked.problems)
    if correcting and checked.errors:  # a reported figure never becomes a wrong one
        raise StoreError(_("the correction has errors: {codes}").format(
            codes=", ".join(v.code for v in checked.errors)))
    locked = months.locked()
    if correcting and checked.card.month not in locked:
        raise NotAllowed(_("a reported card moves only to another reported month; {month} is "
                           "still open").format(month=checked.card.month))
    check_conclusion_moves(card, checked.card.concluded_month, locked)
    new = stored_values(checked.card)
    old = {k: getattr(card, k) for k in new}  # as stored, never re-read through the checks
    changed = {k: v for k, v in new.items() if old.get(k) != v}
    old_people = [p.stored() for p in persons.people(card_id)]
    new_people = [p.stored() for p in checked.card.people]
    if not changed and old_people == new_people:
        return
    status = card.status if correcting else "submitted"
    with db.atomic():
        write_card(session, card_id, changed, status=status, problems=len(checked.problems))
        before, after = {k: old.get(k) for k in changed}, dict(changed)
        if old_people != new_people:
            persons.write(card_id, checked.card.people)
            before["people"], after["people"] = old_people, new_people
        record_history(session, card_id, "correct" if correcting else "update", before, after,
                       reason.strip())


def write_card(session: Any, card_id: int, changed: dict[str, object], **also: object) -> None:
    """Save changed columns of a card (and `also`: status, problems...), stamped; the caller
    holds the transaction and writes the history."""
    values = {**changed, **also, "updated_by": session.actor.name, "updated_at": clock.stamp()}
    execute(f"UPDATE card SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
            (*values.values(), card_id))


def check_conclusion_moves(card: CardRecord, concluded_month: str,
                           locked: frozenset[str]) -> None:
    """A 审结 already counted in a reported month moves only to another reported month (or
    is taken back, by a correction)."""
    if card.concluded_month in locked and concluded_month and concluded_month not in locked:
        raise NotAllowed(_("the conclusion is reported in {reported}: it moves only to another"
                           " reported month; {month} is still open").format(
                               reported=card.concluded_month, month=concluded_month))


def returned_in(month: str, department: str) -> list[CardRecord]:
    """Returned cards of a department's month, by case number (for its return list)."""
    return records(CardRecord, f"SELECT {_CARD_COLUMNS} FROM card WHERE month = ?"
                   " AND department = ? AND status = 'returned' ORDER BY case_no",
                   (month, department))


@dataclass(frozen=True)
class KeptProblem:
    """A problem of a card as it stood when the card was returned."""

    code: str
    message: str
    params: dict[str, Any]
    said_then: str
    """Its words at the return, in the language of that moment."""

    def said(self) -> str:
        """Its words in the current language, from its message and parameters as kept; the
        words of the moment when the message can no longer take them."""
        try:
            return said(Violation(self.code, "", (), self.message, self.params))
        except (KeyError, IndexError, ValueError):
            return self.said_then


@dataclass(frozen=True)
class Return:
    """A returned card with the problems and reason of its last return."""

    card: CardRecord
    reason: str
    problems: tuple[KeptProblem, ...] | None
    """None for a return made before the problems were kept with it (not recorded)."""


def last_return(card: CardRecord) -> Return:
    """The card's last return: its reason and the problems found at that moment, as the
    card's history keeps them (never checked again today)."""
    for entry in reversed(history(card.id)):
        if entry.action != "returned":
            continue
        kept = (entry.new or {}).get("problems")
        problems = None if not isinstance(kept, list) else tuple(
            KeptProblem(str(p.get("code", "")), str(p.get("message", "")),
                        dict(p.get("params") or {}), str(p.get("said", "")))
            for p in kept if isinstance(p, dict))
        return Return(card, entry.reason or card.return_reason, problems)
    return Return(card, card.return_reason, None)


def returns_in(month: str, department: str) -> list[Return]:
    """The returned cards of a department's month, by case number, each with the problems
    and reason of its last return (for the return list)."""
    return [last_return(card) for card in returned_in(month, department)]
