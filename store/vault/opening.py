"""Opening a store: create it, unlock it with a password or the recovery code.

Kept apart from `store.folder` so that the folder (and the login screen) can be
ready before the database layer is even imported.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from store import migrations
from store.errors import (
    KeyslotError,
    NotAStore,
    OperatorDisabled,
    StoreError,
    UnknownOperator,
    WrongPassword,
)
from store.i18n import _
from store.keys import seals
from store.vault import cipher, keyslots, meta, policy, recovery
from store.vault.database import db, records
from store.vault.paths import DataPaths
from store.vault.policy import RECOVERY_ACTOR, UNKNOWN_NAME
from store.vault.session import Actor, NewStore, Session

if TYPE_CHECKING:
    from store.vault.folder import StoreDir

STORE_ID_KEY = "store_id"
"""The `meta` key holding the store's id (the same in `store-id`, its keyslots and backups)."""


def init(folder: StoreDir, admin: str, password: str, unit_name: str = "",
         display_name: str = "", announce: Callable[[str], None] | None = None) -> NewStore:
    """Create a new store with its first administrator and a recovery keyslot.

    `announce(code)` shows the recovery code before anything is committed: if it
    fails (say the terminal is gone), no store is left whose code nobody saw.
    """
    from store import operators, settings
    from store.cards import code_admin
    from store.vault import upgrade

    folder.ensure_empty()
    admin = policy.check_name(admin)
    policy.check_password(password)
    unit_name = policy.check_text(unit_name, _("unit name"))
    display_name = policy.check_text(display_name, _("full name"))
    store_id = uuid.uuid4().hex
    key, salt = secrets.token_bytes(cipher.KEY_BYTES), secrets.token_bytes(cipher.SALT_BYTES)
    admin_key = seals.new_key()
    code = recovery.new_code()
    actor = Actor(admin, "admin", display_name or admin)
    session = Session(folder.paths, store_id, actor, key, salt, admin_key=admin_key)
    folder.paths.keys.mkdir(mode=0o700)
    try:
        recovery_content = session.slot_content("recovery", admin=True)
        keyslots.write_slot(folder.paths.recovery_slot, recovery.normalize(code),
                            recovery_content)
        db.open_with(str(folder.paths.db), key, salt)
        with db.atomic():
            for migration in migrations.pending():
                migrations.apply(migration)
            meta.put(STORE_ID_KEY, store_id)
            upgrade.record_version()
            seals.install_key(admin_key, store_id)
            record_recovery_slot(keyslots.checksum(folder.paths.recovery_slot))
            session.audit.append(admin, "store.init", "store", store_id,
                                 new={"unit_name": unit_name, "admin": admin})
            settings.write_initial(session, unit_name)
            code_admin.adopt_2026(session)  # a new store starts on today's code tables
            admin_slot, admin_content = operators.create_first_admin(
                session, admin, password, actor.display_name)
            folder.store_id_file().write_text(store_id + "\n")
            if announce is not None:
                announce(code)
        with db.atomic():
            seals.seal_head(admin_key, store_id)
        admin_slot.commit()
        operators.remember(session, admin_slot.path, admin_content)
        operators.remember(session, folder.paths.recovery_slot, recovery_content)
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
    if not slot_path.exists() and not keyslots.pending(slot_path):
        marker = folder.paths.keys / f"{name}.disabled"
        if marker.exists():
            raise folder.fail(name, OperatorDisabled(
                _("operator \"{name}\" was disabled and can no longer unlock")
                .format(name=name)))
        raise folder.fail(UNKNOWN_NAME, UnknownOperator(
            _("no operator named \"{name}\"").format(name=policy.shown(name))))
    content, used = _read_either(folder, name, slot_path, password)
    if content.label != name:
        raise KeyslotError(_("keyslot keys/{file} is not {name}'s keyslot").format(
            file=slot_path.name, name=name))
    store_id = _open_db(folder, content, f"keys/{slot_path.name}")
    from store import operators

    try:
        actor = operators.actor_for_login(name)
        return _start(folder, actor, store_id, content, slot_path, used, password)
    except OperatorDisabled:
        db.forget()
        raise folder.fail(name, OperatorDisabled(
            _("operator \"{name}\" was disabled and can no longer unlock")
            .format(name=name))) from None
    except BaseException:
        db.forget()
        raise


