"""Whether a destruction batch's record of what was printed can be trusted, and which file
was the one exported: what `statdesk export verify` checks before it compares a file with
the record (issue 19).

A record changed outside statdesk (its text and digest rewritten together, say) no longer
matches the digest its audit entry logged; a file edited or re-saved after export is not one
whose SHA-256 an `export.*` entry names.
"""

from __future__ import annotations

from store.destruction.batches import Batch, text_digest
from store.vault.database import scalar


def _recorded(action: str, number: str, key: str) -> str | None:
    """`key` of the last `action` audit entry of batch `number` (None: no entry, or no key)."""
    found = scalar("SELECT json_extract(new, '$.' || ?) FROM audit WHERE action = ?"
                   " AND entity = 'batch' AND entity_id = ? ORDER BY id DESC LIMIT 1",
                   (key, action, number))
    return None if found is None else str(found)


def _digest_sound(text: str, sha: str, action: str, number: str, key: str) -> bool:
    """A printed document's text, digest and audit entry agree: the digest is the text's
    (when the text is kept) and the one its audit entry recorded (when it has a digest)."""
    if not sha:
        return not text
    if text and text_digest(text) != sha:
        return False
    return _recorded(action, number, key) == sha


def record_sound(batch: Batch) -> bool:
    """The batch's record of its printed manifest and certificate is as statdesk left it: each
    digest is that of the text kept (when kept) and the one logged in the `batch.print` /
    `batch.certificate` audit entry. False: the record was changed outside statdesk (`audit
    verify --deep` says which row)."""
    return (_digest_sound(batch.list_text, batch.list_sha256, "batch.print", batch.number,
                          "list_sha256")
            and _digest_sound(batch.certificate_text, batch.certificate_sha256,
                              "batch.certificate", batch.number, "certificate_sha256"))


def exported_on(kind: str, number: str, sha256: str) -> str | None:
    """The day (YYYY-MM-DD) a file with this SHA-256 was exported as batch `number`'s
    `kind` ("manifest" or "certificate"), by its `export.*` audit entry; None if none was."""
    found = scalar("SELECT ts FROM audit WHERE action = ? AND json_extract(new, '$.sha256') = ?"
                   " AND json_extract(new, '$.batch') = ? ORDER BY id LIMIT 1",
                   (f"export.{kind}", sha256, number))
    return None if found is None else str(found)[:10]
