"""Every logic rule, with a card that passes it and one that fails it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from store.cards.persons import CUSTODY, OUTCOME_KINDS, ParsedPerson
from store.cards.rules import (
    RULES,
    ParsedCard,
    RuleContext,
    check,
    concluded_month,
    statistical_month,
)

TODAY = date(2026, 11, 30)


def person(seq: int, outcome: str = "TQGS", **values: object) -> ParsedPerson:
    made = ParsedPerson(seq=seq, name="", minor=False, charge="C01", custody="JY",
                        outcome=outcome, outcome_kind="", plea=True)
    return replace(made, **values)


GOOD = ParsedCard(
    department="D01", business_type="SCQS", case_no="某检刑诉〔2026〕123号",
    case_name="张某某盗窃案", charge="C01", persons=2, accepted_on=date(2026, 10, 8),
    concluded_on=date(2026, 11, 20), outcome="TQGS", outcome_persons=2, amount=None, rank="",
    major="", major_override="", month="2026-10", unified_no="U-1", concluded_month="2026-11",
    people=(person(1), person(2, name="李某")))
GOOD_OWN = replace(GOOD, business_type="ZZLA", outcome="YSQS", charge="C13", amount=120000,
                   rank="R2", case_no="某检反贪〔2026〕7号", persons=1, outcome_persons=1,
                   people=(person(1, "YSQS", charge="C13"),))

CTX = RuleContext(
    today=TODAY, cutoff_day=25, major_amount=500000, key_ranks=("R3", "R4"),
    allowed_outcomes=lambda kind: {"SCQS": {"TQGS", "BQS", "THBZ"}, "SCDB": {"PZDB", "BPDB"},
                                   "ZZLA": {"YSQS", "CXAJ"},
                                   "ZCZW": {"YSQS", "CXAJ"}}.get(kind, set()),
    active_codes=lambda kind: {"department": {"D01"},
                               "business_type": {"SCQS", "SCDB", "ZZLA", "ZCZW", "KGSS"},
                               "charge": {"C01", "C13"}, "rank": {"R2", "R3"}}[kind],
    case_no_used=lambda case_no, card_id: case_no == "某检刑诉〔2026〕999号",
    closed_months=frozenset({"2026-09"}), is_reported=lambda card_id: card_id == 7,
    stored_conclusion=lambda card_id: ("2026-09-20", "2026-09") if card_id == 7 else ("", ""),
    unified_no_used=lambda number, kind, card_id: number == "U-999" and kind == "SCQS",
    outcome_kinds=lambda outcome: {k[0] for k in OUTCOME_KINDS.get(outcome, [])},
    custody=frozenset(CUSTODY), outcome_order={"TQGS": 0, "BQS": 1})
SEPTEMBER = replace(GOOD, accepted_on=date(2026, 9, 1), concluded_on=date(2026, 9, 20),
                    concluded_month="2026-09")
NOT_PROSECUTED = replace(GOOD, outcome="BQS", people=(
    person(1, "BQS", outcome_kind="XD"), person(2, "BQS", outcome_kind="FTJ", minor=True)))

FAILING: dict[str, ParsedCard] = {
    "R01": replace(GOOD, concluded_on=date(2026, 10, 1), month="2026-10"),
    "R02": replace(GOOD, outcome="YSQS"),
    "R03": replace(GOOD, concluded_on=None, month="2026-10"),
    "R04": replace(GOOD, outcome="", outcome_persons=0, concluded_month="",
                   people=(person(1, ""), person(2, ""))),
    "R05": replace(GOOD, outcome_persons=3),
    "R06": replace(GOOD, case_no="2026-123"),
    "R07": replace(GOOD, case_no="某检刑诉〔2026〕999号"),
    "R08": replace(GOOD, month="2026-12", concluded_month="2026-12"),
    "R09": replace(GOOD, accepted_on=date(2026, 12, 1), concluded_on=None, outcome="",
                   outcome_persons=0, month="2026-12"),
    "R10": replace(GOOD, concluded_on=date(2026, 12, 2), month="2026-12"),
    "R11": replace(GOOD_OWN, amount=None),
    "R12": replace(GOOD_OWN, amount=-5),
    "R13": replace(GOOD_OWN, amount=600000, major=""),
    "R14": replace(GOOD_OWN, rank=""),
    "R15": replace(GOOD, rank="R2"),
    "R16": replace(GOOD, charge=""),
    "R17": replace(GOOD, persons=0, outcome_persons=0, people=()),
    "R18": replace(GOOD, case_no="某检刑诉〔2025〕123号"),
    "R19": replace(GOOD, accepted_on=date(2019, 1, 2), case_no="某检刑诉〔2019〕123号"),
    "R20": replace(GOOD, department="D99"),
    "R21": replace(SEPTEMBER, month="2026-09"),
    "R22": replace(GOOD, people=(person(1), person(2, "YSQS"))),
    "R23": replace(NOT_PROSECUTED, people=(person(1, "BQS"), person(2, "BQS", outcome_kind="XD"))),
    "R24": replace(GOOD, people=(person(1, outcome_kind="XD"), person(2))),
    "R25": replace(NOT_PROSECUTED, people=(person(1, "BQS", outcome_kind="FTJ"),
                                           person(2, "BQS", outcome_kind="XD"))),
    "R26": replace(GOOD, people=(person(1, custody="KY"), person(2))),
    "R27": replace(GOOD, outcome_persons=1, people=(person(1), person(2, ""))),
    "R28": replace(GOOD, concluded_month="2026-09"),
    "R29": replace(GOOD, unified_no="U-999"),
    "R30": replace(GOOD, people=(person(1), person(2, charge="C77"))),
    "R31": replace(GOOD, outcome_persons=0, people=()),
}


def test_there_are_at_least_fifteen_named_rules() -> None:
    assert len(RULES) >= 15
    assert len({r.code for r in RULES}) == len(RULES)
    for rule in RULES:
        assert rule.description and rule.message and rule.fields
        assert rule.severity in ("error", "warning")


@pytest.mark.parametrize("good", [GOOD, GOOD_OWN, NOT_PROSECUTED,
                                  replace(GOOD_OWN, business_type="ZCZW")],
                         ids=["review", "own-investigation", "kinds", "2026-own-investigation"])
def test_the_good_cards_pass_every_rule(good: ParsedCard) -> None:
    assert check(good, CTX) == []


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_each_rule_catches_its_failing_card(rule) -> None:  # type: ignore[no-untyped-def]
    assert rule.run(GOOD, CTX) is None and rule.run(GOOD_OWN, CTX) is None
    found = rule.run(FAILING[rule.code], CTX)
    assert found is not None and found.code == rule.code and found.fields == rule.fields


def test_a_reported_month_takes_no_new_cards_but_keeps_its_own() -> None:
    late = replace(SEPTEMBER, month="2026-10", concluded_month="2026-10")  # 补报: next open
    assert check(late, CTX) == []
    reported = replace(SEPTEMBER, month="2026-09", card_id=7)
    assert check(reported, CTX) == []
    assert [v.code for v in check(replace(SEPTEMBER, month="2026-09"), CTX)] == ["R08", "R21"]


def test_statistical_month_follows_the_cut_off_day() -> None:
    assert statistical_month(date(2026, 11, 25), 25) == "2026-11"
    assert statistical_month(date(2026, 11, 26), 25) == "2026-12"
    assert statistical_month(date(2026, 12, 31), 25) == "2027-01"


def test_each_person_rule_names_the_persons_it_finds() -> None:
    found = next(v for v in check(FAILING["R25"], CTX) if v.code == "R25")
    assert (found.params["who"], found.params["seqs"]) == ("1", [1])
    named = replace(FAILING["R27"], people=(person(1), person(2, "", name="王某")))
    found = next(v for v in check(named, CTX) if v.code == "R27")
    assert found.params["who"] == "王某"
    assert found.message.format(**found.params).endswith("王某")


def test_conditional_non_prosecution_is_refused_for_an_adult_only() -> None:
    assert "R25" not in [v.code for v in check(NOT_PROSECUTED, CTX)]  # the minor may have it
    adult = replace(NOT_PROSECUTED, people=(person(1, "BQS", outcome_kind="XD"),
                                            person(2, "BQS", outcome_kind="FTJ")))
    assert [(v.code, v.severity) for v in check(adult, CTX)] == [("R25", "error")]


def test_a_conclusion_reported_before_kinds_were_recorded_keeps_its_place() -> None:
    old = replace(FAILING["R23"], card_id=7, month="2026-09", accepted_on=date(2026, 9, 1),
                  concluded_on=date(2026, 9, 20), concluded_month="2026-09")
    assert "R23" not in [v.code for v in check(old, CTX)]


def test_both_own_investigations_need_amount_and_rank() -> None:
    bare = replace(GOOD_OWN, business_type="ZCZW", amount=None, rank="")
    assert {"R11", "R14"} <= {v.code for v in check(bare, CTX)}


def test_the_conclusion_counts_in_its_own_month_never_before_the_receipt() -> None:
    open_ctx = replace(CTX, closed_months=frozenset({"2026-10"}))
    # concluded in a reported month: counts in the next open one, the receipt untouched
    assert concluded_month(date(2026, 10, 20), "2026-10", None, open_ctx) == "2026-11"
    assert concluded_month(date(2026, 11, 3), "2026-10", None, open_ctx) == "2026-11"
    assert concluded_month(date(2026, 11, 3), "2026-12", None, open_ctx) == "2026-12"
    assert concluded_month(None, "2026-10", None, open_ctx) == ""
    # a reported conclusion stays in its month, or moves by its date when that changes
    assert concluded_month(date(2026, 9, 20), "2026-09", 7, CTX) == "2026-09"
    assert concluded_month(date(2026, 9, 10), "2026-09", 7, CTX) == "2026-09"
    assert concluded_month(date(2026, 11, 3), "2026-09", 7, CTX) == "2026-11"
