"""The audit log: append-only entries chained by an HMAC keyed from the master key.

Each entry's hash covers its id, its content and the previous entry's hash;
the head (last id and hash) is kept in `meta` in the same transaction, so an
entry changed, removed, reordered or cut from the end is found by `verify`.

Each entry also records the rows its transaction wrote (table, key and a digest of the row
as it then stood, or None once it is gone), noted by the connection's triggers
(`store.capture`): a few in the entry itself (`audit.rows`), many in `audit_row`. Their
list's hash (`rows_hash`) is part of the entry's hash. Rows written after a transaction's
last entry are added to that entry just before COMMIT. `store.replay` compares the latest
digest of every row with the live tables.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from store import clock
from store.audit import capture
from store.audit.labels import ACTIONS as ACTIONS  # re-exported: audit.ACTIONS
from store.audit.labels import ENTITIES as ENTITIES
from store.i18n import _
from store.vault import meta
from store.vault.database import db, execute, record, records, scalar

_AUDIT_INFO = b"statdesk audit chain v1"
CHAIN_KEY = "audit_chain_key"
"""The `meta` key holding the chain's key after a master-key rotation."""
HEAD_ID_KEY, HEAD_HASH_KEY = "audit_head_id", "audit_head_hash"
"""The `meta` keys holding the head: the last entry's number and hash, written with it."""
_BATCH = 5000


class Head(NamedTuple):
    """The log's last entry as `meta` records it: its number and its hash."""

    id: int
    hash: str


class _StoredHead(NamedTuple):
    id: str | None
    hash: str | None


_HEAD_SQL = (f"SELECT (SELECT value FROM meta WHERE key = '{HEAD_ID_KEY}') AS id,"
             f" (SELECT value FROM meta WHERE key = '{HEAD_HASH_KEY}') AS hash")


def _stored_head() -> _StoredHead:
    """The head's two `meta` values as stored (None when missing: before the first entry)."""
    found = record(_StoredHead, _HEAD_SQL)
    assert found is not None  # one row, always
    return found


def chain_key(master_key: bytes) -> bytes:
    """The audit chain's own key, derived from the master key."""
    return hmac.new(master_key, _AUDIT_INFO, hashlib.sha256).digest()


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


class AuditRecord(NamedTuple):
    """One entry, as screens and commands see it, and as `verify` checks it: its hash covers
    the fields before `hash`, in this order, then (from migration 16 on) `rows_hash`."""

    id: int
    ts: str
    operator: str
    action: str
    entity: str
    entity_id: str
    old: str | None
    """JSON: the values before the change (None: nothing noted); `new` those after it."""
    new: str | None
    note: str
    prev_hash: str
    hash: str
    rows_hash: str | None
    """The hash of the rows it records (None: an entry made before migration 16)."""


_CONTENT = AuditRecord._fields.index("hash")
_COLUMNS = ", ".join(AuditRecord._fields)


def _content(entry: AuditRecord) -> tuple[Any, ...]:
    """What an entry's hash covers but the hash of its rows: `id` to `prev_hash`."""
    return entry[:_CONTENT]


@dataclass(frozen=True)
class VerifyResult:
    """What `audit verify` found."""

    ok: bool
    checked: int
    head_id: int
    first_bad_id: int | None = None
    problem: str = ""
    head_hash: str = ""

    def describe(self) -> str:
        if self.ok:
            return _("audit chain OK: {n} entries checked, head #{head} {hash}").format(
                n=self.checked, head=self.head_id, hash=self.head_hash[:16])
        return _("audit chain BROKEN at entry #{id}: {problem}").format(
            id=self.first_bad_id, problem=self.problem)


