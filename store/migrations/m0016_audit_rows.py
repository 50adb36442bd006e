"""The audit log records the rows each change wrote, so that `audit verify --deep` can name
every row changed, added or removed outside statdesk.

Each entry records the table, key and a digest of every row its transaction wrote (NULL
when the row was deleted): up to 64 in the entry itself (`audit.rows`, JSON), more in
`audit_row`, which has no index (a change writes no extra page, and the replay sorts the
log once); `audit.rows_hash` is the hash of that list and part of the entry's hash. Entries
made before this migration keep no rows (their rows_hash is NULL and their hash is as it
was). Creating `audit_row` switches row capture on, which notes every row of every audited
table as it stands; on a store that already has a log, the next entry is preceded by an
`audit.baseline` entry that records them all, so replay starts from the store as it was
upgraded. A new store's first entry (`store.init`) records them instead.
"""

from __future__ import annotations

from typing import Any

from store.vault.database import execute, rows

NAME = "audit rows"


def up(database: Any) -> None:
    execute("ALTER TABLE audit ADD COLUMN rows_hash TEXT")
    execute("ALTER TABLE audit ADD COLUMN rows TEXT")
    execute("""CREATE TABLE audit_row (
        id INTEGER PRIMARY KEY,
        audit_id INTEGER NOT NULL,
        tbl TEXT NOT NULL,
        pk NOT NULL,
        digest BLOB)""")
    if rows("SELECT 1 FROM audit LIMIT 1"):
        database.txn_notes().baseline = True
