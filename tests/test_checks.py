"""Checklist runs (A2, D5, D11): what the snapshot holds, marks, refusals, sign-off."""

from __future__ import annotations

from datetime import date

import pytest

from store import holidays
from store.custody import desk, items
from store.errors import FieldError, RuleRefused
from store.report import deadlines
from store.secrecy import checks, closing
from store.secrecy import register as secrecy
from store.vault.database import execute, rows
from store.vault.folder import StoreDir
from store.vault.session import Session
from tests import secrecy_fixture
from tests.conftest import ADMIN_PW, Store


def _counts() -> tuple[object, ...]:
    return tuple(rows("SELECT (SELECT count(*) FROM check_run), (SELECT count(*) FROM check_line"
                      " WHERE result != ''), (SELECT count(*) FROM audit),"
                      " (SELECT count(*) FROM incident), (SELECT count(*) FROM custody_event)")[0])


def _world(session: Session) -> dict[str, items.Item]:
    """One item in each state a holiday eve meets."""
    copies = secrecy_fixture.setup(session)
    made = {name: items.register(session, name, "report", "internal", location=place)
            for name, place in [("in", "B柜-2层"), ("reading", "A柜-1层"), ("lent", "C柜-1层"),
                                ("copied", "A柜-2层"), ("missing", "A柜-1层")]}
    desk.record(session, desk.Request("lwj", [made["reading"].reg_no], "read", slip_no="1",
                                      head="zbz"))
    desk.record(session, desk.Request("lwj", [made["lent"].reg_no], "lend", slip_no="2",
                                      head="zbz", approver="cjc", due_on="2026-12-10"))
    desk.record(session, desk.Request("lwj", [made["copied"].reg_no], "copy", slip_no="3",
                                      head="zbz", approver="cjc", secrecy="bmb",
                                      due_on="2026-12-10"))
    items.report_missing(session, made["missing"].reg_no, "not found")
    made["destroyed"] = items.register(session, "destroyed", "report", "internal")
    execute("UPDATE item SET status = 'destroyed' WHERE id = ?", (made["destroyed"].id,))
    secrecy.distribute(session, copies[0].reg_no, "zbz")
    made["distributed"] = copies[0]
    made["copy"] = items.get(int(rows("SELECT id FROM item WHERE original_id = ?",
                                      (made["copied"].id,))[0][0]))
    return made


def test_the_holiday_eve_snapshot_holds_exactly_what_it_should(session: Session) -> None:
    made = _world(session)
    holidays.set_day(session, "2026-12-07", "holiday", "测试节")
    run = checks.start(session, "holiday")
    assert (run.period, run.label) == ("2026-12-04", "测试节")
    lines = checks.all_lines(run.id)
    by_number = {line.reg_no: line for line in lines}
    live = rows("SELECT reg_no FROM item WHERE status NOT IN ('missing', 'destroyed')")
    assert set(by_number) == {r[0] for r in live}
    assert made["missing"].reg_no not in by_number and made["destroyed"].reg_no not in by_number
    assert len(by_number) == 10  # five copies of the document, five of the six items above
    expected = {name: (by_number[made[name].reg_no].expected, by_number[made[name].reg_no].was)
                for name in ("in", "reading", "lent", "copy", "distributed")}
    assert expected == {"in": ("storage", "in"), "reading": ("storage", "reading"),
                        "lent": ("elsewhere", "lent"), "copy": ("elsewhere", "copy"),
                        "distributed": ("elsewhere", "distributed")}
    assert by_number[made["lent"].reg_no].holder == "李文杰"
    assert by_number[made["lent"].reg_no].since == "2026-12-10"
    assert by_number[made["distributed"].reg_no].holder == "张部长"
    walk = [(line.location, line.reg_no) for line in lines]
    assert walk == sorted(walk) and [line.seq for line in lines] == list(
        range(1, len(lines) + 1))