class AuditChain:
    """Appends to and verifies the chain of one store."""

    def __init__(self, master_key: bytes, store_id: str) -> None:
        self.store_id = store_id
        self._derived = chain_key(master_key)
        self._chain_key: bytes | None = None

    @property
    def _key(self) -> bytes:
        """The chain's key: derived from the master key the store was made with, and kept in
        `meta` once the master key was rotated (the chain goes on under the same key)."""
        if self._chain_key is None:
            kept = meta.get(CHAIN_KEY)
            self._chain_key = bytes.fromhex(kept) if kept is not None else self._derived
        return self._chain_key

    @property
    def genesis(self) -> str:
        return hmac.new(self._key, b"genesis|" + self.store_id.encode(),
                        hashlib.sha256).hexdigest()

    def keep_key(self) -> None:
        """Before a key rotation: write the chain's key into `meta` so that it outlives the
        master key it was derived from (caller's transaction)."""
        meta.put_new(CHAIN_KEY, self._key.hex())

    def _hash(self, row: tuple[Any, ...]) -> str:
        payload = json.dumps(list(row), ensure_ascii=False, separators=(",", ":"))
        return hmac.new(self._key, payload.encode("utf-8"), hashlib.sha256).hexdigest()

    def _head(self) -> Head:
        """The head the next entry follows: (0, the genesis hash) before the first."""
        stored = _stored_head()
        if stored.id is None:
            return Head(0, self.genesis)
        return Head(int(stored.id), str(stored.hash))

    def append(self, operator: str, action: str, entity: str = "", entity_id: str = "",
               old: Any = None, new: Any = None, note: str = "") -> int:
        """Add an entry inside the caller's transaction, with the rows written in it since
        its last entry; returns its id."""
        if not db.in_transaction():
            raise RuntimeError("audit entries are written inside the change's transaction")
        head_id, head_hash = self._head()
        tables = db.audited_tables()
        if tables is None:  # a store older than the row log (until its upgrade)
            content = (head_id + 1, clock.stamp(), operator, action, entity, str(entity_id),
                       _dump(old), _dump(new), note, head_hash)
            digest = self._hash(content)
            execute(
                "INSERT INTO audit (id, ts, operator, action, entity, entity_id, old, new, note,"
                " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*content, digest),
            )
            self._set_head(head_id + 1, digest)
            return head_id + 1
        _chains.current = self
        notes = db.txn_notes()
        if notes.baseline:
            notes.baseline = False
            head_id, head_hash = self._with_rows(
                head_id + 1, head_hash, tables, operator, "audit.baseline", "store",
                self.store_id, None, lambda n: {"rows": n}, "")
        entry_id, _hash = self._with_rows(head_id + 1, head_hash, tables, operator, action,
                                          entity, str(entity_id), old, lambda _n: new, note)
        return entry_id

    def _set_head(self, entry_id: int, digest: str) -> None:
        execute(
            f"INSERT OR REPLACE INTO meta (key, value) VALUES ('{HEAD_ID_KEY}', ?),"
            f" ('{HEAD_HASH_KEY}', ?)", (str(entry_id), digest))

    def _with_rows(self, entry_id: int, prev_hash: str, tables: dict[str, capture.Audited],
                   operator: str, action: str, entity: str, entity_id: str, old: Any,
                   new: Callable[[int], Any], note: str) -> tuple[int, str]:
        """Write entry `entry_id` with the rows noted so far; (its id, its hash)."""
        hashed = hashlib.sha256()
        inline, count = _record_rows(entry_id, tables, hashed, [])
        rows_hash = hashed.hexdigest()
        content = (entry_id, clock.stamp(), operator, action, entity, entity_id,
                   _dump(old), _dump(new(count)), note, prev_hash)
        digest = self._hash((*content, rows_hash))
        execute(
            "INSERT INTO audit (id, ts, operator, action, entity, entity_id, old, new, note,"
            " prev_hash, rows_hash, rows, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*content, rows_hash, _inline_json(inline), digest),
        )
        self._set_head(entry_id, digest)
        db.txn_notes().entries.append((entry_id, (hashed, inline)))
        return entry_id, digest

    def _fold(self, entry_id: int, recorded: tuple[Any, list[RowNote] | None],
              tables: dict[str, capture.Audited]) -> None:
        """Add the rows written since entry `entry_id` to it (its transaction is still open);
        `recorded`: the hash of the rows it records so far, to go on with, and those rows
        when the entry holds them itself."""
        hashed, inline = recorded
        inline, _count = _record_rows(entry_id, tables, hashed, inline)
        rows_hash = hashed.hexdigest()
        found = get(entry_id)
        if found is None or self._head().id != entry_id:
            raise RuntimeError(f"audit entry #{entry_id} is not the head of its transaction")
        digest = self._hash((*_content(found), rows_hash))
        execute("UPDATE audit SET rows_hash = ?, rows = ?, hash = ? WHERE id = ?",
                (rows_hash, _inline_json(inline), digest, entry_id))
        self._set_head(entry_id, digest)
        db.txn_notes().entries.append((entry_id, (hashed, inline)))

    def _rows(self) -> Iterator[AuditRecord]:
        last = 0
        columns = _COLUMNS if _has_rows_hash() else _COLUMNS.replace(  # an older store
            "rows_hash", "NULL AS rows_hash")
        while True:
            batch = records(AuditRecord, f"SELECT {columns} FROM audit WHERE id > ? ORDER BY id"
                            " LIMIT ?", (last, _BATCH))
            if not batch:
                return
            yield from batch
            last = batch[-1].id

    def verify(self, progress: Callable[[int, int], None] | None = None) -> VerifyResult:
        """Walk the whole chain; name the first entry changed, removed or reordered."""
        head_id, head_hash = self._head()
        expected_id, expected_prev, checked = 1, self.genesis, 0
        for row in self._rows():
            if progress is not None and checked % _BATCH == 0:
                progress(checked, head_id)
            entry_id, prev_hash, stored = row.id, row.prev_hash, row.hash
            if entry_id != expected_id:
                return VerifyResult(False, checked, head_id, expected_id,
                                    _("entry #{id} is missing (removed)").format(id=expected_id))
            content = row[:_CONTENT]  # (`_content`, inline: this runs for every entry)
            covered = content if row.rows_hash is None else (*content, row.rows_hash)
            if self._hash(covered) != stored:
                return VerifyResult(False, checked, head_id, entry_id,
                                    _("its content was changed or replaced"))
            if entry_id == 1 and (row.action, row.entity_id) != ("store.init", self.store_id):
                return VerifyResult(False, checked, head_id, 1,
                                    _("the log does not begin with this store's creation"))
            if prev_hash != expected_prev:
                return VerifyResult(False, checked, head_id, entry_id,
                                    _("it does not follow entry #{prev} (entries reordered "
                                      "or replaced)").format(prev=entry_id - 1))
            expected_id, expected_prev, checked = entry_id + 1, stored, checked + 1
        if checked == 0:
            return VerifyResult(False, 0, head_id, 1,
                                _("the log is empty: even the store's creation is missing"))
        if checked != head_id or expected_prev != head_hash:
            if checked < head_id:
                return VerifyResult(False, checked, head_id, checked + 1,
                                    _("entries #{first}-#{last} are missing (the log was cut)")
                                    .format(first=checked + 1, last=head_id))
            return VerifyResult(False, checked, head_id, checked,
                                _("the log does not end where its recorded head says"))
        return VerifyResult(True, checked, head_id, head_hash=head_hash)


