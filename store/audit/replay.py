"""`audit verify --deep`: the chain, the rows each entry records, a replay of the row log
against every audited table, and SQLite's own integrity check.

The replay reads, for every row the log names, its latest digest (`audit_row` sorted once
by table and key) beside the live table read in the same order, so no side is held in a
Python structure: a row whose content differs was changed outside statdesk, a row the log
does not know (or knows as deleted) was inserted, a row the log knows that is gone was
deleted.
`PRAGMA integrity_check` runs meanwhile on a connection of its own: it finds what the replay
cannot see, such as index pages copied back from an older file.
The replay reads in one read transaction: one consistent state, while others keep working.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import peewee

from store.audit import capture
from store.audit import log as audit
from store.audit.log import AuditChain, VerifyResult
from store.i18n import N_, _
from store.vault import cipher
from store.vault.database import db, records, scalar

Progress = Callable[[int, int], None]
"""(done, total): units of work (entries, recorded rows, live rows)."""

KEPT = 1000
"""Findings kept to show; every one is counted."""

_STEP = 5000
_DAMAGE_SHOWN = 5

CHANGED, INSERTED, DELETED = "changed", "inserted", "deleted"
KINDS: dict[str, str] = {
    CHANGED: N_("changed outside statdesk"),
    INSERTED: N_("inserted outside statdesk"),
    DELETED: N_("deleted outside statdesk"),
}


@dataclass(frozen=True)
class Finding:
    """One row that differs from what the audit log says statdesk left."""

    table: str
    key: str
    """The row's primary key as shown (a composite key as a JSON array)."""
    kind: str
    """`changed`, `inserted` or `deleted`."""

    def describe(self) -> str:
        return _("{table} {key}: {what}").format(table=self.table, key=self.key,
                                                 what=_(KINDS[self.kind]))


@dataclass(frozen=True)
class DeepResult:
    """What `audit verify --deep` found."""

    chain: VerifyResult
    rows_problem: str = ""
    """Why the rows the entries record do not hold ("" when they do)."""
    rows_bad_entry: int | None = None
    findings: list[Finding] = field(default_factory=list)
    """The first KEPT findings, in table and key order."""
    total: int = 0
    """Every finding, counted."""
    tables: int = 0
    live_rows: int = 0
    damage: list[str] = field(default_factory=list)
    """What SQLite's integrity check (or reading the file) found wrong."""

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.rows_problem and self.total == 0 and not self.damage

    def lines(self, limit: int = 100) -> list[str]:
        """What to show: the OK lines when all holds, else each problem, findings capped."""
        if self.ok:
            return [self.chain.describe(),
                    _("rows OK: {rows} rows of {tables} tables are as the audit log left them")
                    .format(rows=self.live_rows, tables=self.tables)]
        return self.broken() + self.finding_lines(limit)

    def broken(self) -> list[str]:
        """Where the file, the chain or the rows its entries record do not hold."""
        shown = [_("the database is damaged: {what}").format(what=what)
                 for what in self.damage[:_DAMAGE_SHOWN]]
        if not self.chain.ok:
            shown.append(self.chain.describe())
        if self.rows_problem:
            shown.append(_("audit chain BROKEN at entry #{id}: {problem}").format(
                id=self.rows_bad_entry, problem=self.rows_problem))
        return shown

    def finding_lines(self, limit: int = 100) -> list[str]:
        """One line per row written outside statdesk, the first `limit`, then how many more."""
        shown = [f.describe() for f in self.findings[:limit]]
        if self.total > len(shown):
            shown.append(_("... and {n} more").format(n=self.total - len(shown)))
        return shown

    def summary(self) -> str:
        return _("{n} rows were written outside statdesk").format(n=self.total)


