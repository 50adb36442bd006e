"""Which rows statdesk wrote: temporary triggers on every audited table, per connection.

Each connection statdesk opens gets TEMP triggers (they live in that connection only)
that hand the table, primary key and content of every row it inserts, changes or deletes
to the connection's `Noted` (an SQL function of that connection only), which keeps the
row's digest; the next audit entry records them (`store.audit`). A session of plain
sqlcipher3 has neither, so what it writes is recorded nowhere, and `audit verify --deep`
(`store.replay`) names it.

The notes are kept in Python, not in a temporary table: writing one costs a function call
instead of a write to a second database in every transaction, and the entry need not read
the rows again. They are not transactional, so a transaction's BEGIN and ROLLBACK clear
them, and a savepoint rolled back turns them into keys to read again (`forget_contents`).

Rows are named by their table's declared primary key (an INTEGER PRIMARY KEY, a text key,
or a JSON array of a composite key), never by a bare rowid, so a backup restored or a store
re-encrypted with `sqlcipher_export` keeps every row's name. This module reads the schema
through the connection it is given and imports nothing from the database layer.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

ROW_LOG = "audit_row"
"""The table holding each audit entry's rows (made by migration 16)."""

NOT_AUDITED = frozenset({"audit", ROW_LOG, "meta", "schema_migration"})
"""Tables whose rows are not replayed: the log itself, store facts and the migrations run.
Virtual tables (the card search index) and their shadow tables are derived and left out too."""

NOTE_FUNCTION = "audit_note"
_TRIGGER_PREFIX = "audit_capture_"

_DDL = re.compile(r"^\s*(CREATE|ALTER|DROP)\b", re.IGNORECASE)
_CHANGED_TABLE = re.compile(
    r"^\s*(?:ALTER|DROP)\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:(?:main|\"main\")\s*\.\s*)?"
    r"(?:\"((?:[^\"]|\"\")+)\"|`([^`]+)`|\[([^\]]+)\]|(\w+))", re.IGNORECASE)


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class Audited:
    """One audited table: its primary key columns and the columns a row's digest covers
    (generated columns are derived and left out)."""

    name: str
    key: tuple[str, ...]
    columns: tuple[str, ...]
    without_rowid: bool = False

    def key_sql(self, alias: str) -> str:
        """The row's name as SQL over `alias`: the key itself, or a JSON array of its parts."""
        parts = [f"{alias}.{quoted(c)}" for c in self.key]
        return parts[0] if len(parts) == 1 else f"json_array({', '.join(parts)})"

    def found_sql(self, alias: str) -> str:
        """SQL that holds when an outer join found the row `alias`."""
        column = quoted(self.key[0]) if self.without_rowid else "rowid"
        return f"{alias}.{column} IS NOT NULL"

    def key_matches(self, alias: str, name_sql: str) -> str:
        """SQL that holds when the row `alias` has the name `name_sql` (uses the key's index)."""
        if len(self.key) == 1:
            return f"{alias}.{quoted(self.key[0])} = {name_sql}"
        return " AND ".join(f"{alias}.{quoted(c)} = json_extract({name_sql}, '$[{i}]')"
                            for i, c in enumerate(self.key))

    def content_sql(self, alias: str) -> str:
        """The row's content as bytes: a JSON array of every stored column (an integer, the
        text '1', a real and NULL stay distinct; a blob, which JSON cannot hold, becomes an
        array of its hex digits, which no text value can be mistaken for)."""
        values = ", ".join(
            f"iif(typeof({alias}.{quoted(c)}) = 'blob', json_array(hex({alias}.{quoted(c)})),"
            f" {alias}.{quoted(c)})" for c in self.columns)
        return f"CAST(json_array({values}) AS BLOB)"


def digest(content: bytes | None) -> bytes | None:
    """A row's digest (None: the row is gone)."""
    return None if content is None else hashlib.blake2b(content, digest_size=16).digest()


UNREAD = b""
"""A noted row whose digest is to be read from the table (no digest is empty)."""


