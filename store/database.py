"""The main database: one peewee database, opened after unlock with the raw master key.

peewee keeps one connection per thread; each thread that touches the store
opens its own with the same key and pragmas (about 0.1 ms with a raw key).
Worker threads are pooled and outlive a session, so every connection is
tracked and `forget()` closes them all: after a lock no thread holds an open,
keyed connection.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from peewee import SqliteDatabase

from store import cipher

PRAGMAS: list[tuple[str, Any]] = [
    ("temp_store", "MEMORY"),  # never spill plaintext temp files (DESIGN: known traps)
    ("journal_mode", "WAL"),
    ("synchronous", "FULL"),
    ("foreign_keys", 1),
    ("cache_size", -65536),  # 64 MiB: encrypted pages are costly to re-read
    ("busy_timeout", 10000),
]


class CipherDatabase(SqliteDatabase):
    """SqliteDatabase over sqlcipher3, keyed with a raw key and salt."""

    def __init__(self) -> None:
        super().__init__(None, pragmas=PRAGMAS, lock_type="IMMEDIATE")
        self._key: bytes | None = None
        self._salt: bytes | None = None
        self._open_conns: list[Any] = []
        self._conns_lock = threading.Lock()

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
                                  check_same_thread=False)
        try:
            self._add_conn_hooks(conn)  # type: ignore[attr-defined]
        except Exception:
            conn.close()
            raise
        with self._conns_lock:
            self._open_conns.append(conn)
        return conn

    def _close(self, conn: Any) -> None:
        with self._conns_lock:
            if conn in self._open_conns:
                self._open_conns.remove(conn)
        conn.close()


db = CipherDatabase()


def rows(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run a query on this thread's connection and return every row."""
    cursor = db.execute_sql(sql, params)  # type: ignore[no-untyped-call]
    return [tuple(row) for row in cursor.fetchall()]


def insert(sql: str, params: Sequence[Any] = ()) -> int:
    """Run an INSERT on this thread's connection; the new row's id."""
    cursor = db.execute_sql(sql, params)  # type: ignore[no-untyped-call]
    return int(cursor.lastrowid)


def execute(sql: str, params: Sequence[Any] = ()) -> None:
    """Run a statement on this thread's connection."""
    db.execute_sql(sql, params)  # type: ignore[no-untyped-call]
