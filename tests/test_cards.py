"""The card service: typed text in, checked values out, history kept, nothing deleted."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.audit import log as audit
from store.cards import codes
from store.cards import entry as cards
from store.cards import review as card_review
from store.cards.entry import CardInput, InvalidCard
from store.errors import InvalidInput, NotAllowed, StoreError
from store.vault.database import rows
from store.vault.session import Session

TYPED = CardInput(department="D01", business_type="SCQS", case_no="某检刑诉〔2026〕101号",
                  case_name="张某某盗窃案", charge="C01", persons="２", accepted_on="20261008",
                  concluded_on="2026-11-20", outcome="TQGS", outcome_persons="2", month="")


def _count() -> int:
    return int(rows("SELECT count(*) FROM card")[0][0])


def test_code_tables_are_seeded_and_filter_by_pinyin(session: Session) -> None:
    kinds = {kind: codes.all_codes(kind) for kind in codes.KINDS}
    assert all(kinds.values())
    assert [c.name_zh for c in codes.search("business_type", "scqs")] == ["审查起诉"]
    assert {c.code for c in codes.outcomes_for("SCDB")} == {"PZDB", "BPDB"}
    assert codes.search("charge", "盗窃")[0].code == "C01"


def _people(card_id: int) -> list[tuple[object, ...]]:
    return rows("SELECT seq, name, minor, charge, custody, outcome, outcome_kind, plea, status"
                " FROM card_person WHERE card_id = ? ORDER BY seq", (card_id,))


def test_a_card_is_read_normalised_and_stored(session: Session) -> None:
    card_id, checked = cards.add(session, TYPED)
    assert checked.problems == []
    stored = card_review.get(card_id)
    assert stored.persons == 2  # the full-width ２ is read as 2
    # 受理 counts in the month it was received, 审结 in the month it was concluded
    assert (stored.accepted_on, stored.month, stored.concluded_month, stored.status) == (
        "2026-10-08", "2026-10", "2026-11", "submitted")
    assert _people(card_id) == [(1, "", 0, "C01", "", "TQGS", "", 0, "active"),
                                (2, "", 0, "C01", "", "TQGS", "", 0, "active")]
    assert (stored.outcome_persons, stored.plea_persons, stored.mixed) == (2, 0, 0)
    history = card_review.history(card_id)
    assert [h.action for h in history] == ["add"]
    assert history[0].new is not None and [p["seq"] for p in history[0].new["people"]] == [1, 2]
    entry = audit.recent(1)[0]
    assert entry.action == "card.add"
    assert json.loads(entry.new)["people"] == history[0].new["people"]


@pytest.mark.parametrize(("field", "value", "words"), [
    ("case_name", "", "required"), ("accepted_on", "20260230", "not a day of the calendar"),
    ("persons", "two", "whole number"), ("persons", "1000", "from 0 to 999"),
    ("remarks", "x" * 501, "too long"), ("case_name", "张\x07某", "control characters"),
    ("month", "2026-13", "looks like 2026-11"),
])
def test_unreadable_fields_are_named_and_nothing_is_written(
        session: Session, field: str, value: str, words: str) -> None:
    from dataclasses import replace

    before = _count()
    with pytest.raises(InvalidCard) as refused:
        cards.add(session, replace(TYPED, **{field: value}))
    said = [p.message.format(**p.params) for p in refused.value.problems if field in p.fields]
    assert any(words in message for message in said), said
    assert _count() == before


def test_review_flow_accept_return_and_acknowledged_warnings(session: Session) -> None:
    from dataclasses import replace

    good, _ = cards.add(session, TYPED)
    card_review.accept(session, good)
    assert card_review.get(good).status == "accepted"
    bad, checked = cards.add(session, replace(TYPED, case_no="某检刑诉〔2026〕102号",
                                              outcome_persons="5"))
    assert [v.code for v in checked.errors] == ["R05"]
    with pytest.raises(StoreError, match="R05"):
        card_review.accept(session, bad)
    card_review.return_card(session, bad, "不起诉人数多于犯罪嫌疑人数，请核对")
    assert card_review.get(bad).status == "returned"
    warned, checked = cards.add(session, replace(TYPED, case_no="某检刑诉〔2026〕103号",
                                                 month="2026-12"))
    assert [v.code for v in checked.warnings] == ["R08"]
    with pytest.raises(StoreError, match="acknowledge"):
        card_review.accept(session, warned)
    card_review.accept(session, warned, acknowledge_warnings=True)
    assert card_review.get(warned).acknowledged == "R08"
    with pytest.raises(InvalidInput):
        card_review.return_card(session, warned, "  ")


def test_duplicate_case_number_is_caught(session: Session) -> None:
    cards.add(session, TYPED)
    _second, checked = cards.add(session, TYPED)
    assert "R07" in [v.code for v in checked.errors]


def test_reported_cards_change_only_by_correction_with_history(session: Session) -> None:
    from dataclasses import replace

    card_id, _ = cards.add(session, TYPED)
    card_review.accept(session, card_id)
    from store.cards import months
    months.lock(session, "2026-10")
    with pytest.raises(InvalidInput, match="reason"):
        card_review.update(session, card_id, replace(TYPED, persons="3", outcome_persons="3"))
    card_review.update(session, card_id, replace(TYPED, persons="3", outcome_persons="3"),
                       reason="部门核对后更正人数")
    entry = card_review.history(card_id)[-1]
    assert entry.action == "correct" and entry.reason == "部门核对后更正人数"
    person = {"name": "", "minor": 0, "charge": "C01", "custody": "", "outcome": "TQGS",
              "outcome_kind": "", "plea": 0}
    assert entry.old == {"persons": 2, "outcome_persons": 2,
                         "people": [{"seq": n, **person} for n in (1, 2)]}
    assert entry.new == {"persons": 3, "outcome_persons": 3,
                         "people": [{"seq": n, **person} for n in (1, 2, 3)]}
    assert card_review.get(card_id).status == "reported"
    assert len(_people(card_id)) == 3
    assert audit.recent(1)[0].action == "card.correct"


def test_a_card_entered_by_mistake_is_voided_not_deleted(session: Session) -> None:
    card_id, _ = cards.add(session, TYPED)
    with pytest.raises(InvalidInput):
        card_review.void(session, card_id, "")
    card_review.void(session, card_id, "重复录入")
    assert card_review.get(card_id).status == "void"
    with pytest.raises(NotAllowed):
        card_review.accept(session, card_id)
    _again, checked = cards.add(session, TYPED)  # a voided card's number is free again
    assert "R07" not in [v.code for v in checked.problems]


TEXT = st.one_of(st.text(max_size=30), st.text(max_size=300))  # past every field's limit
DIGITS = st.one_of(st.integers(-5, 20000).map(str), st.text(alphabet="0123456789０１２３x-,",
                                                            max_size=6),
                   st.text(alphabet="0123456789", min_size=14, max_size=5000))
DATES = st.one_of(st.dates().map(lambda d: d.strftime("%Y%m%d")), st.dates().map(str), TEXT)
TYPED_CARDS = st.builds(
    CardInput, department=st.sampled_from(["D01", "D02", "D99", ""]),
    business_type=st.sampled_from(["SCQS", "ZZLA", "KGSS", "XX"]), case_no=st.one_of(
        st.integers(1, 999).map(lambda n: f"某检刑诉〔2026〕{n}号"), TEXT), case_name=TEXT,
    charge=st.sampled_from(["C01", "C13", "", "C77"]), persons=DIGITS, accepted_on=DATES,
    concluded_on=st.one_of(st.just(""), DATES), outcome=st.sampled_from(["", "TQGS", "YSQS"]),
    outcome_persons=DIGITS, amount=st.one_of(st.just(""), DIGITS),
    rank=st.sampled_from(["", "R2", "R3"]), major=st.sampled_from(["auto", "", "major", "zz"]),
    major_override=st.sampled_from(["", "领导批示"]), month=st.one_of(st.just(""), TEXT),
    remarks=TEXT)


@settings(max_examples=1000, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(typed=TYPED_CARDS)
def test_any_typed_card_is_refused_by_field_or_reads_back_identical(
        session: Session, typed: CardInput) -> None:
    before = _count()
    try:
        card_id, checked = cards.add(session, typed)
    except InvalidCard as refused:
        names = set(CardInput.__dataclass_fields__)
        assert refused.problems and all(set(p.fields) <= names for p in refused.problems)
        for problem in refused.problems:  # "required" is said only of an empty field
            if problem.message == "required":
                assert not getattr(typed, problem.fields[0]).strip()
        assert _count() == before
        return
    stored = card_review.get(card_id)
    assert checked.card is not None
    again = cards.validate(stored.as_input(), card_id)
    assert again.card is not None
    assert cards.stored_values(again.card) == cards.stored_values(checked.card)
    assert cards.people_values(again.card) == cards.people_values(checked.card)
    in_step = rows("SELECT persons, outcome_persons, plea_persons FROM card WHERE id = ?",
                   (card_id,))[0]
    active = [p for p in _people(card_id) if p[-1] == "active"]
    assert in_step[0] == len(active) and in_step[2] == sum(p[7] for p in active)
    if in_step[1] <= in_step[0]:  # R05 keeps a simple card's typed count beside its error
        assert in_step[1] == sum(1 for p in active if p[5] and p[5] == checked.card.outcome)
