"""Backup figures: make and verify, each beside `cp` of the same database file in the same run."""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.foundation import PASSWORD, Row
from store.backups import make as backups
from store.backups.verify import from_keys, verify
from store.keys import rotation
from store.vault.database import db, execute
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths

CARD = ("刑事检察部", "审查起诉", "某检刑诉〔2026〕12345号", "张某某盗窃案", "盗窃罪", 2,
        "2026-03-01", "2026-06-01", "起诉", 12000, 0, "2026-06", "备注" * 8, "clerk",
        "2026-06-01T10:00:00+08:00")


def fill_cards(rows: int) -> None:
    """Rows the size of case registration cards (until the cards issue brings the real ones)."""
    execute("CREATE TABLE bench_card (id INTEGER PRIMARY KEY, dept TEXT, btype TEXT, caseno TEXT,"
            " name TEXT, charge TEXT, persons INT, accepted TEXT, concluded TEXT, outcome TEXT,"
            " amount INT, major INT, month TEXT, remarks TEXT, entered_by TEXT, entered_at TEXT)")
    execute("CREATE INDEX bench_card_month ON bench_card (month, btype)")
    with db.atomic():
        conn = db.connection()  # type: ignore[no-untyped-call]
        conn.executemany("INSERT INTO bench_card (dept, btype, caseno, name, charge, persons,"
                         " accepted, concluded, outcome, amount, major, month, remarks,"
                         " entered_by, entered_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         (CARD for _ in range(rows)))
    execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _timed(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


def _cp(source: Path, target: Path) -> float:
    """`cp` of the database file, median of three (the file is in the page cache, as for us)."""
    times = []
    for _ in range(3):
        target.unlink(missing_ok=True)
        times.append(_timed(lambda: subprocess.run(["cp", str(source), str(target)], check=True)))
    target.unlink()
    return statistics.median(times)


def run(rows: int = 1_000_000) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="statdesk-bench-backup-") as tmp:
        paths = DataPaths(Path(tmp) / "data")
        with StoreDir(paths, create=True) as folder:
            folder.init("admin", PASSWORD, "基准测试院").session.close()
            session = folder.unlock("admin", PASSWORD)
            fill_cards(rows)
            db_size = paths.db.stat().st_size
            copy = Path(tmp) / "copy.db"
            cp_make = _cp(paths.db, copy)
            export_only = _timed(lambda: backups._export(session, Path(tmp) / "export.db"))
            made: list[backups.BackupInfo] = []
            make_time = _timed(lambda: made.append(backups.make(session)))
            source = from_keys(*session.key_material(), session.store_id, "admin")
            reports = []
            verify_time = _timed(lambda: reports.append(verify(made[0].path, source)))
            cp_verify = _cp(paths.db, copy)
            rotated: list[rotation.Rotated] = []
            rotate_time = _timed(lambda: rotated.append(
                rotation.rotate(folder, session, {"admin": PASSWORD})))
            session.close()
            assert reports[0].ok, reports[0].failure
            size = made[0].size
    mb = 1024 * 1024
    return [
        (f"backup ({rows:,} card-sized rows)", f"{make_time:.2f} s", f"cp {cp_make:.2f} s",
         f"{make_time / cp_make:.1f}×", "≤ 4× cp", make_time / cp_make <= 4),
        ("  of which sqlcipher_export alone", f"{export_only:.2f} s", f"cp {cp_make:.2f} s",
         f"{export_only / cp_make:.1f}×", "—", True),
        ("verify that backup", f"{verify_time:.2f} s", f"cp {cp_verify:.2f} s",
         f"{verify_time / cp_verify:.1f}×", "≤ 4× cp", verify_time / cp_verify <= 4),
        (f"key rotation ({rows:,} card-sized rows, 1 operator)", f"{rotate_time:.2f} s",
         f"sqlcipher_export {export_only:.2f} s", f"{rotate_time / export_only:.1f}×",
         "—", True),
        ("backup file size", f"{size / mb:.0f} MB", f"database {db_size / mb:.0f} MB",
         f"{size / db_size:.2f}×", "—", True),
    ]