def verify_deep(chain: AuditChain, progress: Progress | None = None) -> DeepResult:
    """The chain, every entry's rows and the replay (one read transaction on this thread's
    connection) while SQLite's integrity check runs on a connection of its own; then the
    full-text indexes' check."""
    if db.in_transaction():
        raise RuntimeError("verify_deep reads in a transaction of its own")
    tables = db.audited_tables()  # the triggers are made outside the read transaction
    connection = db.connection()  # type: ignore[no-untyped-call]
    report = progress or (lambda _done, _total: None)
    with db.side_connection() as whole, ThreadPoolExecutor(max_workers=1) as pool:
        integrity = pool.submit(_integrity, whole)
        connection.execute("BEGIN DEFERRED")
        try:
            result = _verify(chain, tables, report)
        except (cipher.DatabaseError, peewee.DatabaseError) as exc:  # pages that no longer
            result = DeepResult(VerifyResult(True, 0, 0), damage=[str(exc)])  # make a database
        finally:
            connection.execute("ROLLBACK")
        with db.side_connection() as search:  # its write lock: after the read transaction
            damage = [*result.damage, *_search_indexes(search), *integrity.result()]
    report(1, 1)
    return DeepResult(result.chain, result.rows_problem, result.rows_bad_entry,
                      result.findings, result.total, result.tables, result.live_rows, damage)


def _integrity(connection: Any) -> list[str]:
    """SQLite's integrity check: every b-tree and page, every index against its table."""
    try:
        found = [str(problem) for (problem,) in connection.execute("PRAGMA integrity_check(20)")]
    except cipher.DatabaseError as exc:
        return [str(exc)]
    return [] if found == ["ok"] else found


def _search_indexes(connection: Any) -> list[str]:
    """Each full-text index against the table it indexes (FTS5's own check; it takes the
    write lock for its length: there is no read-only form)."""
    damage = []
    try:
        names = [str(n) for (n,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE"
            " 'CREATE VIRTUAL TABLE%USING fts5%'").fetchall()]
    except cipher.DatabaseError as exc:
        return [str(exc)]
    for name in names:
        table = capture.quoted(name)
        try:
            connection.execute(f"INSERT INTO {table} ({table}, rank) VALUES"
                               " ('integrity-check', 1)")
        except cipher.DatabaseError:
            damage.append(_("the search index {name} does not match its table").format(
                name=name))
    return damage


def _verify(chain: AuditChain, tables: dict[str, capture.Audited] | None,
            progress: Progress) -> DeepResult:
    head_id = chain._head().id
    recorded = int(scalar(f"SELECT coalesce(max(id), 0) FROM {capture.ROW_LOG}")) \
        if tables is not None else 0
    live = sum(_estimate(t) for t in (tables or {}).values())
    total = max(head_id + recorded + live, 1)
    checked = chain.verify(lambda done, _t: progress(done, total))
    if tables is None:  # a store older than the row log (it is upgraded at login)
        return DeepResult(checked)
    bad_entry, problem = _check_rows(lambda done: progress(head_id + done, total))
    replay = _Replay(lambda done: progress(head_id + recorded + done, total))
    replay.run(tables)
    progress(total - 1, total)  # the checks on the other connections may still be running
    return DeepResult(checked, problem, bad_entry, replay.findings, replay.total,
                      len(tables), replay.live_rows)


def _estimate(table: capture.Audited) -> int:
    """About how many rows the table holds (for progress only)."""
    if table.without_rowid:
        return 0
    return int(scalar(f"SELECT coalesce(max(rowid), 0) FROM main.{capture.quoted(table.name)}"))


class _EntryRows(NamedTuple):
    """What an entry says of the rows it records."""

    id: int
    rows_hash: str | None
    rows: str | None
    """The rows it holds itself, as JSON (None: none, or they are in audit_row)."""


def _entries() -> Iterator[_EntryRows]:
    """Every entry's rows_hash and the rows it holds itself, in order."""
    last = 0
    while batch := records(_EntryRows, "SELECT id, rows_hash, rows FROM audit WHERE id > ?"
                           " ORDER BY id LIMIT ?", (last, _STEP)):
        yield from batch
        last = batch[-1].id


