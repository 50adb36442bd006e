"""Destruction figures: the Word manifest of an approved batch of 2,000 items (written,
logged, the batch marked printed), beside the same item table built with python-docx's
add_row() in the same run."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.foundation import PASSWORD, Row
from bench.word_baseline import add_row_table
from exports import destruction_files
from store import clock
from store.destruction import batches as destruction
from store.destruction.batches import Arrangements
from store.vault.database import db, execute, rows
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from store.vault.session import Session

PEOPLE = (("lwj", "李文杰", "staff", "第一检察部"), ("cjc", "陈检察长", "leader", ""),
          ("jxa", "蒋秀安", "supervisor", "纪检监察室"), ("gzm", "郭智明", "supervisor", "办公室"))
KINDS = ("report", "volume", "analysis", "ledger")
"""Paper only, so that shredding fits every item."""
LEVELS = ("public", "internal", "internal", "secret", "confidential")
BY_HAND = 20
"""Items added through destruction.add (each checked and audited); the rest in bulk."""


def fill(item_count: int, seed: int = 7) -> None:
    """The people of a destruction and `item_count` items in custody, in bulk."""
    rng = random.Random(seed)
    connection = db.connection()  # type: ignore[no-untyped-call]
    stamp = clock.stamp()
    with db.atomic():
        connection.executemany(
            "INSERT INTO person (code, name, role, department, created_at, created_by)"
            " VALUES (?, ?, ?, ?, ?, 'admin')", ((*p, stamp) for p in PEOPLE))
        connection.executemany(
            "INSERT INTO item (reg_no, title, kind, classification, copy_no, copies, pages,"
            " location, status, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'in',"
            " ?, 'admin')",
            ((f"统-2020-{n:04d}", f"2020年第{n % 4 + 1}季度案件登记卡合订本（第{n}册）",
              rng.choice(KINDS), rng.choice(LEVELS), 1 + n % 3, 3, rng.randint(1, 400),
              f"{chr(ord('A') + n % 20)}柜-{n % 6 + 1}层", stamp)
             for n in range(1, item_count + 1)))


def approved_batch(session: Session) -> destruction.Batch:
    """Every item on one batch, approved: the first BY_HAND through destruction.add, the rest
    by one INSERT … SELECT into batch_item (the items are new, in custody, unheld and on no
    loan: eligible by construction; 2,000 audited adds would only slow the set-up)."""
    batch = destruction.create(session, "基准批次")
    numbers = [str(r[0]) for r in rows("SELECT reg_no FROM item ORDER BY id LIMIT ?",
                                       (BY_HAND,))]
    for number in numbers:
        destruction.add(session, batch.id, number, "expired")
    with db.atomic():
        execute("INSERT INTO batch_item (batch_id, item_id, reason, note, added_at, added_by)"
                " SELECT ?, id, CASE id % 5 WHEN 0 THEN 'superseded' WHEN 1 THEN 'other'"
                " ELSE 'expired' END, CASE id % 5 WHEN 1 THEN '旧册已重新装订' ELSE '' END,"
                " ?, 'admin' FROM item WHERE id NOT IN (SELECT item_id FROM batch_item)"
                " ORDER BY id", (batch.id, clock.stamp()))
    day = clock.today().isoformat()
    return destruction.approve(session, batch.id, Arrangements(
        approver="cjc", approved_on=day, reference="销审〔2026〕1号", place="本院保密销毁室",
        method="shred", planned_on=day, handler="lwj", supervisors="jxa gzm"))


def _add_row_table(batch: destruction.Batch, path: Path) -> float:
    """The baseline: the manifest's item table with python-docx's add_row(), saved (seconds;
    the rows are made before the clock starts)."""
    listed = destruction.lines(batch.id)
    document = destruction_files.manifest_document(batch, listed, destruction.digest(listed))
    items = max(document.sections, key=lambda section: len(section.rows))  # not the totals
    return add_row_table(items, path)


def run(item_count: int = 2000, repeat: int = 3) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="statdesk-bench-destruction-") as tmp:
        paths = DataPaths(Path(tmp) / "data")
        with StoreDir(paths, create=True) as folder:
            folder.init("admin", PASSWORD, "基准测试院").session.close()
            session = folder.unlock("admin", PASSWORD)
            fill(item_count)
            batch = approved_batch(session)
            out = Path(tmp) / "out"
            out.mkdir()
            ours = []
            for _ in range(repeat):  # the first prints the batch; the others are reprints
                begin = time.perf_counter()
                destruction_files.manifest(session, batch.id, out)
                ours.append(time.perf_counter() - begin)
            printed = destruction.get(batch.id)
            assert printed.status == "printed" and printed.count == item_count
            plain = [_add_row_table(printed, out / "add_row.docx") for _ in range(repeat)]
            session.close()
    word, baseline = statistics.median(ours), statistics.median(plain)
    return [(f"Word: destruction manifest of {item_count:,} items (median of {repeat})",
             f"{word:.2f} s", f"the item table by add_row() {baseline:.2f} s",
             f"{word / baseline:.2f}×", "≤ 3 s", word <= 3)]
