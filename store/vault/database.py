"""The main database: one peewee database, opened after unlock with the raw master key.

peewee keeps one connection per thread; each thread that touches the store
opens its own with the same key and pragmas (about 0.1 ms with a raw key).
Worker threads are pooled and outlive a session, so every connection is
tracked and `forget()` closes them all: after a lock no thread holds an open,
keyed connection.

Every connection notes the rows it writes to audited tables (`store.capture`): its
triggers are made before its first transaction and again after a schema change, and just
before a COMMIT `before_commit` lets the audit log record rows written since the
transaction's last entry.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cache
from typing import Any, TypeVar

from peewee import Field, Model, SqliteDatabase

from store.audit import capture
from store.vault import cipher

PRAGMAS: list[tuple[str, Any]] = [
    ("temp_store", "MEMORY"),  # never spill plaintext temp files (DESIGN: known traps)
    ("journal_mode", "WAL"),
    ("synchronous", "FULL"),
    ("foreign_keys", 1),
    # 128 MiB: encrypted pages are costly to re-read, and the year-to-date report of a million
    # cases reads about 100 MiB of indexes; a page is only held once read
    ("cache_size", -131072),
    ("busy_timeout", 10000),
]


@dataclass(frozen=True)
class _Capture:
    """One connection's triggers: made at this schema version, for these tables."""

    schema_version: int
    tables: dict[str, capture.Audited] | None


@dataclass
class TxnNotes:
    """What the audit log needs to know of the open transaction on one connection."""

    entries: list[tuple[int, Any]] = field(default_factory=list)
    """(entry id, the hash of its rows so far, unfinished) of each entry appended in it."""
    baseline: bool = False
    """Migration 16 asks the next entry to be preceded by the row log's baseline."""


class _Connection(cipher.Connection):  # type: ignore[misc]
    """A connection that carries its own triggers' state (never confused with another's)."""

    triggers: _Capture | None = None
    notes: TxnNotes
    noted: capture.Noted


class CipherDatabase(SqliteDatabase):
    """SqliteDatabase over sqlcipher3, keyed with a raw key and salt."""

    def __init__(self) -> None:
        super().__init__(None, pragmas=PRAGMAS, lock_type="IMMEDIATE")
        self._key: bytes | None = None
        self._salt: bytes | None = None
        self._open_conns: list[Any] = []
        self._conns_lock = threading.Lock()
        self.before_commit: Callable[[], None] | None = None
        """Runs just before a COMMIT when rows were written since the transaction's last
        audit entry (the audit log adds them to that entry)."""

    def open_with(self, path: str, key: bytes, salt: bytes) -> None:
        """Point at a database file and key; connections open lazily per thread."""
        if not self.is_closed():
            self.close()
        self._key, self._salt = key, salt
        self.init(path, pragmas=PRAGMAS, timeout=10)

    def forget(self) -> None:
        """Close every thread's connection and drop the key (lock, logout)."""
        if self.deferred:
            return
        if not self.is_closed():
            self.close()
        with self._conns_lock:
            conns, self._open_conns = self._open_conns, []
        for conn in conns:
            conn.close()
        self._state = type(self._state)()  # type: ignore[has-type]  # no thread keeps one
        self._key = self._salt = None
        self.init(None)

    @property
    def open_connections(self) -> int:
        """How many connections are open, across all threads."""
        with self._conns_lock:
            return len(self._open_conns)

    def _connect(self) -> Any:
        if self._key is None or self._salt is None:
            raise RuntimeError("the store is locked")
        conn = cipher.connect_raw(self.database, self._key, self._salt,
                                  timeout=self._timeout,  # type: ignore[attr-defined]
                                  check_same_thread=False, factory=_Connection)
        conn.notes, conn.noted = TxnNotes(), capture.Noted()
        conn.create_function(capture.NOTE_FUNCTION, 3, conn.noted)
        conn.execute("PRAGMA recursive_triggers = ON")  # rows REPLACE deletes are noted too
        try:
            self._add_conn_hooks(conn)  # type: ignore[attr-defined]
        except Exception:
            conn.close()
            raise
        with self._conns_lock:
            self._open_conns.append(conn)
        return conn

    @contextmanager
    def side_connection(self) -> Iterator[Any]:
        """A keyed connection of its own, for a second reader beside this thread's (tracked
        like the others, closed after)."""
        conn = self._connect()
        try:
            yield conn
        finally:
            self._close(conn)

    def _close(self, conn: Any) -> None:
        with self._conns_lock:
            if conn in self._open_conns:
                self._open_conns.remove(conn)
        conn.close()

    # --- the rows each transaction writes (store.capture) --------------------------------

    def _capture(self, refresh: bool = False) -> _Capture:
        """This thread's connection's triggers, made or remade when the schema changed."""
        conn = self.connection()  # type: ignore[no-untyped-call]
        (version,), = conn.execute("PRAGMA main.schema_version").fetchall()
        known: _Capture | None = conn.triggers
        if known is not None and known.schema_version == version and not refresh:
            return known
        tables = capture.audited_tables(conn)
        if tables is not None:
            capture.install(conn, tables)
        made = _Capture(int(version), tables)
        conn.triggers = made
        return made

    def txn_notes(self) -> TxnNotes:
        """The audit log's notes on this thread's open transaction."""
        conn = self.connection()  # type: ignore[no-untyped-call]
        notes: TxnNotes = conn.notes
        return notes

    def noted(self) -> capture.Noted:
        """The rows this thread's connection wrote since its last audit entry."""
        conn = self.connection()  # type: ignore[no-untyped-call]
        noted: capture.Noted = conn.noted
        return noted

    def audited_tables(self) -> dict[str, capture.Audited] | None:
        """The tables whose rows the audit log records (None: this store keeps no row log).
        In a transaction, as its BEGIN (or a schema change since) found them."""
        conn = self._state.conn
        known: _Capture | None = getattr(conn, "triggers", None)
        if known is not None and conn.in_transaction:
            return known.tables
        return self._capture().tables

    def begin(self, lock_type: str | None = None) -> None:
        # The triggers are made before BEGIN: made inside, a rollback would take them away.
        self._capture()
        super().begin(lock_type)
        conn = self.connection()  # type: ignore[no-untyped-call]
        conn.notes = TxnNotes()
        conn.noted.clear()  # rows written outside any transaction: no entry records them

    def commit(self) -> Any:
        conn = self._state.conn
        known: _Capture | None = getattr(conn, "triggers", None)
        if (self.before_commit is not None and known is not None and known.tables is not None
                and conn.in_transaction and conn.noted):
            self.before_commit()  # rows were written since the last entry
        return super().commit()

    def rollback(self) -> Any:
        done = super().rollback()
        conn = self._state.conn
        if conn is not None:  # triggers made in the transaction are gone: make them again
            conn.triggers = None
            conn.notes = TxnNotes()
            conn.noted.clear()
        return done

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        if capture.is_ddl(sql):
            return self._schema_change(sql, params)
        cursor = super().execute_sql(sql, params)  # type: ignore[no-untyped-call]
        if sql[:11].upper() == "ROLLBACK TO":  # a savepoint undone: what was noted is reread
            self.noted().forget_contents()
        return cursor

    def _schema_change(self, sql: str, params: Any) -> Any:
        """A statement that may change tables: rows of a table altered or dropped, and of a
        table that starts being audited, are noted for the next audit entry."""
        before = self._capture().tables
        conn = self.connection()  # type: ignore[no-untyped-call]
        changed = capture.changed_table(sql)
        if before is not None and changed in before:
            capture.touch_all(conn, conn.noted, before[changed])
        cursor = super().execute_sql(sql, params)  # type: ignore[no-untyped-call]
        after = self._capture(refresh=True).tables
        for name, table in (after or {}).items():
            if before is None or name not in before:
                capture.touch_all(conn, conn.noted, table)
        return cursor


