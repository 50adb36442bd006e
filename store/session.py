"""An unlocked store, used by one operator: who is acting, their audit chain, the key."""

from __future__ import annotations

from dataclasses import dataclass

from store import audit, keyslots
from store.database import db
from store.errors import NotAllowed
from store.i18n import _
from store.paths import DataPaths
from store.policy import RECOVERY_ACTOR, UNKNOWN_NAME


@dataclass(frozen=True)
class Actor:
    """Who is acting: an operator, or the holder of the recovery code."""

    name: str
    role: str
    display_name: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class Upgrade:
    """What opening the store did to an older one: its schema brought up to this statdesk's."""

    from_version: str
    """The statdesk that made the store or last upgraded it."""
    from_schema: int
    """The store's schema before: its highest migration."""
    to_version: str
    """This statdesk."""
    to_schema: int
    """The store's schema now."""
    backup: str
    """The file name of the verified safety backup holding the store as it was."""


class Session:
    """An unlocked store, used by one operator until `close()` (logout or idle lock)."""

    def __init__(self, paths: DataPaths, store_id: str, actor: Actor, key: bytes, salt: bytes,
                 failed_attempts: int = 0) -> None:
        self.paths = paths
        self.store_id = store_id
        self.actor = actor
        self.failed_attempts = failed_attempts
        self.upgraded: Upgrade | None = None
        """Set when this unlock upgraded an older store (the login says so)."""
        self.audit = audit.AuditChain(key, store_id)
        self._key, self._salt = key, salt
        self.open = True

    def slot_content(self, label: str) -> keyslots.SlotContent:
        """What a new keyslot for `label` must hold (operators service only)."""
        return keyslots.SlotContent(self.store_id, label, self._key, self._salt)

    def key_material(self) -> tuple[bytes, bytes]:
        """(master key, salt): for store modules that open the database file themselves."""
        return self._key, self._salt

    def require_admin(self) -> None:
        if not self.actor.is_admin:
            raise NotAllowed(_("only an administrator may do this"))

    def end(self, action: str = "session.logout", note: str = "") -> None:
        """Record the end of the session (`session.lock` or `session.logout`), then close."""
        if self.open:
            with db.atomic():
                self.audit.append(self.actor.name, action, "operator", self.actor.name, note=note)
        self.close()

    def close(self) -> None:
        """Close the database and forget the key."""
        db.forget()
        self._key = self._salt = b""
        self.open = False


@dataclass(frozen=True)
class NewStore:
    session: Session
    recovery_code: str


__all__ = ["RECOVERY_ACTOR", "UNKNOWN_NAME", "Actor", "NewStore", "Session", "Upgrade"]