class _Recorded(NamedTuple):
    """An entry whose rows are in `audit_row`, and the hash of those rows."""

    entry_id: int
    rows_hash: str


def _recorded_groups(progress: Callable[[int], None]) -> Iterator[_Recorded]:
    """Each entry whose rows are in `audit_row`, in the order the rows were recorded."""
    connection = db.connection()  # type: ignore[no-untyped-call]
    cursor = connection.execute(
        f"SELECT audit_id, tbl, pk, digest FROM {capture.ROW_LOG} ORDER BY id")
    group, hashed, line = None, hashlib.sha256(), audit.row_line
    for done, (audit_id, table, key, digest) in enumerate(cursor, 1):
        if done % _STEP == 0:
            progress(done)
        if audit_id != group:
            if group is not None:
                yield _Recorded(group, hashed.hexdigest())
            group, hashed = audit_id, hashlib.sha256()
        hashed.update(line(table, key, digest))
    if group is not None:
        yield _Recorded(group, hashed.hexdigest())


def _inline_hash(held: str) -> str:
    """The hash of the rows an entry holds itself; ValueError when they are not well formed."""
    try:
        listed = [(str(t), k, None if d is None else bytes.fromhex(d))
                  for t, k, d in json.loads(held)]
    except (TypeError, ValueError) as exc:
        raise ValueError(held[:40]) from exc
    return audit.rows_hash_of(listed)


def _check_rows(progress: Callable[[int], None]) -> tuple[int | None, str]:
    """Every entry's rows against its rows_hash; (the first entry that fails, why)."""
    groups = _recorded_groups(progress)
    group = next(groups, None)
    stray = _("rows are recorded for an entry that is not in the log, or out of order")
    changed = _("the rows it records were changed, added or removed")
    began = False  # once an entry records rows, every later one does
    for entry_id, stored, held in _entries():  # id, rows_hash, rows
        if group is not None and group.entry_id < entry_id:
            return group.entry_id, stray
        recorded = None
        if group is not None and group.entry_id == entry_id:
            recorded, group = group.rows_hash, next(groups, None)
            if held is not None:  # rows both in the entry and beside it
                return entry_id, changed
        elif held is not None:
            try:
                recorded = _inline_hash(held)
            except ValueError:
                return entry_id, changed
        if stored is None:
            if recorded is not None:
                return entry_id, _("it records rows but no hash of them")
            if began:
                return entry_id, _("it records no rows after the row log began")
            continue
        began = True
        if stored != (recorded or audit.NO_ROWS):
            return entry_id, changed
    if group is not None:
        return group.entry_id, stray
    return None, ""


def _latest(logged: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, Any]]:
    """(key, digest) of the last record of each key, from one table's (table, key, digest)
    records by key, oldest first."""
    unset = last_key = object()
    last_digest = None
    for _table, key, digest in logged:
        if key != last_key and last_key is not unset:
            yield last_key, last_digest
        last_key, last_digest = key, digest
    if last_key is not unset:
        yield last_key, last_digest


def _order(value: Any) -> tuple[int, Any]:
    """SQLite's order of keys: NULL, numbers, text, blobs."""
    if value is None:
        return (0, 0)
    if isinstance(value, (int, float)):
        return (1, value)
    if isinstance(value, str):
        return (2, value)
    return (3, value)


def _before(first: Any, second: Any) -> bool:
    if type(first) is int and type(second) is int:
        return bool(first < second)
    return _order(first) < _order(second)


def _shown(key: Any) -> str:
    return key.hex() if isinstance(key, bytes) else str(key)


