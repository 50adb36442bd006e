"""What a review of the cards found, each case now handled: typed text that looked like
markup, unprintable characters, huge numbers, lost flags, silent no-ops, wrong corrections."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from exports import return_lists
from store import settings
from store.cards import entry as cards
from store.cards import months
from store.cards import review as card_review
from store.cards.entry import CardInput, InvalidCard
from store.errors import InvalidInput, StoreError
from store.vault.database import rows
from store.vault.session import Session
from tests.test_cards import TYPED

OWN = CardInput(department="D03", business_type="ZCZW", case_no="某检侦〔2026〕7号",
                case_name="钱某滥用职权案", charge="C15", persons="1", accepted_on="20261008",
                concluded_on="20261120", outcome="YSQS", outcome_persons="1", amount="600000",
                rank="R2")
"""An own investigation of 2026: 司法工作人员相关职务犯罪侦查."""


@pytest.mark.parametrize("name", ["周\ufffe某", "周某\u2028案", "周\u202e某案", "周某\x07案"])
def test_unprintable_characters_are_refused_beside_the_field(session: Session,
                                                             name: str) -> None:
    with pytest.raises(InvalidCard) as refused:
        cards.add(session, replace(TYPED, case_name=name))
    assert [p.fields for p in refused.value.problems] == [("case_name",)]
    assert rows("SELECT count(*) FROM card") == [(0,)]


@pytest.mark.parametrize("field", ["persons", "outcome_persons", "amount"])
def test_a_huge_number_is_a_message_not_a_crash(session: Session, field: str) -> None:
    with pytest.raises(InvalidCard) as refused:
        cards.add(session, replace(OWN, **{field: "9" * 5000}))
    assert refused.value.problems[0].fields == (field,)


@pytest.mark.parametrize("reason", ["", "  ", "退回\x00", "x" * 201, "行一\u2028行二"])
def test_reasons_are_checked_and_nothing_is_written(session: Session, reason: str) -> None:
    card_id, _c = cards.add(session, TYPED)
    history = len(card_review.history(card_id))
    for act in (card_review.return_card, card_review.void):
        with pytest.raises(InvalidInput):
            act(session, card_id, reason)
    assert card_review.get(card_id).status == "submitted"
    assert len(card_review.history(card_id)) == history


def test_a_return_list_with_odd_but_printable_text_is_written(session: Session,
                                                              tmp_path: Path) -> None:
    card_id, _c = cards.add(session, replace(TYPED, case_name="周某[/]盗窃案〔重〕"))
    card_review.return_card(session, card_id, "请核对[b]人数[/b]")
    path = return_lists.make(session, "2026-10", "D01", tmp_path)  # the month it was received
    from docx import Document
    text = "\n".join(c.text for t in Document(str(path)).tables for r in t.rows for c in r.cells)
    assert "周某[/]盗窃案〔重〕" in text and "请核对[b]人数[/b]" in text


def test_a_change_to_a_card_that_no_longer_passes_is_never_silently_dropped(
        session: Session) -> None:
    card_id, _c = cards.add(session, OWN)
    assert card_review.get(card_id).major == "major"
    settings.set_value(session, "major_amount", "1000000")  # the stored flag is now an override
    stored = card_review.get(card_id).as_input()
    with pytest.raises(InvalidCard):  # says which field, instead of doing nothing
        card_review.update(session, card_id, replace(stored, remarks="补充说明"))
    card_review.update(session, card_id, replace(stored, remarks="补充说明",
                                                 major_override="检察长批示按大案统计"))
    entry = card_review.history(card_id)[-1]
    assert entry.new == {"remarks": "补充说明", "major_override": "检察长批示按大案统计"}


def test_a_correction_cannot_bring_errors_into_a_reported_month(session: Session) -> None:
    card_id, _c = cards.add(session, TYPED)
    card_review.accept(session, card_id)
    months.lock(session, "2026-10")
    with pytest.raises(StoreError, match="R05"):
        card_review.update(session, card_id, replace(TYPED, outcome_persons="5"),
                           reason="更正")
    assert card_review.get(card_id).outcome_persons == 2


def test_acknowledged_warnings_are_in_the_history(session: Session) -> None:
    card_id, checked = cards.add(session, replace(TYPED, month="2026-12"))
    assert [v.code for v in checked.warnings] == ["R08"]
    card_review.accept(session, card_id, acknowledge_warnings=True)
    assert card_review.history(card_id)[-1].new == {"status": "accepted",
                                                    "acknowledged": "R08"}


def test_the_problem_mark_follows_the_status(session: Session) -> None:
    card_id, _c = cards.add(session, replace(TYPED, outcome_persons="3"))  # R05
    assert rows("SELECT problems FROM card WHERE id = ?", (card_id,)) == [(1,)]
    card_review.return_card(session, card_id, "人数有误")
    stored = card_review.get(card_id).as_input()
    card_review.update(session, card_id, replace(stored, outcome_persons="2"))
    assert rows("SELECT problems, status FROM card WHERE id = ?", (card_id,)) == [
        (0, "submitted")]


def test_a_reported_card_does_not_move_into_an_open_month(session: Session) -> None:
    card_id, _c = cards.add(session, TYPED)
    card_review.accept(session, card_id)
    months.lock(session, "2026-10")
    with pytest.raises(StoreError, match="still open"):
        card_review.update(session, card_id, replace(TYPED, month="2026-12"), reason="改月份")
    assert card_review.get(card_id).month == "2026-10"
