"""Key rotation (密钥更换): a new master key and administrators' key, every keyslot re-made.

A keyslot copied once — by an operator since disabled, or inside any backup —
unwraps the master key for good, unless the master key changes. Rotation
re-encrypts the store into a new file under a new random key, writes a new
slot for every active operator (with the password they type, or a one-time
password the administrator hands over on paper, to be changed at the next
login) and a new recovery code, and puts the new file and slots in place with
the restore's swap, so a crash at any moment finishes the rotation or leaves
the store as it was. The retired slots are overwritten. Earlier backups keep
the key they were made with.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from store import clock
from store.audit import log as audit
from store.errors import FieldError, InvalidInput, NotAllowed, WrongPassword
from store.i18n import _
from store.keys import rotation_due, seals, seen
from store.operators import Operator
from store.vault import cipher, keyslots, recovery, swap
from store.vault.database import db, execute
from store.vault.paths import DataPaths
from store.vault.policy import RECOVERY_ACTOR
from store.vault.session import Session

if TYPE_CHECKING:
    from store.vault.folder import StoreDir

Phase = Callable[[str, float], None]
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class Rotated:
    """What the administrator must hand over: shown once, never stored in plain text."""

    recovery_code: str
    one_time: dict[str, str] = field(default_factory=dict)
    """Operator name → one-time password (to be changed at their next login)."""
    operators: tuple[str, ...] = ()
    seconds: float = 0.0


def one_time_password() -> str:
    """Twelve letters and digits that cannot be misread, in groups of four."""
    raw = "".join(secrets.choice(ONE_TIME_ALPHABET) for _i in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


class ActiveOperator(NamedTuple):
    """An active operator, who gets a new keyslot."""

    name: str
    role: str


def active_operators() -> list[ActiveOperator]:
    """Every active operator, by name."""
    found = (Operator.select(Operator.name, Operator.role)
             .where(Operator.status == "active").order_by(Operator.name))
    return [ActiveOperator(str(row.name), str(row.role)) for row in found]


def _check(session: Session, passwords: dict[str, str]) -> list[ActiveOperator]:
    session.require_admin()
    if session.admin_key:
        forged = seals.forged_operators(session.admin_key, session.store_id)
        if forged:
            raise NotAllowed(_("the key is not rotated while an operator record is forged: "
                               "{what}; disable that operator first").format(
                what=forged[0].describe()))
    active = active_operators()
    names = {name for name, _role in active}
    for name in passwords:
        if name not in names:
            raise InvalidInput(_("no active operator named \"{name}\"").format(name=name))
    if session.actor.name != RECOVERY_ACTOR and not passwords.get(session.actor.name):
        raise FieldError(_("type your own password: your new keyslot is made with it"),
                         session.actor.name)
    for name, password in passwords.items():
        if not password:
            continue
        try:
            keyslots.read_slot(session.paths.keyslot(name), password)
        except WrongPassword:
            raise FieldError(_("the password typed for {name} is not their current "
                               "password (leave it empty to give them a one-time "
                               "password)").format(name=name), name) from None
    return active


def rotate(folder: StoreDir, session: Session, passwords: dict[str, str],
           announce: Callable[[Rotated], None] | None = None,
           progress: Phase | None = None) -> Rotated:
    """Rotate the master key and the administrators' key (administrators only).

    `passwords` holds the current password of each operator present (the acting
    administrator's at least); every other active operator gets a one-time password.
    `announce(result)` shows the new recovery code and one-time passwords before anything
    is put in place: if it fails, the store keeps its old key.
    """
    report = progress or (lambda _what, _share: None)
    started = clock.epoch()
    active = _check(session, passwords)
    key, salt = secrets.token_bytes(cipher.KEY_BYTES), secrets.token_bytes(cipher.SALT_BYTES)
    admin_key = seals.new_key()
    code = recovery.new_code()
    one_time = {name: one_time_password() for name, _role in active if not passwords.get(name)}
    result = Rotated(code, one_time, tuple(name for name, _role in active))
    paths, store_id = session.paths, session.store_id
    staged, staged_keys = swap.staged_db(paths), swap.staged_keys(paths)
    _clear_staging(paths)
    report(_("copying the store under the new key"), 0.05)
    with db.atomic():
        session.audit.keep_key()  # the chain goes on under its own key
    db.forget()  # nobody writes to the old file from here on
    try:
        _export(paths.db, session, staged, key, salt)
        report(_("writing the new keyslots"), 0.5)
        staged_keys.mkdir(mode=0o700)
        fresh = Session(paths, store_id, session.actor, key, salt, admin_key=admin_key)
        slots: list[tuple[Path, keyslots.SlotContent]] = []
        in_force: dict[str, str] = {}
        for name, role in active:
            content = fresh.slot_content(name, admin=role == "admin", one_time=name in one_time)
            target = staged_keys / paths.keyslot(name).name
            keyslots.write_slot(target, passwords.get(name) or one_time[name], content)
            slots.append((target, content))
            in_force[name] = keyslots.checksum(target)
        recovery_content = fresh.slot_content("recovery", admin=True)
        recovery_target = staged_keys / paths.recovery_slot.name
        keyslots.write_slot(recovery_target, recovery.normalize(code), recovery_content)
        slots.append((recovery_target, recovery_content))
        _disabled_markers(paths, staged_keys)
        report(_("recording the rotation"), 0.75)
        _record(fresh, staged, key, salt, admin_key, in_force,
                keyslots.checksum(recovery_target), one_time, active, slots)
        if announce is not None:
            announce(result)
        report(_("putting the new key in place"), 0.9)
        swap.begin(paths, replace_keys=True, store_id=store_id, destroy_old_keys=True)
    except BaseException:
        if not swap.intent(paths).exists():
            _clear_staging(paths)
            db.open_with(str(paths.db), *session.key_material())  # the old key still holds
        raise
    db.open_with(str(paths.db), key, salt)
    own = next((c for p, c in slots if p.name == session.slot_path.name), None)
    session.rekey(key, salt, admin_key, own.seen_key if own else b"")
    report(_("done"), 1.0)
    return Rotated(code, one_time, result.operators, clock.epoch() - started)


def _clear_staging(paths: DataPaths) -> None:
    for leftover in (swap.staged_db(paths), Path(f"{swap.staged_db(paths)}-wal"),
                     Path(f"{swap.staged_db(paths)}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(swap.staged_keys(paths), ignore_errors=True)


def _export(source: Path, session: Session, target: Path, key: bytes, salt: bytes) -> None:
    """The whole store, re-encrypted under the new key into `target` (sqlcipher_export)."""
    old_key, old_salt = session.key_material()
    conn = cipher.connect_raw(str(source), old_key, old_salt)
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("ATTACH DATABASE ? AS fresh KEY ?",
                     (str(target), cipher.raw_key_literal(key, salt)))
        conn.execute("SELECT sqlcipher_export('fresh')")
        (version,) = conn.execute("PRAGMA main.user_version").fetchone()
        conn.execute(f"PRAGMA fresh.user_version = {int(version)}")
        conn.execute("DETACH DATABASE fresh")
    finally:
        conn.close()


def _disabled_markers(paths: DataPaths, staged_keys: Path) -> None:
    """Disabled operators' markers go on (a disabled name is never taken again)."""
    for marker in paths.keys.glob("*.disabled"):
        shutil.copy2(marker, staged_keys / marker.name)


def _record(fresh: Session, staged: Path, key: bytes, salt: bytes, admin_key: bytes,
            in_force: dict[str, str], recovery_sha: str, one_time: dict[str, str],
            active: list[ActiveOperator],
            slots: list[tuple[Path, keyslots.SlotContent]]) -> None:
    """In the new file: the new slots in force, the records re-sealed, the rotation audited."""
    from store.vault import opening

    db.open_with(str(staged), key, salt)
    try:
        with db.atomic():
            seals.install_key(admin_key, fresh.store_id)
            for name, sha in in_force.items():
                Operator.update(slot_sha256=sha, must_change=int(name in one_time)).where(
                    Operator.name == name).execute()
            seals.seal_all(admin_key, fresh.store_id)
            opening.record_recovery_slot(recovery_sha)
            rotation_due.clear()
            fresh.audit.append(fresh.actor.name, "key.rotate", "store", fresh.store_id, new={
                "operators": [name for name, _role in active],
                "one_time_passwords": sorted(one_time), "recovery_code": "new"})
        with db.atomic():
            seals.seal_head(admin_key, fresh.store_id)
        head = audit.head()
        for path, content in slots:
            seen.write(path, content.seen_key, fresh.store_id, head.id, head.hash)
        execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.forget()

