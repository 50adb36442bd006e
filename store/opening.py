"""Opening a store: create it, unlock it with a password or the recovery code.

Kept apart from `store.folder` so that the folder (and the login screen) can be
ready before the database layer is even imported.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from store import cipher, keyslots, migrations, policy, recovery
from store.database import db, execute, rows
from store.errors import (
    KeyslotError,
    NotAStore,
    OperatorDisabled,
    StoreError,
    UnknownOperator,
    WrongPassword,
)
from store.i18n import _
from store.paths import DataPaths
from store.policy import RECOVERY_ACTOR, UNKNOWN_NAME
from store.session import Actor, NewStore, Session

if TYPE_CHECKING:
    from store.folder import StoreDir


def init(folder: StoreDir, admin: str, password: str, unit_name: str = "",
         display_name: str = "", announce: Callable[[str], None] | None = None) -> NewStore:
    """Create a new store with its first administrator and a recovery keyslot.

    `announce(code)` shows the recovery code before anything is committed: if it
    fails (say the terminal is gone), no store is left whose code nobody saw.
    """
    from store import operators, settings, upgrade

    folder.ensure_empty()
    admin = policy.check_name(admin)
    policy.check_password(password)
    unit_name = policy.check_text(unit_name, _("unit name"))
    display_name = policy.check_text(display_name, _("full name"))
    store_id = uuid.uuid4().hex
    key, salt = secrets.token_bytes(cipher.KEY_BYTES), secrets.token_bytes(cipher.SALT_BYTES)
    code = recovery.new_code()
    actor = Actor(admin, "admin", display_name or admin)
    session = Session(folder.paths, store_id, actor, key, salt)
    folder.paths.keys.mkdir(mode=0o700)
    try:
        keyslots.write_slot(folder.paths.recovery_slot, recovery.normalize(code),
                            session.slot_content("recovery"))
        db.open_with(str(folder.paths.db), key, salt)
        with db.atomic():
            for migration in migrations.pending():
                migrations.apply(migration)
            execute("INSERT INTO meta (key, value) VALUES ('store_id', ?)", (store_id,))
            upgrade.record_version()
            session.audit.append(admin, "store.init", "store", store_id,
                                 new={"unit_name": unit_name, "admin": admin})
            settings.write_initial(session, unit_name)
            admin_slot = operators.create_first_admin(session, admin, password,
                                                      actor.display_name)
            folder.store_id_file().write_text(store_id + "\n")
            if announce is not None:
                announce(code)
        admin_slot.commit()
    except BaseException:
        db.forget()
        _remove_new_store(folder.paths)
        raise
    return NewStore(session, code)


def unlock(folder: StoreDir, name: str, password: str) -> Session:
    """Open the store with an operator's password."""
    folder.require_store()
    name = name.strip()
    folder.wait_check(name)
    try:
        name = policy.check_name(name)
    except Exception:
        raise folder.fail(UNKNOWN_NAME, UnknownOperator(
            _("no operator named \"{name}\"").format(name=policy.shown(name)))) from None
    slot_path = folder.paths.keyslot(name)
    if not slot_path.exists():
        marker = folder.paths.keys / f"{name}.disabled"
        if marker.exists():
            raise folder.fail(name, OperatorDisabled(
                _("operator \"{name}\" was disabled and can no longer unlock")
                .format(name=name)))
        raise folder.fail(UNKNOWN_NAME, UnknownOperator(
            _("no operator named \"{name}\"").format(name=policy.shown(name))))
    try:
        content = keyslots.read_slot(slot_path, password)
    except WrongPassword as exc:
        raise folder.fail(name, exc) from None
    if content.label != name:
        raise KeyslotError(_("keyslot keys/{file} is not {name}'s keyslot").format(
            file=slot_path.name, name=name))
    store_id = _open_db(folder, content, f"keys/{slot_path.name}")
    from store import operators

    try:
        actor = operators.actor_for_login(name)
        return _start(folder, Actor(*actor), store_id, content)
    except OperatorDisabled:
        db.forget()
        raise folder.fail(name, OperatorDisabled(
            _("operator \"{name}\" was disabled and can no longer unlock")
            .format(name=name))) from None
    except BaseException:
        db.forget()
        raise


