"""What each keyslot's holder last saw: the highest audit head, kept outside the database.

Copying an older `statdesk.db` over the live one needs no key, and undoes later
work silently unless something outside that file remembers how far the store
had come. Each operator's `keys/NAME.seen` records the audit head (entry number
and hash) their last session saw, with an HMAC keyed from a key only their
keyslot holds, so nobody else can write a lower one for them. At login the
live store's head (`store.audit.log.head`) is compared with it (see `store.keys.rollback`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from store.vault.files import fsync_dir

SUFFIX = ".seen"


@dataclass(frozen=True)
class Seen:
    head_id: int
    head_hash: str


def path_for(slot: Path) -> Path:
    """`keys/NAME.key.seen` beside `keys/NAME.key` (and `recovery.slot.seen`)."""
    return slot.with_name(slot.name + SUFFIX)


def _mac(seen_key: bytes, store_id: str, label: str, head_id: int, head_hash: str) -> str:
    payload = f"{store_id}|{label}|{head_id}|{head_hash}".encode()
    return hmac.new(seen_key, payload, hashlib.sha256).hexdigest()


def read(slot: Path, seen_key: bytes, store_id: str) -> Seen | None:
    """The head the slot's holder last saw; None when there is no record or it does not
    verify."""
    if not seen_key:
        return None
    try:
        raw = json.loads(path_for(slot).read_text(encoding="ascii"))
        head_id, head_hash, mac = int(raw["id"]), str(raw["hash"]), str(raw["mac"])
    except (OSError, ValueError, KeyError, TypeError, UnicodeError):
        return None
    if head_id < 0 or not hmac.compare_digest(
            mac, _mac(seen_key, store_id, slot.name, head_id, head_hash)):
        return None
    return Seen(head_id, head_hash)


def write(slot: Path, seen_key: bytes, store_id: str, head_id: int, head_hash: str) -> None:
    """Record the head the slot's holder has now seen (atomically; a failure only loses the
    record)."""
    keys = slot.parent
    if not seen_key or not keys.is_dir():
        return
    label = slot.name
    target = path_for(slot)
    tmp = target.with_name(target.name + ".tmp")
    body = json.dumps({"id": head_id, "hash": head_hash,
                       "mac": _mac(seen_key, store_id, label, head_id, head_hash)})
    try:
        with open(tmp, "w", encoding="ascii") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        fsync_dir(keys)
    except OSError:
        tmp.unlink(missing_ok=True)