class _Current:
    """The chain that last appended an entry: it adds later rows to that entry at COMMIT."""

    current: AuditChain | None = None


_chains = _Current()


def _has_rows_hash() -> bool:
    return scalar("SELECT 1 FROM pragma_table_info('audit') WHERE name = 'rows_hash'") is not None


def row_line(table: str, key: Any, digest: bytes | None) -> bytes:
    """One row of an entry as its `rows_hash` reads it."""
    return f"{table}\t{key!r}\t{digest.hex() if digest is not None else '-'}\n".encode()


def rows_hash_of(listed: Iterable[tuple[Any, ...]]) -> str:
    """The hash of an entry's rows (table, key, digest), in the order they were recorded."""
    hashed = hashlib.sha256()
    for table, key, digest in listed:
        hashed.update(row_line(table, key, digest))
    return hashed.hexdigest()


NO_ROWS = rows_hash_of([])
"""The rows_hash of an entry whose transaction wrote no audited row."""


RowNote = tuple[str, Any, "bytes | None"]
"""One row an entry records: table, key, digest (None: the row is gone)."""

INLINE_ROWS = 64
"""An entry's rows, up to this many, are kept in the entry itself (`audit.rows`), so that a
change writes no page beyond the entry's own; more go to `audit_row`, so that a bulk entry
is not one huge value."""


