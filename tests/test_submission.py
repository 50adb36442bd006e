"""Reconciliation with the departments, submission that locks the month, numbered revisions —
with the report's new keys, and revisions kept in the old shape compared as they were."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

import pytest

from store import clock, settings
from store.audit import log as audit
from store.cards import months
from store.cards import review as card_review
from store.errors import InvalidInput, NotAllowed
from store.report import figures as report
from store.report import submission
from store.vault.database import execute, rows
from store.vault.session import Session
from tests.report_fixture import CASES, Case, P, insert_cases, write


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())


NOTE = "十一月集中办结"
"""The cases' November moves more than 30 % from October: submitting takes a note."""


REVIEWED = [c for c in CASES if c.status != "submitted"]
"""The cases, none waiting for review (a month with one is not locked)."""


def _confirm_all(session: Session, month: str = "2026-11") -> None:
    for state in submission.departments(month):
        submission.confirm(session, month, state.department, "部门内勤", "2026-11-26")


def _card(month: str, outcome: str) -> int:
    return int(rows("SELECT id FROM card WHERE month = ? AND outcome = ? AND status IN"
                    " ('accepted', 'reported') ORDER BY id", (month, outcome))[0][0])


def test_submitting_needs_every_department_confirmed(session: Session) -> None:
    insert_cases(REVIEWED)
    states = submission.departments("2026-11")
    assert [(s.department, s.cases, s.current) for s in states] == [
        ("D01", 3, False), ("D02", 2, False), ("D03", 0, False), ("D04", 0, False),
        ("D07", 0, False), ("D05", 0, False)]  # no cases: a zero return, confirmed too
    submission.confirm(session, "2026-11", "D01", "刘内勤", "20261126")
    for other in ("D02", "D03", "D04", "D07"):
        submission.confirm(session, "2026-11", other, "内勤", "20261126")
    with pytest.raises(NotAllowed, match="D05"):
        submission.submit(session, "2026-11", "市人民检察院", swing_note=NOTE)
    assert months.locked() == frozenset() and submission.revisions("2026-11") == []
    state = submission.departments("2026-11")[0]
    assert (state.confirmed_by, state.confirmed_on, state.current) == (
        "刘内勤", "2026-11-26", True)
    assert audit.recent(1)[0].action == "report.confirm"


def test_a_confirmation_stands_only_for_the_figures_it_saw(session: Session) -> None:
    insert_cases(REVIEWED)
    _confirm_all(session)
    execute("UPDATE card SET status = 'accepted' WHERE status = 'returned' AND month = '2026-11'")
    d01 = submission.departments("2026-11")[0]
    assert d01.cases == 4 and not d01.current  # changed since confirmed
    with pytest.raises(NotAllowed, match="D01"):
        submission.submit(session, "2026-11", "市人民检察院", swing_note=NOTE)


def test_submission_keeps_the_new_figures_and_locks_the_month(session: Session) -> None:
    insert_cases(REVIEWED)
    _confirm_all(session)
    first = submission.submit(session, "2026-11", "市人民检察院", note="按时报送",
                              swing_note=NOTE)
    assert (first.revision, first.by, first.submitted_to, first.note) == (
        1, "admin", "市人民检察院", "按时报送")
    kept = first.figures
    assert kept["total"]["all:new"] == [5, -1]  # 合计: cases only
    assert kept["total"]["SCDB:open"] == [2, 3] and kept["total"]["SCQS:returned"] == [1, 1]
    assert kept["D02"] == {"SCQS:new": [2, 2], "SCQS:received": [2, 2],
                           "SCQS:concluded": [2, 2], "SCQS:concluded/TQGS": [1, 1],
                           "SCQS:concluded/BQS": [1, 1], "all:new": [2, -1],
                           "all:concluded": [2, -1], "all:open": [0, -1]}
    assert kept["ytd"]["SCQS:returned"] == [2, 3]
    assert kept["rates"]["pretrial_detention"] == [3, 4]
    assert "2026-11" in months.locked()
    assert [e.action for e in audit.recent(2)] == ["report.submit", "month.lock"]
    assert json.loads(audit.recent(1)[0].new or "{}")["cases"] == 5
    with pytest.raises(NotAllowed, match="already submitted"):
        submission.submit(session, "2026-11", "市人民检察院", swing_note=NOTE)
    with pytest.raises(NotAllowed, match="already submitted"):
        submission.confirm(session, "2026-11", "D01", "刘内勤", "20261126")


