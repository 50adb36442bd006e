"""Report figures over 1,000,000 cases (three years, with their persons and events): the
month's and the year-to-date report (旧存, 新收, 审结 by outcome, 未结, 退查, 重报, rates, checks)
beside the same GROUP BYs (the store's own query text, store.report.stocks) on an unencrypted
copy with the same indexes, and the Word exports."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from bench.cards import median_ms as _ms
from bench.foundation import PASSWORD, Row
from exports import report_files
from store import clock
from store.demo import cards as demo_cards
from store.report import figures as report
from store.vault.database import db, rows
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths


def _plain_copy(target: Path) -> None:
    """The store's data decrypted into a plain SQLite file (same tables and indexes)."""
    connection = db.connection()  # type: ignore[no-untyped-call]
    connection.execute(f"ATTACH DATABASE '{target}' AS plain KEY ''")
    connection.execute("SELECT sqlcipher_export('plain')")
    connection.execute("DETACH DATABASE plain")


def run(count: int = 1_000_000) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="statdesk-bench-report-") as tmp:
        paths = DataPaths(Path(tmp) / "data")
        with StoreDir(paths, create=True) as folder:
            folder.init("admin", PASSWORD, "基准测试院").session.close()
            session = folder.unlock("admin", PASSWORD)
            demo_cards.generate(session, count=count)
            this = clock.today()
            month = f"{this.year}-{this.month - 1:02d}" if this.month > 1 else f"{this.year}-01"
            (persons, events), = rows("SELECT (SELECT count(*) FROM card_person),"
                                      " (SELECT count(*) FROM card_event)")
            ours_month = _ms(lambda: report.build(month, year_to_date=False))
            ours_ytd = _ms(lambda: report.build(month))
            _plain_copy(Path(tmp) / "plain.db")
            out = Path(tmp) / "out"
            start = time.perf_counter()
            report_files.monthly(session, month, out)
            word_report = time.perf_counter() - start
            ledger_rows = len(report.major_cases(int(month[:4]), month))
            start = time.perf_counter()
            report_files.briefing_main(session, month, out)
            word_ledger = time.perf_counter() - start
            session.close()
        plain = sqlite3.connect(Path(tmp) / "plain.db")

        def same_queries(year_to_date: bool) -> None:
            for sql, params in report.statements(month, year_to_date):
                plain.execute(sql, params).fetchall()

        base_month = _ms(lambda: same_queries(False))
        base_ytd = _ms(lambda: same_queries(True))
        plain.close()
    return [
        (f"month's report {month} ({count:,} cases, {persons:,} persons, {events:,} events)",
         f"{ours_month:.0f} ms", f"same GROUP BYs, unencrypted {base_month:.0f} ms",
         f"{ours_month / base_month:.2f}×", "≤ 1 s, ≤ 2×",
         ours_month <= 1000 and ours_month <= 2 * base_month),
        ("year-to-date report (and the month)", f"{ours_ytd:.0f} ms",
         f"same GROUP BYs, unencrypted {base_ytd:.0f} ms", f"{ours_ytd / base_ytd:.2f}×",
         "≤ 1 s, ≤ 2×", ours_ytd <= 1000 and ours_ytd <= 2 * base_ytd),
        ("Word: the monthly report", f"{word_report:.2f} s", "—", "—", "≤ 3 s",
         word_report <= 3),
        (f"Word: briefing with the 自侦大要案台账 ({ledger_rows:,} rows)", f"{word_ledger:.2f} s",
         "—", "—", "≤ 3 s", word_ledger <= 3),
    ]
