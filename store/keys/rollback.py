"""A store rolled back is noticed: at login, in the audit log and on the dashboard.

Each operator's keyslot keeps what they last saw (`store.seen`). When the live
store does not hold that entry with that hash — its head is lower, or the entry
was replaced — and no restore recorded in the log explains it, the store was
rolled back outside statdesk. That is written to the audit log and stays on the
dashboard until an administrator acknowledges it with a reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from store import clock
from store.audit import log as audit
from store.audit.models import AuditEntry
from store.errors import InvalidInput
from store.i18n import _
from store.keys.seen import Seen
from store.vault import meta, policy
from store.vault.database import db, scalar
from store.vault.session import Session

OPEN_KEY = "rollback_open"
"""The `meta` key set while a rollback is not yet acknowledged."""


@dataclass(frozen=True)
class Rollback:
    """What was noticed: the head an operator had seen, and the head found."""

    noticed_by: str
    noticed_at: str
    seen_id: int
    live_id: int
    backup: str = ""
    """The backup in `backups/` that holds more than the live store, when one does."""

    def describe(self) -> str:
        if self.backup:
            return _("the store was rolled back outside statdesk: the backup {file} holds "
                     "audit entry #{seen}, the store now ends at #{live}; work done after "
                     "#{live} may be lost (that backup holds it); an administrator must look "
                     "into it and acknowledge it").format(file=self.backup, seen=self.seen_id,
                                                          live=self.live_id)
        return _("the store was rolled back outside statdesk: {name} had seen audit entry "
                 "#{seen}, the store now ends at #{live}; work done after #{live} may be "
                 "lost; an administrator must look into it and acknowledge it").format(
            name=self.noticed_by, seen=self.seen_id, live=self.live_id)


def _explained_by_restore(seen: Seen) -> bool:
    """A restore recorded in the log replaced a store at least as far on as `seen`."""
    return explained(seen.head_id)


def explained(head_id: int) -> bool:
    """A restore recorded in the log replaced a store that had reached entry `head_id`."""
    restores = (AuditEntry.select(AuditEntry.new).where(AuditEntry.action == "store.restore")
                .order_by(AuditEntry.id.desc()))
    for restore in restores:
        try:
            replaced = json.loads(restore.new or "{}").get("replaced_head")
        except ValueError:
            continue
        if isinstance(replaced, int) and replaced >= head_id:
            return True
    return False


def rolled_back(seen: Seen | None) -> bool:
    """Whether the live store lacks what `seen` says its holder saw (read only)."""
    if seen is None:
        return False
    if scalar("SELECT hash FROM audit WHERE id = ?", (seen.head_id,)) == seen.head_hash:
        return False  # (plain SQL: this runs at every unlock)
    return not _explained_by_restore(seen)


def note(session: Session, seen: Seen, backup: str = "") -> Rollback:
    """Write the rollback to the audit log and keep it open (caller's transaction).

    `backup`: the evidence is a backup holding more, not what an operator had seen."""
    live_id = audit.head().id
    found = Rollback(session.actor.name, clock.stamp(), seen.head_id, live_id, backup)
    session.audit.append(session.actor.name, "store.rollback", "store", session.store_id,
                         old={"seen_head": seen.head_id, "seen_hash": seen.head_hash,
                              "backup": backup},
                         new={"live_head": live_id})
    if current() is None:
        meta.put(OPEN_KEY, json.dumps({"by": found.noticed_by, "at": found.noticed_at,
                                       "seen": found.seen_id, "live": found.live_id,
                                       "backup": backup}))
    return found


def current() -> Rollback | None:
    """The rollback noticed and not yet acknowledged, if any."""
    kept = meta.get(OPEN_KEY)
    if kept is None:
        return None
    try:
        raw = json.loads(kept)
        return Rollback(str(raw["by"]), str(raw["at"]), int(raw["seen"]), int(raw["live"]),
                        str(raw.get("backup", "")))
    except (ValueError, KeyError, TypeError):
        return Rollback("?", "", 0, 0)


def acknowledge(session: Session, reason: str) -> None:
    """An administrator has looked into the rollback: say why it is acknowledged."""
    session.require_admin()
    reason = policy.check_text(reason, _("reason"))
    if not reason.strip():
        raise InvalidInput(_("say why the rollback is acknowledged (what was found, what was "
                             "re-entered)"))
    found = current()
    if found is None:
        raise InvalidInput(_("no rollback is waiting to be acknowledged"))
    with db.atomic():
        meta.drop(OPEN_KEY)
        session.audit.append(session.actor.name, "store.rollback_ack", "store", session.store_id,
                             old={"seen_head": found.seen_id, "live_head": found.live_id},
                             note=reason.strip())
