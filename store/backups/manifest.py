"""A backup's sealed manifest (`manifest.db`): what the backup says of its store, for key holders.

A small SQLCipher file keyed with the store's raw master key and salt, as the
snapshot is: which store, who took the backup and when, with which statdesk,
the record counts, the audit head, and which neutral keyslot member
(`keys/slot-N.key`) is whose slot. Key files that are not keyslots (disabled
markers, the store id, what each slot's holder last saw) travel inside it
whole, so nothing in the outer tar names an operator or counts anything.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from store.errors import StoreError
from store.i18n import _
from store.vault import cipher

SEALED = "manifest.db"
SLOT_SUFFIXES = (".key", ".slot")
SIDECAR = ".sha256"
_NEUTRAL = re.compile(r"keys/slot-[1-9][0-9]{0,5}\.key")


class SealedError(StoreError):
    """The sealed manifest opened with the key but does not say what a manifest must."""


@dataclass(frozen=True)
class Sealed:
    """What the sealed manifest holds."""

    content: dict[str, Any]
    """store_id, taken_at, taken_by, statdesk, counts, audit_head, kind."""
    slot_names: dict[str, str]
    """Neutral member (`keys/slot-1.key`) -> the slot's own file name (`admin.key`)."""
    key_files: dict[str, bytes]
    """The other files of `keys/`, by name, with their bytes."""


def is_slot(name: str) -> bool:
    return name.endswith(SLOT_SUFFIXES)


def neutral_members(key_files: list[Path]) -> tuple[list[tuple[str, Path]], dict[str, str],
                                                    dict[str, bytes]]:
    """Tar members for the keyslots and their checksums, numbered in a random order; the
    neutral-to-real name map; the bytes of every other key file (to be sealed)."""
    slots = [p for p in key_files if is_slot(p.name)]
    secrets.SystemRandom().shuffle(slots)
    present = {p.name for p in key_files}
    members: list[tuple[str, Path]] = []
    names: dict[str, str] = {}
    for number, slot in enumerate(slots, 1):
        member = f"keys/slot-{number}.key"
        names[member] = slot.name
        members.append((member, slot))
        sidecar = slot.with_name(slot.name + SIDECAR)
        if sidecar.name in present:
            members.append((member + SIDECAR, sidecar))
    packed = {p.name for _member, p in members}
    others = {p.name: p.read_bytes() for p in key_files if p.name not in packed}
    return members, names, others


def write(path: Path, key: bytes, salt: bytes, content: dict[str, Any],
          slot_names: dict[str, str], key_files: dict[str, bytes]) -> None:
    """Write the sealed manifest in one transaction."""
    body = json.dumps({**content, "slots": slot_names}, ensure_ascii=False, sort_keys=True)
    conn = cipher.connect_raw(str(path), key, salt)
    try:
        conn.execute("BEGIN")
        conn.execute("CREATE TABLE manifest (body TEXT NOT NULL)")
        conn.execute("INSERT INTO manifest (body) VALUES (?)", (body,))
        conn.execute("CREATE TABLE key_file (name TEXT PRIMARY KEY, data BLOB NOT NULL)")
        conn.executemany("INSERT INTO key_file (name, data) VALUES (?, ?)",
                         sorted(key_files.items()))
        conn.execute("COMMIT")
    finally:
        conn.close()


def read(path: Path, key: bytes, salt: bytes) -> Sealed | None:
    """The sealed manifest, or None if this key does not open it (another store's backup,
    or one made before a key rotation)."""
    conn = cipher.connect_raw(str(path), key, salt)
    try:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except cipher.DatabaseError:
            return None
        try:
            bodies = [body for (body,) in conn.execute("SELECT body FROM manifest")]
            files = conn.execute("SELECT name, data FROM key_file").fetchall()
        except cipher.DatabaseError as exc:
            raise SealedError(_("the backup's sealed manifest is damaged")) from exc
    finally:
        conn.close()
    try:
        body = json.loads(bodies[0]) if len(bodies) == 1 else None
    except (TypeError, ValueError):
        body = None
    key_files = {str(name): bytes(data) for name, data in files
                 if isinstance(data, bytes) and isinstance(name, str)}
    if not isinstance(body, dict) or not _well_formed(body) or len(key_files) != len(files) \
            or not all(_plain_name(name) for name in key_files):
        raise SealedError(_("the backup's sealed manifest is damaged"))
    slot_names = body.pop("slots")
    return Sealed(body, slot_names, key_files)


def _plain_name(name: str) -> bool:
    """A file name that stays inside `keys/`."""
    return bool(name) and len(name) < 256 and not name.startswith(".") \
        and not any(c in name for c in "/\\\0")


def _well_formed(body: dict[str, Any]) -> bool:
    slots, counts = body.get("slots"), body.get("counts")
    return (isinstance(slots, dict) and isinstance(counts, dict)
            and isinstance(body.get("store_id"), str) and isinstance(body.get("audit_head"), int)
            and all(isinstance(v, int) for v in counts.values())
            and all(isinstance(m, str) and _NEUTRAL.fullmatch(m) and isinstance(n, str)
                    and _plain_name(n) and is_slot(n) for m, n in slots.items())
            and len(set(slots.values())) == len(slots))


def put_back_names(keys: Path, sealed: Sealed) -> None:
    """Give the unpacked keyslots their own names again and write the sealed key files.

    Built in a folder of its own then swapped in, so a slot named like a neutral
    member (an operator called `slot-2`) never overwrites one not yet renamed.
    """
    named = keys.with_name(keys.name + ".named")
    shutil.rmtree(named, ignore_errors=True)
    named.mkdir(mode=0o700)
    for member, real in sealed.slot_names.items():
        neutral = keys / member.removeprefix("keys/")
        if not neutral.is_file():
            raise SealedError(_("part {name} is missing").format(name=member))
        neutral.rename(named / real)
        sidecar = neutral.with_name(neutral.name + SIDECAR)
        if sidecar.is_file():
            sidecar.rename(named / (real + SIDECAR))
    for name, data in sealed.key_files.items():
        if (named / name).exists():
            raise SealedError(_("the backup's sealed manifest is damaged"))
        (named / name).write_bytes(data)
    left = sorted(p.name for p in keys.iterdir()) if keys.is_dir() else []
    if left:
        raise SealedError(_("part {name} is not in the manifest").format(name=f"keys/{left[0]}"))
    if keys.is_dir():
        keys.rmdir()
    named.rename(keys)
