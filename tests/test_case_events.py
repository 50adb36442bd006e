"""A case's life: 审结 in its own month, 退查 and 重报 as events, the 审查起诉 time limit."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

import pytest

from store import clock
from store.audit import log as audit
from store.cards import entry as cards
from store.cards import events, months
from store.cards import review as card_review
from store.cards.entry import CardInput, InvalidCard
from store.cards.events import ConclusionInput
from store.cards.persons import PersonInput
from store.errors import InvalidInput, NotAllowed
from store.vault.database import rows
from store.vault.folder import StoreDir
from store.vault.session import Session
from tests.conftest import ADMIN_PW, Store
from tests.deep_support import Cli, deep

OPEN = CardInput(department="D01", business_type="SCQS", case_no="某检刑诉〔2026〕201号",
                 case_name="孙某诈骗案", charge="C02", accepted_on="20261008", custody="JY",
                 unified_no="UA-2026-0201")
TODAY = date(2026, 11, 30)


def _open_case(session: Session, typed: CardInput = OPEN) -> int:
    card_id, checked = cards.add(session, typed)
    assert checked.problems == [], checked.problems
    card_review.accept(session, card_id)
    return card_id


def _written() -> tuple[object, ...]:
    return rows("SELECT (SELECT count(*) FROM card), (SELECT count(*) FROM card_person),"
                " (SELECT count(*) FROM card_event), (SELECT count(*) FROM card_history),"
                " (SELECT count(*) FROM audit), (SELECT group_concat(updated_at) FROM card),"
                " (SELECT group_concat(outcome || status, ',') FROM card_person)")[0]


def _card_row(card_id: int) -> tuple[object, ...]:
    return rows("SELECT month, concluded_on, concluded_month, outcome, outcome_persons, status"
                " FROM card WHERE id = ?", (card_id,))[0]


def test_a_case_received_in_a_locked_month_is_concluded_in_the_open_month(
        session: Session) -> None:
    """Issue 17 (1): concluding it took a correction of the locked month, or a second card
    that R07 refused; now its 审结 counts in the open month and October is untouched."""
    card_id = _open_case(session)
    months.lock(session, "2026-10")
    assert card_review.get(card_id).status == "reported"
    october = rows("SELECT id, month, concluded_month, outcome, persons FROM card"
                   " WHERE month = '2026-10' OR concluded_month = '2026-10'")
    checked = events.conclude(session, card_id, ConclusionInput("20261020", "TQGS"))
    assert checked.problems == []
    # concluded on a day of the locked October: it counts in November, the next open month
    assert _card_row(card_id) == ("2026-10", "2026-10-20", "2026-11", "TQGS", 1, "reported")
    assert rows("SELECT id, month, concluded_month, outcome, persons FROM card"
                " WHERE concluded_month = '2026-10'") == []
    assert [r[:2] for r in october] == [r[:2] for r in rows(
        "SELECT id, month FROM card WHERE month = '2026-10'")]
    assert rows("SELECT outcome, custody FROM card_person WHERE card_id = ?",
                (card_id,)) == [("TQGS", "JY")]
    assert rows("SELECT count(*) FROM card") == [(1,)]  # no second card for the same case
    entry = card_review.history(card_id)[-1]
    assert (entry.action, entry.reason) == ("conclude", "")
    assert entry.old is not None and entry.new is not None
    assert (entry.old["concluded_month"], entry.new["concluded_month"]) == ("", "2026-11")
    assert [p["outcome"] for p in entry.new["people"]] == ["TQGS"]
    logged = audit.recent(1)[0]
    assert logged.action == "card.conclude" and json.loads(logged.new)["outcome"] == "TQGS"


def test_a_conclusion_changes_freely_in_its_open_month_and_by_correction_once_locked(
        session: Session) -> None:
    card_id = _open_case(session)
    events.conclude(session, card_id, ConclusionInput("20261105", "TQGS"))
    events.conclude(session, card_id, ConclusionInput("20261106", "BQS", "XD"))
    assert _card_row(card_id)[1:4] == ("2026-11-06", "2026-11", "BQS")
    assert card_review.history(card_id)[-1].action == "conclude"
    months.lock(session, "2026-10")
    months.lock(session, "2026-11")
    before = _written()
    with pytest.raises(InvalidInput, match="reason"):
        events.conclude(session, card_id, ConclusionInput("20261106", "TQGS"))
    with pytest.raises(NotAllowed, match="still open"):  # a reported 审结 stays reported
        events.conclude(session, card_id, ConclusionInput("20261127", "TQGS"), reason="更正")
    assert _written() == before
    events.conclude(session, card_id, ConclusionInput("20261106", "TQGS"), reason="结论录错")
    assert _card_row(card_id)[1:4] == ("2026-11-06", "2026-11", "TQGS")
    entry = card_review.history(card_id)[-1]
    assert (entry.action, entry.reason) == ("correct", "结论录错")


def test_returned_for_investigation_is_an_event_and_the_case_comes_back(
        session: Session) -> None:
    """Issue 17 (4): 退查 was an ending that inflated 审结 and the case could not come back;
    now it is an event, the case stays open, is re-sent and concluded later."""
    card_id = _open_case(session)
    returned = events.record_event(session, card_id, "returned", "2026-10-20",
                                   note="补充证据")
    assert _card_row(card_id)[1:4] == ("", "", "")  # still open: in 未结, not in 审结
    assert rows("SELECT card_id, kind, on_day, month, persons, days, note, status, recorded_by"
                " FROM card_event WHERE id = ?", (returned,)) == [
        (card_id, "returned", "2026-10-20", "2026-10", 1, 0, "补充证据", "active", "admin")]
    entry = card_review.history(card_id)[-1]
    assert entry.action == "event" and entry.new == {
        "event": returned, "kind": "returned", "on_day": "2026-10-20", "month": "2026-10",
        "persons": 1, "days": 0, "note": "补充证据"}
    assert audit.recent(1)[0].action == "card.event"
    assert events.time_limit(card_review.get(card_id), TODAY) is None  # out: the clock stops
    before = _written()
    with pytest.raises(NotAllowed, match="already out"):
        events.record_event(session, card_id, "returned", "2026-10-22")
    assert _written() == before
    months.lock(session, "2026-10")
    resent = events.record_event(session, card_id, "resent", "2026-10-28")
    assert rows("SELECT month FROM card_event WHERE id = ?", (resent,)) == [("2026-11",)]
    assert events.time_limit(card_review.get(card_id), TODAY) == (date(2026, 11, 27), -3)
    events.record_event(session, card_id, "extended", "2026-11-20", days="15")
    assert events.time_limit(card_review.get(card_id), TODAY) == (date(2026, 12, 12), 12)
    events.conclude(session, card_id, ConclusionInput("2026-11-24", "TQGS"))
    assert _card_row(card_id)[:4] == ("2026-10", "2026-11-24", "2026-11", "TQGS")
    assert events.time_limit(card_review.get(card_id), TODAY) is None
    life = events.events(card_id)
    assert [(e.kind, e.on_day, e.month) for e in life] == [
        ("received", "2026-10-08", "2026-10"), ("returned", "2026-10-20", "2026-10"),
        ("resent", "2026-10-28", "2026-11"), ("extended", "2026-11-20", "2026-11"),
        ("concluded", "2026-11-24", "2026-11")]
    assert [e.id == 0 for e in life] == [True, False, False, False, True]


def test_conditional_non_prosecution_is_refused_for_an_adult(session: Session) -> None:
    adult = _open_case(session)
    before = _written()
    with pytest.raises(InvalidCard) as refused:
        events.conclude(session, adult, ConclusionInput("20261112", "BQS", "FTJ"))
    assert [v.code for v in refused.value.problems] == ["R25"]  # named, with its fields
    assert _written() == before
    with pytest.raises(InvalidCard) as refused:  # 不起诉 needs its kind
        events.conclude(session, adult, ConclusionInput("20261112", "BQS"))
    assert [v.code for v in refused.value.problems] == ["R23"]
    assert _written() == before
    minor = _open_case(session, replace(OPEN, case_no="某检刑诉〔2026〕202号", minor="是",
                                        unified_no=""))
    assert events.conclude(session, minor, ConclusionInput("20261112", "BQS", "FTJ")).errors == []
    assert rows("SELECT outcome, outcome_kind, minor FROM card_person WHERE card_id = ?",
                (minor,)) == [("BQS", "FTJ", 1)]


def test_each_person_is_concluded_with_an_outcome_of_their_own(session: Session) -> None:
    three = tuple(PersonInput(name=n, minor=m, custody="QB") for n, m in
                  (("甲", "0"), ("乙", "0"), ("丙", "1")))
    card_id = _open_case(session, replace(OPEN, custody="", people=three))
    with pytest.raises(InvalidCard) as refused:  # the outcome for two of three only
        events.conclude(session, card_id, ConclusionInput("20261112", "TQGS",
                                                           outcome_persons="2"))
    assert [v.code for v in refused.value.problems] == ["R27"]
    outcomes = (PersonInput(outcome="TQGS", plea="1"), PersonInput(outcome="TQGS"),
                PersonInput(outcome="BQS", outcome_kind="FTJ"))
    events.conclude(session, card_id, ConclusionInput("20261112", people=outcomes))
    assert rows("SELECT name, minor, custody, outcome, outcome_kind, plea FROM card_person"
                " WHERE card_id = ? ORDER BY seq", (card_id,)) == [
        ("甲", 0, "QB", "TQGS", "", 1), ("乙", 0, "QB", "TQGS", "", 0),
        ("丙", 1, "QB", "BQS", "FTJ", 0)]
    assert rows("SELECT persons, outcome, outcome_persons, plea_persons, mixed FROM card"
                " WHERE id = ?", (card_id,)) == [(3, "TQGS", 2, 1, 1)]
    with pytest.raises(InvalidInput, match="3 persons"):
        events.conclude(session, card_id, ConclusionInput("20261112", people=outcomes[:2]))


@pytest.mark.parametrize(("kind", "day", "values", "words", "field"), [
    ("closed", "2026-11-02", {}, "one of", "kind"),
    ("returned", "2026-12-02", {}, "future", "on_day"),
    ("returned", "2026-10-01", {}, "before the case was received", "on_day"),
    ("returned", "2026-11-31", {}, "not a day", "on_day"),
    ("returned", "2026-11-02", {"persons": "2"}, "from 1 to 1", "persons"),
    ("returned", "2026-11-02", {"days": "15"}, "only an extension", "days"),
    ("extended", "2026-11-02", {}, "from 1 to 365", "days"),
    ("returned", "2026-11-02", {"note": "补充\x00"}, "control characters", "note"),
    ("resent", "2026-11-02", {}, "after it was returned", None),
])
def test_an_event_that_cannot_be_is_refused_and_nothing_is_written(
        session: Session, kind: str, day: str, values: dict[str, str], words: str,
        field: str | None) -> None:
    card_id = _open_case(session)
    before = _written()
    with pytest.raises((InvalidInput, NotAllowed), match=words) as refused:
        events.record_event(session, card_id, kind, day, **values)
    assert getattr(refused.value, "field", None) == field  # shown beside its field
    assert _written() == before


def test_an_event_is_voided_with_a_reason_never_deleted(session: Session) -> None:
    card_id = _open_case(session)
    returned = events.record_event(session, card_id, "returned", "2026-10-20")
    resent = events.record_event(session, card_id, "resent", "2026-11-02")
    before = _written()
    with pytest.raises(InvalidInput):
        events.void_event(session, resent, " ")
    with pytest.raises(NotAllowed, match="re-sending"):
        events.void_event(session, returned, "录错")
    assert _written() == before
    events.void_event(session, resent, "重复录入")
    assert rows("SELECT status, void_reason FROM card_event WHERE id = ?", (resent,)) == [
        ("void", "重复录入")]
    entry = card_review.history(card_id)[-1]
    assert (entry.action, entry.reason, entry.new) == (
        "event_void", "重复录入", {"event": resent, "status": "void"})
    assert audit.recent(1)[0].action == "card.event_void"
    with pytest.raises(NotAllowed, match="already void"):
        events.void_event(session, resent, "再次")
    events.void_event(session, returned, "录错")
    assert rows("SELECT count(*) FROM card_event WHERE card_id = ?", (card_id,)) == [(2,)]
    assert [e.status for e in events.events(card_id)] == ["active", "void", "void"]
    assert events.time_limit(card_review.get(card_id), TODAY) == (date(2026, 11, 7), -23)


def test_only_accepted_or_reported_cases_are_concluded_here(session: Session) -> None:
    card_id, _checked = cards.add(session, OPEN)
    with pytest.raises(NotAllowed):
        events.conclude(session, card_id, ConclusionInput("20261112", "TQGS"))
    card_review.void(session, card_id, "重复录入")
    with pytest.raises(NotAllowed):
        events.record_event(session, card_id, "returned", "2026-11-02")


def test_the_time_limit_is_for_prosecution_review_only(session: Session) -> None:
    arrest = _open_case(session, replace(OPEN, business_type="SCDB",
                                         case_no="某检刑捕〔2026〕9号", unified_no=""))
    assert events.time_limit(card_review.get(arrest), TODAY) is None
    review = _open_case(session, replace(OPEN, accepted_on="20261110"))
    assert events.time_limit(card_review.get(review), TODAY) == (date(2026, 12, 10), 10)


def test_every_row_a_case_s_life_writes_is_in_its_audit_entry(
        store: Store, cli_run: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Persons added, changed and taken off, a conclusion, events and a void: `audit verify
    --deep` finds each row in the entry of the change that wrote it."""
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    three = tuple(PersonInput(name=n, custody="JY") for n in ("甲", "乙", "丙"))
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        card_id = _open_case(session, replace(OPEN, custody="", people=three))
        card_review.update(session, card_id, replace(OPEN, custody="", people=three[:2]))
        card_review.accept(session, card_id)
        returned = events.record_event(session, card_id, "returned", "2026-10-20")
        events.void_event(session, returned, "录错")
        events.conclude(session, card_id, ConclusionInput("20261112", "TQGS"))
        session.close()
    result = deep(store.paths, cli_run)
    assert result.code == 0, result.out + result.err
