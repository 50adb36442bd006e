"""Reported (locked) statistical months (C3, C5).

Submitting a month's report locks the month: its accepted cards become
`reported`, and from then on they change only by a correction with a reason.
A card that arrives late counts in the next open month (补报); a card cannot be
entered into, or accepted in, a locked month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from store import clock
from store.cards.models import Card
from store.cards.models import MonthLock as Locked
from store.errors import InvalidInput, NotAllowed
from store.i18n import _, ngettext
from store.vault.database import db, execute, records
from store.vault.session import Session

MONTH = re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$")
"""A statistical month of this century, e.g. 2026-11."""


@dataclass(frozen=True)
class MonthLock:
    """A reported month, who locked it and when."""

    month: str
    locked_at: str
    locked_by: str
    note: str


def check_month(text: str) -> str:
    month = text.strip()
    if not MONTH.match(month):
        raise InvalidInput(_("a month looks like 2026-11"))
    return month


class _Month(NamedTuple):
    month: str


def locked() -> frozenset[str]:
    """Every reported month (read on every check of a card: SQL, not the query builder)."""
    return frozenset(row.month for row in records(_Month, "SELECT month FROM month_lock"))


def locks() -> list[MonthLock]:
    """The reported months, newest first, with who locked them and when."""
    return [MonthLock(row.month, row.locked_at, row.locked_by, row.note)
            for row in Locked.select().order_by(Locked.month.desc())]


def lock(session: Session, month_text: str, note: str = "") -> int:
    """Lock a month as reported: its accepted cards become `reported`, each with a history
    entry, in one transaction with the audit entry. Refused while cards of the month still
    wait for review. Returns how many cards were reported."""
    month = check_month(month_text)
    with db.atomic():
        if Locked.select().where(Locked.month == month).exists():
            raise NotAllowed(_("{month} is already reported").format(month=month))
        waiting = Card.select().where(Card.month == month, Card.status == "submitted").count()
        if waiting:
            raise NotAllowed(ngettext(
                "{n} card of {month} still waits for review: accept or return it first",
                "{n} cards of {month} still wait for review: accept or return them first",
                waiting).format(n=waiting, month=month))
        stamp, by = clock.stamp(), session.actor.name
        execute("INSERT INTO card_history (card_id, at, by, action, old, new, reason)"
                " SELECT id, ?, ?, 'report', '{\"status\": \"accepted\"}',"
                " '{\"status\": \"reported\"}', '' FROM card"
                " WHERE month = ? AND status = 'accepted' ORDER BY id", (stamp, by, month))
        count = (Card.update(status="reported", updated_by=by, updated_at=stamp)
                 .where(Card.month == month, Card.status == "accepted").execute())
        Locked.insert(month=month, locked_at=stamp, locked_by=by, note=note.strip()).execute()
        session.audit.append(by, "month.lock", "month", month, new={"cards": count},
                             note=note.strip())
    return int(count)
