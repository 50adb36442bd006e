"""The audit log: append-only entries chained by an HMAC keyed from the master key.

Each entry's hash covers its id, its content and the previous entry's hash;
the head (last id and hash) is kept in `meta` in the same transaction, so an
entry changed, removed, reordered or cut from the end is found by `verify`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from store import clock
from store.database import db, execute, rows
from store.i18n import _

_AUDIT_INFO = b"statdesk audit chain v1"
_BATCH = 5000


def chain_key(master_key: bytes) -> bytes:
    """The audit chain's own key, derived from the master key."""
    return hmac.new(master_key, _AUDIT_INFO, hashlib.sha256).digest()


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@dataclass(frozen=True)
class AuditRecord:
    """One entry, as screens and commands see it."""

    id: int
    ts: str
    operator: str
    action: str
    entity: str
    entity_id: str
    old: str | None
    new: str | None
    note: str


@dataclass(frozen=True)
class VerifyResult:
    """What `audit verify` found."""

    ok: bool
    checked: int
    head_id: int
    first_bad_id: int | None = None
    problem: str = ""

    def describe(self) -> str:
        if self.ok:
            return _("audit chain OK: {n} entries checked, head #{head}").format(
                n=self.checked, head=self.head_id)
        return _("audit chain BROKEN at entry #{id}: {problem}").format(
            id=self.first_bad_id, problem=self.problem)


class AuditChain:
    """Appends to and verifies the chain of one store."""

    def __init__(self, master_key: bytes, store_id: str) -> None:
        self._key = chain_key(master_key)
        self.genesis = hmac.new(self._key, b"genesis|" + store_id.encode(),
                                hashlib.sha256).hexdigest()

    def _hash(self, row: tuple[Any, ...]) -> str:
        payload = json.dumps(list(row), ensure_ascii=False, separators=(",", ":"))
        return hmac.new(self._key, payload.encode("utf-8"), hashlib.sha256).hexdigest()

    def _head(self) -> tuple[int, str]:
        head = dict(rows(
            "SELECT key, value FROM meta WHERE key IN ('audit_head_id', 'audit_head_hash')"))
        if "audit_head_id" not in head:
            return 0, self.genesis
        return int(head["audit_head_id"]), str(head["audit_head_hash"])

    def append(self, operator: str, action: str, entity: str = "", entity_id: str = "",
               old: Any = None, new: Any = None, note: str = "") -> int:
        """Add an entry inside the caller's transaction; returns its id."""
        if not db.in_transaction():
            raise RuntimeError("audit entries are written inside the change's transaction")
        head_id, head_hash = self._head()
        entry_id = head_id + 1
        content = (entry_id, clock.stamp(), operator, action, entity, str(entity_id),
                   _dump(old), _dump(new), note, head_hash)
        digest = self._hash(content)
        execute(
            "INSERT INTO audit (id, ts, operator, action, entity, entity_id, old, new, note,"
            " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*content, digest),
        )
        execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_head_id', ?),"
            " ('audit_head_hash', ?)", (str(entry_id), digest))
        return entry_id

    def _rows(self) -> Iterator[tuple[Any, ...]]:
        last = 0
        while True:
            batch = rows(
                "SELECT id, ts, operator, action, entity, entity_id, old, new, note, prev_hash,"
                " hash FROM audit WHERE id > ? ORDER BY id LIMIT ?", (last, _BATCH))
            if not batch:
                return
            yield from batch
            last = batch[-1][0]

    def verify(self) -> VerifyResult:
        """Walk the whole chain; name the first entry changed, removed or reordered."""
        head_id, head_hash = self._head()
        expected_id, expected_prev, checked = 1, self.genesis, 0
        for row in self._rows():
            entry_id, prev_hash, stored = row[0], row[9], row[10]
            if entry_id != expected_id:
                return VerifyResult(False, checked, head_id, expected_id,
                                    _("entry #{id} is missing (removed)").format(id=expected_id))
            if self._hash(tuple(row[:10])) != stored:
                return VerifyResult(False, checked, head_id, entry_id,
                                    _("its content was changed or replaced"))
            if prev_hash != expected_prev:
                return VerifyResult(False, checked, head_id, entry_id,
                                    _("it does not follow entry #{prev} (entries reordered "
                                      "or replaced)").format(prev=entry_id - 1))
            expected_id, expected_prev, checked = entry_id + 1, stored, checked + 1
        if checked != head_id or expected_prev != head_hash:
            if checked < head_id:
                return VerifyResult(False, checked, head_id, checked + 1,
                                    _("entries #{first}–#{last} are missing (the log was cut)")
                                    .format(first=checked + 1, last=head_id))
            return VerifyResult(False, checked, head_id, checked,
                                _("the log does not end where its recorded head says"))
        return VerifyResult(True, checked, head_id)


def recent(limit: int = 50) -> list[AuditRecord]:
    """The newest entries, newest first."""
    found = rows(
        "SELECT id, ts, operator, action, entity, entity_id, old, new, note FROM audit"
        " ORDER BY id DESC LIMIT ?", (limit,))
    return [AuditRecord(*row) for row in found]