class Noted:
    """The rows one connection wrote since its last audit entry: table → key → digest (None:
    deleted; UNREAD: to read again). Called from SQL as `audit_note(table, key, content)`."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[Any, bytes | None]] = {}

    def __call__(self, table: str, key: Any, content: bytes | None) -> None:
        found = self.rows.get(table)
        if found is None:
            found = self.rows[table] = {}
        found[key] = None if content is None else \
            hashlib.blake2b(content, digest_size=16).digest()

    def unread(self, table: str, keys: Iterable[Any]) -> None:
        """Note rows whose content is to be read when the entry is written."""
        self.rows.setdefault(table, {}).update(dict.fromkeys(keys, UNREAD))

    def forget_contents(self) -> None:
        """After a savepoint was rolled back: the noted rows are read again."""
        for found in self.rows.values():
            for key in found:
                found[key] = UNREAD

    def __bool__(self) -> bool:
        return bool(self.rows)

    def take(self) -> dict[str, dict[Any, bytes | None]]:
        """Every note, and none left."""
        taken, self.rows = self.rows, {}
        return taken

    def clear(self) -> None:
        if self.rows:
            self.rows = {}


@functools.lru_cache(maxsize=64)
def content_of_key_sql(table: Audited) -> str:
    """The content of the row named by the one parameter (no row: it is gone)."""
    return (f"SELECT {table.content_sql('t')} FROM main.{quoted(table.name)} AS t"
            f" WHERE {table.key_matches('t', '?1')}")


@functools.lru_cache(maxsize=64)
def content_by_key_sql(table: Audited) -> str:
    """(key, content or NULL when gone) of the rows named in a JSON array, in its order."""
    return (f"SELECT k.value, CASE WHEN {table.found_sql('t')} THEN {table.content_sql('t')}"
            f" END FROM json_each(?) AS k LEFT JOIN main.{quoted(table.name)} AS t"
            f" ON {table.key_matches('t', 'k.value')}")


def audited_tables(conn: Any) -> dict[str, Audited] | None:
    """The store's audited tables; None when the store keeps no row log (before migration 16)."""
    listed = conn.execute("SELECT name, type, wr FROM pragma_table_list WHERE schema = 'main'"
                          " ORDER BY name").fetchall()
    names = {str(n) for n, _t, _wr in listed}
    if ROW_LOG not in names:
        return None
    virtual = [str(n) for n, kind, _wr in listed if kind == "virtual"]
    found: dict[str, Audited] = {}
    for name, kind, without_rowid in listed:
        name = str(name)
        if kind != "table" or name in NOT_AUDITED or name.startswith("sqlite_") or any(
                name.startswith(v + "_") for v in virtual):
            continue
        info = conn.execute("SELECT name, pk FROM pragma_table_info(?) ORDER BY cid",
                            (name,)).fetchall()
        key = tuple(str(column) for _place, column in sorted(
            (place, column) for column, place in info if place))  # pk: place in the key
        found[name] = Audited(name, key or ("rowid",), tuple(str(column) for column, _pk in info),
                              bool(without_rowid))
    return found


def install(conn: Any, tables: dict[str, Audited]) -> None:
    """(Re)create this connection's triggers for `tables` (the connection has the function)."""
    for (name,) in conn.execute("SELECT name FROM temp.sqlite_master WHERE type = 'trigger'"
                                " AND name LIKE ?", (_TRIGGER_PREFIX + "%",)).fetchall():
        conn.execute(f"DROP TRIGGER IF EXISTS temp.{quoted(str(name))}")
    for n, table in enumerate(tables.values()):
        target, tag = f"main.{quoted(table.name)}", literal(table.name)
        new_key, old_key = table.key_sql("NEW"), table.key_sql("OLD")
        note_new = f"SELECT {NOTE_FUNCTION}({tag}, {new_key}, {table.content_sql('NEW')});"
        note_gone = f"SELECT {NOTE_FUNCTION}({tag}, {old_key}, NULL);"
        moved = f"SELECT {NOTE_FUNCTION}({tag}, {old_key}, NULL) WHERE {old_key} IS NOT {new_key};"
        for event, body in (("INSERT", note_new), ("UPDATE", moved + note_new),
                            ("DELETE", note_gone)):
            conn.execute(f"CREATE TEMP TRIGGER {_TRIGGER_PREFIX}{n}_{event.lower()} AFTER {event}"
                         f" ON {target} BEGIN {body} END")


def touch_all(conn: Any, noted: Noted, table: Audited) -> None:
    """Note every row of `table` (a migration changed its shape, or the baseline)."""
    keys = conn.execute(f"SELECT {table.key_sql('t')} FROM main.{quoted(table.name)} AS t")
    noted.unread(table.name, (key for (key,) in keys))


def is_ddl(sql: str) -> bool:
    return _DDL.match(sql) is not None


def changed_table(sql: str) -> str | None:
    """The table an ALTER TABLE or DROP TABLE statement changes."""
    found = _CHANGED_TABLE.match(sql)
    if found is None:
        return None
    name = next(g for g in found.groups() if g is not None)
    return name.replace('""', '"') if found.group(1) else name


__all__ = ["NOTE_FUNCTION", "NOT_AUDITED", "ROW_LOG", "UNREAD", "Audited", "Noted",
           "audited_tables",
           "changed_table", "content_by_key_sql", "content_of_key_sql", "digest", "install",
           "is_ddl", "touch_all"]