def recover(folder: StoreDir, code: str) -> Session:
    """Open the store with the recovery code (acts as an administrator)."""
    folder.require_store()
    folder.wait_check(RECOVERY_ACTOR)
    if not recovery.looks_valid(code):
        raise folder.fail(RECOVERY_ACTOR, WrongPassword(
            _("that is not a recovery code: 30 letters and digits in groups of five")))
    try:
        content = keyslots.read_slot(folder.paths.recovery_slot, recovery.normalize(code))
    except WrongPassword:
        raise folder.fail(RECOVERY_ACTOR, WrongPassword(_("wrong recovery code"))) from None
    if content.label != "recovery":
        raise KeyslotError(_("keys/{file} is not the recovery keyslot").format(
            file=folder.paths.recovery_slot.name))
    store_id = _open_db(folder, content, f"keys/{folder.paths.recovery_slot.name}")
    try:
        return _start(folder, Actor(RECOVERY_ACTOR, "admin", _("recovery code")), store_id,
                           content)
    except BaseException:
        db.forget()
        raise


def _open_db(folder: StoreDir, content: keyslots.SlotContent, slot_name: str) -> str:
    try:
        recorded = folder.store_id_file().read_text().strip()
    except OSError:
        recorded = content.store_id
    if recorded != content.store_id:
        raise KeyslotError(_("keyslot {slot} belongs to another store").format(slot=slot_name))
    with open(folder.paths.db, "rb") as handle:
        if handle.read(cipher.SALT_BYTES) != content.salt:
            raise NotAStore(_("{path} is not this store's database (another store's file, "
                              "or damaged)").format(path=folder.paths.db))
    db.open_with(str(folder.paths.db), content.master_key, content.salt)
    try:
        found = rows("SELECT value FROM meta WHERE key = 'store_id'")
    except cipher.DatabaseError as exc:
        db.forget()
        raise NotAStore(_("{path} cannot be opened: it is damaged or not a statdesk store")
                        .format(path=folder.paths.db)) from exc
    if not found or found[0][0] != content.store_id:
        db.forget()
        raise NotAStore(_("{path} is not this store's database").format(path=folder.paths.db))
    from store import upgrade

    try:
        upgrade.refuse_newer()  # before anything is written: no login, no failure cleared
    except BaseException:
        db.forget()
        raise
    return content.store_id


def _start(folder: StoreDir, actor: Actor, store_id: str,
           content: keyslots.SlotContent) -> Session:
    """Upgrade an older store (safety backup first), write pending failures and the login
    to the audit log."""
    from store import upgrade

    failed = folder.failures.count(actor.name)
    session = Session(folder.paths, store_id, actor, content.master_key, content.salt, failed)
    plan = upgrade.prepare(session)
    try:
        with db.atomic():
            if plan is not None:
                session.upgraded = upgrade.run(session, plan)
            else:
                upgrade.note_newer_version(session)
            _log_in(folder, session, actor, failed)
    except Exception as exc:
        if plan is None or isinstance(exc, StoreError):
            raise
        raise upgrade.failed(plan, exc) from exc  # rolled back: the store is as it was
    folder.failures.mark_audited()
    folder.failures.clear(actor.name)
    return session


def _log_in(folder: StoreDir, session: Session, actor: Actor, failed: int) -> None:
    """Failed unlocks not yet audited, then the login itself (the caller's transaction)."""
    from store import operators

    for typed_name, when in folder.failures.unaudited():
        session.audit.append(typed_name, "login.failed", "operator", typed_name,
                             new={"at": when})
    session.audit.append(actor.name, "login.recovery" if actor.name == RECOVERY_ACTOR
                         else "login", "operator", actor.name,
                         new={"failed_attempts_since_last_login": failed})
    operators.touch_login(actor.name)


def _remove_new_store(paths: DataPaths) -> None:
    """Undo a half-made `init` (only files this init created)."""
    for path in [paths.db, Path(f"{paths.db}-wal"), Path(f"{paths.db}-shm"),
                 Path(f"{paths.db}-journal")]:
        path.unlink(missing_ok=True)
    if paths.keys.exists():
        for child in paths.keys.iterdir():
            child.unlink()
        paths.keys.rmdir()


