"""Hypothesis: whatever is typed, the store answers with a clear error or accepts it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from store.cards.persons import PersonInput
from store.errors import StoreError
from store.vault import policy
from store.vault.folder import StoreDir
from store.vault.session import Session
from tests.conftest import Store, tree_digest


@given(st.text(max_size=80))
def test_any_name_is_accepted_or_refused_clearly(name: str) -> None:
    try:
        checked = policy.check_name(name)
    except StoreError as exc:
        assert exc.message and "\n" not in exc.message
    else:
        assert 1 <= len(checked) <= 32 and checked.lower() not in policy.RESERVED_NAMES


@given(st.text(max_size=300))
def test_any_password_is_accepted_or_refused_clearly(password: str) -> None:
    try:
        policy.check_password(password)
    except StoreError as exc:
        assert exc.message
    else:
        assert policy.MIN_PASSWORD <= len(password) <= policy.MAX_PASSWORD


@pytest.mark.usefixtures("store")
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=40), password=st.text(max_size=40))
def test_random_logins_never_crash_or_touch_the_store(store: Store, name: str,
                                                      password: str) -> None:
    before = tree_digest(store.root)
    with StoreDir(store.paths) as folder:
        folder.failures.clear(name.strip())
        try:
            folder.unlock(name, password)
        except StoreError as exc:
            assert exc.message
        else:
            pytest.fail("a random login unlocked the store")
    assert tree_digest(store.root) == before


def _mostly(valid: list[str], other: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Typed values, most of them readable, so that some events get recorded."""
    return st.one_of(st.sampled_from(valid), st.sampled_from(valid), st.sampled_from(valid),
                     other)


FLAGS = _mostly(["", "0", "1", "y", "n", "是", "否", "Ｙ"],
                st.sampled_from(["maybe", "2", "是否"]) | st.text(max_size=3))
PERSON_TEXT = _mostly(["", "王某", "C01", "C77", "JY", "qb", "XX", "PZDB", "BPDB", "PZ", "wz",
                       "FTJ"], st.text(max_size=50))
PEOPLE = st.lists(st.builds(
    PersonInput, name=PERSON_TEXT, minor=FLAGS, charge=PERSON_TEXT, custody=PERSON_TEXT,
    outcome=st.sampled_from(["", "PZDB", "BPDB", "TQGS", "X"]), outcome_kind=PERSON_TEXT,
    plea=FLAGS), max_size=6).map(tuple)


def _written() -> tuple[object, ...]:
    from store.vault.database import rows

    return rows("SELECT (SELECT count(*) FROM card), (SELECT count(*) FROM card_person),"
                " (SELECT count(*) FROM card_event), (SELECT count(*) FROM card_history)")[0]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(people=PEOPLE, persons=st.sampled_from(["", "0", "2", "x"]),
       outcome=st.sampled_from(["", "PZDB"]), concluded=st.sampled_from(["", "20261110"]))
def test_any_persons_list_is_refused_by_place_or_reads_back_identical(
        session: Session, people: tuple[PersonInput, ...], persons: str, outcome: str,
        concluded: str) -> None:
    from store.cards import entry as cards
    from store.cards import review as card_review
    from store.cards.entry import CardInput, InvalidCard

    typed = CardInput(department="D01", business_type="SCDB", case_no="某检刑捕〔2026〕1号",
                      case_name="某案", charge="C01", accepted_on="20261103", persons=persons,
                      outcome=outcome, concluded_on=concluded, people=people)
    before = _written()
    try:
        card_id, checked = cards.add(session, typed)
    except InvalidCard as refused:
        names = set(CardInput.__dataclass_fields__)
        for problem in refused.problems:
            for name in problem.fields:  # a card field, or people.<seq>.<field> of a person
                parts = name.split(".")
                assert name in names or (parts[0] == "people" and len(parts) == 3
                                         and 1 <= int(parts[1]) <= len(people))
        assert _written() == before
        event("refused")
        return
    event("saved")
    assert checked.card is not None
    stored = card_review.get(card_id)
    again = cards.validate(stored.as_input(), card_id)
    assert again.card is not None
    assert cards.people_values(again.card) == cards.people_values(checked.card)
    assert cards.stored_values(again.card) == cards.stored_values(checked.card)
    assert (stored.persons, stored.plea_persons) == (
        len(checked.card.people), sum(p.plea for p in checked.card.people))


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(kind=_mostly(["returned", "extended"], st.sampled_from(["resent", "x", ""])),
       day=_mostly(["2026-11-02", "20261020", "2026.11.3"],
                   st.sampled_from(["2026-12-01", "2026-02-30", "2026-10-01"])
                   | st.text(max_size=12)),
       persons=_mostly(["", "1", "１", " 1 "], st.sampled_from(["0", "2", "-1"])
                       | st.text(max_size=5)),
       days=st.one_of(st.sampled_from(["", "15", "１５"]), st.sampled_from(["0", "366"]),
                      st.text(max_size=5)),
       note=_mostly(["", "补充证据"], st.text(max_size=210)))
def test_any_typed_event_is_refused_clearly_or_recorded_as_typed(
        session: Session, kind: str, day: str, persons: str, days: str, note: str) -> None:
    from store.cards import entry as cards
    from store.cards import events
    from store.cards.entry import CardInput
    from store.vault.database import rows

    card_id = int(rows("SELECT coalesce(max(id), 0) FROM card")[0][0])
    if not card_id:
        card_id, _checked = cards.add(session, CardInput(
            department="D01", business_type="SCQS", case_no="某检刑诉〔2026〕1号",
            case_name="某案", charge="C01", accepted_on="20261008"))
    before = _written()
    try:
        event_id = events.record_event(session, card_id, kind, day, persons, days, note)
    except StoreError as exc:
        assert exc.message and "\n" not in exc.message
        assert _written() == before
        event("refused")
        return
    event("recorded")
    found = [e for e in events.events(card_id) if e.id == event_id]
    assert len(found) == 1 and found[0].kind == kind and found[0].note == note.strip()
    events.void_event(session, event_id, "fuzz")  # the next example starts from a case at rest
