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

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from store.errors import KeyslotError, WrongPassword
from store.i18n import _
from store.vault.files import fsync_dir

SLOT_FORMAT = "statdesk-keyslot-1"


@dataclass(frozen=True)
class SlotContent:
    """What a keyslot holds."""

    store_id: str
    label: str
    master_key: bytes
    salt: bytes
    admin_key: bytes = b""
    """The administrators' key: only in administrators' slots and the recovery slot."""
    seen_key: bytes = b""
    """This slot's own key for the record of the highest audit head its holder has seen."""
    one_time: bool = False
    """The password is a one-time password an administrator handed over: change it now."""


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _new(path: Path) -> Path:
    return path.with_name(path.name + ".new")


SLOT_LIMIT = 1 << 20
"""A keyslot is a few kilobytes: anything larger, or not a plain file, is not one."""


def _sha256(path: Path) -> str:
    """The file's SHA-256, read with bounds (a slot swapped for /dev/zero must not hang)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > SLOT_LIMIT:
            raise OSError(errno.EINVAL, _("not a keyslot file (too large, or not a plain file)"))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return hashlib.sha256(handle.read(SLOT_LIMIT + 1)).hexdigest()
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())



@dataclass(frozen=True)
class PreparedSlot:
    """A slot written under `.new` names, waiting for its transaction to commit."""

    path: Path
    sha256: str = ""
    """The new slot's checksum: the database records it, in the same transaction, as the slot
    in force (see `reconcile`)."""

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
    from store.vault import cipher

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
                ("salt", content.salt),
                *([("seen_key", content.seen_key)] if content.seen_key else []),
                *([("admin_key", content.admin_key)] if content.admin_key else []),
                *([("one_time", 1)] if content.one_time else [])])
        finally:
            conn.close()
        _fsync_file(_new(path))
        sidecar = _new(_sidecar(path))
        sidecar.write_text(f"{_sha256(_new(path))} {iterations}\n", encoding="ascii")
        _fsync_file(sidecar)
    except BaseException:
        prepared.discard()
        raise
    return PreparedSlot(path, _sha256(_new(path)))


def write_slot(path: Path, secret: str, content: SlotContent) -> None:
    """Write a keyslot now (no transaction to wait for)."""
    prepare_slot(path, secret, content).commit()


def _recorded(sidecar: Path) -> tuple[str, int]:
    """The checksum and PBKDF2 cost a slot's checksum file records.

    The file is read with bounds (a regular file of a few bytes; a pipe or a device named
    there is not waited on) and a cost statdesk never writes is refused, not tried: a huge
    one would hold the unlock for hours. A file without a cost is from before costs were
    recorded: production cost.
    """
    import stat

    from store.vault import cipher

    slot = f"keys/{sidecar.name.removesuffix('.new').removesuffix('.sha256')}"
    fd = os.open(sidecar, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise KeyslotError(_("keyslot {name} cannot be read: its checksum file is not a "
                                 "file").format(name=slot))
        data = os.read(fd, 257)
    finally:
        os.close(fd)
    if len(data) > 256:
        raise KeyslotError(_("keyslot {name} cannot be read: its checksum file is not one "
                             "statdesk writes").format(name=slot))
    parts = data.decode("ascii").split()
    if len(parts) < 2:
        return parts[0] if parts else "", cipher.PRODUCTION_KDF_ITER
    if len(parts) > 2 or not cipher.sane_cost(parts[1]):
        raise KeyslotError(_("keyslot {name} records a key cost ({cost}) that statdesk never "
                             "writes; unlock with the recovery code and set a new password")
                           .format(name=slot, cost=parts[1][:12]))
    return parts[0], int(parts[1])


def read_slot(path: Path, secret: str, *, pending: bool = False) -> SlotContent:
    """Open a keyslot with a password; tell a wrong password from a damaged slot.

    `pending` reads the slot's `.new` version: written, its change perhaps committed, but
    not yet renamed when the process stopped (see `reconcile`).
    """
    name = f"keys/{path.name}"
    if not secret:
        raise WrongPassword(_("wrong password"))  # SQLCipher would not even take an empty key
    sidecar = _sidecar(path)
    if pending:
        path, sidecar = _new(path), _new(sidecar)
    try:
        actual = _sha256(path)
        expected, iterations = _recorded(sidecar)
        if not pending and expected != actual and _new(sidecar).exists():
            expected, iterations = _recorded(_new(sidecar))  # a commit cut short
    except (OSError, ValueError) as exc:
        raise KeyslotError(_("keyslot {name} cannot be read: {why}").format(
            name=name, why=getattr(exc, "strerror", None) or exc)) from exc
    if expected != actual:
        raise KeyslotError(_("keyslot {name} is damaged (its checksum does not match); "
                             "unlock with the recovery code and set a new password")
                           .format(name=name))
    from store.vault import cipher

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
                           master_key=bytes(rows["master_key"]), salt=bytes(rows["salt"]),
                           admin_key=bytes(rows.get("admin_key") or b""),
                           seen_key=bytes(rows.get("seen_key") or b""),
                           one_time=bool(rows.get("one_time")))
    except (KeyError, TypeError) as exc:
        raise KeyslotError(_("keyslot {name} is not a statdesk keyslot").format(name=name)) from exc


def tidy(keys: Path) -> None:
    """After a crash: finish a slot whose checksum was not yet moved; drop `.new` pieces that
    were never finished. Complete `.new` slots wait for `reconcile`, which knows from the
    database whether their change committed."""
    if not keys.is_dir():
        return
    for pending_sidecar in keys.glob("*.sha256.new"):
        slot = keys / pending_sidecar.name.removesuffix(".sha256.new")
        if not _new(slot).exists() and slot.exists() and \
                _recorded(pending_sidecar)[0] == _sha256(slot):
            os.replace(pending_sidecar, _sidecar(slot))
    for leftover in keys.glob("*.new"):
        if leftover.name.endswith(".sha256.new"):
            if not _new(keys / leftover.name.removesuffix(".sha256.new")).exists():
                leftover.unlink()  # its slot was already put in place or never written
        elif not _new(_sidecar(keys / leftover.name.removesuffix(".new"))).exists():
            leftover.unlink()  # never finished: its checksum was not yet written


def pending(path: Path) -> bool:
    """Whether a complete `.new` version of the slot waits for `reconcile`."""
    return _new(path).exists() and _new(_sidecar(path)).exists()


def checksum(path: Path) -> str:
    """The slot file's SHA-256 ("" when there is none)."""
    try:
        return _sha256(path)
    except OSError:
        return ""


