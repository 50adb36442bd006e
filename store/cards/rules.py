"""Logic checks (逻辑校验) of a case registration card: named rules, each with its fields.

Every rule returns the violations it finds; errors block acceptance, warnings
need an acknowledgement that is stored with the card. Messages are catalog
messages (English source, Chinese in the catalog), formatted when shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from store.i18n import N_, _

if TYPE_CHECKING:
    from store.cards.persons import ParsedPerson

ERROR, WARNING = "error", "warning"
CRIMINAL = ("SCDB", "SCQS", "ZZLA", "ZCZW")
OWN_INVESTIGATION = ("ZZLA", "ZCZW")
"""Own investigations: 自侦立案侦查 (before 2026) and 司法工作人员相关职务犯罪侦查 (2026)."""
CONDITIONAL = "FTJ"
"""附条件不起诉, an outcome kind of 不起诉: for minors only."""
MAJOR_NAMES = {"": N_("none"), "major": N_("major case 大案"), "key": N_("key case 要案"),
               "both": N_("both 大案要案")}
"""The major-case flag's stored values and how they are said (catalog messages)."""
NAMED_PARAMS = ("flag",)
"""Parameters of a rule's message that are catalog messages themselves (translated too)."""
CASE_NO = re.compile(r"^\S{1,20}〔(\d{4})〕(\d{1,6})号$")


@dataclass(frozen=True)
class ParsedCard:
    """A card's values once typed text has been parsed (the rules' input)."""

    department: str
    business_type: str
    case_no: str
    case_name: str
    charge: str
    persons: int
    accepted_on: date
    concluded_on: date | None
    outcome: str
    outcome_persons: int
    amount: int | None
    rank: str
    major: str
    major_override: str
    month: str
    remarks: str = ""
    card_id: int | None = None
    unified_no: str = ""
    concluded_month: str = ""
    """The month its 审结 counts in ('' while open); never before `month`."""
    people: tuple[ParsedPerson, ...] = ()
    """Its persons, seq 1..n; `persons` and `outcome_persons` are counted from them (for a
    simple card typed with outcome persons above persons, R05 keeps the typed count)."""

    @property
    def plea_persons(self) -> int:
        """Persons who pleaded guilty and accepted punishment (认罪认罚)."""
        return sum(1 for p in self.people if p.plea)

    @property
    def mixed(self) -> int:
        """1 when the case is concluded and some person's outcome is not the case's."""
        return int(bool(self.outcome) and any(p.outcome != self.outcome for p in self.people))


@dataclass(frozen=True)
class Violation:
    code: str
    severity: str
    fields: tuple[str, ...]
    message: str
    """A catalog message; format with `params` after translating."""
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleContext:
    """What the rules need besides the card: today, the settings, the code tables, other cards."""

    today: date
    cutoff_day: int
    major_amount: int
    key_ranks: tuple[str, ...]
    allowed_outcomes: Callable[[str], set[str]]
    active_codes: Callable[[str], set[str]]
    case_no_used: Callable[[str, int | None], bool]
    closed_months: frozenset[str] = frozenset()
    """Reported (locked) months: a card entered late counts in the next open month."""
    is_reported: Callable[[int | None], bool] = lambda card_id: False
    """Whether a stored card is already reported (and so belongs to its locked month)."""
    stored_conclusion: Callable[[int | None], tuple[str, str]] = lambda card_id: ("", "")
    """A stored card's concluded date and concluded month as saved (('', '') if none)."""
    unified_no_used: Callable[[str, str, int | None], bool] = lambda number, kind, card_id: False
    """Whether another card of this business type has this 统一受案号."""
    outcome_kinds: Callable[[str], set[str]] = lambda outcome: set()
    """The kinds an outcome comes in (persons.OUTCOME_KINDS); none for most."""
    custody: frozenset[str] = frozenset()
    """The custody codes (persons.CUSTODY)."""
    outcome_order: dict[str, int] = field(default_factory=dict)
    """Each outcome's place in the code table: a case counts under the first its persons have."""


@dataclass(frozen=True)
class Rule:
    code: str
    description: str
    severity: str
    fields: tuple[str, ...]
    check: Callable[[ParsedCard, RuleContext], dict[str, object] | None]
    """None when the card passes; else the message's parameters ({} for none)."""
    message: str
    reads: tuple[str, ...] = ()
    """Fields the rule reads besides `fields`: while any of them is blank (not typed yet) the
    live check does not judge it."""

    def run(self, card: ParsedCard, ctx: RuleContext) -> Violation | None:
        found = self.check(card, ctx)
        return None if found is None else Violation(self.code, self.severity, self.fields,
                                                    self.message, found)


