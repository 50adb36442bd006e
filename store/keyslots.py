"""Keyslots: one small SQLCipher file per operator (and one for the recovery code)
holding the master key, unlocked by that operator's password.

Beside each slot a `.sha256` file records the slot's checksum, so a damaged
slot is told apart from a wrong password (SQLCipher sees both as a bad key).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from store import cipher
from store.errors import KeyslotError, WrongPassword
from store.i18n import _

SLOT_FORMAT = "statdesk-keyslot-1"


@dataclass(frozen=True)
class SlotContent:
    """What a keyslot holds."""

    store_id: str
    label: str
    master_key: bytes
    salt: bytes


def _checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def write_slot(path: Path, secret: str, content: SlotContent) -> None:
    """Write a keyslot atomically: built under a temporary name, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".new")
    tmp.unlink(missing_ok=True)
    conn = cipher.connect_passphrase(str(tmp), secret, cipher.kdf_iter())
    try:
        conn.execute("CREATE TABLE slot (k TEXT PRIMARY KEY, v BLOB NOT NULL)")
        conn.executemany(
            "INSERT INTO slot (k, v) VALUES (?, ?)",
            [
                ("format", SLOT_FORMAT),
                ("store_id", content.store_id),
                ("label", content.label),
                ("master_key", content.master_key),
                ("salt", content.salt),
            ],
        )
    finally:
        conn.close()
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())
    _write_atomic(_checksum_path(path), (_sha256(tmp) + "\n").encode())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def read_slot(path: Path, secret: str) -> SlotContent:
    """Open a keyslot with a password; tell a wrong password from a damaged slot."""
    name = f"keys/{path.name}"
    try:
        expected = _checksum_path(path).read_text().strip()
        actual = _sha256(path)
    except OSError as exc:
        raise KeyslotError(_("keyslot {name} cannot be read: {why}").format(
            name=name, why=exc.strerror or exc)) from exc
    if expected != actual:
        raise KeyslotError(_("keyslot {name} is damaged (its checksum does not match); "
                             "unlock with the recovery code and set a new password")
                           .format(name=name))
    conn = cipher.connect_passphrase(str(path), secret, cipher.kdf_iter())
    try:
        rows = dict(conn.execute("SELECT k, v FROM slot").fetchall())
    except cipher.DatabaseError as exc:
        raise WrongPassword(_("wrong password")) from exc
    finally:
        conn.close()
    try:
        if rows["format"] != SLOT_FORMAT:
            raise KeyError("format")
        return SlotContent(
            store_id=str(rows["store_id"]),
            label=str(rows["label"]),
            master_key=bytes(rows["master_key"]),
            salt=bytes(rows["salt"]),
        )
    except (KeyError, TypeError) as exc:
        raise KeyslotError(_("keyslot {name} is not a statdesk keyslot").format(name=name)) from exc


def remove_slot(path: Path) -> None:
    """Overwrite a keyslot with random bytes, then remove it and its checksum."""
    if path.exists():
        size = path.stat().st_size
        with open(path, "rb+") as handle:
            handle.write(os.urandom(size))
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()
    _checksum_path(path).unlink(missing_ok=True)
    _fsync_dir(path.parent)