class _Replay:
    """The latest digest of each row in the log beside the live table, table by table."""

    def __init__(self, progress: Callable[[int], None]) -> None:
        self.progress = progress
        self.findings: list[Finding] = []
        self.total = 0
        self.live_rows = 0

    def found(self, table: str, key: Any, kind: str) -> None:
        self.total += 1
        if len(self.findings) < KEPT:
            self.findings.append(Finding(table, _shown(key), kind))

    def run(self, tables: dict[str, capture.Audited]) -> None:
        """Replay every table the log or the store holds, in the order of their names."""
        connection = db.connection()  # type: ignore[no-untyped-call]
        # every recorded row, by table and key, oldest first: those the entries hold
        # themselves and those in audit_row (digests as hex in the one, bytes in the other)
        logged = connection.execute(
            f"SELECT tbl, pk, digest FROM (SELECT tbl, pk, digest, audit_id AS entry, id AS n"
            f" FROM {capture.ROW_LOG} UNION ALL SELECT j.value ->> 0, j.value ->> 1,"
            " unhex(j.value ->> 2), a.id, j.key FROM audit AS a, json_each(a.rows) AS j"
            " WHERE a.rows IS NOT NULL) ORDER BY tbl, pk, entry, n")
        by_table = itertools.groupby(logged, key=lambda recorded: str(recorded[0]))  # its tbl
        names = sorted(tables)
        group = next(by_table, None)
        while names or group is not None:
            if group is not None and (not names or group[0] <= names[0]):
                name, rows_of = group
                if names and names[0] == name:
                    names.pop(0)
                logged_rows: Iterator[tuple[Any, Any]] = _latest(rows_of)
            else:
                name, logged_rows = names.pop(0), iter(())
            table = tables.get(name)
            self.compare(name, logged_rows,
                         self.live(connection, table) if table else iter(()))
            if group is not None and group[0] == name:
                group = next(by_table, None)  # only once this table's rows are read

    @staticmethod
    def live(connection: Any, table: capture.Audited) -> Iterator[tuple[Any, bytes]]:
        """(key, content) of each live row, in the log's key order."""
        key = table.key_sql("t")
        order = key if _integer_key(table) else f"{key} COLLATE BINARY"
        return connection.execute(  # type: ignore[no-any-return]
            f"SELECT {key}, {table.content_sql('t')} FROM main.{capture.quoted(table.name)}"
            f" AS t ORDER BY {order}")

    def compare(self, name: str, logged: Iterator[tuple[Any, Any]],
                live: Iterator[tuple[Any, bytes]]) -> None:
        """The log's latest (key, digest) of each row beside the live (key, content), both in
        key order."""
        digest = capture.digest
        end: tuple[Any, Any] = (_END, None)
        log_key, log_digest = next(logged, end)
        live_key, live_content = next(live, end)
        seen = 0
        while log_key is not _END or live_key is not _END:
            if live_key is _END or (log_key is not _END and _before(log_key, live_key)):
                if log_digest is not None:
                    self.found(name, log_key, DELETED)
                log_key, log_digest = next(logged, end)
                continue
            seen += 1
            if seen % _STEP == 0:
                self.progress(self.live_rows + seen)
            if log_key is _END or _before(live_key, log_key):
                self.found(name, live_key, INSERTED)
                live_key, live_content = next(live, end)
                continue
            if log_digest is None:
                self.found(name, live_key, INSERTED)
            elif log_digest != digest(live_content):
                self.found(name, live_key, CHANGED)
            log_key, log_digest = next(logged, end)
            live_key, live_content = next(live, end)
        self.live_rows += seen


_END = object()
"""Where a stream of rows ends (a key is never this)."""


def _integer_key(table: capture.Audited) -> bool:
    """Whether the table is keyed by its rowid (read in rowid order, no sort)."""
    if table.key == ("rowid",):
        return True
    first_key_type = scalar("SELECT upper(type) FROM pragma_table_info"
                            f"({capture.literal(table.name)}) WHERE pk = 1")
    return len(table.key) == 1 and first_key_type == "INTEGER"


__all__ = ["CHANGED", "DELETED", "INSERTED", "KINDS", "DeepResult", "Finding", "verify_deep"]
