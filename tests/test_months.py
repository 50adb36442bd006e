"""Month locking (C3, C5): a reported month's cards change only by correction; late cards."""

from __future__ import annotations

from dataclasses import replace

import pytest

from store.audit import log as audit
from store.cards import entry as cards
from store.cards import months
from store.cards import review as card_review
from store.errors import InvalidInput, NotAllowed, StoreError
from store.vault.session import Session
from tests.test_cards import TYPED


def _accepted(session: Session, number: int, concluded: str = "2026-10-20",
              accepted: str = "20261008") -> int:
    card_id, checked = cards.add(session, replace(
        TYPED, case_no=f"某检刑诉〔2026〕{number}号", concluded_on=concluded,
        accepted_on=accepted))
    assert not checked.problems, checked.problems
    card_review.accept(session, card_id)
    return card_id


def test_locking_a_month_reports_its_accepted_cards_with_history(session: Session) -> None:
    first, second = _accepted(session, 1), _accepted(session, 2)
    returned = _accepted(session, 3)
    card_review.return_card(session, returned, "人数有误")
    november = _accepted(session, 4, concluded="2026-11-20", accepted="20261103")
    assert months.lock(session, "2026-10", "已报送市院") == 2
    assert months.locked() == {"2026-10"}
    assert [card_review.get(i).status for i in (first, second, returned, november)] == [
        "reported", "reported", "returned", "accepted"]
    last = card_review.history(first)[-1]
    assert (last.action, last.old, last.new) == ("report", {"status": "accepted"},
                                                 {"status": "reported"})
    entry = audit.recent(1)[0]
    assert (entry.action, entry.entity_id, entry.note) == ("month.lock", "2026-10", "已报送市院")
    assert months.locks()[0].locked_by == "admin"


def test_a_month_is_not_locked_twice_nor_with_cards_waiting(session: Session) -> None:
    cards.add(session, replace(TYPED, accepted_on="20261103"))  # submitted, not yet reviewed
    with pytest.raises(NotAllowed, match=r"waits? for review"):
        months.lock(session, "2026-11")
    assert months.locked() == frozenset()
    months.lock(session, "2026-10")
    with pytest.raises(NotAllowed, match="already"):
        months.lock(session, "2026-10")
    for bad in ("2026-13", "202610", "", "2026-1０"):
        with pytest.raises(InvalidInput):
            months.lock(session, bad)
    assert months.locked() == {"2026-10"}


def test_a_late_card_counts_in_the_next_open_month(session: Session) -> None:
    months.lock(session, "2026-10")
    card_id, checked = cards.add(session, replace(TYPED, concluded_on="2026-10-20"))
    assert card_review.get(card_id).month == "2026-11"  # 补报: the next open month
    assert not checked.problems
    typed_into_locked, checked = cards.add(session, replace(
        TYPED, case_no="某检刑诉〔2026〕9号", concluded_on="2026-10-20", month="2026-10"))
    assert [v.code for v in checked.errors] == ["R21"]
    assert checked.errors[0].params == {"open": "2026-11"}
    with pytest.raises(StoreError, match="R21"):
        card_review.accept(session, typed_into_locked)
    assert card_review.get(typed_into_locked).status == "submitted"


def test_reported_cards_change_only_by_correction(session: Session) -> None:
    card_id = _accepted(session, 1)
    months.lock(session, "2026-10")
    assert not cards.validate(card_review.get(card_id).as_input(), card_id).problems
    corrected = replace(TYPED, case_no="某检刑诉〔2026〕1号", concluded_on="2026-10-20",
                        persons="3", outcome_persons="")
    with pytest.raises(InvalidInput, match="reason"):
        card_review.update(session, card_id, corrected)
    assert card_review.get(card_id).persons == 2
    with pytest.raises(StoreError, match="R27"):  # the third person would have no outcome
        card_review.update(session, card_id, replace(corrected, outcome_persons="2"),
                           reason="部门核对后更正")
    card_review.update(session, card_id, replace(corrected, month="2026-10"),
                       reason="部门核对后更正")
    record = card_review.get(card_id)
    assert (record.persons, record.outcome_persons, record.status, record.month,
            record.concluded_month) == (3, 3, "reported", "2026-10", "2026-10")
    entry = card_review.history(card_id)[-1]
    assert (entry.action, entry.reason) == ("correct", "部门核对后更正")
    assert entry.old is not None and entry.new is not None
    assert ({k: v for k, v in entry.old.items() if k != "people"},
            {k: v for k, v in entry.new.items() if k != "people"}) == (
        {"persons": 2, "outcome_persons": 2}, {"persons": 3, "outcome_persons": 3})
    assert [p["seq"] for p in entry.old["people"]] == [1, 2]
    assert [p["seq"] for p in entry.new["people"]] == [1, 2, 3]
    with pytest.raises(NotAllowed):
        card_review.void(session, card_id, "录错")
    with pytest.raises(NotAllowed):
        card_review.return_card(session, card_id, "退回")


def test_a_card_reported_before_receipt_and_conclusion_were_apart_keeps_its_month(
        session: Session) -> None:
    """Cards of before 0.4 counted both in the conclusion's month (month == concluded_month,
    as m0018 leaves them): reported, they are not said to be in the wrong month."""
    card_id, checked = cards.add(session, replace(TYPED, month="2026-11"))
    assert [v.code for v in checked.warnings] == ["R08"]  # a new card counts its receipt
    card_review.accept(session, card_id, acknowledge_warnings=True)
    months.lock(session, "2026-11")
    stored = card_review.get(card_id)
    assert (stored.month, stored.concluded_month, stored.status) == ("2026-11", "2026-11",
                                                                     "reported")
    assert cards.validate(stored.as_input(), card_id).problems == []
