"""The demo store's destruction register: past batches carried out with their chains of
custody, one item kept back, this month's draft left to try, two holds on — through the
store's own functions, quickly, with the clock put back."""

from __future__ import annotations

import re
import time
from datetime import datetime
from pathlib import Path

import pytest

from exports import destruction_files
from store import clock
from store.custody import items
from store.demo import build as demo
from store.demo import destruction as demo_destruction
from store.demo import items as demo_items
from store.demo import secrecy as demo_secrecy
from store.destruction import batches as destruction
from store.destruction import holds
from store.destruction import rules as destruction_rules
from store.destruction.batches import Arrangements, Execution
from store.vault.database import rows
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from store.vault.session import Session


@pytest.fixture
def generated(session: Session) -> float:
    """The demo's people, items and secrecy register, then destruction; the seconds it took."""
    demo_items.generate(session)
    demo_secrecy.generate(session)
    started = time.perf_counter()
    demo_destruction.generate(session, printed=destruction_files.printed_text)
    return time.perf_counter() - started


def _executed() -> list[destruction.Batch]:
    return [b for b in reversed(destruction.ledger()) if b.status == "executed"]


def test_three_batches_carried_out_over_the_year(generated: float) -> None:
    done = _executed()
    assert [b.number for b in done] == ["销-2026-001", "销-2026-002", "销-2026-003"]
    assert [b.executed_on[:7] for b in done] == ["2026-01", "2026-04", "2026-07"]
    assert [b.approval_ref for b in done] == [f"销审〔2026〕{n}号" for n in (1, 2, 3)]
    leaders = {"陈检察长", "李检察长"}
    staff = {name for (name,) in rows("SELECT name FROM person WHERE role = 'staff'")}
    for batch in done:
        assert batch.approver in leaders and batch.handler in staff
        assert batch.place in (demo_destruction.ROOM, demo_destruction.BUREAU)
        assert batch.created_at[:10] < batch.approved_on <= batch.planned_on == batch.executed_on
        # printed as a real manifest would be: the digest of its printed words, recomputable
        assert batch.printed_at[:10] == batch.approved_on and batch.list_text
        assert batch.list_sha256 == destruction.text_digest(batch.list_text)
        assert batch.list_text == destruction_files.manifest_text(batch, destruction.lines(
            batch.id)) and batch.list_lang == "en"
        watching = destruction.supervisors(batch.id)
        assert len(watching) >= 2 and sum(here for _p, here in watching) >= 2
        assert all(p.role in ("supervisor", "secrecy") for p, _here in watching)
        assert batch.approver not in {p.name for p, _here in watching}
        assert batch.count >= 3 and batch.note
    media = done[1]
    assert (media.method, media.place) == ("media", demo_destruction.BUREAU)
    assert {line.kind for line in destruction.lines(media.id)} <= set(destruction.MEDIA)
    for batch in (done[0], done[2]):
        listed = destruction.lines(batch.id)
        assert batch.method == "shred"
        assert {line.reason for line in listed} >= {"expired", "waste"}
        assert {line.kind for line in listed} >= {"report", "volume"}


def test_destroyed_items_end_their_chain_with_the_batch(generated: float) -> None:
    count = 0
    for batch in _executed():
        for line in destruction.lines(batch.id):
            if line.state == "kept":
                continue
            count += 1
            assert (line.state, line.status) == ("destroyed", "destroyed")
            chain = items.chain(line.item_id)
            assert chain[0].kind == "register" and chain[0].at < batch.created_at
            assert chain[-1].kind == "destroy" and chain[-1].reference == batch.number
            assert chain[-1].at.startswith(batch.executed_on)
            assert [e.at for e in chain] == sorted(e.at for e in chain)
    assert count >= 15
    waste = rows("SELECT i.title, i.status FROM batch_item x JOIN item i ON i.id = x.item_id"
                 " WHERE x.reason = 'waste' AND x.state = 'destroyed'")
    assert len(waste) >= 4 and all(re.search("校对稿|征求意见稿|印制废页", t) for t, _s in waste)


def test_one_volume_was_kept_back(generated: float) -> None:
    kept = rows("SELECT x.item_id, x.outcome_note, b.number FROM batch_item x JOIN"
                " destruction_batch b ON b.id = x.batch_id WHERE x.state = 'kept'")
    assert len(kept) == 1
    item_id, note, number = kept[0]
    assert number == "销-2026-003" and note == demo_destruction.KEPT
    item = items.get(item_id)
    assert item.kind == "volume" and item.status == "in"
    assert "destroy" not in {e.kind for e in items.chain(item_id)}
    assert not destruction_rules.why_not(item, 0)  # free again for a later batch
    (execution,), = rows("SELECT new FROM audit WHERE action = 'batch.execute'"
                         " AND entity_id = ?", (number,))
    assert item.reg_no in execution and "jxa" in execution and "bmb" in execution


def test_this_months_draft_is_left_to_try(generated: float, session: Session) -> None:
    drafts = [b for b in destruction.ledger() if b.status != "executed"]
    assert len(drafts) == 1
    draft = drafts[0]
    assert (draft.number, draft.status) == ("销-2026-004", "draft")
    assert draft.created_at.startswith("2026-11") and not draft.approver
    listed = destruction.lines(draft.id)
    assert 3 <= len(listed) <= 8
    assert len({line.reason for line in listed}) >= 3
    for line in listed:
        assert not destruction_rules.why_not(items.get(line.item_id), draft.id)
    # what the clerk does with it
    destruction.approve(session, draft.id, Arrangements(
        "cjc", "2026-11-30", "销审〔2026〕4号", demo_destruction.ROOM, "shred", "2026-11-30",
        "lwj", "jxa gzm"))
    destruction.mark_printed(session, draft.id)
    done = destruction.execute_batch(session, draft.id, Execution(
        "2026-11-30", "jxa gzm", {}, draft.number))
    assert done.status == "executed"
    assert session.audit.verify().ok


