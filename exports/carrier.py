"""A Word file leaving the store: where it is written, the audit head its footer prints, the
check that the footer does print it, and what a failure to write says. Once the file is on disk
the store records it as a new carrier (store.word_files: path, SHA-256, audit entry).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from store import word_files
from store.audit import log as audit
from store.errors import InvalidInput
from store.i18n import _

if TYPE_CHECKING:
    from store.vault.session import Session

HEAD_HEX = 16
"""How much of the head's hash a footer prints: as much as `statdesk audit verify` shows."""


def audit_line(head: tuple[int, str]) -> str:
    """The footer's words for the audit head, in the reader's language: the head as it stood
    before the file's own `export.*` entry, i.e. the last entry logged before the file was
    written. That export entry (the next number, unless another change was logged while the
    file was being written) names the file's SHA-256, so it cannot be printed in the file; its
    prev_hash is the hash printed here, and it records the number as `audit_head`. A store
    rolled back to an older copy afterwards lacks this entry or holds another hash under it."""
    entry_id, digest = head
    return _("audit log #{id} · {hash}…").format(id=entry_id, hash=digest[:HEAD_HEX])


def _carries(path: Path, head: tuple[int, str]) -> bool:
    """Whether one of the file's footers prints the head's number and hash."""
    wanted = (f"#{head[0]}", head[1][:HEAD_HEX])
    with zipfile.ZipFile(path) as package:
        footers = [package.read(name).decode("utf-8") for name in package.namelist()
                   if name.startswith("word/footer") and name.endswith(".xml")]
    return any(all(part in xml for part in wanted) for xml in footers)


def write(session: Session, writer: Callable[[Path, str], None], name: str, action: str,
          details: dict[str, object], folder: Path | None = None) -> Path:
    """`writer` makes the file at the path given, printing the second argument (`audit_line`)
    in its footer. `folder`: an existing folder to write into, or else the file itself (".docx"
    added when the name has no such ending); by default the data folder's exports/."""
    if folder is not None and not folder.is_dir():
        name = folder.name if folder.suffix.lower() == ".docx" else folder.name + ".docx"
        folder = folder.parent
    target = folder or session.paths.exports
    path = target / name
    head = audit.head()
    try:
        target.mkdir(parents=True, exist_ok=True)
        writer(path, audit_line(head))
    except OSError as exc:  # a read-only medium, a file open in Word, no such place
        raise InvalidInput(_("cannot write {path}: {why}").format(
            path=path, why=exc.strerror or exc)) from exc
    if not _carries(path, head):  # a writer that left the head out: the file does not leave
        path.unlink()
        raise RuntimeError(f"{name}: the footer does not print the audit head")
    word_files.record(session, path, action, details, head[0])
    return path
