"""Destruction (A7, D6, D9): eligibility, holds, approval, execution — nothing deleted."""

from __future__ import annotations

import pytest

from store.custody import desk, items, people
from store.destruction import batches as destruction
from store.destruction import holds
from store.destruction.batches import Arrangements, Execution
from store.errors import FieldError, InvalidInput, NotAllowed, RuleRefused
from store.secrecy import register as secrecy
from store.vault.database import execute, rows
from store.vault.session import Session
from tests.desk_fixture import setup


def _counts() -> tuple[object, ...]:
    return tuple(rows("SELECT (SELECT count(*) FROM batch_item), (SELECT count(*) FROM audit),"
                      " (SELECT count(*) FROM batch_supervisor), (SELECT count(*) FROM hold),"
                      " (SELECT group_concat(status) FROM destruction_batch),"
                      " (SELECT group_concat(status) FROM item)")[0])


@pytest.fixture
def made(session: Session) -> dict[str, str]:
    numbers = setup(session)
    people.add(session, "jxa", "蒋秀安", "supervisor", department="纪检监察室")
    people.add(session, "gzm", "郭智明", "supervisor", department="办公室")
    numbers["usb"] = items.register(session, "统计数据U盘", "usb", "secret").reg_no
    numbers["draft"] = items.register(session, "报表草稿", "report", "internal").reg_no
    return numbers


def arranged(**changes: str) -> Arrangements:
    fields = dict(approver="cjc", approved_on="2026-11-30", reference="销审〔2026〕3号",
                  place="本院保密销毁室", method="shred", planned_on="2026-11-30", handler="lwj",
                  supervisors="jxa gzm")
    fields.update(changes)
    return Arrangements(**fields)


def _printed(session: Session, numbers: list[str], method: str = "shred") -> destruction.Batch:
    batch = destruction.create(session)
    for number in numbers:
        destruction.add(session, batch.id, number, "expired")
    destruction.approve(session, batch.id, arranged(method=method))
    destruction.mark_printed(session, batch.id)
    return destruction.get(batch.id)


def test_a_batch_from_draft_to_destroyed_keeps_every_item_and_its_chain(
        session: Session, made: dict[str, str]) -> None:
    batch = destruction.create(session)
    assert (batch.number, batch.status) == ("销-2026-001", "draft")
    destruction.add(session, batch.id, made["report"], "superseded")
    destruction.add(session, batch.id, made["draft"], "waste")
    approved = destruction.approve(session, batch.id, arranged())
    assert (approved.status, approved.approver, approved.handler) == ("approved", "陈检察长",
                                                                      "李文杰")
    assert [p.code for p, _here in destruction.supervisors(batch.id)] == ["jxa", "gzm"]
    printed, listed = destruction.mark_printed(session, batch.id)
    assert printed.status == "printed" and printed.list_sha256 == destruction.digest(listed)
    done = destruction.execute_batch(session, batch.id, Execution(
        "2026-11-30", "jxa gzm", {}, "销-2026-001"))
    assert (done.status, done.executed_on) == ("executed", "2026-11-30")
    for key in ("report", "draft"):
        item = items.by_number(made[key])
        assert item is not None and item.status == "destroyed"
        chain = items.chain(item.id)
        assert chain[0].kind == "register" and chain[-1].kind == "destroy"
        assert chain[-1].reference == "销-2026-001"
    assert rows("SELECT state, open FROM batch_item ORDER BY id") == [("destroyed", 0)] * 2
    assert rows("SELECT present FROM batch_supervisor") == [(1,), (1,)]
    assert rows("SELECT count(*) FROM audit WHERE action = 'batch.execute'") == [(1,)]


def _refused(session: Session, batch_id: int, number: str, rule: str, words: str) -> None:
    before = _counts()
    with pytest.raises(RuleRefused) as refused:
        destruction.add(session, batch_id, number, "expired")
    assert str(refused.value).startswith(f"{rule}: ") and words in str(refused.value)
    assert refused.value.field == "number" and _counts() == before


