"""The foundation's figures: unlock, raw-key open, audit-logged writes."""

from __future__ import annotations

import hashlib
import os
import platform
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from store.vault import cipher
from store.vault.database import PRAGMAS, db, execute, rows
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from store.vault.session import Session

PASSWORD = "bench-password-1"


def _median(fn: Callable[[], float], repeat: int) -> float:
    return statistics.median(fn() for _ in range(repeat))


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_unlock(folder: StoreDir, repeat: int) -> tuple[float, float]:
    def unlock() -> float:
        elapsed = _timed(lambda: folder.unlock("admin", PASSWORD))
        db.forget()
        return elapsed

    def pbkdf2() -> float:
        return _timed(lambda: hashlib.pbkdf2_hmac("sha512", b"x" * 16, os.urandom(16),
                                                  cipher.PRODUCTION_KDF_ITER, 64))

    return _median(unlock, repeat), _median(pbkdf2, repeat)


def bench_open(session: Session, plain: Path, repeat: int) -> tuple[float, float]:
    key, salt = session.slot_content("x").master_key, session.slot_content("x").salt
    path = str(session.paths.db)

    def raw_open() -> float:
        def go() -> None:
            db.open_with(path, key, salt)  # key, pragmas (WAL, cache, temp_store), first read
            rows("SELECT value FROM meta WHERE key = 'store_id'")
            db.close()
        return _timed(go)

    def plain_open() -> float:
        def go() -> None:
            conn = sqlite3.connect(plain)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.close()
        return _timed(go)

    return _median(raw_open, repeat * 5), _median(plain_open, repeat * 5)


def bench_writes(session: Session, plain: Path, count: int) -> tuple[float, float]:
    execute("CREATE TABLE IF NOT EXISTS bench_row (id INTEGER PRIMARY KEY, title TEXT,"
            " pages INTEGER)")
    payload = "统计报表 2026年11月 第{}号"

    def logged() -> None:
        for i in range(count):
            with db.atomic():
                execute("INSERT INTO bench_row (title, pages) VALUES (?, ?)",
                        (payload.format(i), i))
                session.audit.append("admin", "bench.insert", "bench_row", str(i),
                                     new={"title": payload.format(i), "pages": i})

    conn = sqlite3.connect(plain, isolation_level=None)
    for name, value in PRAGMAS:
        if name != "temp_store":
            conn.execute(f"PRAGMA {name} = {value}")
    conn.execute("CREATE TABLE bench_row (id INTEGER PRIMARY KEY, title TEXT, pages INTEGER)")

    def baseline() -> None:
        for i in range(count):
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO bench_row (title, pages) VALUES (?, ?)",
                         (payload.format(i), i))
            conn.execute("COMMIT")

    ours = count / _timed(logged)
    base = count / _timed(baseline)
    conn.close()
    return ours, base


Row = tuple[str, str, str, str, str, bool]


def run(repeat: int = 5, writes: int = 2000) -> list[Row]:
    """Each row: figure, statdesk, baseline, ratio, target, met."""
    with tempfile.TemporaryDirectory(prefix="statdesk-bench-") as tmp:
        paths = DataPaths(Path(tmp) / "data")
        with StoreDir(paths, create=True) as folder:
            folder.init("admin", PASSWORD, "基准测试院").session.close()
            unlock, pbkdf2 = bench_unlock(folder, repeat)
            session = folder.unlock("admin", PASSWORD)
            plain = Path(tmp) / "plain.db"
            sqlite3.connect(plain).close()
            raw_open, plain_open = bench_open(session, plain, repeat)
            ours, base = bench_writes(session, plain, writes)
            session.close()
    return [
        ("unlock (keyslot + open)", f"{unlock * 1000:.0f} ms",
         f"PBKDF2-SHA512 alone {pbkdf2 * 1000:.0f} ms", f"{unlock / pbkdf2:.2f}×",
         "≤ 500 ms", unlock <= 0.5),
        ("open main db (raw key)", f"{raw_open * 1000:.2f} ms",
         f"plain SQLite open {plain_open * 1000:.2f} ms", f"{raw_open / plain_open:.1f}×",
         "≤ 20 ms", raw_open <= 0.020),
        ("audit-logged writes", f"{ours:.0f}/s", f"plain SQLite inserts {base:.0f}/s",
         f"{ours / base:.2f}×", "≥ 0.33×", ours / base >= 1 / 3),
    ]


def describe() -> str:
    version = sqlite3.connect(":memory:").execute("select sqlite_version()").fetchone()[0]
    return (f"{platform.machine()} · {os.cpu_count()} cores · Python "
            f"{platform.python_version()} · sqlite3 {version} · SQLCipher {_cipher_version()} · "
            f"kdf_iter {cipher.PRODUCTION_KDF_ITER}")


def _cipher_version() -> str:
    conn = cipher.connect_raw(":memory:", b"\0" * 32, b"\0" * 16)
    version = str(conn.execute("PRAGMA cipher_version").fetchone()[0])
    conn.close()
    return version
