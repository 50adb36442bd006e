"""An unlocked store, used by one operator: who is acting, their audit chain, the key."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from store.audit import log as audit
from store.errors import NotAllowed
from store.i18n import _
from store.vault import keyslots
from store.vault.database import db
from store.vault.paths import DataPaths
from store.vault.policy import RECOVERY_ACTOR, UNKNOWN_NAME


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
                 failed_attempts: int = 0, admin_key: bytes = b"",
                 seen_key: bytes = b"") -> None:
        self.paths = paths
        self.store_id = store_id
        self.actor = actor
        self.failed_attempts = failed_attempts
        self.upgraded: Upgrade | None = None
        """Set when this unlock upgraded an older store (the login says so)."""
        self.notices: list[str] = []
        """What the login must say loudly (a rollback noticed, a forged record, a key to
        rotate); each is in the audit log too."""
        self.introduced_admin_key = b""
        """Set when this unlock's upgrade made the store's first administrators' key."""
        self.must_change_password = False
        """The password used was a one-time password: it must be changed before work."""
        self.audit = audit.AuditChain(key, store_id)
        self._key, self._salt = key, salt
        self._admin_key = admin_key
        self._seen_key = seen_key
        self.open = True

    def slot_content(self, label: str, *, admin: bool = False,
                     one_time: bool = False) -> keyslots.SlotContent:
        """What a new keyslot for `label` must hold (operators service only); `admin` puts
        the administrators' key in it (only a session holding it can)."""
        if admin and not self._admin_key:
            raise NotAllowed(_("this needs the administrators' key, which your keyslot does "
                               "not hold; rotate the key (statdesk key rotate) as an "
                               "administrator who holds it, or with the recovery code"))
        return keyslots.SlotContent(self.store_id, label, self._key, self._salt,
                                    admin_key=self._admin_key if admin else b"",
                                    seen_key=secrets.token_bytes(32), one_time=one_time)

    @property
    def admin_key(self) -> bytes:
        """The administrators' key, when this session's keyslot holds it (else b"")."""
        return self._admin_key

    @property
    def seen_key(self) -> bytes:
        return self._seen_key

    def rekey(self, key: bytes, salt: bytes, admin_key: bytes, seen_key: bytes) -> None:
        """The master key was rotated (store.rotation): go on under the new keys."""
        self._key, self._salt, self._admin_key = key, salt, admin_key
        self._seen_key = seen_key
        self.audit = audit.AuditChain(key, self.store_id)

    def grant_admin_key(self, admin_key: bytes) -> None:
        """The login found this session's administrators' key (see `store.opening`)."""
        self._admin_key = admin_key

    def demote(self) -> None:
        """The login found no valid administrator's right: this session works as a clerk."""
        self.actor = Actor(self.actor.name, "clerk", self.actor.display_name)
        self._admin_key = b""

    def use_seen_key(self, seen_key: bytes) -> None:
        """This session's keyslot was rewritten (a password change): its new seen key."""
        self._seen_key = seen_key

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
            self.remember_head()
        self.close()

    @property
    def slot_path(self) -> Path:
        """The keyslot this session was unlocked with."""
        return self.paths.recovery_slot if self.actor.name == RECOVERY_ACTOR \
            else self.paths.keyslot(self.actor.name)

    def remember_head(self) -> None:
        """Record, beside this session's keyslot, the audit head it has seen (see
        `store.seen`): a store later rolled back below it is noticed at login."""
        from store.keys import seen

        head = audit.head()
        seen.write(self.slot_path, self._seen_key, self.store_id, head.id, head.hash)

    def close(self) -> None:
        """Close the database and forget the keys."""
        db.forget()
        self._key = self._salt = self._admin_key = self._seen_key = b""
        self.open = False


@dataclass(frozen=True)
class NewStore:
    session: Session
    recovery_code: str


__all__ = ["RECOVERY_ACTOR", "UNKNOWN_NAME", "Actor", "NewStore", "Session", "Upgrade"]