def test_a_correction_after_submission_makes_a_numbered_revision(session: Session) -> None:
    insert_cases(REVIEWED)
    _confirm_all(session)
    submission.submit(session, "2026-11", "市人民检察院", swing_note=NOTE)
    with pytest.raises(NotAllowed, match="nothing changed since revision 1"):
        submission.revise(session, "2026-11", "更正")
    card_id = _card("2026-11", "BQS")  # 不起诉 corrected to 提起公诉
    typed = card_review.get(card_id).as_input()
    card_review.update(session, card_id, replace(typed, outcome="TQGS", outcome_kind="",
                                                 people=()), reason="结果录错，经部门核对更正")
    changes = submission.pending("2026-11")
    assert {(d.where, d.line, d.before, d.after) for d in changes} == {
        ("total", "SCQS:concluded/BQS", (1, 1), (0, 0)),
        ("total", "SCQS:concluded/TQGS", (2, 3), (3, 4)),
        ("D02", "SCQS:concluded/BQS", (1, 1), (0, 0)),
        ("D02", "SCQS:concluded/TQGS", (1, 1), (2, 2))}  # the year to date and rates: kept,
    with pytest.raises(InvalidInput):  # not compared
        submission.revise(session, "2026-11", "  ")
    second = submission.revise(session, "2026-11", "第二检察部更正一件不起诉为起诉")
    assert second.revision == 2 and second.submitted_to == "市人民检察院"
    assert second.differences == changes and submission.pending("2026-11") == []
    assert second.figures["rates"]["no_prosecution"] == [0, 4]
    assert audit.recent(1)[0].action == "report.revise"


def test_a_revision_kept_in_the_old_shape_is_compared_as_it_was(session: Session) -> None:
    """Revisions stored before cases had events keep their keys ("SCQS/TQGS", "all"): they
    are compared with the old report regenerated from the cards (store.report.legacy)."""
    from store.report import legacy

    insert_cases(REVIEWED)
    old = legacy.figures("2026-11")
    assert old["total"]["all"] == [7, 9] and "SCQS/TQGS" in old["total"]
    execute("INSERT INTO report_revision (month, revision, at, by, submitted_to, figures)"
            " VALUES ('2026-11', 1, '2026-11-27', 'admin', '市院', ?)", (json.dumps(old),))
    months.lock(session, "2026-11", "已报送")
    assert submission.pending("2026-11") == []
    assert "K05" not in report.build("2026-12").checks_run  # nothing to check against
    card_id = _card("2026-11", "BQS")
    typed = card_review.get(card_id).as_input()
    card_review.update(session, card_id, replace(typed, outcome="TQGS", outcome_kind="",
                                                 people=()), reason="更正")
    changes = submission.pending("2026-11")
    assert ("total", "SCQS/BQS", (1, 1), (0, 0)) in {
        (d.where, d.line, d.before, d.after) for d in changes}
    second = submission.revise(session, "2026-11", "更正")
    assert second.differences == changes
    assert second.figures["total"]["all:new"] == [5, -1]  # kept in the current shape now
    assert submission.pending("2026-11") == []
    assert "K05" in report.build("2026-12").checks_run