def test_items_on_loan_distributed_or_destroyed_cannot_join(session: Session,
                                                           made: dict[str, str]) -> None:
    batch = destruction.create(session)
    desk.record(session, desk.Request("lwj", [made["report"]], "read", slip_no="1",
                                      head="zbz"))
    _refused(session, batch.id, made["report"], "A7", "being read in the room")
    desk.return_item(session, made["report"])
    destruction.add(session, batch.id, made["report"], "expired")  # back: allowed
    people.add(session, "sjy", "孙佳怡", "staff", department="第三检察部")
    copy = secrecy.receive(session, secrecy.Receipt(
        "某市人民检察院", "某检发〔2026〕7号", "通知", "2026-11-20", "secret", "1", "",
        pages="4", location="机要柜", recipients="sjy"))[0]
    secrecy.distribute(session, copy.reg_no, "sjy")
    _refused(session, batch.id, copy.reg_no, "A7", "distributed against signature")
    secrecy.take_back(session, copy.reg_no, "办结交回")
    destruction.add(session, batch.id, copy.reg_no, "expired")  # back in custody: allowed
    other = _printed(session, [made["ledger"]])
    destruction.execute_batch(session, other.id, Execution("2026-11-30", "jxa gzm", {},
                                                           other.number))
    _refused(session, batch.id, made["ledger"], "A7", "destroyed already")


def test_an_item_in_another_open_batch_cannot_join(session: Session,
                                                  made: dict[str, str]) -> None:
    first, second = destruction.create(session), destruction.create(session)
    destruction.add(session, first.id, made["report"], "expired")
    _refused(session, second.id, made["report"], "A7", "already in batch 销-2026-001")
    destruction.cancel(session, first.id, "计划调整")
    destruction.add(session, second.id, made["report"], "expired")  # free again


def test_a_recovered_copy_goes_alone_and_an_original_waits_for_its_copies(
        session: Session, made: dict[str, str]) -> None:
    """D6, D7: copies are registered like originals, recovered after use and their waste
    destroyed promptly: a recovered copy may go on a batch without its original."""
    desk.record(session, desk.Request("lwj", [made["volume"]], "copy", slip_no="1",
                                      head="zbz", approver="cjc", secrecy="bmb",
                                      due_on="2026-12-10"))
    copy = rows("SELECT reg_no FROM item WHERE original_id IS NOT NULL")[0][0]
    batch = destruction.create(session)
    _refused(session, batch.id, made["volume"], "D7", f"its copy {copy} is not recovered")
    desk.return_item(session, copy)  # the copy recovered
    destruction.add(session, batch.id, copy, "waste")  # alone, its original kept
    assert [line.reg_no for line in destruction.lines(batch.id)] == [copy]
    destruction.approve(session, batch.id, arranged())
    destruction.mark_printed(session, batch.id)
    done = destruction.execute_batch(session, batch.id, Execution(
        "2026-11-30", "jxa gzm", {}, batch.number))
    assert done.status == "executed"
    assert items.by_number(copy).status == "destroyed"  # type: ignore[union-attr]
    assert items.by_number(made["volume"]).status == "in"  # type: ignore[union-attr]


def test_an_unrecovered_copy_is_refused_by_d7_and_b5_not_b3(session: Session,
                                                            made: dict[str, str]) -> None:
    desk.record(session, desk.Request("lwj", [made["volume"]], "copy", slip_no="1",
                                      head="zbz", approver="cjc", secrecy="bmb",
                                      due_on="2026-12-10"))
    copy = rows("SELECT reg_no FROM item WHERE original_id IS NOT NULL")[0][0]
    batch = destruction.create(session)
    before = _counts()
    with pytest.raises(RuleRefused) as refused:
        destruction.add(session, batch.id, copy, "waste")
    said = str(refused.value)
    assert said.startswith("D7/B5: ") and f"{copy} is a copy not yet recovered" in said
    assert "B3" not in said and "A7" not in said
    assert refused.value.rule == "D7/B5" and refused.value.field == "number"
    assert _counts() == before


def test_an_original_and_its_recovered_copy_come_off_in_any_order(
        session: Session, made: dict[str, str]) -> None:
    desk.record(session, desk.Request("lwj", [made["volume"]], "copy", slip_no="1",
                                      head="zbz", approver="cjc", secrecy="bmb",
                                      due_on="2026-12-10"))
    copy = rows("SELECT reg_no FROM item WHERE original_id IS NOT NULL")[0][0]
    desk.return_item(session, copy)
    batch = destruction.create(session)
    destruction.add(session, batch.id, made["volume"], "expired")
    destruction.add(session, batch.id, copy, "expired")
    destruction.remove(session, batch.id, made["volume"])
    destruction.remove(session, batch.id, copy)
    assert destruction.lines(batch.id) == []
    assert rows("SELECT state FROM batch_item") == [("removed",), ("removed",)]


