"""Every logic rule, with a card that passes it and one that fails it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from store.cards.rules import RULES, ParsedCard, RuleContext, check, statistical_month

TODAY = date(2026, 11, 30)

GOOD = ParsedCard(
    department="D01", business_type="SCQS", case_no="某检刑诉〔2026〕123号",
    case_name="张某某盗窃案", charge="C01", persons=2, accepted_on=date(2026, 10, 8),
    concluded_on=date(2026, 11, 20), outcome="TQGS", outcome_persons=2, amount=None, rank="",
    major="", major_override="", month="2026-11")
GOOD_OWN = replace(GOOD, business_type="ZZLA", outcome="YSQS", charge="C13", amount=120000,
                   rank="R2", case_no="某检反贪〔2026〕7号")

CTX = RuleContext(
    today=TODAY, cutoff_day=25, major_amount=500000, key_ranks=("R3", "R4"),
    allowed_outcomes=lambda kind: {"SCQS": {"TQGS", "BQS", "THBZ"},
                                   "ZZLA": {"YSQS", "CXAJ"}}.get(kind, set()),
    active_codes=lambda kind: {"department": {"D01"}, "business_type": {"SCQS", "ZZLA", "KGSS"},
                               "charge": {"C01", "C13"}, "rank": {"R2", "R3"}}[kind],
    case_no_used=lambda case_no, card_id: case_no == "某检刑诉〔2026〕999号",
    closed_months=frozenset({"2026-09"}), is_reported=lambda card_id: card_id == 7)
SEPTEMBER = replace(GOOD, accepted_on=date(2026, 9, 1), concluded_on=date(2026, 9, 20))

FAILING: dict[str, ParsedCard] = {
    "R01": replace(GOOD, concluded_on=date(2026, 10, 1), month="2026-10"),
    "R02": replace(GOOD, outcome="YSQS"),
    "R03": replace(GOOD, concluded_on=None, month="2026-10"),
    "R04": replace(GOOD, outcome="", outcome_persons=0),
    "R05": replace(GOOD, outcome_persons=3),
    "R06": replace(GOOD, case_no="2026-123"),
    "R07": replace(GOOD, case_no="某检刑诉〔2026〕999号"),
    "R08": replace(GOOD, month="2026-12"),
    "R09": replace(GOOD, accepted_on=date(2026, 12, 1), concluded_on=None, outcome="",
                   outcome_persons=0, month="2026-12"),
    "R10": replace(GOOD, concluded_on=date(2026, 12, 2), month="2026-12"),
    "R11": replace(GOOD_OWN, amount=None),
    "R12": replace(GOOD_OWN, amount=-5),
    "R13": replace(GOOD_OWN, amount=600000, major=""),
    "R14": replace(GOOD_OWN, rank=""),
    "R15": replace(GOOD, rank="R2"),
    "R16": replace(GOOD, charge=""),
    "R17": replace(GOOD, persons=0, outcome_persons=0),
    "R18": replace(GOOD, case_no="某检刑诉〔2025〕123号"),
    "R19": replace(GOOD, accepted_on=date(2019, 1, 2), case_no="某检刑诉〔2019〕123号"),
    "R20": replace(GOOD, department="D99"),
    "R21": replace(SEPTEMBER, month="2026-09"),
}


def test_there_are_at_least_fifteen_named_rules() -> None:
    assert len(RULES) >= 15
    assert len({r.code for r in RULES}) == len(RULES)
    for rule in RULES:
        assert rule.description and rule.message and rule.fields
        assert rule.severity in ("error", "warning")


@pytest.mark.parametrize("good", [GOOD, GOOD_OWN], ids=["review", "own-investigation"])
def test_the_good_cards_pass_every_rule(good: ParsedCard) -> None:
    assert check(good, CTX) == []


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_each_rule_catches_its_failing_card(rule) -> None:  # type: ignore[no-untyped-def]
    assert rule.run(GOOD, CTX) is None and rule.run(GOOD_OWN, CTX) is None
    found = rule.run(FAILING[rule.code], CTX)
    assert found is not None and found.code == rule.code and found.fields == rule.fields


def test_a_reported_month_takes_no_new_cards_but_keeps_its_own() -> None:
    late = replace(SEPTEMBER, month="2026-10")  # 补报: counts in the next open month
    assert check(late, CTX) == []
    reported = replace(SEPTEMBER, month="2026-09", card_id=7)
    assert check(reported, CTX) == []
    assert [v.code for v in check(replace(SEPTEMBER, month="2026-09"), CTX)] == ["R08", "R21"]


def test_statistical_month_follows_the_cut_off_day() -> None:
    assert statistical_month(date(2026, 11, 25), 25) == "2026-11"
    assert statistical_month(date(2026, 11, 26), 25) == "2026-12"
    assert statistical_month(date(2026, 12, 31), 25) == "2027-01"
