"""Reviewing cards (审核, C4): accept, return, void; corrections once a month is reported (C3)."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any

from store import clock
from store.cards import months
from store.cards.entry import CardInput, InvalidCard, record_history, stored_values, validate
from store.cards.models import Card, CardHistory
from store.errors import InvalidInput, NotAllowed, StoreError
from store.i18n import _
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

    def as_input(self) -> CardInput:
        """The card's values as the entry screen shows them (for editing or correcting)."""
        return CardInput(self.department, self.business_type, self.case_no, self.case_name,
                         self.charge, str(self.persons), self.accepted_on, self.concluded_on,
                         self.outcome, str(self.outcome_persons),
                         "" if self.amount is None else str(self.amount), self.rank,
                         self.major, self.major_override, self.month, self.remarks)


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
    return [HistoryEntry(change.at, change.by, change.action, load(change.old), load(change.new),
                         change.reason) for change in changes]


def _set_status(session: Any, card: CardRecord, status: str, reason: str = "",
                acknowledged: str | None = None) -> None:
    """A new status, with the card's problems counted afresh (the list's ✗ stays true) and,
    on acceptance, the warnings acknowledged kept in the history and the audit log."""
    checked = validate(card.as_input(), card.id)
    acknowledging = {} if acknowledged is None else {"acknowledged": acknowledged}
    new: dict[str, Any] = {"status": status, **acknowledging}
    returned = reason if status == "returned" else card.return_reason
    with db.atomic():
        Card.update(status=status, return_reason=returned, problems=len(checked.problems),
                    updated_by=session.actor.name, updated_at=clock.stamp(),
                    **acknowledging).where(Card.id == card.id).execute()
        record_history(session, card.id, status if status != "accepted" else "accept",
                       {"status": card.status}, new, reason)


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
    """Change a card's values. A card of a reported month changes only by a correction,
    with a reason (C3); the old and new values stay in its history and the audit log."""
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
    if correcting and checked.card.month not in months.locked():
        raise NotAllowed(_("a reported card moves only to another reported month; {month} is "
                           "still open").format(month=checked.card.month))
    new = stored_values(checked.card)
    old = {k: getattr(card, k) for k in new}  # as stored, never re-read through the checks
    changed = {k: v for k, v in new.items() if old.get(k) != v}
    if not changed:
        return
    status = card.status if correcting else "submitted"
    with db.atomic():
        execute(f"UPDATE card SET {', '.join(f'{k} = ?' for k in changed)}, status = ?,"
                " problems = ?, updated_by = ?, updated_at = ? WHERE id = ?",
                (*changed.values(), status, len(checked.problems), session.actor.name,
                 clock.stamp(), card_id))
        record_history(session, card_id, "correct" if correcting else "update",
                       {k: old.get(k) for k in changed}, changed, reason.strip())


def returned_in(month: str, department: str) -> list[CardRecord]:
    """Returned cards of a department's month, by case number (for its return list)."""
    return records(CardRecord, f"SELECT {_CARD_COLUMNS} FROM card WHERE month = ?"
                   " AND department = ? AND status = 'returned' ORDER BY case_no",
                   (month, department))