def reconcile(keys: Path, in_force: dict[str, str]) -> list[str]:
    """Finish or drop every slot a crash left under `.new` names, by what the database says.

    `in_force` maps a slot's file name to the checksum of the slot its committed record
    put in force. A `.new` slot with that checksum was committed: it is put in place. Any
    other is a change that never committed: it is dropped. Returns the slots put in place.
    """
    finished: list[str] = []
    if not keys.is_dir():
        return finished
    for new in sorted(keys.glob("*.new")):
        if new.name.endswith(".sha256.new"):
            continue
        slot = keys / new.name.removesuffix(".new")
        prepared = PreparedSlot(slot)
        if pending(slot) and in_force.get(slot.name) and in_force[slot.name] == checksum(new):
            prepared.commit()
            finished.append(slot.name)
        else:
            prepared.discard()
    return finished


def shred(path: Path) -> None:
    """Overwrite a file with random bytes (synced), then remove it; a link is only removed."""
    if path.is_file() and not path.is_symlink():
        size = path.stat().st_size
        with open(path, "rb+") as handle:
            handle.write(os.urandom(size))
            handle.flush()
            os.fsync(handle.fileno())
    path.unlink(missing_ok=True)


def remove_slot(path: Path) -> None:
    """Overwrite a keyslot with random bytes, then remove it and its checksum."""
    shred(path)
    _sidecar(path).unlink(missing_ok=True)
    fsync_dir(path.parent)
