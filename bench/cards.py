"""Card figures: the list's first page and a search keystroke over 1,000,000 cards (store side),
and validated, audited saves per second beside plain SQLite inserts of the same rows."""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench.foundation import PASSWORD, Row
from store.cards import entry as cards
from store.cards import listing as card_list
from store.cards.entry import CardInput, stored_values
from store.cards.listing import CardFilter
from store.demo import cards as demo_cards
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths

SAMPLE = CardInput(department="D01", business_type="SCQS", case_no="某检刑诉〔2026〕1号",
                   case_name="李某盗窃案", charge="C01", persons="1", accepted_on="20261009",
                   concluded_on="20261118", outcome="TQGS", outcome_persons="1")


def median_ms(action: object, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


ROOT = Path(__file__).resolve().parent.parent


def _card_screen(data_dir: Path) -> list[float]:
    """The app on the card list (child processes, median of three): cold open, warm open,
    one search keystroke, peak RSS, a plain Textual screen with the same rows."""
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-m", "bench.app_child", "cards", str(data_dir),
                              PASSWORD], check=True, cwd=ROOT, capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout.split()
        runs.append([float(x) for x in out[-5:]])
    figures = [statistics.median(r[i] for r in runs) for i in range(5)]
    figures[3] = max(r[3] for r in runs)  # the peak is the worst run's
    return figures


def _plain_inserts(db_path: Path, saves: int) -> float:
    """Plain SQLite (no cipher, no checks, no audit): the same card rows, one commit each."""
    checked = cards.validate(SAMPLE)
    assert checked.card is not None
    values = stored_values(checked.card)
    plain = sqlite3.connect(db_path, isolation_level=None)
    plain.execute("PRAGMA journal_mode = WAL")
    plain.execute("PRAGMA synchronous = FULL")
    plain.execute(f"CREATE TABLE card (id INTEGER PRIMARY KEY, {', '.join(values)}, status,"
                  " problems, entered_by, entered_at, updated_by, updated_at)")
    marks = ", ".join("?" * (len(values) + 6))
    start = time.perf_counter()
    for n in range(saves):
        row = {**values, "case_no": f"某检刑诉〔2026〕{900000 + n}号"}
        plain.execute("BEGIN IMMEDIATE")
        plain.execute(f"INSERT INTO card ({', '.join(values)}, status, problems, entered_by,"
                      f" entered_at, updated_by, updated_at) VALUES ({marks})",
                      (*row.values(), "submitted", 0, "admin", "t", "admin", "t"))
        plain.execute("COMMIT")
    elapsed = time.perf_counter() - start
    plain.close()
    return saves / elapsed


def run(count: int = 1_000_000, saves: int = 500) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="statdesk-bench-cards-") as tmp:
        paths = DataPaths(Path(tmp) / "data")
        with StoreDir(paths, create=True) as folder:
            folder.init("admin", PASSWORD, "基准测试院").session.close()
            session = folder.unlock("admin", PASSWORD)
            demo_cards.generate(session, count=count)
            first = median_ms(lambda: card_list.page(CardFilter(), limit=100))
            search = median_ms(lambda: card_list.page(CardFilter(search="盗窃"), limit=100))
            rare = median_ms(lambda: card_list.page(CardFilter(search="〔2024〕77号"),
                                                     limit=100))
            by_case = median_ms(lambda: card_list.page(CardFilter(), "case_no", limit=100))
            by_day = median_ms(lambda: card_list.page(CardFilter(), "accepted_on", False,
                                                       limit=100))
            start = time.perf_counter()
            for n in range(saves):
                cards.add(session, replace(SAMPLE, case_no=f"某检刑诉〔2026〕{900000 + n}号"))
            ours = saves / (time.perf_counter() - start)
            base = _plain_inserts(Path(tmp) / "plain.db", saves)
            session.close()
        cold, warm, keystroke, peak_mb, plain_ms = _card_screen(paths.root)
    return [
        (f"card list, first page ({count:,} cards)", f"{first:.1f} ms", "—", "—", "≤ 100 ms",
         first <= 100),
        ("card list, search 盗窃 (a common word)", f"{search:.1f} ms", "—", "—", "≤ 100 ms",
         search <= 100),
        ("card list, search a rare case number", f"{rare:.1f} ms", "—", "—", "≤ 100 ms",
         rare <= 100),
        ("card list, first page by case number", f"{by_case:.1f} ms", "—", "—", "≤ 100 ms",
         by_case <= 100),
        ("card list, first page by accepted date", f"{by_day:.1f} ms", "—", "—", "≤ 100 ms",
         by_day <= 100),
        ("card list screen opened (F9), first time", f"{cold:.0f} ms",
         f"plain Textual screen {plain_ms:.0f} ms", f"{cold / plain_ms:.2f}×", "≤ 100 ms",
         cold <= 100),
        ("card list screen opened (F9), again", f"{warm:.0f} ms",
         f"plain Textual screen {plain_ms:.0f} ms", f"{warm / plain_ms:.2f}×", "≤ 100 ms",
         warm <= 100),
        ("list drawn again after a search keystroke", f"{keystroke:.0f} ms", "—", "—",
         "≤ 100 ms", keystroke <= 100),
        ("peak RSS of the app on the card list", f"{peak_mb:.0f} MB", "—", "—", "≤ 250 MB",
         peak_mb <= 250),
        ("validated, audited card saves", f"{ours:.0f}/s", f"plain SQLite inserts {base:.0f}/s",
         f"{ours / base:.2f}×", "—", True),
    ]
