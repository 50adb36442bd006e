"""A Word document leaving the store: where it goes, what a failure says, and the audit entry
that names the file and its SHA-256 (every file that leaves the store is logged).

The document itself is made in exports/, which hands its writer to `write`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from store.database import db
from store.errors import InvalidInput
from store.i18n import _
from store.session import Session


def write(session: Session, writer: Callable[[Path], None], name: str, action: str,
          details: dict[str, object], folder: Path | None = None) -> Path:
    """`writer` makes the file at the path given. `folder`: an existing folder to write into,
    or else the file itself (".docx" added when the name has no such ending); by default the
    data folder's exports/."""
    if folder is not None and not folder.is_dir():
        name = folder.name if folder.suffix.lower() == ".docx" else folder.name + ".docx"
        folder = folder.parent
    target = folder or session.paths.exports
    path = target / name
    try:
        target.mkdir(parents=True, exist_ok=True)
        writer(path)
    except OSError as exc:  # a read-only medium, a file open in Word, no such place
        raise InvalidInput(_("cannot write {path}: {why}").format(
            path=path, why=exc.strerror or exc)) from exc
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with db.atomic():
        session.audit.append(session.actor.name, action, "export", path.name,
                             new={"file": str(path), "sha256": digest, **details})
    return path