def statistical_month(card_day: date, cutoff_day: int) -> str:
    """The month a date counts in: after the cut-off day it counts in the next month. A
    cut-off day of 0 is the end of the month: every date counts in its own month."""
    year, month = card_day.year, card_day.month
    if cutoff_day and card_day.day > cutoff_day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{year:04d}-{month:02d}"


def next_open(month: str, closed: frozenset[str]) -> str:
    """This month, or the first later month that is not reported (a late card's month, 补报)."""
    while month in closed:
        year, mon = int(month[:4]), int(month[5:])
        year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
        month = f"{year:04d}-{mon:02d}"
    return month


def expected_month(card: ParsedCard, ctx: RuleContext) -> str:
    """The month a card's 受理 counts in by its accepted date, the cut-off day and the
    reported months."""
    month = statistical_month(card.accepted_on, ctx.cutoff_day)
    return month if ctx.is_reported(card.card_id) else next_open(month, ctx.closed_months)


def concluded_month(concluded_on: date | None, month: str, card_id: int | None,
                    ctx: RuleContext) -> str:
    """The month a card's 审结 counts in: by its date and the cut-off day, in the next open
    month, never before its 受理's month; a 审结 already reported stays in its month (or, its
    date corrected, moves by date: only to another reported month, checked on saving)."""
    if concluded_on is None:
        return ""
    by_date = statistical_month(concluded_on, ctx.cutoff_day)
    stored_on, stored_month = ctx.stored_conclusion(card_id)
    if stored_month and stored_month in ctx.closed_months:
        return stored_month if stored_on == concluded_on.isoformat() else by_date
    return max(next_open(by_date, ctx.closed_months), month)


def conclusion_reported(card_id: int | None, ctx: RuleContext) -> bool:
    """Whether a stored card's 审结 already counts in a reported month."""
    month = ctx.stored_conclusion(card_id)[1]
    return bool(month) and month in ctx.closed_months


def _month_unexpected(card: ParsedCard, ctx: RuleContext) -> bool:
    # A card reported before 受理 and 审结 were apart counted both in its conclusion's month.
    return card.month != expected_month(card, ctx) and not (
        ctx.is_reported(card.card_id) and card.month == card.concluded_month)


def _month_closed(card: ParsedCard, ctx: RuleContext) -> bool:
    return card.month in ctx.closed_months and not ctx.is_reported(card.card_id)


def expected_major(card: ParsedCard, ctx: RuleContext) -> str:
    """大案 by amount, 要案 by rank (own investigations only), from the thresholds."""
    if card.business_type not in OWN_INVESTIGATION:
        return ""
    big = card.amount is not None and card.amount >= ctx.major_amount
    key = card.rank in ctx.key_ranks
    return "both" if big and key else "major" if big else "key" if key else ""


def _yes(found: bool, **params: object) -> dict[str, object] | None:
    return params if found else None


def _case_no_year(card: ParsedCard) -> int | None:
    match = CASE_NO.match(card.case_no)
    return int(match[1]) if match else None