def test_a_swing_needs_a_note(session: Session) -> None:
    insert_cases(REVIEWED + [Case("2026-10", "D01", "SCQS", (P("TQGS"),), "2026-10")] * 10)
    _confirm_all(session)
    moved = submission.swings(report.build("2026-11"))
    assert {(s.kind, s.code, s.figure, s.measure, s.before, s.now) for s in moved} == {
        ("", "", "new", "cases", 12, 5), ("", "", "concluded", "cases", 10, 6),
        ("type", "SCQS", "new", "cases", 10, 3), ("type", "SCQS", "new", "persons", 10, 3),
        ("type", "SCQS", "concluded", "cases", 10, 3),
        ("type", "SCQS", "concluded", "persons", 10, 4),
        ("type", "SCDB", "new", "persons", 3, 4),
        ("department", "D01", "new", "cases", 12, 3),
        ("department", "D01", "concluded", "cases", 10, 4)}
    with pytest.raises(NotAllowed, match="30%"):
        submission.submit(session, "2026-11", "市人民检察院")
    settings.set_value(session, "swing_percent", "80")
    assert submission.swings(report.build("2026-11")) == []
    settings.set_value(session, "swing_percent", "30")
    done = submission.submit(session, "2026-11", "市人民检察院",
                             swing_note="十月集中办结积案，十一月回落")
    assert done.swing_note == "十月集中办结积案，十一月回落"


def test_a_swing_in_persons_alone_needs_a_note_too(session: Session) -> None:
    write([Case("2026-10", "D01", "SCQS", (P("TQGS"),), "2026-10", status="reported")] * 6
          + [Case("2026-11", "D01", "SCQS", (P("TQGS"), P("TQGS")), "2026-11")] * 6)
    moved = submission.swings(report.build("2026-11"))
    assert {(s.kind, s.figure, s.measure) for s in moved} == {
        ("type", "new", "persons"), ("type", "concluded", "persons")}
    _confirm_all(session)
    with pytest.raises(NotAllowed, match=r"Review for prosecution new \(persons\)"):
        submission.submit(session, "2026-11", "市人民检察院")


def test_bad_reconciliation_input_changes_nothing(session: Session) -> None:
    insert_cases(REVIEWED)
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
    insert_cases(REVIEWED)
    _confirm_all(session)
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 24, 9).astimezone())
    with pytest.raises(NotAllowed, match="until 2026-11-25"):
        submission.submit(session, "2026-11", "市人民检察院", swing_note=NOTE)
    with pytest.raises(NotAllowed, match="2030-01"):
        submission.submit(session, "2030-01", "市人民检察院")
    assert months.locked() == frozenset()


def test_a_cutoff_at_the_end_of_the_month_submits_from_its_last_day(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    insert_cases(REVIEWED)
    settings.set_value(session, "cutoff_day", "月末")
    _confirm_all(session)
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 29, 9).astimezone())
    with pytest.raises(NotAllowed, match="until 2026-11-30"):
        submission.submit(session, "2026-11", "市人民检察院", swing_note=NOTE)
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    assert submission.submit(session, "2026-11", "市人民检察院", swing_note=NOTE).revision == 1


def test_a_pending_correction_makes_the_report_deadline_due_again(session: Session) -> None:
    from datetime import date

    from store.report import deadlines

    insert_cases(REVIEWED)
    _confirm_all(session)
    submission.submit(session, "2026-11", "市人民检察院", swing_note=NOTE)
    state = {d.key: d.state for d in deadlines.calendar(date(2026, 11, 30)).deadlines}
    assert state["report"] == "done"
    card_id = _card("2026-11", "BQS")
    typed = card_review.get(card_id).as_input()
    card_review.update(session, card_id, replace(typed, outcome="TQGS", outcome_kind="",
                                                 people=()), reason="更正")
    state = {d.key: d.state for d in deadlines.calendar(date(2026, 11, 30)).deadlines}
    assert state["report"] == "overdue"  # the revision is due
    submission.revise(session, "2026-11", "更正处理结果")
    state = {d.key: d.state for d in deadlines.calendar(date(2026, 11, 30)).deadlines}
    assert state["report"] == "done"


def test_the_overview_reads_the_month_in_one_go(session: Session) -> None:
    insert_cases(REVIEWED)
    seen = submission.overview("2026-11")
    assert seen.report.month == "2026-11" and seen.trend[-1] == ("2026-11", 5, 6, 3)
    assert seen.names["SCQS:returned"] == "Review for prosecution / returned for investigation"
    assert seen.names["SCQS/TQGS"] == "Review for prosecution / prosecuted"
    assert seen.pending == [] and seen.revisions == []
