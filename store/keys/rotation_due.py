"""Whether the master key should be rotated: set when someone who held it no longer should.

Disabling an operator does not take the master key out of the backups that hold
their keyslot; until the key is rotated (`store.rotation`), the dashboard says a
former operator may still hold it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from store import clock
from store.i18n import N_
from store.vault import meta
from store.vault.session import Session

KEY = "rotation_due"
"""The `meta` key set until the next key rotation."""


@dataclass(frozen=True)
class RotationDue:
    reason: str
    """A catalog message (translated when shown)."""
    subjects: tuple[str, ...]
    """Whom it is about (operators disabled, …)."""
    since: str


def mark(session: Session, reason: str, subject: str = "") -> None:
    """Ask for a rotation (caller's transaction); reasons gather until it is done."""
    found = current()
    subjects = list(found.subjects) if found else []
    if subject and subject not in subjects:
        subjects.append(subject)
    meta.put(KEY, json.dumps({
        "reason": reason if found is None else found.reason, "subjects": subjects,
        "since": found.since if found else clock.stamp(), "by": session.actor.name}))


def current() -> RotationDue | None:
    kept = meta.get(KEY)
    if kept is None:
        return None
    try:
        raw = json.loads(kept)
        return RotationDue(str(raw["reason"]), tuple(str(s) for s in raw.get("subjects", [])),
                           str(raw.get("since", "")))
    except (ValueError, KeyError, TypeError):
        return RotationDue(N_("the record that a rotation is due is damaged"), (), "")


def clear() -> None:
    """The key was rotated (caller's transaction)."""
    meta.drop(KEY)