def test_holds_keep_items_from_destruction_until_lifted(session: Session,
                                                       made: dict[str, str]) -> None:
    batch = destruction.create(session)
    held = holds.place(session, "案件尚未办结", number=made["report"])
    _refused(session, batch.id, made["report"], "A7", "held: 案件尚未办结")
    by_kind = holds.place(session, "巡视检查待查", kind="ledger", first="2026-01-01",
                          last="2026-12-31")
    _refused(session, batch.id, made["ledger"], "A7", "巡视检查待查")
    execute("UPDATE item SET created_at = '2025-12-31T09:00:00+08:00' WHERE reg_no = ?",
            (made["ledger"],))  # registered before the period: not held
    assert holds.holding(items.by_number(made["ledger"]).id) == []  # type: ignore[union-attr]
    execute("UPDATE item SET created_at = '2026-11-30T09:00:00+08:00' WHERE reg_no = ?",
            (made["ledger"],))
    destruction.add(session, batch.id, made["volume"], "expired")  # another kind: free
    holds.lift(session, held.id, "已办结")
    holds.lift(session, by_kind.id, "检查结束")
    destruction.add(session, batch.id, made["report"], "expired")
    destruction.add(session, batch.id, made["ledger"], "expired")
    assert [h.status for h in holds.listing()] == ["lifted", "lifted"]
    item = items.by_number(made["report"])
    assert item is not None
    assert [e.kind for e in items.chain(item.id)][-2:] == ["hold", "hold-lifted"]
    with pytest.raises(NotAllowed):
        holds.lift(session, held.id, "again")


@pytest.mark.parametrize(("given", "field"), [
    ({"number": "", "kind": ""}, "number"),
    ({"number": "统-2026-0001", "kind": "report"}, "number"),
    ({"number": "统-2026-9999"}, "number"),
    ({"kind": "nonsense"}, "kind"),
    ({"kind": "report", "first": "2026-12-01", "last": "2026-01-01"}, "last"),
    ({"kind": "report", "first": "2026-13-01"}, "first"),
    ({"number": "统-2026-0001", "reason": " "}, "reason"),
])
def test_bad_holds_say_which_field(session: Session, made: dict[str, str],
                                   given: dict[str, str], field: str) -> None:
    before = _counts()
    with pytest.raises(FieldError) as refused:
        holds.place(session, **{"reason": "待查", **given})
    assert refused.value.field == field and _counts() == before


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"supervisors": "jxa"}, "supervisors", "two or more supervisors"),
    ({"supervisors": "jxa cjc"}, "supervisors", "approves the destruction"),
    ({"supervisors": "jxa lwj"}, "supervisors", "handles the destruction"),
    ({"handler": "cjc"}, "handler", "approves the destruction"),
    ({"approver": "zbz"}, "approver", "is not a leader"),
    ({"supervisors": "jxa xgaj"}, "supervisors", "external unit"),
    ({"place": ""}, "place", "designated place"),
    ({"method": "media"}, "method", "holds paper"),
    ({"planned_on": "2026-11-20"}, "planned_on", "after its approval"),
    ({"reference": ""}, "reference", "reference"),
    ({"approved_on": "2027-01-01"}, "approved_on", "future"),
])
def test_approval_needs_a_leader_a_place_a_fitting_method_and_two_supervisors(
        session: Session, made: dict[str, str], change: dict[str, str], field: str,
        words: str) -> None:
    batch = destruction.create(session)
    destruction.add(session, batch.id, made["report"], "expired")
    before = _counts()
    with pytest.raises((FieldError, RuleRefused)) as refused:
        destruction.approve(session, batch.id, arranged(**change))
    assert refused.value.field == field and words in str(refused.value)
    assert _counts() == before


def test_disks_and_usb_drives_are_degaussed_and_destroyed(session: Session,
                                                         made: dict[str, str]) -> None:
    batch = destruction.create(session)
    destruction.add(session, batch.id, made["usb"], "expired")
    with pytest.raises(RuleRefused, match=r"^D9: .*degaussed"):
        destruction.approve(session, batch.id, arranged(method="shred"))
    assert destruction.approve(session, batch.id, arranged(method="media")).method == "media"


def test_a_batch_is_printed_only_once_approved(session: Session,
                                              made: dict[str, str]) -> None:
    batch = destruction.create(session)
    destruction.add(session, batch.id, made["report"], "expired")
    with pytest.raises(RuleRefused, match="once approved"):
        destruction.mark_printed(session, batch.id)
    with pytest.raises(RuleRefused, match="no items"):
        destruction.approve(session, destruction.create(session).id, arranged())