RULES: list[Rule] = [
    Rule("R01", N_("concluded before accepted"), ERROR, ("concluded_on", "accepted_on"),
         lambda c, x: _yes(c.concluded_on is not None and c.concluded_on < c.accepted_on),
         N_("the concluded date is before the accepted date")),
    Rule("R02", N_("outcome not allowed for the business type"), ERROR,
         ("outcome", "business_type"),
         lambda c, x: _yes(bool(c.outcome) and c.outcome not in x.allowed_outcomes(
             c.business_type)), N_("this outcome does not belong to this business type")),
    Rule("R03", N_("outcome without a concluded date"), ERROR, ("concluded_on", "outcome"),
         lambda c, x: _yes(bool(c.outcome) and c.concluded_on is None),
         N_("an outcome is given but no concluded date")),
    Rule("R04", N_("concluded date without an outcome"), ERROR, ("outcome", "concluded_on"),
         lambda c, x: _yes(c.concluded_on is not None and not c.outcome),
         N_("a concluded date is given but no outcome")),
    Rule("R05", N_("persons per outcome exceed persons"), ERROR, ("outcome_persons", "persons"),
         lambda c, x: _yes(c.outcome_persons > c.persons, n=c.outcome_persons, total=c.persons),
         N_("{n} persons in the outcome, but the card has only {total}")),
    Rule("R06", N_("case number malformed"), ERROR, ("case_no",),
         lambda c, x: _yes(CASE_NO.match(c.case_no) is None),
         N_("a case number looks like 某检刑诉〔2026〕123号")),
    Rule("R07", N_("case number already used by another card (重报)"), ERROR, ("case_no",),
         lambda c, x: _yes(x.case_no_used(c.case_no, c.card_id)),
         N_("another card already has this case number")),
    Rule("R08", N_("statistical month inconsistent with the dates"), WARNING, ("month",),
         lambda c, x: _yes(_month_unexpected(c, x), expected=expected_month(c, x)),
         N_("by its dates and the cut-off day this card counts in {expected}"),
         reads=("accepted_on",)),
    Rule("R09", N_("accepted date in the future"), ERROR, ("accepted_on",),
         lambda c, x: _yes(c.accepted_on > x.today), N_("the accepted date is in the future")),
    Rule("R10", N_("concluded date in the future"), ERROR, ("concluded_on",),
         lambda c, x: _yes(c.concluded_on is not None and c.concluded_on > x.today),
         N_("the concluded date is in the future")),
    Rule("R11", N_("amount missing for an own investigation"), ERROR, ("amount",),
         lambda c, x: _yes(c.business_type in OWN_INVESTIGATION and c.amount is None),
         N_("an own investigation needs the amount involved (0 if none)"),
         reads=("business_type",)),
    Rule("R12", N_("amount negative"), ERROR, ("amount",),
         lambda c, x: _yes(c.amount is not None and c.amount < 0),
         N_("the amount cannot be negative")),
    Rule("R13", N_("major-case flag inconsistent with the thresholds"), WARNING, ("major",),
         lambda c, x: _yes(c.major != expected_major(c, x), expected=expected_major(c, x),
                           flag=MAJOR_NAMES.get(expected_major(c, x), "")),
         N_("by amount and rank the major-case flag would be: {flag}"),
         reads=("business_type",)),
    Rule("R14", N_("rank missing for an own investigation"), ERROR, ("rank",),
         lambda c, x: _yes(c.business_type in OWN_INVESTIGATION and not c.rank),
         N_("an own investigation needs the rank of the accused official"),
         reads=("business_type",)),
    Rule("R15", N_("rank given outside own investigations"), WARNING, ("rank",),
         lambda c, x: _yes(c.business_type not in OWN_INVESTIGATION and bool(c.rank)),
         N_("a rank is only recorded for own investigations"),
         reads=("business_type",)),
    Rule("R16", N_("charge missing for a criminal case"), ERROR, ("charge",),
         lambda c, x: _yes(c.business_type in CRIMINAL and not c.charge),
         N_("a criminal case needs its charge"),
         reads=("business_type",)),
    Rule("R17", N_("no persons in a criminal case"), ERROR, ("persons",),
         lambda c, x: _yes(c.business_type in CRIMINAL and c.persons == 0),
         N_("a criminal case concerns at least one person"),
         reads=("business_type",)),
    Rule("R18", N_("case number year differs from the accepted year"), WARNING,
         ("case_no", "accepted_on"),
         lambda c, x: _yes(_case_no_year(c) not in (None, c.accepted_on.year),
                           year=_case_no_year(c)),
         N_("the case number is of {year}, the case was accepted in another year")),
    Rule("R19", N_("accepted more than five years ago"), WARNING, ("accepted_on",),
         lambda c, x: _yes((x.today - c.accepted_on).days > 5 * 366),
         N_("accepted more than five years ago: check the year")),
    Rule("R20", N_("a retired or unknown code"), ERROR,
         ("department", "business_type", "charge", "rank"),
         lambda c, x: _yes(bool(_unknown_codes(c, x)), which=", ".join(_unknown_codes(c, x))),
         N_("not an active entry of its code table: {which}")),
    Rule("R21", N_("statistical month already reported"), ERROR, ("month",),
         lambda c, x: _yes(_month_closed(c, x), open=next_open(c.month, x.closed_months)),
         N_("this month is reported and locked: a late card counts in {open}"),
         reads=("accepted_on",)),
    Rule("R22", N_("a person's outcome not allowed for the business type"), ERROR, ("people",),
         lambda c, x: _persons(c, lambda p: bool(p.outcome) and p.outcome != c.outcome
                               and p.outcome not in x.allowed_outcomes(c.business_type)),
         N_("these persons' outcomes do not belong to this business type: {who}"),
         reads=("business_type",)),
    Rule("R23", N_("outcome kind missing"), ERROR, ("outcome_kind", "people"),
         lambda c, x: None if conclusion_reported(c.card_id, x) else _persons(
             c, lambda p: bool(x.outcome_kinds(p.outcome)) and not p.outcome_kind),
         N_("say which kind of outcome it is (e.g. which 不起诉): {who}")),
    Rule("R24", N_("outcome kind unknown for the outcome"), ERROR, ("outcome_kind", "people"),
         lambda c, x: _persons(c, lambda p: bool(p.outcome_kind)
                               and p.outcome_kind not in x.outcome_kinds(p.outcome)),
         N_("not a kind of this outcome: {who}")),
    Rule("R25", N_("conditional non-prosecution for an adult"), ERROR,
         ("outcome_kind", "minor", "people"),
         lambda c, x: _persons(c, lambda p: p.outcome_kind == CONDITIONAL and not p.minor),
         N_("附条件不起诉 is only for minors: {who}")),
    Rule("R26", N_("custody unknown"), ERROR, ("custody", "people"),
         lambda c, x: _persons(c, lambda p: bool(p.custody) and p.custody not in x.custody),
         N_("custody is 羁押 (JY), 取保候审 (QB), 监视居住 (JS) or none: {who}")),
    Rule("R27", N_("persons without an outcome in a concluded case"), ERROR,
         ("outcome_persons", "people"),
         lambda c, x: _persons(c, lambda p: bool(c.outcome) and not p.outcome),
         N_("these persons have no outcome: give each person's outcome in the persons list:"
            " {who}")),
    Rule("R28", N_("concluded month before received month"), ERROR, ("month", "concluded_on"),
         lambda c, x: _yes(bool(c.concluded_month) and c.concluded_month < c.month,
                           concluded=c.concluded_month, received=c.month),
         N_("the case would be concluded in {concluded}, before it was received ({received})"),
         reads=("accepted_on",)),
    Rule("R29", N_("统一受案号 already used by another card of this type (重报)"), WARNING,
         ("unified_no",),
         lambda c, x: _yes(bool(c.unified_no) and x.unified_no_used(
             c.unified_no, c.business_type, c.card_id)),
         N_("another card of this business type has this 统一受案号: is it the same case?")),
    Rule("R30", N_("a person's charge is a retired or unknown code"), ERROR, ("people",),
         lambda c, x: _persons(c, lambda p: bool(p.charge) and p.charge != c.charge
                               and p.charge not in x.active_codes("charge")),
         N_("not an active charge of the code table: {who}"),
         reads=("charge",)),
    Rule("R31", N_("outcome without persons"), ERROR, ("outcome_persons", "outcome"),
         lambda c, x: _yes(bool(c.outcome) and c.persons > 0 and c.outcome_persons == 0),
         N_("an outcome is given but no person has it: the persons (outcome) are at least 1"),
         reads=("persons",)),
]


