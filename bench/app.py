"""The app's figures: start to the login screen, and the audit screen over 1,000,000 entries."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.foundation import PASSWORD, Row
from store import clock
from store.audit import log as audit
from store.vault.database import db, execute
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths

CHILD = [sys.executable, "-m", "bench.app_child"]
ROOT = Path(__file__).resolve().parent.parent


def _wall(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - start


def _insert(batch: list[tuple[object, ...]]) -> None:
    if batch:
        connection = db.connection()  # type: ignore[no-untyped-call]
        connection.executemany("INSERT INTO audit (id, ts, operator, action, entity, entity_id,"
                               " old, new, note, prev_hash, rows_hash, hash)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)


def fill_audit(folder: StoreDir, entries: int, password: str = PASSWORD) -> None:
    """Append `entries` chained audit entries quickly (batched, same chain as the store's)."""
    session = folder.unlock("admin", password)
    chain = session.audit
    head_id, head_hash = chain._head()
    stamp = clock.stamp()
    batch: list[tuple[object, ...]] = []
    with db.atomic():
        for n in range(head_id + 1, head_id + entries + 1):
            content = (n, stamp, "admin", "setting.change", "setting", "unit_name",
                       '{"value": "甲"}', '{"value": "乙"}', "", head_hash, audit.NO_ROWS)
            head_hash = chain._hash(content)  # entries that wrote no rows
            batch.append((*content, head_hash))
            if len(batch) == 20000:
                _insert(batch)
                batch = []
        _insert(batch)
        execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_head_id', ?),"
                " ('audit_head_hash', ?)", (str(head_id + entries), head_hash))
    session.close()


def _audit_screen(paths: DataPaths) -> tuple[float, float]:
    """(ms until the audit screen's first page is drawn, peak RSS in MB), median of three."""
    runs = []
    for _ in range(3):
        out = subprocess.run([*CHILD, "audit", str(paths.root), PASSWORD], check=True, cwd=ROOT,
                             capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout.split()
        runs.append((float(out[-2]), float(out[-1])))
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def run(repeat: int = 5, entries: int = 1_000_000) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="statdesk-bench-app-") as tmp:
        paths = DataPaths(Path(tmp) / "data")
        with StoreDir(paths, create=True) as folder:
            folder.init("admin", PASSWORD, "基准测试院").session.close()
        bare = statistics.median(_wall([*CHILD, "bare"]) for _ in range(repeat))
        ours = statistics.median(_wall([*CHILD, "statdesk", str(paths.root)])
                                 for _ in range(repeat))
        small_ms, small_mb = _audit_screen(paths)
        with StoreDir(paths) as folder:
            fill_audit(folder, entries)
        first_page_ms, peak_mb = _audit_screen(paths)
    return [
        ("start to login screen", f"{ours * 1000:.0f} ms", f"bare Textual app {bare * 1000:.0f} ms",
         f"{ours / bare:.2f}×", "≤ 1.5×", ours / bare <= 1.5),
        (f"audit screen drawn ({entries:,} entries)", f"{first_page_ms:.0f} ms",
         f"same, 5 entries {small_ms:.0f} ms", f"{first_page_ms / small_ms:.2f}×", "≤ 150 ms",
         first_page_ms <= 150),
        ("peak RSS on the audit screen", f"{peak_mb:.0f} MB", f"same, 5 entries {small_mb:.0f} MB",
         f"{peak_mb / small_mb:.2f}×", "≤ 200 MB", peak_mb <= 200),
    ]
