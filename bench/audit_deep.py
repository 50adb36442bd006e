"""`audit verify --deep` over 1,000,000 cards, beside a plain full read of the same tables in
the same run (every audited table and the audit tables, each row fetched into Python)."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.foundation import PASSWORD, Row
from store.audit import capture, replay
from store.demo import cards as demo_cards
from store.vault.database import db, execute
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def full_scan() -> int:
    """SELECT * of every audited table, `audit` and `audit_row`, every row fetched."""
    tables = db.audited_tables() or {}
    connection = db.connection()  # type: ignore[no-untyped-call]
    fetched = 0
    for name in [*sorted(tables), "audit", capture.ROW_LOG]:
        for _row in connection.execute(f"SELECT * FROM main.{capture.quoted(name)}"):
            fetched += 1
    return fetched


def run(cards: int = 1_000_000, repeat: int = 3) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="statdesk-bench-deep-") as tmp:
        paths = DataPaths(Path(tmp) / "data")
        with StoreDir(paths, create=True) as folder:
            folder.init("admin", PASSWORD, "基准测试院").session.close()
            session = folder.unlock("admin", PASSWORD)
            fill = _timed(lambda: demo_cards.generate(session, count=cards))
            execute("PRAGMA wal_checkpoint(TRUNCATE)")
            full_scan()  # both read from a warm page cache
            results: list[replay.DeepResult] = []
            deep = statistics.median(
                _timed(lambda: results.append(replay.verify_deep(session.audit)))
                for _ in range(repeat))
            scan = statistics.median(_timed(full_scan) for _ in range(repeat))
            session.close()
    assert results[0].ok, results[0].lines()
    checked = results[0].live_rows
    return [
        (f"audit verify --deep ({checked:,} rows)", f"{deep:.2f} s",
         f"full read of the same tables {scan:.2f} s", f"{deep / scan:.1f}×", "≤ 3× the read",
         deep / scan <= 3),
        (f"  generating {cards:,} cards, rows recorded", f"{fill:.1f} s", "—", "—", "—", True),
    ]