def _persons(card: ParsedCard, wrong: Callable[[ParsedPerson], bool],
             ) -> dict[str, object] | None:
    """The persons a rule finds (named, or numbered when unnamed), None when there are none."""
    found = [p for p in card.people if wrong(p)]
    return {"who": ", ".join(p.label for p in found), "seqs": [p.seq for p in found],
            "n": len(found)} if found else None


def _unknown_codes(card: ParsedCard, ctx: RuleContext) -> list[str]:
    checks = [("department", card.department), ("business_type", card.business_type),
              ("charge", card.charge), ("rank", card.rank)]
    return [value for kind, value in checks if value and value not in ctx.active_codes(kind)]


def check(card: ParsedCard, ctx: RuleContext, blank: frozenset[str] = frozenset(),
          ) -> list[Violation]:
    """Every rule's violations, in rule order; a rule that shows or reads a field in `blank`
    (not typed yet, for the live check) is not judged."""
    return [v for rule in RULES
            if not blank & {*rule.fields, *rule.reads} and (v := rule.run(card, ctx)) is not None]


def said(violation: Violation) -> str:
    """A finding's message in the current language, its parameters filled in (those that
    are catalog messages translated too)."""
    params = {k: _(str(v)) if k in NAMED_PARAMS and v else v
              for k, v in violation.params.items()}
    return _(violation.message).format(**params)


def every_rule() -> list[tuple[str, str, str, str]]:
    """Every rule as the help lists it: (code, severity, description, message), each text a
    catalog message to translate when shown."""
    return [(rule.code, rule.severity, rule.description, rule.message) for rule in RULES]