db = CipherDatabase()


class BaseModel(Model):
    """What every table's model shares: the store's database. Each table is declared once, as
    a subclass in the package that owns it (`store/*/models.py`); `tests/test_models.py` holds
    every model to the schema the migrations build."""

    class Meta:
        database = db


F = TypeVar("F", bound=Field)


def generated(field: F) -> F:
    """Mark a model's field as a generated column (`GENERATED ALWAYS AS ...` in its migration):
    SQLite computes it, the store reads it and never writes it. `tests/test_models.py` holds
    the mark to the schema."""
    field.generated = True  # type: ignore[attr-defined]
    return field


R = TypeVar("R")


def records(record: Callable[..., R], sql: str, params: Sequence[Any] = ()) -> list[R]:
    """Run a query; each row as `record` (a NamedTuple or dataclass) built from its columns by
    name, so a column added or moved cannot shift what a reader unpacks."""
    cursor = db.execute_sql(sql, params)
    names = tuple(column[0] for column in cursor.description)
    if names == _fields_of(record):  # the record's fields in their order: no dict per row
        return [record(*row) for row in cursor.fetchall()]
    return [record(**dict(zip(names, row, strict=True))) for row in cursor.fetchall()]


@cache
def _fields_of(kind: Callable[..., Any]) -> tuple[str, ...]:
    """A NamedTuple's or dataclass's fields, in order (() for any other callable)."""
    if isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields"):
        return tuple(kind._fields)
    if isinstance(kind, type) and is_dataclass(kind):
        init = [f for f in fields(kind) if f.init]
        if not any(f.kw_only for f in init):
            return tuple(f.name for f in init)
    return ()


def record(kind: Callable[..., R], sql: str, params: Sequence[Any] = ()) -> R | None:
    """The first row of a query as `kind` (see `records`), or None."""
    found = records(kind, sql, params)
    return found[0] if found else None


def scalar(sql: str, params: Sequence[Any] = ()) -> Any:
    """The one value of a one-column query's first row (None when it has no row)."""
    row = db.execute_sql(sql, params).fetchone()
    return None if row is None else row[0]


def rows(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run a query on this thread's connection and return every row."""
    cursor = db.execute_sql(sql, params)
    return [tuple(row) for row in cursor.fetchall()]


def insert(sql: str, params: Sequence[Any] = ()) -> int:
    """Run an INSERT on this thread's connection; the new row's id."""
    cursor = db.execute_sql(sql, params)
    return int(cursor.lastrowid)


def execute(sql: str, params: Sequence[Any] = ()) -> None:
    """Run a statement on this thread's connection."""
    db.execute_sql(sql, params)
