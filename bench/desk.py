"""Borrow-desk figures over 100,000 items and 1,000,000 custody events: an item looked up by
number with its status, the overdue list, and the chain of an item with 1,000 events."""

from __future__ import annotations

import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

from bench.cards import median_ms
from bench.foundation import PASSWORD, Row
from store.custody import desk, items
from store.vault.database import db, rows
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths


def fill(item_count: int, events: int, seed: int = 3) -> str:
    """Items, a borrower, loans (some open and overdue) and events, in bulk; returns the
    number of the item that carries 1,000 events."""
    rng = random.Random(seed)
    connection = db.connection()  # type: ignore[no-untyped-call]
    stamp = "2026-01-05T10:00:00+08:00"
    with db.atomic():
        connection.execute("INSERT INTO person (code, name, role, department, created_at,"
                           " created_by) VALUES ('lwj', '李文杰', 'staff', 'D01', ?, 'admin')",
                           (stamp,))
        connection.executemany(
            "INSERT INTO item (reg_no, title, kind, classification, status, created_at,"
            " created_by) VALUES (?, ?, 'report', 'internal', ?, ?, 'admin')",
            ((f"统-B-{n:06d}", f"基准载体{n}", "lent" if n % 50 == 0 else "in", stamp)
             for n in range(1, item_count + 1)))
        day = date(2026, 1, 5)
        connection.executemany(
            "INSERT INTO loan (item_id, borrower_id, mode, due_on, opened_at, opened_by, status)"
            " VALUES (?, 1, 'lend', ?, ?, 'admin', 'open')",
            ((n, (day + timedelta(days=rng.randint(0, 400))).isoformat(), stamp)
             for n in range(50, item_count + 1, 50)))
        busy = 1000  # item 1 carries 1,000 events; the rest spread over the catalogue
        connection.executemany(
            "INSERT INTO custody_event (item_id, at, kind, by, person_id) VALUES (?, ?, ?,"
            " 'admin', 1)",
            ((1 if n < busy else rng.randint(2, item_count), stamp,
              "read" if n % 2 else "return") for n in range(events)))
    return "统-B-000001"


def run(item_count: int = 100_000, events: int = 1_000_000) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="statdesk-bench-desk-") as tmp:
        paths = DataPaths(Path(tmp) / "data")
        with StoreDir(paths, create=True) as folder:
            folder.init("admin", PASSWORD, "基准测试院").session.close()
            session = folder.unlock("admin", PASSWORD)
            busy = fill(item_count, events)
            number = f"统-B-{item_count // 2 + 1:06d}"
            lookup = median_ms(lambda: items.by_number(number))
            late = median_ms(lambda: desk.overdue(date(2027, 6, 1)))
            (open_loans,), = rows("SELECT count(*) FROM loan WHERE status = 'open'")
            found = items.by_number(busy)
            assert found is not None
            chain = median_ms(lambda: items.chain(found.id))
            length = len(items.chain(found.id))
            session.close()
    return [
        (f"item looked up by number, with status ({item_count:,} items)", f"{lookup:.2f} ms",
         "—", "—", "≤ 20 ms", lookup <= 20),
        (f"overdue list ({open_loans:,} open loans)", f"{late:.0f} ms", "—", "—", "≤ 200 ms",
         late <= 200),
        (f"chain of custody, {length:,} events ({events:,} in all)", f"{chain:.1f} ms", "—",
         "—", "≤ 100 ms", chain <= 100),
    ]
