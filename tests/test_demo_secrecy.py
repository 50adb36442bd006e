"""The demo store's secrecy register: a year of classified copies and their distributions, the
last quarter's check-in and a holiday-eve check with an incident, through the store's own
functions, quickly, with the clock put back."""

from __future__ import annotations

import re
import time
from datetime import datetime
from pathlib import Path

import pytest

from store import clock
from store.custody import items
from store.demo import build as demo
from store.demo import items as demo_items
from store.demo import secrecy as demo_secrecy
from store.secrecy import checks, closing
from store.secrecy import register as secrecy
from store.vault.database import rows
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from store.vault.session import Session


@pytest.fixture
def generated(session: Session) -> float:
    """The demo's people and items, then the secrecy register; the seconds it took."""
    demo_items.generate(session)
    started = time.perf_counter()
    demo_secrecy.generate(session)
    return time.perf_counter() - started


def test_a_few_hundred_copies_of_a_year_of_documents(generated: float) -> None:
    (documents, copies), = rows("SELECT (SELECT count(*) FROM document),"
                                " (SELECT count(*) FROM item WHERE document_id IS NOT NULL)")
    assert 60 <= documents <= 80 and 200 <= copies <= 450
    levels = dict(rows("SELECT classification, count(*) FROM document GROUP BY 1"))
    assert levels["secret"] > levels["confidential"] > levels["top"] >= 1
    per_document = [n for (n,) in rows("SELECT count(*) FROM item GROUP BY document_id"
                                       " HAVING document_id IS NOT NULL")]
    assert min(per_document) >= 3 and max(per_document) <= 6
    for sender, doc_no, received in rows("SELECT sender, doc_no, received_on FROM document"):
        assert re.fullmatch(r"某\w+〔(\d{4})〕[1-9]\d*号", doc_no), doc_no
        assert doc_no[doc_no.index("〔") + 1:][:4] == received[:4]
        assert "2025-11-30" <= received < "2026-11-30" and sender
    listed = [n for (n,) in rows("SELECT count(*) FROM recipient WHERE approved_by IS NULL"
                                 " GROUP BY document_id")]
    assert len(listed) == documents and min(listed) >= 2 and max(listed) <= 4


def test_most_copies_were_distributed_to_custodians_on_their_list(generated: float) -> None:
    (copies, handed), = rows(
        "SELECT count(*), sum(EXISTS (SELECT 1 FROM distribution x WHERE x.item_id = i.id))"
        " FROM item i WHERE i.document_id IS NOT NULL")
    assert handed / copies > 0.6
    assert rows("SELECT count(*) FROM distribution x JOIN item i ON i.id = x.item_id"
                " LEFT JOIN recipient r ON r.document_id = i.document_id"
                " AND r.person_id = x.person_id WHERE r.person_id IS NULL") == [(0,)]
    assert rows("SELECT count(*) FROM distribution x JOIN document d ON d.id ="
                " (SELECT document_id FROM item WHERE id = x.item_id)"
                " WHERE substr(x.signed_at, 1, 10) < d.received_on") == [(0,)]
    assert rows("SELECT count(*) FROM distribution WHERE status = 'open'")[0][0] == \
        secrecy.out_now() > 30
    passed = rows("SELECT approved_by FROM distribution WHERE outcome = 'passed on'")
    assert len(passed) == 1


def test_the_last_quarter_was_checked_in_and_signed_off(generated: float) -> None:
    quarters = [r for r in checks.runs() if r.kind == "quarter"]
    assert len(quarters) == 1
    run = quarters[0]
    assert (run.period, run.status) == ("2026-Q3", "closed")
    assert run.started_at.startswith("2026-09-30") and run.closed_at.startswith("2026-09-30")
    assert run.checker == "刘保密" and run.supervisor == "蒋秀安"
    tally = checks.tally(run.id)
    assert tally["returned"] > 0.9 * run.total and 1 <= tally["kept"] <= 6
    assert tally["missing"] == 1 and "" not in tally
    kept = [line for line in checks.all_lines(run.id) if line.result == "kept"]
    for line in kept:
        assert line.note and items.get(line.item_id).status == "distributed"
        assert items.chain(line.item_id)[-1].kind == "kept"
    missing = next(line for line in checks.all_lines(run.id) if line.result == "missing")
    chain = [e.kind for e in items.chain(missing.item_id)]
    assert chain[-4:] == ["distribute", "missing", "found", "incident-closed"]
    assert items.get(missing.item_id).status == "in"
    assert rows("SELECT status FROM incident WHERE item_id = ?", (missing.item_id,)) == [
        ("closed",)]


