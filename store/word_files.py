"""A Word file that left the store, recorded: the audit entry that names the file and its
SHA-256, in its own transaction (every file that leaves the store is logged as a new carrier).

What the file holds, where it is written and the audit head its footer prints are exports/'s
(exports/carrier.py); the store only records the file once it is on disk.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from store.vault.database import db
from store.vault.session import Session


def record(session: Session, path: Path, action: str, details: dict[str, object],
           audit_head: int) -> str:
    """Log the written file at `path` as `action` with `details`; `audit_head` is the number of
    the entry its footer prints (the last one before this entry). Returns its SHA-256."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with db.atomic():
        session.audit.append(session.actor.name, action, "export", path.name,
                             new={"file": str(path), "sha256": digest, **details,
                                  "audit_head": audit_head})
    return digest
