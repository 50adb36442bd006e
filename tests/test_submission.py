"""Reconciliation with the departments, submission that locks the month, numbered revisions."""

from __future__ import annotations

import pytest

from store import settings
from store.audit import log as audit
from store.cards import months
from store.cards import review as card_review
from store.errors import InvalidInput, NotAllowed
from store.report import figures as report
from store.report import submission
from store.vault.database import execute, rows
from store.vault.session import Session
from tests.report_fixture import CARDS, insert

NOVEMBER = [c for c in CARDS if c[0] == "2026-11" and c[6] != "submitted"]


def _confirm_all(session: Session, month: str = "2026-11") -> None:
    for state in submission.departments(month):
        submission.confirm(session, month, state.department, "部门内勤", "2026-11-26")


def test_submitting_needs_every_department_confirmed(session: Session) -> None:
    insert(NOVEMBER)
    states = submission.departments("2026-11")
    assert [(s.department, s.cases, s.current) for s in states] == [
        ("D01", 5, False), ("D02", 0, False), ("D03", 0, False), ("D04", 0, False),
        ("D05", 0, False), ("D06", 1, False)]  # no cards: a zero return, confirmed too
    submission.confirm(session, "2026-11", "D01", "刘内勤", "20261126")
    for empty in ("D02", "D03", "D04", "D05"):
        submission.confirm(session, "2026-11", empty, "内勤", "20261126")
    with pytest.raises(NotAllowed, match="D06"):
        submission.submit(session, "2026-11", "市人民检察院")
    assert months.locked() == frozenset() and submission.revisions("2026-11") == []
    state = submission.departments("2026-11")[0]
    assert (state.confirmed_by, state.confirmed_on, state.current) == (
        "刘内勤", "2026-11-26", True)
    assert audit.recent(1)[0].action == "report.confirm"


def test_a_confirmation_stands_only_for_the_figures_it_saw(session: Session) -> None:
    insert(NOVEMBER)
    _confirm_all(session)
    execute("UPDATE card SET status = 'accepted' WHERE status = 'returned' AND month = '2026-11'")
    d01 = submission.departments("2026-11")[0]
    assert d01.cases == 6 and not d01.current  # changed since confirmed
    with pytest.raises(NotAllowed, match="D01"):
        submission.submit(session, "2026-11", "市人民检察院")


def test_submission_locks_the_month_and_records_who_when_to_whom(session: Session) -> None:
    insert(NOVEMBER)
    _confirm_all(session)
    first = submission.submit(session, "2026-11", "市人民检察院", note="按时报送")
    assert (first.revision, first.by, first.submitted_to, first.note) == (
        1, "admin", "市人民检察院", "按时报送")
    assert first.figures["total"]["all"] == [6, 8]
    assert first.figures["D06"] == {"ZZLA": [1, 1], "ZZLA/YSQS": [1, 1], "all": [1, 1]}
    assert "2026-11" in months.locked()
    assert rows("SELECT DISTINCT status FROM card WHERE month = '2026-11' AND status NOT IN"
                " ('returned', 'void')") == [("reported",)]
    assert [e.action for e in audit.recent(2)] == ["report.submit", "month.lock"]
    with pytest.raises(NotAllowed, match="already submitted"):
        submission.submit(session, "2026-11", "市人民检察院")
    with pytest.raises(NotAllowed, match="already submitted"):
        submission.confirm(session, "2026-11", "D01", "刘内勤", "20261126")


def test_a_correction_after_submission_makes_a_numbered_revision(session: Session) -> None:
    insert(NOVEMBER)
    _confirm_all(session)
    submission.submit(session, "2026-11", "市人民检察院")
    with pytest.raises(NotAllowed, match="nothing changed since revision 1"):
        submission.revise(session, "2026-11", "更正")
    card_id = rows("SELECT id FROM card WHERE outcome = 'BQS'")[0][0]
    typed = card_review.get(card_id).as_input()
    from dataclasses import replace
    card_review.update(session, card_id, replace(typed, outcome="TQGS", outcome_persons="3"),
                       reason="结果录错，经部门核对更正")
    changes = submission.pending("2026-11")
    assert {(d.where, d.line, d.before, d.after) for d in changes} >= {
        ("total", "SCQS/BQS", (1, 1), (0, 0)), ("total", "SCQS/TQGS", (2, 3), (3, 6)),
        ("total", "all", (6, 8), (6, 10)), ("D01", "SCQS/BQS", (1, 1), (0, 0))}
    with pytest.raises(InvalidInput):
        submission.revise(session, "2026-11", "  ")
    second = submission.revise(session, "2026-11", "第一检察部更正一件不起诉为起诉")
    assert second.revision == 2 and second.submitted_to == "市人民检察院"
    assert second.differences == changes and submission.pending("2026-11") == []
    assert audit.recent(1)[0].action == "report.revise"