def _read_either(folder: StoreDir, name: str, slot_path: Path,
                 password: str) -> tuple[keyslots.SlotContent, str]:
    """The slot in place, or its `.new` version when a change was cut short before its rename
    (which of the two is in force, the database says: see `_settle_slot`); with the checksum
    of the file that opened."""
    if slot_path.exists():
        try:
            return keyslots.read_slot(slot_path, password), keyslots.checksum(slot_path)
        except WrongPassword as exc:
            if not keyslots.pending(slot_path):
                raise folder.fail(name, exc) from None
    try:
        return (keyslots.read_slot(slot_path, password, pending=True),
                keyslots.checksum(slot_path.with_name(slot_path.name + ".new")))
    except WrongPassword as exc:
        raise folder.fail(name, exc) from None


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
                      content, folder.paths.recovery_slot,
                      keyslots.checksum(folder.paths.recovery_slot), recovery.normalize(code))
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
        found = meta.get(STORE_ID_KEY)
    except cipher.DatabaseError as exc:
        db.forget()
        raise NotAStore(_("{path} cannot be opened: it is damaged or not a statdesk store")
                        .format(path=folder.paths.db)) from exc
    if found != content.store_id:
        db.forget()
        raise NotAStore(_("{path} is not this store's database").format(path=folder.paths.db))
    from store.vault import upgrade

    try:
        upgrade.refuse_newer()  # before anything is written: no login, no failure cleared
    except BaseException:
        db.forget()
        raise
    return content.store_id


def _start(folder: StoreDir, actor: Actor, store_id: str, content: keyslots.SlotContent,
           slot_path: Path, used: str, secret: str) -> Session:
    """Upgrade an older store (safety backup first); settle the slot, the role and what the
    operator last saw; write pending failures and the login to the audit log."""
    from store.vault import upgrade

    failed = folder.failures.count(actor.name)
    session = Session(folder.paths, store_id, actor, content.master_key, content.salt, failed,
                      seen_key=content.seen_key)  # the admin key once checked
    plan = upgrade.prepare(session)
    rewritten: list[tuple[keyslots.PreparedSlot, keyslots.SlotContent]] = []
    committed = False
    try:
        with db.atomic():
            if plan is not None:
                session.upgraded = upgrade.run(session, plan)
            else:
                upgrade.note_newer_version(session)
            if not _settle_slot(folder, session, slot_path, used):
                raise folder.fail(actor.name, WrongPassword(_(
                    "that password was replaced by a newer one; use the newer password")))
            _settle_role(session, content, slot_path, secret, rewritten)
            _check_rollback(session, content, slot_path)
            _log_in(folder, session, session.actor, failed)
        committed = True
        if session.admin_key:
            with db.atomic():  # after the login's commit: its entry is final by then
                seals.seal_head(session.admin_key, store_id)
    except Exception as exc:
        if not committed:  # once committed, the records name the new slots: never drop them
            for prepared, _content in rewritten:
                prepared.discard()
        if plan is None or isinstance(exc, StoreError):
            raise
        raise upgrade.failed(plan, exc) from exc  # rolled back: the store is as it was
    folder.failures.mark_audited()
    folder.failures.clear(actor.name)
    from store import operators

    for prepared, new_content in rewritten:
        prepared.commit()
        operators.remember(session, prepared.path, new_content)
    session.remember_head()
    return session


RECOVERY_SHA_KEY = "recovery_slot_sha256"
"""The `meta` key naming the recovery slot in force (its checksum)."""


def record_recovery_slot(sha256: str) -> None:
    meta.put(RECOVERY_SHA_KEY, sha256)


class _SlotInForce(NamedTuple):
    name: str
    slot_sha256: str


def _in_force() -> dict[str, str]:
    """Slot file name → checksum of the slot the committed records put in force (plain SQL:
    this runs at every unlock)."""
    found = {f"{row.name}.key": str(row.slot_sha256) for row in records(
        _SlotInForce, "SELECT name, slot_sha256 FROM operator WHERE slot_sha256 != ''")}
    recovery_sha = meta.get(RECOVERY_SHA_KEY)
    if recovery_sha is not None:
        found["recovery.slot"] = recovery_sha
    return found


