"""The persons of a case: a record each, the card's counts kept in step, nothing deleted."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from store.audit import log as audit
from store.cards import entry as cards
from store.cards import months, persons
from store.cards import review as card_review
from store.cards.entry import CardInput, InvalidCard
from store.cards.persons import PersonInput
from store.errors import StoreError
from store.vault.database import rows
from store.vault.session import Session

ARREST = CardInput(department="D01", business_type="SCDB", case_no="某检刑捕〔2026〕31号",
                   case_name="王某等三人盗窃案", charge="C01", accepted_on="20261103",
                   concluded_on="20261110", unified_no="ＵＡ-2026-0031")
THREE = (PersonInput(name="王某", custody="JY", outcome="PZDB", outcome_kind="PZ"),
         PersonInput(name="李某", custody="JY", outcome="PZDB", outcome_kind="PZ", plea="是"),
         PersonInput(name="赵某", minor="1", custody="QB", outcome="BPDB", outcome_kind="WZ"))


def _people(card_id: int) -> list[tuple[object, ...]]:
    return rows("SELECT seq, name, minor, charge, custody, outcome, outcome_kind, plea, status"
                " FROM card_person WHERE card_id = ? ORDER BY seq", (card_id,))


def _columns(card_id: int) -> tuple[object, ...]:
    return rows("SELECT persons, outcome, outcome_persons, plea_persons, mixed FROM card"
                " WHERE id = ?", (card_id,))[0]


def _counts() -> tuple[int, int, int, int]:
    return rows("SELECT (SELECT count(*) FROM card), (SELECT count(*) FROM card_person),"
                " (SELECT count(*) FROM card_history), (SELECT count(*) FROM audit)")[0]


def test_three_suspects_two_arrested_one_not_are_all_kept(session: Session) -> None:
    """Issue 17 (3): one outcome per card lost the third suspect; now each has a record."""
    card_id, checked = cards.add(session, replace(ARREST, people=THREE))
    assert checked.problems == []
    assert _people(card_id) == [
        (1, "王某", 0, "C01", "JY", "PZDB", "PZ", 0, "active"),
        (2, "李某", 0, "C01", "JY", "PZDB", "PZ", 1, "active"),
        (3, "赵某", 1, "C01", "QB", "BPDB", "WZ", 0, "active")]
    # the case counts under the first outcome of the table's order; the others are kept
    assert _columns(card_id) == (3, "PZDB", 2, 1, 1)
    card = card_review.get(card_id)
    assert (card.unified_no, card.month, card.concluded_month) == ("UA-2026-0031", "2026-11",
                                                                   "2026-11")
    added = card_review.history(card_id)[0]
    assert added.new is not None
    assert [(p["name"], p["outcome"]) for p in added.new["people"]] == [
        ("王某", "PZDB"), ("李某", "PZDB"), ("赵某", "BPDB")]
    entry = audit.recent(1)[0]
    assert entry.action == "card.add" and json.loads(entry.new)["people"] == added.new["people"]
    again = card_review.get(card_id).as_input()
    assert [p.name for p in again.people] == ["王某", "李某", "赵某"]
    assert not cards.validate(again, card_id).problems


def test_a_single_person_case_is_typed_on_the_card_alone(session: Session) -> None:
    simple = CardInput(department="D01", business_type="SCQS", case_no="某检刑诉〔2026〕40号",
                       case_name="钱某危险驾驶案", charge="C04", accepted_on="20261102",
                       concluded_on="20261112", outcome="BQS", outcome_kind="xd",
                       custody="取保候审", plea="是", minor="否")
    card_id, checked = cards.add(session, simple)  # blank persons: one; blank outcome persons: all
    assert checked.problems == []
    assert _people(card_id) == [(1, "", 0, "C04", "QB", "BQS", "XD", 1, "active")]
    assert _columns(card_id) == (1, "BQS", 1, 1, 0)
    shown = card_review.get(card_id).as_input()
    assert (shown.people, shown.custody, shown.plea, shown.minor, shown.outcome_kind) == (
        (), "QB", "1", "", "XD")


def test_a_simple_case_with_several_persons_gives_them_all_its_values(session: Session) -> None:
    card_id, checked = cards.add(session, replace(
        ARREST, persons="2", outcome="PZDB", outcome_kind="PZ", custody="JY"))
    assert checked.problems == []
    assert _people(card_id) == [(n, "", 0, "C01", "JY", "PZDB", "PZ", 0, "active")
                                for n in (1, 2)]
    assert _columns(card_id) == (2, "PZDB", 2, 0, 0)
    # two persons read back as a list (the persons list shows them), and save unchanged
    shown = card_review.get(card_id).as_input()
    assert len(shown.people) == 2 and shown.custody == ""
    assert cards.people_of(replace(ARREST, persons="2", outcome="PZDB")) == (
        PersonInput(minor="0", charge="C01", outcome="PZDB", plea="0"),) * 2


def test_persons_beyond_the_outcome_persons_must_be_given_their_outcome(
        session: Session) -> None:
    card_id, checked = cards.add(session, replace(
        ARREST, persons="3", outcome="PZDB", outcome_kind="PZ", outcome_persons="2"))
    assert [v.code for v in checked.errors] == ["R27"]
    assert checked.errors[0].params["who"] == "3"
    assert _columns(card_id) == (3, "PZDB", 2, 0, 1)  # saved as the paper says, not counted
    with pytest.raises(StoreError, match="R27"):
        card_review.accept(session, card_id)


@pytest.mark.parametrize(("change", "field"), [
    ({"persons": "2"}, "persons"), ({"outcome": "BPDB"}, "outcome"),
    ({"outcome_persons": "3"}, "outcome_persons"), ({"custody": "JY"}, "custody"),
    ({"minor": "否"}, "minor"),
])
def test_a_card_value_that_contradicts_the_list_is_refused_beside_it(
        session: Session, change: dict[str, str], field: str) -> None:
    before = _counts()
    with pytest.raises(InvalidCard) as refused:
        cards.add(session, replace(ARREST, people=THREE, **change))
    assert [p.fields for p in refused.value.problems] == [(field,)]
    assert _counts() == before


@pytest.mark.parametrize(("person", "field"), [
    (PersonInput(minor="maybe"), "people.1.minor"), (PersonInput(plea="x"), "people.1.plea"),
    (PersonInput(name="王\x07某"), "people.1.name"), (PersonInput(name="王" * 41),
                                                    "people.1.name"),
])
def test_an_unreadable_person_is_named_by_place_and_nothing_is_written(
        session: Session, person: PersonInput, field: str) -> None:
    before = _counts()
    with pytest.raises(InvalidCard) as refused:
        cards.add(session, replace(ARREST, concluded_on="", people=(person,)))
    assert [p.fields for p in refused.value.problems] == [(field,)]
    assert "people" in str(refused.value)
    assert _counts() == before


def test_persons_change_in_place_and_one_taken_off_is_kept_as_removed(
        session: Session) -> None:
    card_id, _checked = cards.add(session, replace(ARREST, people=THREE))
    ids = [r[0] for r in rows("SELECT id FROM card_person WHERE card_id = ? ORDER BY seq",
                              (card_id,))]
    two = (THREE[0], replace(THREE[2], outcome="PZDB", outcome_kind="PZ"))
    card_review.update(session, card_id, replace(ARREST, people=two))
    assert _people(card_id) == [
        (1, "王某", 0, "C01", "JY", "PZDB", "PZ", 0, "active"),
        (2, "赵某", 1, "C01", "QB", "PZDB", "PZ", 0, "active"),
        (3, "赵某", 1, "C01", "QB", "BPDB", "WZ", 0, "removed")]
    assert [r[0] for r in rows("SELECT id FROM card_person WHERE card_id = ? ORDER BY seq",
                               (card_id,))] == ids  # never deleted, never re-made
    assert _columns(card_id) == (2, "PZDB", 2, 0, 0)
    assert [p.name for p in persons.people(card_id)] == ["王某", "赵某"]
    change = card_review.history(card_id)[-1]
    assert change.action == "update" and change.old is not None and change.new is not None
    assert [p["name"] for p in change.old["people"]] == ["王某", "李某", "赵某"]
    assert [p["name"] for p in change.new["people"]] == ["王某", "赵某"]
    assert {k: change.old[k] for k in change.old if k != "people"} == {
        "persons": 3, "plea_persons": 1, "mixed": 1}
    assert audit.recent(1)[0].action == "card.update"
    card_review.update(session, card_id, replace(ARREST, people=THREE))  # seq 3 comes back
    assert [r[-1] for r in _people(card_id)] == ["active"] * 3
    assert rows("SELECT count(*) FROM card_person WHERE card_id = ?", (card_id,)) == [(3,)]


def test_a_change_of_one_person_alone_is_saved_and_kept_in_the_history(
        session: Session) -> None:
    card_id, _checked = cards.add(session, replace(ARREST, people=THREE))
    renamed = (replace(THREE[0], name="王某某"), *THREE[1:])
    card_review.update(session, card_id, replace(ARREST, people=renamed))
    change = card_review.history(card_id)[-1]
    assert change.old is not None and change.new is not None
    assert set(change.old) == set(change.new) == {"people"}
    assert _people(card_id)[0][1] == "王某某"


def test_the_persons_are_copied_from_the_case_s_earlier_stage(session: Session) -> None:
    arrest, _checked = cards.add(session, replace(ARREST, people=THREE))
    prosecution = replace(ARREST, business_type="SCQS", case_no="某检刑诉〔2026〕77号",
                          accepted_on="20261120", concluded_on="")
    assert persons.earlier_stage("UA-2026-0031", "SCQS") == []  # not yet accepted: not counted
    card_review.accept(session, arrest)
    copied = persons.earlier_stage(" UA-2026-0031 ", "SCQS")
    assert copied == [
        PersonInput(name="王某", minor="0", charge="C01", custody="JY", plea="0"),
        PersonInput(name="李某", minor="0", charge="C01", custody="JY", plea="1"),
        PersonInput(name="赵某", minor="1", charge="C01", custody="QB", plea="0")]
    assert persons.earlier_stage("UA-2026-0031", "SCDB") == []  # nothing before 审查逮捕
    assert persons.earlier_stage("UA-2026-9999", "SCQS") == []
    card_id, checked = cards.add(session, replace(prosecution, people=tuple(copied)))
    assert checked.problems == []
    assert _columns(card_id) == (3, "", 0, 1, 0)


def test_a_second_card_of_the_same_type_and_unified_number_is_a_warning(
        session: Session) -> None:
    cards.add(session, replace(ARREST, people=THREE))
    _second, checked = cards.add(session, replace(ARREST, case_no="某检刑捕〔2026〕32号",
                                                  people=THREE))
    assert [v.code for v in checked.warnings] == ["R29"]
    _other_stage, checked = cards.add(session, replace(
        ARREST, business_type="SCQS", case_no="某检刑诉〔2026〕32号", concluded_on="",
        people=tuple(replace(p, outcome="", outcome_kind="") for p in THREE)))
    assert "R29" not in [v.code for v in checked.problems]


def test_custody_and_outcome_kinds_are_offered_as_code_entries() -> None:
    assert [(c.kind, c.code, c.name_zh) for c in persons.custody_codes()] == [
        ("custody", "JY", "羁押"), ("custody", "QB", "取保候审"), ("custody", "JS", "监视居住")]
    assert [c.code for c in persons.outcome_kind_codes("BQS")] == ["FD", "XD", "CY", "FTJ"]
    assert {c.parent for c in persons.outcome_kind_codes("PZDB")} == {"PZDB"}
    assert persons.outcome_kind_codes("TQGS") == []
    assert persons.custody_codes()[0].matches("jy")


def test_a_reported_card_s_persons_change_only_by_correction(session: Session) -> None:
    card_id, _checked = cards.add(session, replace(ARREST, people=THREE))
    card_review.accept(session, card_id)
    months.lock(session, "2026-11")
    renamed = (replace(THREE[0], name="王某某"), *THREE[1:])
    with pytest.raises(StoreError, match="reason"):
        card_review.update(session, card_id, replace(ARREST, people=renamed))
    assert _people(card_id)[0][1] == "王某"
    card_review.update(session, card_id, replace(ARREST, people=renamed), reason="姓名有误")
    assert _people(card_id)[0][1] == "王某某"
    assert card_review.history(card_id)[-1].action == "correct"