def test_marks_survive_closing_the_store_mid_run(store: Store,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import datetime

    from store import clock

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        _world(session)
        holidays.set_day(session, "2026-12-07", "holiday", "测试节")
        run = checks.start(session, "holiday")
        first, second = checks.all_lines(run.id)[:2]
        checks.mark(session, run.id, first.reg_no)
        checks.mark(session, run.id, second.reg_no, "missing", "不在柜中")
        session.close()
    with StoreDir(store.paths) as folder:
        again = folder.unlock("admin", ADMIN_PW)
        resumed = checks.get(run.id)
        assert (resumed.kind, resumed.label, resumed.status, resumed.resolved) == (
            "holiday", "测试节", "open", 2)
        assert checks.first_open(run.id) == 3
        assert [(ln.result, ln.note) for ln in checks.lines(run.id, 1, 2)] == [
            ("present", ""), ("missing", "不在柜中")]
        again.close()


def test_the_spot_check_is_reproducible_from_its_seed(session: Session) -> None:
    for n in range(40):
        items.register(session, f"报表{n}", "report", "internal", location=f"{n % 4}柜")
    run = checks.start(session, "spot", seed=20261130)
    assert run.seed == 20261130 and run.share == 10 and run.total == 4
    ids = [int(r[0]) for r in rows("SELECT id FROM item ORDER BY id")]
    chosen = {line.item_id for line in checks.all_lines(run.id)}
    assert chosen == set(checks.sample(ids, 10, 20261130))
    assert checks.sample(ids, 10, 20261130) == checks.sample(ids, 10, 20261130)
    assert checks.sample(ids, 10, 20261130) != checks.sample(ids, 10, 7)
    assert run.label == "" and "seed 20261130" in run.describe()


def test_a_second_open_run_of_the_same_kind_is_refused(session: Session) -> None:
    _world(session)
    first = checks.start(session, "inventory")
    before = _counts()
    with pytest.raises(RuleRefused, match=rf"^A2: .*already open \(#{first.id}"):
        checks.start(session, "inventory")
    assert _counts() == before
    assert checks.start(session, "quarter").kind == "quarter"  # another kind may run


def test_scanning_an_item_not_in_the_run_is_refused(session: Session) -> None:
    made = _world(session)
    run = checks.start(session, "inventory")
    before = _counts()
    with pytest.raises(FieldError, match=r"^no item numbered 统-2026-9999$"):  # no such item
        checks.mark(session, run.id, "统-2026-9999")
    with pytest.raises(RuleRefused, match=r"is not in this run"):
        checks.mark(session, run.id, made["missing"].reg_no)
    assert _counts() == before


def test_checking_in_a_copy_never_distributed_is_refused(session: Session) -> None:
    made = _world(session)
    run = checks.start(session, "quarter")
    before = _counts()
    with pytest.raises(RuleRefused, match=r"^D5: .* was not distributed"):
        checks.mark(session, run.id, made["in"].reg_no)
    assert _counts() == before
    checks.mark(session, run.id, made["distributed"].reg_no)
    assert checks.tally(run.id) == {"returned": 1}


def test_results_must_fit_the_line(session: Session) -> None:
    made = _world(session)
    run = checks.start(session, "inventory")
    before = _counts()
    with pytest.raises(RuleRefused, match="expected in storage"):
        checks.mark(session, run.id, made["in"].reg_no, "accounted")
    with pytest.raises(RuleRefused):
        checks.mark(session, run.id, made["in"].reg_no, "returned")
    assert _counts() == before
    checks.mark(session, run.id, made["lent"].reg_no, "accounted")
    quarter = checks.start(session, "quarter")
    with pytest.raises(FieldError) as refused:
        checks.mark(session, quarter.id, made["distributed"].reg_no, "kept")
    assert refused.value.field == "note"


def test_a_run_closes_only_when_every_line_is_resolved(session: Session) -> None:
    made = _world(session)
    run = checks.start(session, "inventory")
    for line in checks.all_lines(run.id)[1:]:
        checks.mark(session, run.id, line.reg_no,
                    "present" if line.reg_no == made["lent"].reg_no else
                    "accounted" if line.expected == "elsewhere" else "present")
    before = _counts()
    with pytest.raises(RuleRefused, match=r"^A2: 1 line is not resolved yet: 统-"):
        closing.close(session, run.id, "lwj", "jxa")
    assert _counts() == before
    first = checks.all_lines(run.id)[0]
    checks.mark(session, run.id, first.reg_no, "missing", "柜内未见")
    for checker, supervisor, field in [("", "jxa", "checker"), ("lwj", "", "supervisor"),
                                       ("lwj", "lwj", "supervisor"),
                                       ("lwj", "sjy", "supervisor")]:
        with pytest.raises((FieldError, RuleRefused)) as refused:
            closing.close(session, run.id, checker, supervisor)
        assert refused.value.field == field
    closing.close(session, run.id, "lwj", "jxa")
    assert items.get(first.item_id).status == "missing"
    assert [e.kind for e in items.chain(first.item_id)][-1] == "missing"
    assert rows("SELECT count(*) FROM incident WHERE item_id = ?", (first.item_id,)) == [(1,)]
    seen, back = items.chain(made["lent"].id)[-2:]  # recorded out, found in the cabinet:
    assert (seen.kind, seen.reference) == ("seen", f"#{run.id}")  # the close records it
    assert back.kind == "return" and items.get(made["lent"].id).status == "in"  # returned
    with pytest.raises(RuleRefused, match="is closed"):
        checks.mark(session, run.id, made["in"].reg_no)
    assert made["in"].reg_no != first.reg_no


def test_marks_can_be_taken_back_while_the_run_is_open(session: Session) -> None:
    made = _world(session)
    run = checks.start(session, "inventory")
    checks.mark(session, run.id, made["in"].reg_no, "missing", "?")
    line = checks.clear(session, run.id, made["in"].reg_no)
    assert (line.result, line.note) == ("", "")
    assert rows("SELECT count(*) FROM audit WHERE action = 'check.unmark'") == [(1,)]


def test_closed_runs_are_seen_as_done_by_the_deadlines(session: Session) -> None:
    made = _world(session)
    holidays.set_day(session, "2026-12-07", "holiday", "测试节")
    before = {d.key: d.state for d in deadlines.calendar(date(2026, 12, 1), 2026, 12).deadlines}
    assert before["check-in"] != "done" and before["holiday-eve:2026-12-04"] != "done"
    quarter = checks.start(session, "quarter")
    checks.mark(session, quarter.id, made["distributed"].reg_no)
    closing.close(session, quarter.id, "lwj", "jxa")
    eve = checks.start(session, "holiday")
    for line in checks.all_lines(eve.id):
        checks.mark(session, eve.id, line.reg_no,
                    "accounted" if line.expected == "elsewhere" else "present")
    closing.close(session, eve.id, "lwj", "jxa")
    after = {d.key: d.state for d in deadlines.calendar(date(2026, 12, 1), 2026, 12).deadlines}
    assert after["check-in"] == "done" and after["holiday-eve:2026-12-04"] == "done"
    seen = checks.overview(date(2026, 11, 30))
    assert seen.quarter_done and seen.holiday_done and not seen.open_runs


def test_an_item_that_moves_after_its_mark_is_marked_again_before_the_close(
        session: Session) -> None:
    made = _world(session)
    run = checks.start(session, "inventory")
    for line in checks.all_lines(run.id):
        checks.mark(session, run.id, line.reg_no, "missing" if line.reg_no == made["in"].reg_no
                    else "accounted" if line.expected == "elsewhere" else "present")
    desk.return_item(session, made["reading"].reg_no)  # no effect at the close: fine
    desk.record(session, desk.Request("lwj", [made["in"].reg_no], "read", slip_no="9",
                                      head="zbz"))  # "missing", yet here it is at the desk
    before = _counts()
    with pytest.raises(RuleRefused, match=rf"^A2: {made['in'].reg_no} has moved since it was"
                                          r" marked \(now being read in the room\)"):
        closing.close(session, run.id, "lwj", "jxa")
    assert _counts() == before
    again = checks.mark(session, run.id, made["in"].reg_no, "present")  # in the room
    assert (again.expected, again.was, again.marked_was) == ("storage", "in", "reading")
    closing.close(session, run.id, "lwj", "jxa")
    assert items.get(made["in"].id).status == "reading"  # its reading was not closed as lost
    assert rows("SELECT count(*) FROM incident WHERE item_id = ?", (made["in"].id,)) == [(0,)]


def test_a_copy_passed_on_after_its_check_in_mark_is_not_checked_in_blindly(
        session: Session) -> None:
    made = _world(session)
    run = checks.start(session, "quarter")
    checks.mark(session, run.id, made["distributed"].reg_no)  # checked in…
    secrecy.distribute(session, made["distributed"].reg_no, "wbz", approver="bmb")  # …passed on
    with pytest.raises(RuleRefused, match=r"^D5: .* has moved since it was marked"):
        closing.close(session, run.id, "lwj", "jxa")
    checks.mark(session, run.id, made["distributed"].reg_no, "kept", "王部长在办")
    closing.close(session, run.id, "lwj", "jxa")
    assert secrecy.copy(made["distributed"].id).holder == "王部长"


def test_an_item_reported_missing_after_the_snapshot_can_only_be_marked_missing(
        session: Session) -> None:
    made = _world(session)
    run = checks.start(session, "inventory")
    items.report_missing(session, made["in"].reg_no, "desk search")
    before = _counts()
    with pytest.raises(RuleRefused, match="is missing since the run started: mark it missing"):
        checks.mark(session, run.id, made["in"].reg_no, "present")
    assert _counts() == before
    assert checks.mark(session, run.id, made["in"].reg_no).result == "missing"  # a scan
    for line in checks.all_lines(run.id):
        if not line.result:
            checks.mark(session, run.id, line.reg_no)
    closing.close(session, run.id, "lwj", "jxa")  # the run is not stuck on it
    assert rows("SELECT count(*) FROM incident WHERE item_id = ?", (made["in"].id,)) == [(1,)]


def test_a_copy_lost_and_found_during_the_check_in_is_checked_in(session: Session) -> None:
    from store.custody import incidents

    made = _world(session)
    run = checks.start(session, "quarter")
    items.report_missing(session, made["distributed"].reg_no, "custodian cannot find it")
    incidents.found_again(session, made["distributed"].reg_no, "in the office's safe")
    with pytest.raises(RuleRefused, match=r"^D5: .* no longer distributed"):
        checks.mark(session, run.id, made["distributed"].reg_no, "missing")
    checks.mark(session, run.id, made["distributed"].reg_no)  # checked in: it is back
    closing.close(session, run.id, "lwj", "jxa")
    assert items.get(made["distributed"].id).status == "in"
    assert rows("SELECT count(*) FROM incident WHERE item_id = ?",
                (made["distributed"].id,)) == [(1,)]


def test_a_damaged_item_opens_an_incident_at_the_close(session: Session) -> None:
    made = _world(session)
    run = checks.start(session, "inventory")
    with pytest.raises(FieldError):  # the damage is described
        checks.mark(session, run.id, made["in"].reg_no, "damaged")
    for line in checks.all_lines(run.id):
        if line.reg_no == made["in"].reg_no:
            checks.mark(session, run.id, line.reg_no, "damaged", "水渍")
        else:
            checks.mark(session, run.id, line.reg_no)
    closing.close(session, run.id, "lwj", "jxa")
    assert rows("SELECT kind, note, status FROM incident WHERE item_id = ?",
                (made["in"].id,)) == [("damaged", f"A2 #{run.id}: 水渍", "open")]
    assert items.get(made["in"].id).status == "in"  # still in custody, damaged
    assert items.chain(made["in"].id)[-1].kind == "incident"


def test_an_external_unit_neither_checks_nor_supervises(session: Session) -> None:
    _world(session)
    run = checks.start(session, "inventory")
    for line in checks.all_lines(run.id):
        checks.mark(session, run.id, line.reg_no)
    for checker, supervisor, field in [("xgaj", "jxa", "checker"), ("lwj", "xgaj", "supervisor")]:
        with pytest.raises(RuleRefused, match="external unit") as refused:
            closing.close(session, run.id, checker, supervisor)
        assert refused.value.field == field
    assert checks.get(run.id).status == "open"


@pytest.mark.parametrize(("today", "done", "quarter"), [
    (date(2026, 10, 8), False, "2026-Q3"),  # last quarter's check-in, done late
    (date(2026, 10, 8), True, "2026-Q4"),
    (date(2026, 11, 8), False, "2026-Q4"),  # more than a month on: this quarter's
    (date(2026, 12, 31), False, "2026-Q4"),
    (date(2027, 1, 5), False, "2026-Q4"),
])
def test_the_check_in_is_for_the_quarter_it_catches_up_on(
        session: Session, today: date, done: bool, quarter: str) -> None:
    if done:
        execute("INSERT INTO check_run (kind, period, started_at, started_by, status)"
                " VALUES ('quarter', '2026-Q3', 't', 'admin', 'closed')")
    assert checks.check_in_quarter(today) == quarter


def test_a_copy_found_damaged_at_the_check_in_comes_back_and_is_not_asked_again(
        session: Session) -> None:
    """Issue 18, point 21: after the close, a damaged copy is what the run found: back in the
    office's custody with an incident, its distribution closed as damaged, so the next
    quarter's check-in does not list it as if it were fine."""
    copies = secrecy_fixture.setup(session)
    secrecy.distribute(session, copies[0].reg_no, "zbz")
    secrecy.distribute(session, copies[1].reg_no, "wbz")
    run = checks.start(session, "quarter")
    checks.mark(session, run.id, copies[0].reg_no, "damaged", "封面撕破")
    checks.mark(session, run.id, copies[1].reg_no, "kept", "仍在办理")
    closing.close(session, run.id, "lwj", "jxa")
    damaged = secrecy.copy(copies[0].id)
    assert (damaged.status, damaged.holder) == ("in", "")
    assert rows("SELECT outcome, note FROM distribution WHERE item_id = ?",
                (copies[0].id,)) == [("damaged", "封面撕破")]
    assert rows("SELECT kind, status FROM incident WHERE item_id = ?",
                (copies[0].id,)) == [("damaged", "open")]
    assert [e.kind for e in items.chain(copies[0].id)][-2:] == ["checkin", "incident"]
    assert secrecy.copy(copies[1].id).status == "distributed"  # kept: still with wbz
    execute("UPDATE check_run SET period = '2026-Q3' WHERE id = ?", (run.id,))
    again = checks.start(session, "quarter")
    assert [line.reg_no for line in checks.all_lines(again.id)] == [copies[1].reg_no]


def test_a_refusal_to_close_names_the_open_lines_and_the_next_one_is_found(
        session: Session) -> None:
    """Issue 18, point 24."""
    _world(session)
    run = checks.start(session, "inventory")
    lines = checks.all_lines(run.id)
    for line in lines[:2] + lines[9:]:
        checks.mark(session, run.id, line.reg_no, "missing", "?")
    with pytest.raises(RuleRefused) as refused:
        closing.closable(run.id)
    said = str(refused.value)
    assert said.startswith("A2: 7 lines are not resolved yet, the first: ")
    assert ", ".join(line.reg_no for line in lines[2:7]) in said
    assert lines[7].reg_no not in said
    assert closing.next_open(run.id, 0) == 3 and closing.next_open(run.id, 3) == 4
    assert closing.next_open(run.id, 9) == 3  # past the last: from the top again


def test_an_unknown_number_and_a_loan_found_in_storage(session: Session) -> None:
    """Issue 18, point 26: a check-in scan of a number that does not exist says so; an item
    on loan marked present at the holiday eve is returned when the run closes."""
    made = _world(session)
    quarter = checks.start(session, "quarter")
    with pytest.raises(FieldError, match=r"^no item numbered 统-2026-9999$"):
        checks.mark(session, quarter.id, "统-2026-9999")
    with pytest.raises(RuleRefused, match="not in this check-in"):
        checks.mark(session, quarter.id, made["in"].reg_no)
    holidays.set_day(session, "2026-12-07", "holiday", "测试节")
    run = checks.start(session, "holiday")
    line = checks.mark(session, run.id, made["lent"].reg_no, "present")
    assert line.marked_was in closing.RETURNED_AT_CLOSE
    with pytest.raises(RuleRefused, match="mark it present, missing or damaged"):
        checks.mark(session, run.id, made["in"].reg_no, "accounted")
    for other in checks.all_lines(run.id):
        if not other.result:
            checks.mark(session, run.id, other.reg_no,
                        "accounted" if other.expected == "elsewhere" else "present")
    closing.close(session, run.id, "李文杰", "蒋秀安")  # names, as the person picker gives
    assert items.get(made["lent"].id).status == "in"
    assert rows("SELECT status FROM loan WHERE item_id = ?", (made["lent"].id,)) == [
        ("closed",)]


def test_the_start_is_previewed_with_its_quarter_share_and_lines(session: Session) -> None:
    """Issue 18, point 26: what a start's confirmation says."""
    copies = secrecy_fixture.setup(session)
    secrecy.distribute(session, copies[0].reg_no, "zbz")
    quarter = checks.preview("quarter")
    assert (quarter.name, quarter.lines, quarter.share) == ("check-in of 2026 Q4", 1, 100)
    holiday = checks.preview("holiday")
    assert holiday.no_holiday and holiday.lines == 5
    holidays.set_day(session, "2026-12-07", "holiday", "测试节")
    holiday = checks.preview("holiday")
    assert not holiday.no_holiday
    assert holiday.name == "secure-storage check before 测试节"
    assert checks.preview("inventory").lines == 5 and not checks.preview("inventory").already
    run = checks.start(session, "quarter")
    assert checks.preview("quarter").already == run.id
    assert run.name() == "check-in of 2026 Q4"