def test_a_swing_needs_a_note(session: Session) -> None:
    insert(NOVEMBER + [("2026-10", "D01", "SCQS", "TQGS", 1, 1, "reported")] * 10)
    _confirm_all(session)
    moved = submission.swings(report.build("2026-11"))
    assert {(s.kind, s.code, s.measure, s.before, s.now) for s in moved} == {
        ("", "", "cases", 10, 6),  # persons 10 → 8: within 30 %
        ("type", "SCQS", "cases", 10, 3), ("type", "SCQS", "persons", 10, 4),
        ("department", "D01", "cases", 10, 5)}  # D01's persons 10 → 7: just 30 %, no more
    with pytest.raises(NotAllowed, match="30%"):
        submission.submit(session, "2026-11", "市人民检察院")
    settings.set_value(session, "swing_percent", "80")
    assert submission.swings(report.build("2026-11")) == []
    settings.set_value(session, "swing_percent", "30")
    done = submission.submit(session, "2026-11", "市人民检察院",
                             swing_note="十月集中办结积案，十一月回落")
    assert done.swing_note == "十月集中办结积案，十一月回落"


def test_bad_reconciliation_input_changes_nothing(session: Session) -> None:
    insert(NOVEMBER)
    before = rows("SELECT count(*) FROM report_confirm")
    for who, day, dept in [("", "20261126", "D01"), ("x" * 41, "20261126", "D01"),
                           ("刘", "20260230", "D01"), ("刘", "20271126", "D01"),
                           ("刘", "20261126", "D99"), ("刘", "20261031", "D01")]:
        with pytest.raises(InvalidInput):
            submission.confirm(session, "2026-11", dept, who, day)
    assert rows("SELECT count(*) FROM report_confirm") == before
    entries = audit.recent(1)[0].id
    for to in ("", "\x07", "x" * 101):
        with pytest.raises(InvalidInput):
            submission.submit(session, "2026-11", to)
    assert months.locked() == frozenset() and submission.revisions("2026-11") == []
    assert audit.recent(1)[0].id == entries
    with pytest.raises(NotAllowed, match="not submitted"):
        submission.revise(session, "2026-11", "更正")


def test_a_month_still_taking_cards_cannot_be_submitted(session: Session,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import datetime

    from store import clock

    insert(NOVEMBER)
    _confirm_all(session)
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 24, 9).astimezone())
    with pytest.raises(NotAllowed, match="until 2026-11-25"):
        submission.submit(session, "2026-11", "市人民检察院")
    with pytest.raises(NotAllowed, match="2030-01"):
        submission.submit(session, "2030-01", "市人民检察院")
    assert months.locked() == frozenset()


def test_a_pending_correction_makes_the_report_deadline_due_again(session: Session) -> None:
    from dataclasses import replace
    from datetime import date

    from store.report import deadlines

    insert(NOVEMBER)
    _confirm_all(session)
    submission.submit(session, "2026-11", "市人民检察院")
    state = {d.key: d.state for d in deadlines.calendar(date(2026, 11, 30)).deadlines}
    assert state["report"] == "done"
    card_id = rows("SELECT id FROM card WHERE outcome = 'BQS'")[0][0]
    stored = card_review.get(card_id).as_input()
    card_review.update(session, card_id, replace(stored, outcome_persons="2"), reason="更正")
    state = {d.key: d.state for d in deadlines.calendar(date(2026, 11, 30)).deadlines}
    assert state["report"] == "overdue"  # the revision is due
    submission.revise(session, "2026-11", "更正人数")
    state = {d.key: d.state for d in deadlines.calendar(date(2026, 11, 30)).deadlines}
    assert state["report"] == "done"


def test_a_swing_in_persons_alone_needs_a_note_too(session: Session) -> None:
    insert([("2026-10", "D01", "SCQS", "TQGS", 1, 1, "reported")] * 6
           + [("2026-11", "D01", "SCQS", "TQGS", 2, 2, "accepted")] * 6)
    moved = submission.swings(report.build("2026-11"))
    assert {(s.kind, s.measure) for s in moved} == {("", "persons"), ("type", "persons"),
                                                   ("department", "persons")}
    _confirm_all(session)
    with pytest.raises(NotAllowed, match=r"all \(persons\)"):
        submission.submit(session, "2026-11", "市人民检察院")
