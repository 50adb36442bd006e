"""Checklist figures over 100,000 items (and 1% more destroyed or missing, which no run
checks): starting a holiday-eve run (its snapshot of every item), marking a scanned line,
and the Word checklist of a 5,000-line spot check — each beside a baseline from the same
run on the same connection."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.foundation import PASSWORD, Row
from bench.word_baseline import add_row_table
from exports import check_files
from store import clock, holidays, settings
from store.secrecy import checks
from store.vault.database import db, execute, rows
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from store.vault.session import Session

STATUSES = ("in", "reading", "lent", "copy", "distributed")
WEIGHTS = (0.935, 0.005, 0.02, 0.005, 0.035)
"""Items checked by a run: mostly in the cabinets, some out (lent, copies, distributed)."""
LEVELS = ("public", "internal", "internal", "secret", "confidential")
PEOPLE = (("lwj", "李文杰", "staff", "第一检察部"), ("zbz", "张部长", "head", "第一检察部"),
          ("wbz", "王部长", "head", "第二检察部"), ("cjc", "陈检察长", "leader", ""),
          ("jxa", "蒋秀安", "supervisor", "纪检监察室"))


def fill(item_count: int, seed: int = 5) -> None:
    """Items over 20 cabinets × 6 shelves with a spread of statuses, in bulk: each lent item
    on an open loan, each distributed copy signed for under a received document; 1% more
    destroyed or missing."""
    rng = random.Random(seed)
    connection = db.connection()  # type: ignore[no-untyped-call]
    stamp = clock.stamp()
    day = clock.today()
    statuses = rng.choices(STATUSES, WEIGHTS, k=item_count)
    statuses += rng.choices(("destroyed", "missing"), k=item_count // 100)
    with db.atomic():
        connection.executemany(
            "INSERT INTO person (code, name, role, department, created_at, created_by)"
            " VALUES (?, ?, ?, ?, ?, 'admin')", ((*p, stamp) for p in PEOPLE))
        documents = (statuses.count("distributed") + 9) // 10
        connection.executemany(
            "INSERT INTO document (sender, doc_no, title, received_on, classification, copies,"
            " created_at, created_by) VALUES ('某市人民检察院', ?, ?, ?, 'confidential', 10, ?,"
            " 'admin')", ((f"某检发〔2026〕{n}号", f"基准通知{n}", day.isoformat(), stamp)
                          for n in range(1, documents + 1)))
        distributed = 0
        made = []
        for n, status in enumerate(statuses, start=1):
            document = None
            if status == "distributed":
                distributed += 1
                document = (distributed - 1) // 10 + 1
            place = f"{chr(ord('A') + rng.randrange(20))}柜-{rng.randrange(6) + 1}层"
            level = "confidential" if document else rng.choice(LEVELS)
            made.append((f"统-B-{n:06d}", f"基准载体{n}", "classified" if document else "report",
                         level, place, status, stamp, document))
        connection.executemany(
            "INSERT INTO item (reg_no, title, kind, classification, location, status,"
            " created_at, created_by, document_id) VALUES (?, ?, ?, ?, ?, ?, ?, 'admin', ?)",
            made)
        mode = {"reading": "read", "lent": "lend", "copy": "copy"}
        connection.executemany(
            "INSERT INTO loan (item_id, borrower_id, mode, due_on, opened_at, opened_by)"
            " VALUES (?, 1, ?, ?, ?, 'admin')",
            ((n, mode[s], "" if s == "reading" else
              (day + timedelta(days=rng.randint(1, 30))).isoformat(), stamp)
             for n, s in enumerate(statuses, start=1) if s in mode))
        connection.executemany(
            "INSERT INTO distribution (item_id, person_id, signed_at, by) VALUES (?, ?, ?,"
            " 'admin')", ((n, 2 + n % 2, stamp) for n, s in enumerate(statuses, start=1)
                          if s == "distributed"))


def _median(times: list[float]) -> float:
    return statistics.median(times) * 1000


def _start(session: Session, repeat: int) -> tuple[float, float, checks.Run]:
    """Starting a holiday-eve run (ms, median), the plain copy of the item ids into a temp
    table (ms, median), and the run left open for the marks."""
    connection = db.connection()  # type: ignore[no-untyped-call]
    ours, plain = [], []
    run: checks.Run | None = None
    for _ in range(repeat):
        if run is not None:  # only one open run of a kind: the last one's rows go
            with db.atomic():
                execute("DELETE FROM check_line WHERE run_id = ?", (run.id,))
                execute("DELETE FROM check_run WHERE id = ?", (run.id,))
        begin = time.perf_counter()
        run = checks.start(session, "holiday")
        ours.append(time.perf_counter() - begin)
        connection.execute("CREATE TEMP TABLE copied (id INTEGER)")
        begin = time.perf_counter()
        with db.atomic():
            connection.execute("INSERT INTO temp.copied SELECT id FROM item")
        plain.append(time.perf_counter() - begin)
        connection.execute("DROP TABLE temp.copied")
    assert run is not None
    return _median(ours), _median(plain), run


def _marks(session: Session, run: checks.Run, count: int) -> tuple[float, float]:
    """Marking scanned lines (ms, median) beside a plain committed UPDATE by primary key."""
    found = rows("SELECT l.id, i.reg_no FROM check_line l JOIN item i ON i.id = l.item_id"
                 " WHERE l.run_id = ? AND l.expected = 'storage'", (run.id,))
    picked = random.Random(11).sample(found, count)
    ours, plain = [], []
    for line_id, number in picked:
        begin = time.perf_counter()
        checks.mark(session, run.id, str(number))
        ours.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        with db.atomic():
            execute("UPDATE check_line SET note = ? WHERE id = ?", ("基准", line_id))
        plain.append(time.perf_counter() - begin)
    return _median(ours), _median(plain)


def _spot_run(session: Session, share: int) -> checks.Run:
    """A spot check of `share` % of the items, resolved (1 in 100 missing, 1 in 200 still
    open) as if walked, so its exceptions have lines."""
    settings.set_value(session, "spot_check_percent", str(share))
    run = checks.start(session, "spot", seed=2026)
    with db.atomic():
        execute("UPDATE check_line SET result = CASE WHEN seq % 100 = 0 THEN 'missing'"
                " WHEN seq % 200 = 1 THEN '' WHEN expected = 'storage' THEN 'present'"
                " ELSE 'accounted' END, note = CASE WHEN seq % 100 = 0 THEN '柜中未见'"
                " ELSE '' END WHERE run_id = ?", (run.id,))
    return checks.get(run.id)


def _add_row_table(run: checks.Run, path: Path) -> float:
    """The baseline: the checklist's walking table with python-docx's add_row(), saved
    (seconds; the rows are made before the clock starts)."""
    lines = checks.all_lines(run.id)
    return add_row_table(check_files.walk_section(run, lines, check_files.loans_of(run, lines)),
                         path)


def run(item_count: int = 100_000, repeat: int = 3, marks: int = 200) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="statdesk-bench-secrecy-") as tmp:
        paths = DataPaths(Path(tmp) / "data")
        with StoreDir(paths, create=True) as folder:
            folder.init("admin", PASSWORD, "基准测试院").session.close()
            session = folder.unlock("admin", PASSWORD)
            fill(item_count)
            coming = clock.today() + timedelta(days=12)  # the eve's holiday, within 30 days
            holidays.set_day(session, coming.isoformat(), "holiday", "基准假日")
            start_ms, copy_ms, holiday = _start(session, repeat)
            mark_ms, update_ms = _marks(session, holiday, marks)
            share = max(1, round(5000 * 100 / item_count))
            spot = _spot_run(session, share)
            out = Path(tmp) / "out"
            out.mkdir()
            begin = time.perf_counter()
            check_files.checklist(session, spot.id, out)
            word = time.perf_counter() - begin
            plain_word = _add_row_table(spot, out / "add_row.docx")
            session.close()
    return [
        (f"holiday-eve run started ({holiday.total:,} lines of {item_count:,} items)",
         f"{start_ms:.0f} ms", f"INSERT … SELECT of the ids into a temp table {copy_ms:.0f} ms",
         f"{start_ms / copy_ms:.1f}×", "≤ 1 s", start_ms <= 1000),
        (f"a scanned line marked (median of {marks})", f"{mark_ms:.1f} ms",
         f"UPDATE by primary key, committed {update_ms:.1f} ms", f"{mark_ms / update_ms:.1f}×",
         "≤ 20 ms", mark_ms <= 20),
        (f"Word: checklist of a spot check ({spot.total:,} lines)", f"{word:.2f} s",
         f"the walking table by add_row() {plain_word:.2f} s", f"{word / plain_word:.2f}×",
         "≤ 5 s", word <= 5),
    ]