def test_execution_is_refused_unless_approved_printed_and_confirmed(
        session: Session, made: dict[str, str]) -> None:
    batch = destruction.create(session)
    destruction.add(session, batch.id, made["report"], "expired")
    done = Execution("2026-11-30", "jxa gzm", {}, "销-2026-001")
    before = _counts()
    with pytest.raises(RuleRefused, match=r"^A7: batch 销-2026-001 is draft"):
        destruction.execute_batch(session, batch.id, done)
    assert _counts() == before
    destruction.approve(session, batch.id, arranged())
    with pytest.raises(RuleRefused, match="printed for signing"):
        destruction.execute_batch(session, batch.id, done)
    destruction.mark_printed(session, batch.id)
    before = _counts()
    for wrong, field in [(Execution("2026-11-30", "jxa gzm", {}, "销-2026-01"), "confirm"),
                         (Execution("2026-11-30", "jxa", {}, "销-2026-001"), "present"),
                         (Execution("2026-11-30", "jxa cjc", {}, "销-2026-001"), "present"),
                         (Execution("2026-11-20", "jxa gzm", {}, "销-2026-001"), "done_on"),
                         (Execution("2026-11-30", "jxa gzm", {"统-2026-0099": "x"},
                                    "销-2026-001"), "kept")]:
        with pytest.raises((FieldError, RuleRefused)) as refused:
            destruction.execute_batch(session, batch.id, wrong)
        assert refused.value.field == field
    assert _counts() == before


def test_an_item_lent_after_approval_blocks_the_execution(session: Session,
                                                         made: dict[str, str]) -> None:
    batch = _printed(session, [made["report"], made["draft"]])
    desk.record(session, desk.Request("lwj", [made["report"]], "read", slip_no="1",
                                      head="zbz"))
    holds.place(session, "巡视待查", number=made["draft"])  # a hold placed after printing
    before = _counts()
    with pytest.raises(RuleRefused, match=rf"^A7: {made['report']} is being read.*; A7: held:"
                                          r" 巡视待查.*\. No longer to be destroyed"):
        destruction.execute_batch(session, batch.id, Execution("2026-11-30", "jxa gzm", {},
                                                               batch.number))
    assert _counts() == before
    holds.lift(session, holds.listing()[0].id, "查毕")
    done = destruction.execute_batch(session, batch.id, Execution(
        "2026-11-30", "jxa gzm", {made["report"]: "借阅中，未销毁"}, batch.number))
    assert done.status == "executed"
    assert rows("SELECT state, outcome_note FROM batch_item ORDER BY id") == [
        ("kept", "借阅中，未销毁"), ("destroyed", "")]
    assert items.by_number(made["report"]).status == "reading"  # type: ignore[union-attr]


def test_the_ledger_finds_batches_by_item(session: Session, made: dict[str, str]) -> None:
    first = _printed(session, [made["report"]])
    destruction.execute_batch(session, first.id, Execution("2026-11-30", "jxa gzm", {},
                                                           first.number))
    draft = destruction.create(session)
    destruction.add(session, draft.id, made["draft"], "waste")
    assert [b.number for b in destruction.ledger()] == ["销-2026-002", "销-2026-001"]
    assert [b.number for b in destruction.ledger(made["report"])] == ["销-2026-001"]
    assert [b.count for b in destruction.ledger()] == [1, 1]
    with pytest.raises(InvalidInput):
        destruction.get(99)


def test_every_reason_an_item_cannot_join_is_said(session: Session,
                                                 made: dict[str, str]) -> None:
    holds.place(session, "案件尚未办结", number=made["report"])
    desk.record(session, desk.Request("lwj", [made["report"]], "read", slip_no="1",
                                      head="zbz"))
    batch = destruction.create(session)
    with pytest.raises(RuleRefused) as refused:
        destruction.add(session, batch.id, made["report"], "expired")
    said = str(refused.value)
    assert said.startswith("A7: ") and "being read" in said
    assert "B3: " in said and "held: 案件尚未办结" in said


def test_an_approval_dated_before_the_batch_was_opened_is_refused(
        session: Session, made: dict[str, str]) -> None:
    batch = destruction.create(session)
    destruction.add(session, batch.id, made["report"], "expired")
    with pytest.raises(FieldError, match="after the batch was opened") as refused:
        destruction.approve(session, batch.id, arranged(approved_on="2026-11-25"))
    assert refused.value.field == "approved_on"
    assert destruction.get(batch.id).status == "draft"