def test_this_quarters_check_in_has_work_to_do(generated: float, session: Session) -> None:
    again = rows("SELECT count(*) FROM distribution x WHERE x.signed_at >= '2026-10'"
                 " AND EXISTS (SELECT 1 FROM custody_event e WHERE e.item_id = x.item_id"
                 " AND e.kind = 'checkin')")[0][0]
    assert again >= 10  # copies checked in at Q3, handed out again this quarter
    overview = checks.overview(clock.today())
    assert overview.quarter == "2026-Q4" and not overview.quarter_done
    assert overview.open_runs == []
    run = checks.start(session, "quarter")  # what the clerk does in the demo
    assert run.period == "2026-Q4" and run.total == secrecy.out_now()
    assert any(line.was == "distributed" and line.since < "2026-10"
               for line in checks.all_lines(run.id))  # the copies kept at Q3


def test_the_holiday_eve_check_found_a_drive_missing(generated: float) -> None:
    holidays = [r for r in checks.runs() if r.kind == "holiday"]
    assert len(holidays) == 1
    run = holidays[0]
    assert (run.period, run.label, run.status) == ("2026-09-30", "国庆节", "closed")
    assert run.checker == "刘保密" and run.supervisor == "郭智明"
    assert (run.kind, run.period) in checks.closed_periods()
    tally = checks.tally(run.id)
    assert tally["missing"] == 1 and tally["present"] > 400 and "" not in tally
    line = next(x for x in checks.all_lines(run.id) if x.result == "missing")
    assert line.expected == "storage" and "U盘" in line.title
    assert rows("SELECT kind, status FROM incident WHERE item_id = ?", (line.item_id,)) == [
        ("missing", "open")]
    chain = items.chain(line.item_id)
    assert chain[-1].kind == "missing" and "节前检查时柜内未找到" in chain[-1].note
    assert chain[-1].at.startswith("2026-09-30")
    assert all(e.at <= chain[-1].at for e in chain)  # nothing happened to it afterwards
    assert items.get(line.item_id).status == "missing"


def test_the_clock_is_back_and_the_log_holds(generated: float, session: Session) -> None:
    assert clock.now() == datetime(2026, 11, 30, 9).astimezone()
    assert not [r for r in checks.runs() if r.status == "open"]
    now = clock.stamp()
    for table, column in (("document", "created_at"), ("distribution", "signed_at"),
                          ("custody_event", "at"), ("check_run", "closed_at")):
        assert rows(f"SELECT max({column}) FROM {table}")[0][0] <= now
    assert rows("SELECT max(ts) FROM audit WHERE action LIKE 'check.%' OR action LIKE"
                " 'document.%' OR action = 'item.distribute'")[0][0] <= now
    assert session.audit.verify().ok
    actions = dict(rows("SELECT action, count(*) FROM audit GROUP BY 1"))
    assert actions["document.receive"] == rows("SELECT count(*) FROM document")[0][0]
    assert actions["check.close"] == 2


def test_the_secrecy_part_is_quick(generated: float) -> None:
    assert generated < 3.0  # about a quarter of a second on a laptop


def test_a_failure_leaves_nothing_and_the_clock_as_it_was(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    demo_items.generate(session)
    before = clock.now

    def broken(*_args: object) -> None:
        raise RuntimeError("the printer is on fire")

    monkeypatch.setattr(closing, "close", broken)
    with pytest.raises(RuntimeError):
        demo_secrecy.generate(session)
    assert clock.now is before
    assert rows("SELECT (SELECT count(*) FROM document), (SELECT count(*) FROM check_run)") == [
        (0, 0)]


@pytest.mark.parametrize("today", ["2026-10-01", "2027-02-10", "2028-03-01"])
def test_any_day_of_the_year(session: Session, monkeypatch: pytest.MonkeyPatch,
                             today: str) -> None:
    """The story is told relative to the day the demo is built: the previous quarter's
    check-in, the last holiday within a year when one is entered (2026's are seeded)."""
    moment = datetime.fromisoformat(today).replace(hour=9).astimezone()
    monkeypatch.setattr(clock, "now", lambda: moment)
    demo_items.generate(session)
    assert demo_secrecy.generate(session) > 200
    runs = {r.kind: r for r in checks.runs()}
    assert runs["quarter"].period < checks.quarter_of(moment.date())
    assert ("holiday" in runs) == (today != "2028-03-01")
    assert all(r.status == "closed" for r in runs.values())
    assert rows("SELECT max(at) FROM custody_event")[0][0] <= moment.isoformat()


def test_the_demo_store_has_the_register(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    moment = datetime(2026, 11, 30, 9).astimezone()
    monkeypatch.setattr(clock, "now", lambda: moment)
    paths = DataPaths(tmp_path / "demo")
    started = time.perf_counter()
    demo.ensure_demo(paths)
    took = time.perf_counter() - started
    assert took < 20  # the whole demo, a couple of seconds on a laptop
    with StoreDir(paths) as folder:
        opened = folder.unlock("clerk", demo.DEMO_PASSWORD)
        assert rows("SELECT count(*) FROM item WHERE document_id IS NOT NULL")[0][0] >= 200
        assert {(r.kind, r.period, r.status) for r in checks.runs()} == {
            ("quarter", "2026-Q3", "closed"), ("holiday", "2026-09-30", "closed")}
        assert opened.audit.verify().ok
        opened.close()