def test_two_holds_are_on_and_keep_their_items_back(generated: float) -> None:
    on = holds.listing()
    assert [h.status for h in on] == ["on", "on"]
    one = next(h for h in on if h.reg_no)
    kind = next(h for h in on if h.kind)
    assert one.reason == demo_destruction.ITEM_HOLD and "案件尚未办结" in one.reason
    assert (kind.kind, kind.first_day, kind.last_day) == ("ledger", "2025-01-01", "2025-12-31")
    assert "上级巡视检查待查" in kind.reason
    assert one.placed_at < clock.stamp() and kind.placed_at < one.placed_at
    held = items.by_number(one.reg_no)
    assert held is not None and held.status == "in"
    assert items.chain(held.id)[-1].kind == "hold"
    assert destruction_rules.why_not(held, 0)[0].startswith("A7: held: 案件尚未办结")
    ledgers = [items.get(int(i)) for (i,) in rows(
        "SELECT id FROM item WHERE kind = 'ledger' AND status = 'in' AND created_at LIKE"
        " '2025-%'")]
    assert ledgers and all(any("上级巡视检查待查" in why for why in destruction_rules.why_not(x, 0))
                           for x in ledgers)


def test_the_clock_is_back_and_the_log_holds(generated: float, session: Session) -> None:
    assert clock.now() == datetime(2026, 11, 30, 9).astimezone()
    now = clock.stamp()
    for table, column in (("destruction_batch", "created_at"), ("destruction_batch",
                                                                 "executed_at"),
                          ("batch_item", "added_at"), ("hold", "placed_at"),
                          ("custody_event", "at"), ("item", "created_at")):
        assert rows(f"SELECT max({column}) FROM {table}")[0][0] <= now
    assert rows("SELECT max(ts) FROM audit WHERE action LIKE 'batch.%' OR action LIKE"
                " 'hold.%'")[0][0] <= now
    assert session.audit.verify().ok
    actions = dict(rows("SELECT action, count(*) FROM audit WHERE action LIKE 'batch.%' OR"
                        " action LIKE 'hold.%' GROUP BY 1"))
    assert actions == {"batch.create": 4, "batch.add": rows("SELECT count(*) FROM batch_item")[
        0][0], "batch.approve": 3, "batch.print": 3, "batch.execute": 3, "hold.place": 2}
    assert rows("SELECT count(*) FROM batch_item WHERE state = 'removed'") == [(0,)]


def test_the_destruction_part_is_quick(generated: float) -> None:
    assert generated < 2.0  # a few hundredths of a second on a laptop


def test_a_failure_leaves_nothing_and_the_clock_as_it_was(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    demo_items.generate(session)
    before = clock.now
    (items_before,), = rows("SELECT count(*) FROM item")

    def broken(*_args: object) -> None:
        raise RuntimeError("the shredder is jammed")

    monkeypatch.setattr(destruction, "execute_batch", broken)
    with pytest.raises(RuntimeError):
        demo_destruction.generate(session)
    assert clock.now is before
    assert rows("SELECT (SELECT count(*) FROM destruction_batch), (SELECT count(*) FROM hold),"
                " (SELECT count(*) FROM item)") == [(0, 0, items_before)]


@pytest.mark.parametrize("today", ["2026-07-01", "2027-02-10", "2027-05-04", "2028-03-01"])
def test_any_day_of_the_year(session: Session, monkeypatch: pytest.MonkeyPatch,
                             today: str) -> None:
    """The story is told relative to the day the demo is built: the last two half-years'
    batches carried out, the media in between, this month's draft."""
    moment = datetime.fromisoformat(today).replace(hour=9).astimezone()
    monkeypatch.setattr(clock, "now", lambda: moment)
    demo_items.generate(session)
    demo_secrecy.generate(session)
    numbers = demo_destruction.generate(session)
    assert len(numbers) == 4
    batches = destruction.ledger()
    assert [b.status for b in batches] == ["draft", "executed", "executed", "executed"]
    assert batches[0].created_at[:7] == today[:7] and batches[0].count >= 3
    assert all(b.executed_on < today for b in batches[1:])
    assert [h.status for h in holds.listing()] == ["on", "on"]
    assert rows("SELECT max(at) FROM custody_event")[0][0] <= moment.isoformat()
    assert session.audit.verify().ok


def test_the_demo_store_has_the_register(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    moment = datetime(2026, 11, 30, 9).astimezone()
    monkeypatch.setattr(clock, "now", lambda: moment)
    paths = DataPaths(tmp_path / "demo")
    demo.ensure_demo(paths)
    with StoreDir(paths) as folder:
        opened = folder.unlock("clerk", demo.DEMO_PASSWORD)
        assert [(b.number, b.status) for b in destruction.ledger()] == [
            ("销-2026-004", "draft"), ("销-2026-003", "executed"), ("销-2026-002", "executed"),
            ("销-2026-001", "executed")]
        assert len(holds.listing()) == 2
        assert opened.audit.verify().ok
        opened.close()
