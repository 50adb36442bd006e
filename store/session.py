"""Opening a data directory: create a store, unlock it, lock it again.

`StoreDir` holds the directory's process lock for as long as it is open;
`Session` is one operator's unlocked use of the store.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from store import audit, cipher, keyslots, migrations, policy, recovery
from store.database import db, execute, rows
from store.dirlock import DirLock
from store.errors import (
    DataDirError,
    KeyslotError,
    NotAllowed,
    NotAStore,
    OperatorDisabled,
    StoreExists,
    UnknownOperator,
    UnlockDelayed,
    WrongPassword,
)
from store.failures import FailureLog
from store.i18n import _
from store.paths import DataPaths

RECOVERY_ACTOR = "(recovery)"
UNKNOWN_NAME = "(unknown)"
"""Failed attempts under names that are no operator are counted here, without the name:
a password typed into the name field must not be kept in plaintext."""


@dataclass(frozen=True)
class Actor:
    """Who is acting: an operator, or the holder of the recovery code."""

    name: str
    role: str
    display_name: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class Session:
    """An unlocked store, used by one operator until `close()` (logout or idle lock)."""

    def __init__(self, paths: DataPaths, store_id: str, actor: Actor, key: bytes, salt: bytes,
                 failed_attempts: int = 0) -> None:
        self.paths = paths
        self.store_id = store_id
        self.actor = actor
        self.failed_attempts = failed_attempts
        self.audit = audit.AuditChain(key, store_id)
        self._key, self._salt = key, salt
        self.open = True

    def slot_content(self, label: str) -> keyslots.SlotContent:
        """What a new keyslot for `label` must hold (operators service only)."""
        return keyslots.SlotContent(self.store_id, label, self._key, self._salt)

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


def _check_dir(root: Path, *, create: bool) -> None:
    if root.exists() and not root.is_dir():
        raise DataDirError(_("the data directory {root} is a file, not a folder").format(root=root))
    if not root.exists():
        if not create:
            raise DataDirError(_("no statdesk store at {root} (the folder does not exist); create "
                                 "one with `statdesk init --admin NAME`").format(root=root))
        try:
            root.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise DataDirError(_("cannot create the data directory {root}: {why}")
                               .format(root=root, why=exc.strerror)) from exc
    if not os.access(root, os.R_OK | os.W_OK | os.X_OK):
        raise DataDirError(_("cannot read and write the data directory {root}: permission denied")
                           .format(root=root))


class StoreDir:
    """A data directory opened by this process (holding its lock)."""

    def __init__(self, paths: DataPaths, *, create: bool = False) -> None:
        _check_dir(paths.root, create=create)
        self.paths = paths
        self.failures = FailureLog(paths.failures)
        self._lock = DirLock(paths.lock)
        self._lock.acquire()
        keyslots.tidy(paths.keys)

    def __enter__(self) -> StoreDir:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if not db.deferred:
            db.forget()
        self._lock.release()

    @property
    def has_store(self) -> bool:
        return self.paths.db.exists()

    def _store_id_file(self) -> Path:
        return self.paths.keys / "store.id"

    # --- creating -------------------------------------------------------------------------

    def ensure_empty(self) -> None:
        """Refuse to create a store where one already is."""
        if self.has_store or self.paths.keys.exists():
            raise StoreExists(_("a statdesk store already exists at {root}; nothing was changed")
                              .format(root=self.paths.root))

    def init(self, admin: str, password: str, unit_name: str = "", display_name: str = "",
             announce: Callable[[str], None] | None = None) -> NewStore:
        """Create a new store with its first administrator and a recovery keyslot.

        `announce(code)` shows the recovery code before anything is committed: if it
        fails (say the terminal is gone), no store is left whose code nobody saw.
        """
        from store import operators, settings

        self.ensure_empty()
        admin = policy.check_name(admin)
        policy.check_password(password)
        unit_name = policy.check_text(unit_name, _("unit name"))
        display_name = policy.check_text(display_name, _("full name"))
        store_id = uuid.uuid4().hex
        key, salt = secrets.token_bytes(cipher.KEY_BYTES), secrets.token_bytes(cipher.SALT_BYTES)
        code = recovery.new_code()
        actor = Actor(admin, "admin", display_name or admin)
        session = Session(self.paths, store_id, actor, key, salt)
        self.paths.keys.mkdir(mode=0o700)
        try:
            keyslots.write_slot(self.paths.recovery_slot, recovery.normalize(code),
                                session.slot_content("recovery"))
            db.open_with(str(self.paths.db), key, salt)
            with db.atomic():
                for migration in migrations.pending():
                    migrations.apply(migration)
                execute("INSERT INTO meta (key, value) VALUES ('store_id', ?)", (store_id,))
                session.audit.append(admin, "store.init", "store", store_id,
                                     new={"unit_name": unit_name, "admin": admin})
                settings.write_initial(session, unit_name)
                admin_slot = operators.create_first_admin(session, admin, password,
                                                          actor.display_name)
                self._store_id_file().write_text(store_id + "\n")
                if announce is not None:
                    announce(code)
            admin_slot.commit()
        except BaseException:
            db.forget()
            _remove_new_store(self.paths)
            raise
        return NewStore(session, code)

    # --- unlocking ------------------------------------------------------------------------

    def require_store(self) -> None:
        if not self.has_store:
            raise DataDirError(_("no statdesk store at {root}; create one with "
                                 "`statdesk init --admin NAME`").format(root=self.paths.root))
        try:
            with open(self.paths.db, "rb") as handle:
                header = handle.read(16)
        except OSError as exc:
            raise DataDirError(_("cannot read {path}: {why}").format(
                path=self.paths.db, why=exc.strerror)) from exc
        if header == cipher.SQLITE_HEADER:
            raise NotAStore(_("{path} is an unencrypted SQLite file, not a statdesk store")
                            .format(path=self.paths.db))

    def _wait_check(self, name: str) -> None:
        left = self.failures.seconds_left(name)
        if left > 0:
            raise UnlockDelayed(_("too many failed attempts: wait {s} s before trying again")
                                .format(s=int(left + 0.999)), left)

    def _fail(self, name: str, error: Exception) -> Exception:
        self.failures.record(name)
        return error

    def unlock(self, name: str, password: str) -> Session:
        """Open the store with an operator's password."""
        self.require_store()
        name = name.strip()
        self._wait_check(name)
        try:
            name = policy.check_name(name)
        except Exception:
            raise self._fail(UNKNOWN_NAME, UnknownOperator(
                _("no operator named \"{name}\"").format(name=policy.shown(name)))) from None
        slot_path = self.paths.keyslot(name)
        if not slot_path.exists():
            marker = self.paths.keys / f"{name}.disabled"
            if marker.exists():
                raise self._fail(name, OperatorDisabled(
                    _("operator \"{name}\" was disabled and can no longer unlock")
                    .format(name=name)))
            raise self._fail(UNKNOWN_NAME, UnknownOperator(
                _("no operator named \"{name}\"").format(name=policy.shown(name))))
        try:
            content = keyslots.read_slot(slot_path, password)
        except WrongPassword as exc:
            raise self._fail(name, exc) from None
        if content.label != name:
            raise KeyslotError(_("keyslot keys/{file} is not {name}'s keyslot").format(
                file=slot_path.name, name=name))
        store_id = self._open_db(content, f"keys/{slot_path.name}")
        from store import operators

        try:
            actor = operators.actor_for_login(name)
            return self._start(Actor(*actor), store_id, content)
        except OperatorDisabled:
            db.forget()
            raise self._fail(name, OperatorDisabled(
                _("operator \"{name}\" was disabled and can no longer unlock")
                .format(name=name))) from None
        except BaseException:
            db.forget()
            raise

    def recover(self, code: str) -> Session:
        """Open the store with the recovery code (acts as an administrator)."""
        self.require_store()
        self._wait_check(RECOVERY_ACTOR)
        if not recovery.looks_valid(code):
            raise self._fail(RECOVERY_ACTOR, WrongPassword(
                _("that is not a recovery code: 30 letters and digits in groups of five")))
        try:
            content = keyslots.read_slot(self.paths.recovery_slot, recovery.normalize(code))
        except WrongPassword:
            raise self._fail(RECOVERY_ACTOR, WrongPassword(_("wrong recovery code"))) from None
        if content.label != "recovery":
            raise KeyslotError(_("keys/{file} is not the recovery keyslot").format(
                file=self.paths.recovery_slot.name))
        store_id = self._open_db(content, f"keys/{self.paths.recovery_slot.name}")
        try:
            return self._start(Actor(RECOVERY_ACTOR, "admin", _("recovery code")), store_id,
                               content)
        except BaseException:
            db.forget()
            raise

    def _open_db(self, content: keyslots.SlotContent, slot_name: str) -> str:
        try:
            recorded = self._store_id_file().read_text().strip()
        except OSError:
            recorded = content.store_id
        if recorded != content.store_id:
            raise KeyslotError(_("keyslot {slot} belongs to another store").format(slot=slot_name))
        with open(self.paths.db, "rb") as handle:
            if handle.read(cipher.SALT_BYTES) != content.salt:
                raise NotAStore(_("{path} is not this store's database (another store's file, "
                                  "or damaged)").format(path=self.paths.db))
        db.open_with(str(self.paths.db), content.master_key, content.salt)
        try:
            found = rows("SELECT value FROM meta WHERE key = 'store_id'")
        except cipher.DatabaseError as exc:
            db.forget()
            raise NotAStore(_("{path} cannot be opened: it is damaged or not a statdesk store")
                            .format(path=self.paths.db)) from exc
        if not found or found[0][0] != content.store_id:
            db.forget()
            raise NotAStore(_("{path} is not this store's database").format(path=self.paths.db))
        return content.store_id

    def _start(self, actor: Actor, store_id: str, content: keyslots.SlotContent) -> Session:
        """Migrate, write pending failures and the login to the audit log."""
        from store import operators

        failed = self.failures.count(actor.name)
        session = Session(self.paths, store_id, actor, content.master_key, content.salt, failed)
        with db.atomic():
            for migration in migrations.pending():
                migrations.apply(migration)
                session.audit.append(actor.name, "schema.migrate", "schema", str(migration.number),
                                     new={"name": migration.name})
            for typed_name, when in self.failures.unaudited():
                session.audit.append(typed_name, "login.failed", "operator", typed_name,
                                     note=_("failed unlock at {when}").format(when=when))
            session.audit.append(actor.name, "login.recovery" if actor.name == RECOVERY_ACTOR
                                 else "login", "operator", actor.name,
                                 new={"failed_attempts_since_last_login": failed})
            operators.touch_login(actor.name)
        self.failures.mark_audited()
        self.failures.clear(actor.name)
        return session


def _remove_new_store(paths: DataPaths) -> None:
    """Undo a half-made `init` (only files this init created)."""
    for path in [paths.db, Path(f"{paths.db}-wal"), Path(f"{paths.db}-shm"),
                 Path(f"{paths.db}-journal")]:
        path.unlink(missing_ok=True)
    if paths.keys.exists():
        for child in paths.keys.iterdir():
            child.unlink()
        paths.keys.rmdir()


__all__ = ["Actor", "NewStore", "Session", "StoreDir"]
