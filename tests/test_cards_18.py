"""Issue 18 in the card store: an outcome with no person is a named rule (R31), the live
check judges what is there as it is typed, and a card entry kept as a draft lives in the
store per operator until saved or discarded (each state audited, nothing deleted)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

import pytest

from store import clock, i18n
from store.audit import log as audit
from store.cards import drafts, rules
from store.cards import entry as cards
from store.cards.entry import CardInput
from store.cards.persons import PersonInput
from store.errors import StoreError
from store.vault.database import rows
from store.vault.folder import StoreDir
from store.vault.session import Session
from tests.conftest import ADMIN_PW, CLERK_PW, Store
from tests.test_cards import TYPED

CIVIL = CardInput(department="D03", business_type="MSXZ", case_no="某检民监〔2026〕7号",
                  case_name="某公司合同纠纷监督案", accepted_on="20261102",
                  concluded_on="20261120", outcome="ZSJY")


def _codes(checked: cards.Checked) -> list[str]:
    return [p.code for p in checked.problems]


def test_an_outcome_with_no_person_is_refused_by_r31(session: Session) -> None:
    """Point 2: a card with persons and an outcome whose 处理人数 said 0 was saved silently:
    the report counted 件 without 人. R31 names it; a blank 处理人数 is all the persons."""
    nobody = replace(TYPED, outcome_persons="0")
    assert "R31" in _codes(cards.validate(nobody))
    card_id, checked = cards.add(session, nobody)
    assert "R31" in [p.code for p in checked.errors]  # saved, but with its error, never silent
    assert rows("SELECT problems FROM card WHERE id = ?", (card_id,))[0][0] > 0
    # a blank 处理人数 with persons is all of them (the issue-17 model): nothing to say
    assert "R31" not in _codes(cards.validate(TYPED))
    # a case of a kind that has no persons (civil supervision) is counted in 件 only
    assert "R31" not in _codes(cards.validate(CIVIL))
    # with a persons list the count comes from the list
    listed = replace(TYPED, persons="", outcome="", outcome_persons="",
                     people=(PersonInput(name="甲", outcome="TQGS"), PersonInput(name="乙")))
    assert "R31" not in _codes(cards.validate(listed))


def test_every_rule_is_listed_with_its_code_and_text_in_both_languages() -> None:
    listed = rules.every_rule()
    assert [code for code, *_rest in listed] == [r.code for r in rules.RULES]
    assert listed[-1][0] == "R31"
    i18n.set_language("zh")
    assert rules.MAJOR_NAMES["both"] and "人" in i18n._(listed[-1][3])
    i18n.set_language("en")


def test_the_live_check_judges_what_is_typed_before_the_required_fields(
        session: Session) -> None:
    """Point 9: a case number typed wrong is said at once, with the other required fields
    still blank; rules of blank fields wait, and a missing field is said only on saving."""
    partial = CardInput(case_no="某检刑诉2026-1")
    live = cards.validate(partial, live=True)
    assert _codes(live) == ["R06"]
    assert _codes(cards.validate(partial))[:1] == ["F"]  # saving: the required fields
    # the concluded date before the accepted one, nothing else typed
    dates = cards.validate(CardInput(accepted_on="20261118", concluded_on="20261009"),
                           live=True)
    assert _codes(dates) == ["R01"]
    # an outcome not of the business type is judged once both are there
    assert _codes(cards.validate(CardInput(outcome="YSQS"), live=True)) == []
    assert "R02" in _codes(cards.validate(CardInput(business_type="SCQS", outcome="YSQS"),
                                          live=True))
    # a field that cannot be read is said, and the others are still checked
    both = cards.validate(CardInput(case_no="x", persons="two"), live=True)
    assert sorted(_codes(both)) == ["F", "R06"]


def test_the_major_flag_a_rule_expects_is_said_in_words(session: Session) -> None:
    own = replace(TYPED, business_type="ZZLA", outcome="YSQS", charge="C13",
                  amount="5000000", rank="R3", major="", major_override="说明")
    found = next(p for p in cards.validate(own).problems if p.code == "R13")
    assert rules.said(found) == "by amount and rank the major-case flag would be: both 大案要案"
    i18n.set_language("zh")
    assert "both" not in rules.said(found) and "大案要案" in rules.said(found)
    i18n.set_language("en")


@pytest.fixture
def at_noon(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 12).astimezone())


def test_a_draft_is_kept_per_operator_and_survives_reopening_the_store(
        store: Store, at_noon: None) -> None:
    """Point 3: kept in the encrypted store, per operator; saved, it is `used`; discarded, it
    stays `discarded`; every change of state is in the audit log."""
    half = CardInput(department="D01", business_type="SCQS", case_no="某检刑诉〔2026〕501号",
                     people=(PersonInput(name="甲", custody="JY"),))
    with StoreDir(store.paths) as folder:
        admin = folder.unlock("admin", ADMIN_PW)
        first = drafts.save(admin, half)
        second = drafts.save(admin, replace(half, case_name="乙某案"))
        admin.close()
    with StoreDir(store.paths) as folder:  # a restart (or a lock: the store is closed)
        clerk = folder.unlock("clerk", CLERK_PW)
        assert drafts.kept(clerk) == []  # another operator's drafts are not offered
        with pytest.raises(StoreError):
            drafts.discard(clerk, first)
        clerk.close()
        admin = folder.unlock("admin", ADMIN_PW)
        kept = drafts.kept(admin)
        assert [d.id for d in kept] == [second, first]
        assert kept[1].typed == half  # the persons list too
        card_id, _checked = drafts.add_card(admin, replace(half, case_name="甲某案",
                                                           accepted_on="20261101"), first)
        drafts.discard(admin, second)
        assert drafts.kept(admin) == []
        with pytest.raises(StoreError):
            drafts.discard(admin, second)  # once discarded, no longer kept
        assert rows("SELECT id, state, card_id FROM card_draft ORDER BY id") == [
            (first, "used", card_id), (second, "discarded", None)]
        entries = [(e.action, e.entity_id) for e in audit.recent(6)
                   if e.action.startswith("card_draft")]
        assert ("card_draft.used", str(first)) in entries
        assert ("card_draft.discarded", str(second)) in entries
        used = next(e for e in audit.recent(6) if e.action == "card_draft.used")
        assert json.loads(used.new or "{}") == {"state": "used", "card_id": card_id}
        admin.close()


def test_a_draft_taken_up_and_kept_again_replaces_the_older(session: Session) -> None:
    first = drafts.save(session, CardInput(case_no="某检刑诉〔2026〕502号"))
    second = drafts.save(session, CardInput(case_no="某检刑诉〔2026〕502号", case_name="丙某案"),
                         replaces=first)
    assert [d.id for d in drafts.kept(session)] == [second]
    assert drafts.get(session, first).state == "replaced"