def _settle_slot(folder: StoreDir, session: Session, slot_path: Path, used: str) -> bool:
    """Finish or drop slots a crash left half-renamed; False if the slot that opened is not
    the one in force (an old password after a change that was cut short)."""
    in_force = _in_force()
    keyslots.reconcile(folder.paths.keys, in_force)
    expected = in_force.get(slot_path.name, "")
    return not expected or expected == used


def _alarm(session: Session, action: str, entity_id: str, message: str) -> None:
    session.audit.append(session.actor.name, action, "operator", entity_id, note=message)
    session.notices.append(message)


def _settle_role(session: Session, content: keyslots.SlotContent, slot_path: Path,
                 secret: str, rewritten: list[tuple[keyslots.PreparedSlot,
                                                    keyslots.SlotContent]]) -> None:
    """Who is an administrator is decided by the administrators' key, not by the role column
    alone: a record a clerk rewrote with SQL does not make them one."""
    from store import operators

    actor, store_id = session.actor, session.store_id
    introduced = session.introduced_admin_key
    has_key = seals.key_matches(content.admin_key, store_id)
    if actor.name == RECOVERY_ACTOR:
        session.grant_admin_key(content.admin_key if has_key else introduced)
        if introduced:
            rewritten.append(_rewrite(session, slot_path, secret, "recovery"))
    elif actor.role == "admin":
        key = introduced or (content.admin_key if has_key else b"")
        if not seals.store_has_key():
            session.demote()
            _alarm(session, "store.tampered", actor.name, _(
                "the store's check of the administrators' key is missing (removed outside "
                "statdesk): {name} works as a clerk; log in with the recovery code and rotate "
                "the key").format(name=actor.name))
        elif not key:
            session.demote()
            session.notices.append(_(
                "your keyslot does not hold the administrators' key, so you work as a clerk "
                "until the master key is rotated (by an administrator who holds it, or with "
                "the recovery code)"))
        elif not seals.seal_valid(key, store_id, actor.name):
            session.demote()
            _alarm(session, "operator.forged", actor.name, _(
                "the operator record of {name} says administrator, but it was written outside "
                "statdesk (its seal does not verify): {name} works as a clerk").format(
                    name=actor.name))
        else:
            session.grant_admin_key(key)
            if introduced:
                rewritten.append(_rewrite(session, slot_path, secret, actor.name))
    if session.admin_key:
        for forged in seals.forged_operators(session.admin_key, store_id):
            _alarm(session, "operator.forged", forged.name, forged.describe())
        problem = seals.head_seal_problem(session.admin_key, store_id)
        if problem:
            _alarm(session, "store.tampered", store_id, problem)
    if content.one_time or operators.must_change(actor.name):
        session.must_change_password = True


def _rewrite(session: Session, slot_path: Path, secret: str,
             label: str) -> tuple[keyslots.PreparedSlot, keyslots.SlotContent]:
    """Rewrite the slot just opened so that it holds the administrators' key (an upgrade made
    the key); recorded as the slot in force in this transaction."""
    content = session.slot_content(label, admin=True)
    prepared = keyslots.prepare_slot(slot_path, secret, content)
    from store.operators import Operator

    if label == "recovery":
        record_recovery_slot(prepared.sha256)
    else:
        Operator.update(slot_sha256=prepared.sha256).where(Operator.name == label).execute()
    return prepared, content


def _check_rollback(session: Session, content: keyslots.SlotContent, slot_path: Path) -> None:
    """Compare the live store with what this slot's holder last saw."""
    from store.backups import make as backups
    from store.keys import rollback, seen

    last = seen.read(slot_path, content.seen_key, session.store_id)
    if rollback.rolled_back(last):
        assert last is not None
        session.notices.append(rollback.note(session, last).describe())
        return
    newer = [found for found in backups.newer_than_live(session)
             if not rollback.explained(found.audit_head)]
    if newer and rollback.current() is None:
        evidence = seen.Seen(newer[0].audit_head, "")
        session.notices.append(rollback.note(session, evidence, newer[0].path.name).describe())
    elif rollback.current() is not None:
        session.notices.append(rollback.current().describe())  # type: ignore[union-attr]


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


