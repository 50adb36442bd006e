"""The secrecy register (D4, D5) and checklist runs (A2, D11).

Received classified documents and their distribution lists; each copy is an item, handed
out against signature (one open distribution per copy); checklist runs snapshot the items
expected and where, one line each.

An item may now be "distributed". SQLite cannot change a CHECK constraint in place, and the
usual rebuild of the table needs foreign keys switched off, which cannot be done inside the
transaction that runs migrations with the login. So the constraint is widened the way the
SQLite documentation gives for changes that leave the stored rows as they are ("Making
other kinds of table schema changes"): the table's CREATE text is edited under
writable_schema and the schema version bumped, in this same transaction. Widening an IN
list cannot make a stored row invalid.
"""

from __future__ import annotations

from typing import Any

from store.vault.database import execute, rows

NAME = "secrecy register and checklist runs"

OLD = "'destroyed', 'missing'))"
NEW = "'destroyed', 'missing', 'distributed'))"


def up(database: Any) -> None:
    (sql,), = rows("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'item'")
    if str(sql).count(OLD) != 1:
        raise RuntimeError("m0014: the item table's status constraint is not the one expected")
    (version,), = rows("PRAGMA schema_version")
    execute("PRAGMA writable_schema = ON")
    try:
        execute("UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table'"
                " AND name = 'item'", (OLD, NEW))
        execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        execute("PRAGMA writable_schema = OFF")


SQL = [
    """CREATE TABLE document (
        id INTEGER PRIMARY KEY,
        sender TEXT NOT NULL,
        doc_no TEXT NOT NULL,
        title TEXT NOT NULL,
        received_on TEXT NOT NULL,
        classification TEXT NOT NULL,
        copies INTEGER NOT NULL,
        pages INTEGER NOT NULL DEFAULT 0,
        sealed INTEGER NOT NULL DEFAULT 1,
        receipt_note TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL, created_by TEXT NOT NULL)""",
    "CREATE INDEX document_number ON document (sender, doc_no)",
    "CREATE INDEX document_received ON document (received_on)",
    "ALTER TABLE item ADD COLUMN document_id INTEGER REFERENCES document (id)",
    "CREATE INDEX item_document ON item (document_id)",
    "CREATE INDEX item_walk ON item (location, reg_no)",
    """CREATE TABLE recipient (
        document_id INTEGER NOT NULL REFERENCES document (id),
        person_id INTEGER NOT NULL REFERENCES person (id),
        added_at TEXT NOT NULL, added_by TEXT NOT NULL,
        approved_by INTEGER REFERENCES person (id),
        PRIMARY KEY (document_id, person_id))""",
    """CREATE TABLE distribution (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES item (id),
        person_id INTEGER NOT NULL REFERENCES person (id),
        approved_by INTEGER REFERENCES person (id),
        signed_at TEXT NOT NULL, by TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        outcome TEXT NOT NULL DEFAULT '',
        closed_at TEXT NOT NULL DEFAULT '', closed_by TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '')""",
    "CREATE UNIQUE INDEX distribution_one_open ON distribution (item_id) WHERE status = 'open'",
    "CREATE INDEX distribution_item ON distribution (item_id, id)",
    "CREATE INDEX distribution_person ON distribution (person_id, status)",
    """CREATE TABLE check_run (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('holiday', 'quarter', 'inventory', 'spot')),
        period TEXT NOT NULL DEFAULT '',
        label TEXT NOT NULL DEFAULT '',
        share INTEGER NOT NULL DEFAULT 100,
        seed INTEGER NOT NULL DEFAULT 0,
        started_at TEXT NOT NULL, started_by TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        closed_at TEXT NOT NULL DEFAULT '', closed_by TEXT NOT NULL DEFAULT '',
        checker_id INTEGER REFERENCES person (id),
        supervisor_id INTEGER REFERENCES person (id))""",
    "CREATE UNIQUE INDEX check_run_one_open ON check_run (kind) WHERE status = 'open'",
    """CREATE TABLE check_line (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES check_run (id),
        seq INTEGER NOT NULL,
        item_id INTEGER NOT NULL REFERENCES item (id),
        location TEXT NOT NULL DEFAULT '',
        expected TEXT NOT NULL CHECK (expected IN ('storage', 'elsewhere')),
        was TEXT NOT NULL DEFAULT '',
        holder TEXT NOT NULL DEFAULT '',
        since TEXT NOT NULL DEFAULT '',
        result TEXT NOT NULL DEFAULT '',
        marked_was TEXT NOT NULL DEFAULT '',
        marked_holder TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        marked_at TEXT NOT NULL DEFAULT '', marked_by TEXT NOT NULL DEFAULT '')""",
    "CREATE UNIQUE INDEX check_line_item ON check_line (run_id, item_id)",
    "CREATE UNIQUE INDEX check_line_seq ON check_line (run_id, seq)",
    "CREATE INDEX check_line_result ON check_line (run_id, result)",
]
