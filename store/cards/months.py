"""Reported (locked) statistical months (C3, C5).

Submitting a month's report locks the month: its accepted cards become
`reported`, and from then on they change only by a correction with a reason.
A card that arrives late counts in the next open month (补报); a card cannot be
entered into, or accepted in, a locked month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store import clock
from store.errors import InvalidInput, NotAllowed
from store.i18n import _
from store.vault.database import db, execute, rows
from store.vault.session import Session

MONTH = re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$")
"""A statistical month of this century, e.g. 2026-11."""


@dataclass(frozen=True)
class MonthLock:
    month: str
    locked_at: str
    locked_by: str
    note: str


def check_month(text: str) -> str:
    month = text.strip()
    if not MONTH.match(month):
        raise InvalidInput(_("a month looks like 2026-11"))
    return month


def locked() -> frozenset[str]:
    """Every reported month."""
    return frozenset(month for (month,) in rows("SELECT month FROM month_lock"))


def locks() -> list[MonthLock]:
    """The reported months, newest first, with who locked them and when."""
    return [MonthLock(*r) for r in rows(
        "SELECT month, locked_at, locked_by, note FROM month_lock ORDER BY month DESC")]


def lock(session: Session, month_text: str, note: str = "") -> int:
    """Lock a month as reported: its accepted cards become `reported`, each with a history
    entry, in one transaction with the audit entry. Refused while cards of the month still
    wait for review. Returns how many cards were reported."""
    month = check_month(month_text)
    with db.atomic():
        if rows("SELECT 1 FROM month_lock WHERE month = ?", (month,)):
            raise NotAllowed(_("{month} is already reported").format(month=month))
        (waiting,), = rows("SELECT count(*) FROM card WHERE month = ? AND status = 'submitted'",
                           (month,))
        if waiting:
            raise NotAllowed(_("{n} cards of {month} still wait for review: accept or return "
                               "them first").format(n=waiting, month=month))
        stamp, by = clock.stamp(), session.actor.name
        execute("INSERT INTO card_history (card_id, at, by, action, old, new, reason)"
                " SELECT id, ?, ?, 'report', '{\"status\": \"accepted\"}',"
                " '{\"status\": \"reported\"}', '' FROM card"
                " WHERE month = ? AND status = 'accepted' ORDER BY id", (stamp, by, month))
        (count,), = rows("SELECT count(*) FROM card WHERE month = ? AND status = 'accepted'",
                         (month,))
        execute("UPDATE card SET status = 'reported', updated_by = ?, updated_at = ?"
                " WHERE month = ? AND status = 'accepted'", (by, stamp, month))
        execute("INSERT INTO month_lock (month, locked_at, locked_by, note) VALUES (?, ?, ?, ?)",
                (month, stamp, by, note.strip()))
        session.audit.append(by, "month.lock", "month", month, new={"cards": count},
                             note=note.strip())
    return int(count)
