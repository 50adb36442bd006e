"""The secrecy register (D4, D5): receipt, distribution against signature, check-in."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.custody import desk, items
from store.errors import FieldError, RuleRefused, StoreError
from store.secrecy import checks, closing
from store.secrecy import register as secrecy
from store.vault.database import rows
from store.vault.session import Session
from tests import secrecy_fixture


def _counts() -> tuple[object, ...]:
    return tuple(rows("SELECT (SELECT count(*) FROM item), (SELECT count(*) FROM distribution),"
                      " (SELECT count(*) FROM document), (SELECT count(*) FROM audit),"
                      " (SELECT count(*) FROM check_line), (SELECT count(*) FROM incident)")[0])


def test_a_receipt_registers_each_copy_with_its_document_and_list(session: Session) -> None:
    copies = secrecy_fixture.setup(session)
    assert [c.copy_no for c in copies] == [1, 2, 3, 4, 5]
    assert {c.copies for c in copies} == {5} and {c.kind for c in copies} == {"classified"}
    register = secrecy.register()
    assert len(register) == 5 and {c.doc_no for c in register} == {"某检发〔2026〕7号"}
    assert secrecy.totals() == {"confidential": 5}
    listed = secrecy.recipients(register[0].document_id)
    assert [p.code for p, _a in listed] == ["zbz", "wbz"]
    assert [e.kind for e in items.chain(copies[0].id)] == ["receive"]
    assert rows("SELECT sealed, pages FROM document") == [(1, 6)]


def test_receipt_to_distribution_to_check_in_for_several_copies(session: Session) -> None:
    copies = secrecy_fixture.setup(session)
    secrecy.distribute(session, copies[0].reg_no, "zbz")
    secrecy.distribute(session, copies[1].reg_no, "zbz")
    out = secrecy.distribute(session, copies[2].reg_no, "wbz")
    assert out.status == "distributed" and out.holder == "王部长" and out.signed_at
    assert secrecy.out_now() == 3
    run = checks.start(session, "quarter")
    assert run.period == "2026-Q4" and run.total == 3
    walked = checks.all_lines(run.id)
    assert [line.holder for line in walked] == ["张部长", "张部长", "王部长"]
    assert [line.location for line in walked] == ["第一检察部", "第一检察部", "第二检察部"]
    checks.mark(session, run.id, copies[0].reg_no)  # a scan: checked in
    checks.mark(session, run.id, copies[1].reg_no, "kept", "案件仍在办理")
    checks.mark(session, run.id, copies[2].reg_no, "missing", "部门称已遗失")
    closed = closing.close(session, run.id, "lwj", "jxa")
    assert closed.status == "closed" and closed.checker == "李文杰"
    assert closed.supervisor == "蒋秀安"
    assert [items.get(c.id).status for c in copies[:3]] == ["in", "distributed", "missing"]
    assert [e.kind for e in items.chain(copies[0].id)] == ["receive", "distribute", "checkin"]
    assert [e.kind for e in items.chain(copies[1].id)][-1] == "kept"
    assert rows("SELECT kind, status FROM incident") == [("missing", "open")]
    assert rows("SELECT outcome FROM distribution ORDER BY id") == [("returned",), ("",),
                                                                    ("missing",)]
    assert rows("SELECT count(*) FROM audit WHERE action = 'check.close'") == [(1,)]


def test_distributing_to_someone_off_the_list_is_refused(session: Session) -> None:
    copies = secrecy_fixture.setup(session)
    before = _counts()
    with pytest.raises(RuleRefused) as refused:
        secrecy.distribute(session, copies[0].reg_no, "sjy")
    assert str(refused.value).startswith("D4:") and refused.value.field == "recipient"
    assert "孙佳怡" in str(refused.value)
    assert _counts() == before and items.get(copies[0].id).status == "in"


def test_the_list_widens_only_with_approval(session: Session) -> None:
    copies = secrecy_fixture.setup(session)
    document = secrecy.register()[0].document_id
    with pytest.raises(RuleRefused, match=r"^D4:"):
        secrecy.add_recipient(session, document, "sjy", "")
    with pytest.raises(RuleRefused, match=r"^D4:"):
        secrecy.add_recipient(session, document, "sjy", "zbz")  # a head cannot approve
    secrecy.add_recipient(session, document, "sjy", "bmb")
    assert secrecy.distribute(session, copies[0].reg_no, "sjy").holder == "孙佳怡"
    assert [(p.code, a) for p, a in secrecy.recipients(document)][-1] == ("sjy", "保密办刘")


def test_redistribution_needs_approval(session: Session) -> None:
    copies = secrecy_fixture.setup(session)
    secrecy.distribute(session, copies[0].reg_no, "zbz")
    before = _counts()
    with pytest.raises(RuleRefused, match=r"^D4:.*approval") as refused:
        secrecy.distribute(session, copies[0].reg_no, "wbz")
    assert refused.value.field == "approver" and _counts() == before
    moved = secrecy.distribute(session, copies[0].reg_no, "wbz", approver="bmb")
    assert moved.holder == "王部长"
    assert rows("SELECT outcome FROM distribution ORDER BY id") == [("passed on",), ("",)]
    assert items.chain(copies[0].id)[-1].approved_by == "保密办刘"


def test_a_distributed_copy_is_not_lent_at_the_desk(session: Session) -> None:
    copies = secrecy_fixture.setup(session)
    secrecy.distribute(session, copies[0].reg_no, "zbz")
    with pytest.raises(RuleRefused, match=r"^D5:.*张部长"):
        desk.available(copies[0].reg_no)


@pytest.mark.parametrize(("change", "field"), [
    ({"copy_numbers": "1-3,3"}, "copy_numbers"),
    ({"copy_numbers": "0-2"}, "copy_numbers"),
    ({"copy_numbers": "6"}, "copy_numbers"),
    ({"recipients": ""}, "recipients"),
    ({"recipients": "xgaj"}, "recipients"),
    ({"recipients": "nobody"}, "recipients"),
    ({"classification": "internal"}, "classification"),
    ({"received_on": "2026-13-01"}, "received_on"),
    ({"received_on": "2027-01-01"}, "received_on"),
    ({"sealed": False}, "note"),
    ({"doc_no": " "}, "doc_no"),
    ({"copies": "0"}, "copies"),
])
def test_bad_receipts_say_which_field_and_write_nothing(session: Session,
                                                       change: dict[str, object],
                                                       field: str) -> None:
    secrecy_fixture.setup(session)
    before = _counts()
    with pytest.raises((FieldError, RuleRefused)) as refused:
        secrecy.receive(session, secrecy_fixture.receipt(**{"doc_no": "某检发〔2026〕8号",
                                                            **change}))
    assert refused.value.field == field
    assert _counts() == before


def test_copy_numbers_that_clash_are_refused(session: Session) -> None:
    secrecy_fixture.setup(session)
    before = _counts()
    with pytest.raises(RuleRefused, match=r"^D4: copy 4 .* already registered as"):
        secrecy.receive(session, secrecy_fixture.receipt(copy_numbers="4-5"))
    assert _counts() == before


def test_a_document_received_again_is_known_by_its_number_however_bracketed(
        session: Session) -> None:
    secrecy_fixture.setup(session)  # 某检发〔2026〕7号, copies 1-5 of 5
    before = _counts()
    with pytest.raises(RuleRefused, match=r"^D4: copy 3 of 某检发〔2026〕7号") as refused:
        secrecy.receive(session, secrecy_fixture.receipt(doc_no="某检发（2026）7号",
                                                         copy_numbers="3"))
    assert refused.value.field == "copy_numbers"
    with pytest.raises(RuleRefused, match=r"^D4: .* registered as 5 copies in all") as refused:
        secrecy.receive(session, secrecy_fixture.receipt(doc_no="某检发[2026]7号", copies="8",
                                                         copy_numbers="6-8"))
    assert refused.value.field == "copies" and _counts() == before


def test_a_broken_seal_is_registered_with_an_incident(session: Session) -> None:
    secrecy_fixture.setup(session)
    made = secrecy.receive(session, secrecy_fixture.receipt(
        doc_no="某检发〔2026〕9号", copies="2", sealed=False, note="封口胶带有撕开痕迹"))
    assert rows("SELECT item_id, kind, note FROM incident") == [
        (made[0].id, "seal", "封口胶带有撕开痕迹")]
    assert rows("SELECT sealed FROM document WHERE doc_no = '某检发〔2026〕9号'") == [(0,)]
    assert [[e.kind for e in items.chain(c.id)] for c in made] == [["receive", "incident"]] * 2


def test_copy_numbers_are_read_as_clerks_write_them() -> None:
    assert secrecy.copy_numbers("１－３、５", 5) == [1, 2, 3, 5]
    assert secrecy.copy_numbers("", 3) == [1, 2, 3]
    with pytest.raises(FieldError):
        secrecy.copy_numbers("1..3", 5)


def test_the_register_filters_and_totals(session: Session) -> None:
    copies = secrecy_fixture.setup(session)
    secrecy.receive(session, secrecy_fixture.receipt(
        doc_no="某检发〔2026〕10号", title="绝密通报", classification="top", copies="2"))
    secrecy.distribute(session, copies[0].reg_no, "zbz")
    assert secrecy.totals() == {"confidential": 5, "top": 2}
    assert secrecy.totals(secrecy.Filter(text="绝密")) == {"top": 2}
    held = secrecy.register(secrecy.Filter(status="distributed"))
    assert [c.reg_no for c in held] == [copies[0].reg_no] and held[0].holder == "张部长"
    assert secrecy.register(secrecy.Filter(first="2026-11-21")) == []
    page = secrecy.register(limit=3)
    every = [c.id for c in secrecy.register()]
    assert len(every) == 7 and [c.id for c in page] == every[:3]
    assert [c.id for c in secrecy.register(after=page[-1].id)] == every[3:]


@given(st.text(max_size=30))
def test_any_copy_numbers_are_read_or_refused_clearly(text: str) -> None:
    try:
        found = secrecy.copy_numbers(text, 20)
    except StoreError as exc:
        assert exc.message and "\n" not in exc.message
    else:
        assert found == sorted(set(found)) and all(1 <= n <= 20 for n in found)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.text(max_size=40), result=st.sampled_from(["", "present", "accounted",
                                                           "missing", "returned", "kept",
                                                           "bogus"]),
       note=st.text(max_size=20))
def test_anything_scanned_or_marked_is_taken_or_refused_clearly(
        session: Session, typed: str, result: str, note: str) -> None:
    if not rows("SELECT 1 FROM check_run"):
        secrecy_fixture.setup(session)
        checks.start(session, "inventory")
    run = checks.runs()[0].id
    before = rows("SELECT count(*) FROM audit")
    try:
        line = checks.mark(session, run, typed, result, note)
    except StoreError as exc:
        assert exc.message and "\n" not in exc.message
        assert rows("SELECT count(*) FROM audit") == before
    else:
        assert line.result in checks.RESULTS and items.normalise(typed) == line.reg_no


def test_a_copy_handed_back_before_the_check_in_comes_back_into_custody(
        session: Session) -> None:
    copies = secrecy_fixture.setup(session)
    with pytest.raises(RuleRefused, match=r"^D5: .* not distributed"):
        secrecy.take_back(session, copies[0].reg_no)
    secrecy.distribute(session, copies[0].reg_no, "zbz")
    back = secrecy.take_back(session, copies[0].reg_no, "办结交回")
    assert (back.status, back.holder) == ("in", "")
    assert [e.kind for e in items.chain(copies[0].id)] == ["receive", "distribute", "checkin"]
    assert rows("SELECT outcome, note FROM distribution") == [("returned", "办结交回")]
    with pytest.raises(RuleRefused, match="nothing to check: no distributed copies"):
        checks.start(session, "quarter")  # nothing is out any more


def test_a_blank_page_count_and_a_missing_location_are_refused(session: Session) -> None:
    """Issue 18, point 26: a blank 页数 is not saved as 0, and a location is required."""
    secrecy_fixture.setup(session)
    before = rows("SELECT count(*) FROM item")
    for changes, field in [({"pages": ""}, "pages"), ({"pages": "0"}, "pages"),
                           ({"location": " "}, "location")]:
        with pytest.raises(FieldError) as refused:
            secrecy.receive(session, secrecy_fixture.receipt(
                doc_no="某检发〔2026〕30号", **changes))
        assert refused.value.field == field
    assert rows("SELECT count(*) FROM item") == before


def test_people_are_named_as_the_clerk_knows_them(session: Session) -> None:
    """Issue 18, point 12: names or codes, separated by 、 or spaces, in the register."""
    secrecy_fixture.setup(session)
    made = secrecy.receive(session, secrecy_fixture.receipt(
        doc_no="某检发〔2026〕31号", copies="2", recipients="张部长、孙佳怡 wbz"))
    document = secrecy.copy(made[0].id).document_id
    assert sorted(p.code for p, _a in secrecy.recipients(document)) == ["sjy", "wbz", "zbz"]
    secrecy.distribute(session, made[0].reg_no, "孙佳")
    with pytest.raises(FieldError, match=r"王部长.*张部长") as refused:
        secrecy.distribute(session, made[0].reg_no, "张部长", "部长")  # which of them?
    assert refused.value.field == "approver"
    secrecy.distribute(session, made[0].reg_no, "张部长", "陈检察长")
    assert secrecy.copy(made[0].id).holder == "张部长"
    secrecy.add_recipient(session, document, "李文杰", "保密办刘")
    with pytest.raises(FieldError) as refused:
        secrecy.receive(session, secrecy_fixture.receipt(doc_no="某检发〔2026〕32号",
                                                          recipients="nobody"))
    assert refused.value.field == "recipients"