def test_an_item_lent_before_approval_or_printing_stops_them(session: Session,
                                                            made: dict[str, str]) -> None:
    batch = destruction.create(session)
    destruction.add(session, batch.id, made["report"], "expired")
    desk.record(session, desk.Request("lwj", [made["report"]], "read", slip_no="1",
                                      head="zbz"))
    before = _counts()
    with pytest.raises(RuleRefused, match=r"^A7: .* is being read .* No longer to be"):
        destruction.approve(session, batch.id, arranged())
    assert _counts() == before
    desk.return_item(session, made["report"])
    destruction.approve(session, batch.id, arranged())
    desk.record(session, desk.Request("lwj", [made["report"]], "read", slip_no="2",
                                      head="zbz"))
    with pytest.raises(RuleRefused, match=r"^A7: .* is being read"):
        destruction.mark_printed(session, batch.id)
    assert destruction.get(batch.id).status == "approved"


def test_a_batch_with_nothing_destroyed_is_cancelled_instead(session: Session,
                                                            made: dict[str, str]) -> None:
    batch = _printed(session, [made["report"]])
    with pytest.raises(RuleRefused, match="cancel the batch instead") as refused:
        destruction.execute_batch(session, batch.id, Execution(
            "2026-11-30", "jxa gzm", {made["report"]: "仍需保留"}, batch.number))
    assert refused.value.field == "kept"
    cancelled = destruction.cancel(session, batch.id, "经核查全部仍需保留")
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "经核查全部仍需保留")
    assert [line.state for line in destruction.lines(batch.id)] == ["released"]
    again = destruction.create(session)
    destruction.add(session, again.id, made["report"], "expired")  # free for another batch


@pytest.mark.parametrize("watchers", ["蒋秀安、郭智明", "蒋秀安，gzm", "jxa,郭智明", "jxa gzm",
                                      "蒋、郭"])
def test_people_are_named_as_clerks_type_them(session: Session, made: dict[str, str],
                                               watchers: str) -> None:
    """A name, a part of one or a short code; several separated by 、，or a comma."""
    batch = destruction.create(session)
    destruction.add(session, batch.id, made["report"], "expired")
    approved = destruction.approve(session, batch.id, arranged(
        approver="陈检察长", handler="李文", supervisors=watchers))
    assert (approved.approver, approved.handler) == ("陈检察长", "李文杰")
    assert [p.code for p, _here in destruction.supervisors(batch.id)] == ["jxa", "gzm"]
    destruction.mark_printed(session, batch.id)
    done = destruction.execute_batch(session, batch.id, Execution(
        "2026-11-30", "郭智明、jxa", {}, batch.number))
    assert done.status == "executed"
    assert rows("SELECT present FROM batch_supervisor") == [(1,), (1,)]


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"approver": "刘备"}, "approver", "no one on record matches"),
    ({"approver": "王"}, "approver", "王部长 is not a leader"),
    ({"approver": "部长"}, "approver", "张部长（第一检察部，zbz）"),
    ({"approver": "张部长"}, "approver", "张部长 is not a leader"),
    ({"supervisors": "蒋秀安、李警官"}, "supervisors", "李警官 is an external unit"),
    ({"supervisors": "蒋秀安、蒋秀安"}, "supervisors", "two or more supervisors"),
    ({"handler": "陈检察长"}, "handler", "approves the destruction"),
])
def test_people_typed_wrong_are_refused_beside_their_field(
        session: Session, made: dict[str, str], change: dict[str, str], field: str,
        words: str) -> None:
    batch = destruction.create(session)
    destruction.add(session, batch.id, made["report"], "expired")
    before = _counts()
    with pytest.raises((FieldError, RuleRefused)) as refused:
        destruction.approve(session, batch.id, arranged(**change))
    assert refused.value.field == field and words in str(refused.value)
    assert _counts() == before


def test_only_named_supervisors_are_present(session: Session, made: dict[str, str]) -> None:
    batch = _printed(session, [made["report"]])
    with pytest.raises(RuleRefused) as refused:
        destruction.execute_batch(session, batch.id, Execution(
            "2026-11-30", "蒋秀安、李文杰", {}, batch.number))
    assert refused.value.field == "present"
    assert "李文杰 is not a supervisor named for this batch (蒋秀安、郭智明)" in str(refused.value)
