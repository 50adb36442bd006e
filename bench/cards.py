"""Card figures: the list's first page and a search keystroke over 1,000,000 cards (store side),
and validated, audited saves per second beside plain SQLite inserts of the same rows."""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench.foundation import PASSWORD, Row
from store import card_list, cards, demo_cards
from store.card_list import CardFilter
from store.cards import CardInput
from store.folder import StoreDir
from store.paths import DataPaths

SAMPLE = CardInput(department="D01", business_type="SCQS", case_no="某检刑诉〔2026〕1号",
                   case_name="李某盗窃案", charge="C01", persons="1", accepted_on="20261009",
                   concluded_on="20261118", outcome="TQGS", outcome_persons="1")


def _median_ms(action: object, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(count: int = 1_000_000, saves: int = 500) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="statdesk-bench-cards-") as tmp:
        paths = DataPaths(Path(tmp) / "data")
        with StoreDir(paths, create=True) as folder:
            folder.init("admin", PASSWORD, "基准测试院").session.close()
            session = folder.unlock("admin", PASSWORD)
            demo_cards.generate(session, count=count)
            first = _median_ms(lambda: card_list.page(CardFilter(), limit=100))
            search = _median_ms(lambda: card_list.page(CardFilter(search="盗窃"), limit=100))
            rare = _median_ms(lambda: card_list.page(CardFilter(search="〔2024〕77号"),
                                                     limit=100))
            start = time.perf_counter()
            for n in range(saves):
                cards.add(session, replace(SAMPLE, case_no=f"某检刑诉〔2026〕{900000 + n}号"))
            ours = saves / (time.perf_counter() - start)
            session.close()
        plain = sqlite3.connect(Path(tmp) / "plain.db", isolation_level=None)
        plain.execute("PRAGMA journal_mode = WAL")
        plain.execute("PRAGMA synchronous = FULL")
        plain.execute("CREATE TABLE card (case_no TEXT, case_name TEXT, department TEXT)")
        start = time.perf_counter()
        for n in range(saves):
            plain.execute("BEGIN IMMEDIATE")
            plain.execute("INSERT INTO card VALUES (?, ?, ?)", (f"{n}", "李某盗窃案", "D01"))
            plain.execute("COMMIT")
        base = saves / (time.perf_counter() - start)
        plain.close()
    return [
        (f"card list, first page ({count:,} cards)", f"{first:.1f} ms", "—", "—", "≤ 100 ms",
         first <= 100),
        ("card list, search 盗窃 (a common word)", f"{search:.1f} ms", "—", "—", "≤ 100 ms",
         search <= 100),
        ("card list, search a rare case number", f"{rare:.0f} ms", "—", "—", "≤ 100 ms",
         rare <= 100),
        ("validated, audited card saves", f"{ours:.0f}/s", f"plain SQLite inserts {base:.0f}/s",
         f"{ours / base:.2f}×", "—", True),
    ]
