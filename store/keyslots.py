"""Keyslots: one small SQLCipher file per operator (and one for the recovery code)
holding the master key, unlocked by that operator's password.

Beside each slot, `NAME.key.sha256` records the slot's checksum and the PBKDF2
cost it was written with: a damaged slot is told apart from a wrong password
(SQLCipher sees both as a bad key), and a slot opens at its own cost.
A slot is prepared under `.new` names and put in place only after the
transaction that records it has committed; `tidy()` finishes or drops what a
crash left half-way.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from store.errors import KeyslotError, WrongPassword
from store.files import fsync_dir
from store.i18n import _

SLOT_FORMAT = "statdesk-keyslot-1"


@dataclass(frozen=True)
class SlotContent:
    """What a keyslot holds."""

    store_id: str
    label: str
    master_key: bytes
    salt: bytes


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _new(path: Path) -> Path:
    return path.with_name(path.name + ".new")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())



@dataclass(frozen=True)
class PreparedSlot:
    """A slot written under `.new` names, waiting for its transaction to commit."""

    path: Path

    def commit(self) -> None:
        """Put the slot in place: slot first, then its checksum (see `tidy`)."""
        os.replace(_new(self.path), self.path)
        os.replace(_new(_sidecar(self.path)), _sidecar(self.path))
        fsync_dir(self.path.parent)

    def discard(self) -> None:
        _new(self.path).unlink(missing_ok=True)
        _new(_sidecar(self.path)).unlink(missing_ok=True)


def prepare_slot(path: Path, secret: str, content: SlotContent) -> PreparedSlot:
    """Write a keyslot and its checksum under `.new` names (nothing replaced yet)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    from store import cipher  # SQLCipher is loaded when a slot is first written or read

    prepared = PreparedSlot(path)
    prepared.discard()
    iterations = cipher.kdf_iter()
    try:
        conn = cipher.connect_passphrase(str(_new(path)), secret, iterations)
        try:
            conn.execute("CREATE TABLE slot (k TEXT PRIMARY KEY, v BLOB NOT NULL)")
            conn.executemany("INSERT INTO slot (k, v) VALUES (?, ?)", [
                ("format", SLOT_FORMAT), ("store_id", content.store_id),
                ("label", content.label), ("master_key", content.master_key),
                ("salt", content.salt)])
        finally:
            conn.close()
        _fsync_file(_new(path))
        sidecar = _new(_sidecar(path))
        sidecar.write_text(f"{_sha256(_new(path))} {iterations}\n", encoding="ascii")
        _fsync_file(sidecar)
    except BaseException:
        prepared.discard()
        raise
    return prepared


def write_slot(path: Path, secret: str, content: SlotContent) -> None:
    """Write a keyslot now (no transaction to wait for)."""
    prepare_slot(path, secret, content).commit()


def _recorded(sidecar: Path) -> tuple[str, int]:
    from store import cipher

    parts = sidecar.read_text(encoding="ascii").split()
    iterations = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else \
        cipher.PRODUCTION_KDF_ITER
    return parts[0] if parts else "", iterations


def read_slot(path: Path, secret: str) -> SlotContent:
    """Open a keyslot with a password; tell a wrong password from a damaged slot."""
    name = f"keys/{path.name}"
    if not secret:
        raise WrongPassword(_("wrong password"))  # SQLCipher would not even take an empty key
    try:
        actual = _sha256(path)
        expected, iterations = _recorded(_sidecar(path))
        if expected != actual and _new(_sidecar(path)).exists():
            expected, iterations = _recorded(_new(_sidecar(path)))  # a commit cut short
    except (OSError, ValueError) as exc:
        raise KeyslotError(_("keyslot {name} cannot be read: {why}").format(
            name=name, why=getattr(exc, "strerror", None) or exc)) from exc
    if expected != actual:
        raise KeyslotError(_("keyslot {name} is damaged (its checksum does not match); "
                             "unlock with the recovery code and set a new password")
                           .format(name=name))
    from store import cipher

    conn = cipher.connect_passphrase(str(path), secret, iterations)
    try:
        rows = dict(conn.execute("SELECT k, v FROM slot").fetchall())
    except cipher.DatabaseError as exc:
        raise WrongPassword(_("wrong password")) from exc
    finally:
        conn.close()
    try:
        if rows["format"] != SLOT_FORMAT:
            raise KeyError("format")
        return SlotContent(store_id=str(rows["store_id"]), label=str(rows["label"]),
                           master_key=bytes(rows["master_key"]), salt=bytes(rows["salt"]))
    except (KeyError, TypeError) as exc:
        raise KeyslotError(_("keyslot {name} is not a statdesk keyslot").format(name=name)) from exc


def tidy(keys: Path) -> None:
    """After a crash: finish a slot whose checksum was not yet moved; drop unused `.new` slots."""
    if not keys.is_dir():
        return
    for pending in keys.glob("*.sha256.new"):
        slot = keys / pending.name.removesuffix(".sha256.new")
        if not _new(slot).exists() and slot.exists() and \
                _recorded(pending)[0] == _sha256(slot):
            os.replace(pending, _sidecar(slot))
    for leftover in keys.glob("*.new"):
        leftover.unlink()


def remove_slot(path: Path) -> None:
    """Overwrite a keyslot with random bytes, then remove it and its checksum."""
    if path.exists():
        size = path.stat().st_size
        with open(path, "rb+") as handle:
            handle.write(os.urandom(size))
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()
    _sidecar(path).unlink(missing_ok=True)
    fsync_dir(path.parent)