def _inline_json(inline: list[RowNote] | None) -> str | None:
    if not inline:
        return None
    return json.dumps([[t, k, d.hex() if d is not None else None] for t, k, d in inline],
                      ensure_ascii=False, separators=(",", ":"))


def _record_rows(entry_id: int, tables: dict[str, capture.Audited], hashed: Any,
                 inline: list[RowNote] | None) -> tuple[list[RowNote] | None, int]:
    """Record every row noted since the last entry under `entry_id` and forget the notes;
    `hashed` goes on over them. `inline`: the rows the entry holds itself so far (None: its
    rows are in `audit_row`). (the rows it holds itself now, or None; how many were added)."""
    noted = _noted_rows(tables)
    added: list[RowNote] = []
    if inline is not None:
        added = list(itertools.islice(noted, INLINE_ROWS - len(inline) + 1))
        for row in added:
            hashed.update(row_line(*row))
        if len(inline) + len(added) <= INLINE_ROWS:
            return inline + added, len(added)
    connection = db.connection()  # type: ignore[no-untyped-call]
    insert = f"INSERT INTO {capture.ROW_LOG} (audit_id, tbl, pk, digest) VALUES (?, ?, ?, ?)"
    batch = [(entry_id, *row) for row in [*(inline or []), *added]]  # in the order hashed
    count = len(added)
    for row in noted:
        hashed.update(row_line(*row))
        batch.append((entry_id, *row))
        count += 1
        if len(batch) >= _BATCH:
            connection.executemany(insert, batch)
            batch = []
    connection.executemany(insert, batch)
    return None, count


def _noted_rows(tables: dict[str, capture.Audited]) -> Iterator[RowNote]:
    """Every row noted since the last entry, by table and key, with its digest (read from the
    table when the note has none); the notes are forgotten."""
    noted = db.noted().take()
    connection = db.connection()  # type: ignore[no-untyped-call]
    for name in sorted(noted):
        found = noted[name]
        unread = [key for key, digest in found.items() if digest == capture.UNREAD]
        table = tables.get(name)
        if unread and table is None:  # dropped or renamed in this transaction: gone
            found.update(dict.fromkeys(unread, None))
        elif len(unread) == 1:
            content = next((value for (value,) in connection.execute(
                capture.content_of_key_sql(table), unread)), None)
            found[unread[0]] = capture.digest(content)
        elif unread:
            for key, content in connection.execute(capture.content_by_key_sql(table),
                                                   (json.dumps(unread),)):
                found[key] = capture.digest(content)
        for key in sorted(found, key=_key_order):
            yield name, key, found[key]


def _key_order(key: Any) -> tuple[int, Any]:
    """Keys of one table in SQLite's order: numbers, then text."""
    return (0, key) if isinstance(key, (int, float)) else (1, str(key))


def _before_commit() -> None:
    """Just before COMMIT, when rows were written since the transaction's last entry: they join
    that entry. A transaction that wrote rows and no entry at all (statdesk's services never
    do) leaves them unrecorded, so `audit verify --deep` names them."""
    tables = db.audited_tables()
    chain = _chains.current
    head_id = chain._head().id if chain is not None else 0
    surviving = dict(db.txn_notes().entries).get(head_id)  # a savepoint may have taken later
    if surviving is not None and chain is not None and tables is not None:  # ones away
        chain._fold(head_id, surviving, tables)
    else:
        db.noted().clear()


db.before_commit = _before_commit


def recent(limit: int = 50) -> list[AuditRecord]:
    """The newest entries, newest first (the audit screen pages through the rest:
    `store.audit.paging`)."""
    return records(AuditRecord, f"SELECT {_COLUMNS} FROM audit ORDER BY id DESC LIMIT ?",
                   (limit,))


def get(entry_id: int) -> AuditRecord | None:
    return record(AuditRecord, f"SELECT {_COLUMNS} FROM audit WHERE id = ?", (entry_id,))


def head() -> Head:
    """The log's last entry as `meta` records it, (id, hash); (0, "") before the first one.
    Word files print it so that a store later rolled back to an older copy is noticed; each
    keyslot's holder keeps the one they last saw (`store.keys.seen`)."""
    stored = _stored_head()
    if stored.id is None:
        return Head(0, "")
    return Head(int(stored.id), str(stored.hash or ""))
