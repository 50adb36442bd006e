"""Case registration cards: what the clerk typed is parsed, checked, saved with its history.

Typed text that cannot be a value (a wrong date, letters in a number, control
characters, too long) is refused field by field and nothing is written.
A card whose values break logic rules can be saved as the paper says, but
only a card without errors (and with its warnings acknowledged) is accepted.

A card is a case at one stage, with its persons. A simple case is typed on the card
alone: its persons are made from the card's fields (all alike, the first `outcome_persons`
with the outcome). A case whose persons differ lists them (`people`), and the card's counts
and outcome are taken from the list. Either way the card's columns `persons`, `outcome`,
`outcome_persons`, `plea_persons` and `mixed` are saved in step with the person rows.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import date

from store import clock, settings
from store.cards import codes, months, persons
from store.cards.persons import PersonInput
from store.cards.rules import (
    ERROR,
    WARNING,
    ParsedCard,
    RuleContext,
    Violation,
    check,
    concluded_month,
    expected_major,
    next_open,
    statistical_month,
)
from store.dates import parse_date
from store.errors import InvalidInput, StoreError
from store.i18n import N_, _
from store.text import unprintable
from store.vault.database import db, execute, insert, rows, scalar
from store.vault.session import Session

FIELDS = ("department", "business_type", "case_no", "case_name", "charge", "persons",
          "accepted_on", "concluded_on", "outcome", "outcome_persons", "amount", "rank",
          "major", "major_override", "month", "remarks", "unified_no", "custody", "plea",
          "minor", "outcome_kind")
REQUIRED = ("department", "business_type", "case_no", "case_name", "accepted_on")
LIMITS = {"case_no": 40, "case_name": 100, "remarks": 500, "major_override": 200}
MAJOR_CHOICES = ("auto", "", "major", "key", "both")
MAX_PERSONS = 999
BLANK_IS_A_VALUE = ("month", "major", "major_override", "remarks", "outcome_persons", "minor",
                    "plea", "custody")
"""Fields whose blank says something (automatic, no, none, all): the live check judges them."""
"""Persons of one case: each is a record of its own."""


@dataclass(frozen=True)
class CardInput:
    """A card as typed on the entry screen: every value is text."""

    department: str = ""
    business_type: str = ""
    case_no: str = ""
    case_name: str = ""
    charge: str = ""
    persons: str = ""
    accepted_on: str = ""
    concluded_on: str = ""
    outcome: str = ""
    outcome_persons: str = ""
    amount: str = ""
    rank: str = ""
    major: str = "auto"
    major_override: str = ""
    month: str = ""
    remarks: str = ""
    unified_no: str = ""  # 统一受案号
    # A simple case: what every person has (custody when received, minor, 认罪认罚) and the
    # kind of the outcome of those who have it. Blank when `people` lists the persons.
    custody: str = ""
    plea: str = ""
    minor: str = ""
    outcome_kind: str = ""
    people: tuple[PersonInput, ...] = ()
    """The persons one by one, when they differ; () for a simple case."""


class InvalidCard(StoreError):
    """Some fields cannot be read as values; nothing was written."""

    def __init__(self, problems: list[Violation]) -> None:
        super().__init__(_("the card has fields to correct: {fields}").format(
            fields=", ".join(sorted({f.split(".")[0] for p in problems for f in p.fields}))))
        self.problems = problems


def _format(field: str, message: str, **params: object) -> Violation:
    return Violation("F", ERROR, (field,), message, params)


def _text(raw: str, field: str, problems: list[Violation]) -> str:
    value = unicodedata.normalize("NFKC", raw).strip() if field != "case_name" else raw.strip()
    if unprintable(value):
        problems.append(_format(field, N_("contains control characters")))
        return ""
    if len(value) > LIMITS.get(field, 40):
        problems.append(_format(field, N_("too long: at most {n} characters"),
                                n=LIMITS.get(field, 40)))
    return value


def _number(raw: str, field: str, problems: list[Violation], *, low: int, high: int,
            blank: int | None) -> int | None:
    text = unicodedata.normalize("NFKC", raw).strip().replace(",", "")
    if not text:
        return blank
    if len(text) > 15 or not re.fullmatch(r"-?\d+", text):
        problems.append(_format(field, N_("type a whole number")))
        return blank
    value = int(text)
    if not low <= value <= high:
        problems.append(_format(field, N_("a number from {low} to {high}"), low=low, high=high))
        return blank
    return value


def _date(raw: str, field: str, problems: list[Violation]) -> date | None:
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return None
    try:
        return parse_date(text)
    except InvalidInput as exc:
        problems.append(_format(field, str(exc)))
        return None


def _case_no(raw: str, problems: list[Violation]) -> str:
    value = _text(raw, "case_no", problems)
    return value.replace("[", "〔").replace("]", "〕").replace("(", "〔").replace(")", "〕")


def _month(raw: str, problems: list[Violation]) -> str:
    text = unicodedata.normalize("NFKC", raw).strip().replace("/", "-")
    match = re.fullmatch(r"(\d{4})-?(\d{1,2})", text)
    if not match or not 1 <= int(match[2]) <= 12:
        problems.append(_format("month", N_("a month looks like 2026-11")))
        return ""
    return f"{int(match[1]):04d}-{int(match[2]):02d}"


def context() -> RuleContext:
    """The rules' view of the store (settings, code tables, other cards), read once."""
    tables = codes.active_tables()
    active = {kind: {c.code for c in found} for kind, found in tables.items()}
    outcomes: dict[str, set[str]] = {}
    for outcome in tables["outcome"]:
        outcomes.setdefault(outcome.parent, set()).add(outcome.code)
    setting = settings.current()
    kinds = {outcome: {k[0] for k in found} for outcome, found in persons.OUTCOME_KINDS.items()}
    return RuleContext(
        today=clock.today(), cutoff_day=setting.cutoff_day,
        major_amount=setting.major_amount, key_ranks=setting.key_ranks,
        allowed_outcomes=lambda kind: outcomes.get(kind, set()),
        active_codes=lambda kind: active[kind],
        case_no_used=lambda case_no, card_id: scalar(
            "SELECT 1 FROM card WHERE case_no = ? AND id IS NOT ? AND status != 'void' LIMIT 1",
            (case_no, card_id)) is not None,
        closed_months=months.locked(),
        is_reported=lambda card_id: card_id is not None and scalar(
            "SELECT 1 FROM card WHERE id = ? AND status = 'reported'", (card_id,)) is not None,
        stored_conclusion=_stored_conclusion,
        unified_no_used=lambda number, kind, card_id: scalar(
            "SELECT 1 FROM card WHERE unified_no = ? AND business_type = ? AND id IS NOT ?"
            " AND status != 'void' LIMIT 1", (number, kind, card_id)) is not None,
        outcome_kinds=lambda outcome: kinds.get(outcome, set()),
        custody=frozenset(persons.CUSTODY),
        outcome_order=persons.outcome_order(codes.all_codes("outcome", include_retired=True)))


def _stored_conclusion(card_id: int | None) -> tuple[str, str]:
    found = None if card_id is None else rows(
        "SELECT concluded_on, concluded_month FROM card WHERE id = ?", (card_id,))
    return (str(found[0][0]), str(found[0][1])) if found else ("", "")


def _flag(raw: str, field: str, problems: list[Violation]) -> bool | None:
    try:
        return persons.read_flag(raw)
    except ValueError:
        problems.append(_format(field, N_("answer yes or no (是/否)")))
        return None


def parse(typed: CardInput, ctx: RuleContext, card_id: int | None = None, *,
          live: bool = False) -> tuple[ParsedCard | None, list[Violation]]:
    """(the card's values, the fields that could not be read). `live`: the card as typed so
    far, for the live check: blank required fields are not (yet) problems, a blank accepted
    date stands in as today, and the values are given even beside fields that cannot be read
    (the rules of those fields are then not judged: `unread`)."""
    problems: list[Violation] = []
    for name in REQUIRED:
        if not live and not getattr(typed, name).strip():
            problems.append(_format(name, N_("required")))
    text = {f: _text(getattr(typed, f), f, problems) for f in
            ("department", "business_type", "case_name", "charge", "outcome", "rank",
             "major_override", "remarks", "unified_no", "custody", "outcome_kind")}
    text["custody"] = persons.custody_code(text["custody"])
    text["outcome_kind"] = text["outcome_kind"].upper()
    case_no = _case_no(typed.case_no, problems)
    count = _number(typed.persons, "persons", problems, low=0, high=MAX_PERSONS, blank=None)
    outcome_persons = _number(typed.outcome_persons, "outcome_persons", problems, low=0,
                              high=MAX_PERSONS, blank=None)
    amount = _number(typed.amount, "amount", problems, low=-10**12, high=10**12, blank=None)
    accepted = _date(typed.accepted_on, "accepted_on", problems)
    concluded = _date(typed.concluded_on, "concluded_on", problems)
    flags = {name: _flag(getattr(typed, name), name, problems) for name in ("minor", "plea")}
    if typed.major not in MAJOR_CHOICES:
        problems.append(_format("major", N_("choose the major-case flag from the list")))
    if len(typed.people) > MAX_PERSONS:
        problems.append(_format("people", N_("a number from {low} to {high}"), low=1,
                                high=MAX_PERSONS))
    listed = [persons.parse(p, seq, text["charge"], problems)
              for seq, p in enumerate(typed.people[:MAX_PERSONS], 1)]
    if listed:
        made = persons.listed_case(listed, text, count, outcome_persons, flags, ctx, problems)
    else:
        made = persons.simple_case(text, count, outcome_persons, flags, problems)
    if live and accepted is None:
        accepted = ctx.today
    if (problems and not live) or accepted is None:
        return None, problems
    people, count, outcome, outcome_persons = made
    by_dates = statistical_month(accepted, ctx.cutoff_day)
    if not ctx.is_reported(card_id):  # a late card counts in the next open month (补报)
        by_dates = next_open(by_dates, ctx.closed_months)
    month = _month(typed.month, problems) if typed.month.strip() else by_dates
    card = ParsedCard(text["department"], text["business_type"], case_no, text["case_name"],
                      text["charge"], count, accepted, concluded, outcome, outcome_persons,
                      amount, text["rank"], "", text["major_override"], month, text["remarks"],
                      card_id, text["unified_no"],
                      concluded_month(concluded, month, card_id, ctx), people)
    computed = expected_major(card, ctx)
    major = computed if typed.major == "auto" else typed.major
    if major != computed and not card.major_override:
        problems.append(_format("major_override",
                                N_("say why the major-case flag differs from the thresholds")))
    return (None if problems and not live else _replace(card, major=major)), problems


def unread(typed: CardInput, problems: list[Violation]) -> frozenset[str]:
    """The fields the live check does not judge yet: blank ones (but those whose blank is a
    value: the month and the major-case flag, automatic; minor and plea, no; custody, none;
    the persons of the outcome, all of them, or none with no persons: R31) and those that
    cannot be read."""
    values = {f.name: getattr(typed, f.name) for f in fields(typed) if f.name != "people"}
    blank = {name for name, value in values.items() if name not in BLANK_IS_A_VALUE
             and not str(value).strip()}
    return frozenset(blank | {f.split(".")[0] for p in problems for f in p.fields})


def people_of(typed: CardInput) -> tuple[PersonInput, ...]:
    """The persons a card stands for as typed: its list, or those a simple card makes (for
    the persons list to start from). Unreadable counts are taken as blank."""
    if typed.people:
        return typed.people

    def number(raw: str) -> int | None:
        digits = unicodedata.normalize("NFKC", raw).strip()
        return min(int(digits), MAX_PERSONS) if digits.isdigit() else None

    text = {name: unicodedata.normalize("NFKC", getattr(typed, name)).strip().upper() for name
            in ("business_type", "outcome", "outcome_kind", "charge")}
    text["custody"] = persons.custody_code(unicodedata.normalize("NFKC", typed.custody).strip())
    flags = {name: _flag(getattr(typed, name), name, []) for name in ("minor", "plea")}
    made = persons.simple_case(text, number(typed.persons), number(typed.outcome_persons),
                               flags, [])[0]
    return tuple(PersonInput(name=p.name, minor="1" if p.minor else "0", charge=p.charge,
                             custody=p.custody, outcome=p.outcome, outcome_kind=p.outcome_kind,
                             plea="1" if p.plea else "0") for p in made)


def _replace(card: ParsedCard, **changes: object) -> ParsedCard:
    values = {f.name: getattr(card, f.name) for f in fields(card)}
    values.update(changes)
    return ParsedCard(**values)


@dataclass(frozen=True)
class Checked:
    card: ParsedCard | None
    problems: list[Violation]

    @property
    def errors(self) -> list[Violation]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Violation]:
        return [p for p in self.problems if p.severity == WARNING]

    def for_field(self, name: str) -> list[Violation]:
        return [p for p in self.problems if name in p.fields]


def validate(typed: CardInput, card_id: int | None = None, *, live: bool = False) -> Checked:
    """Parse and run every rule, writing nothing. `live` (the entry screen's messages while
    typing): what is there is checked as it is typed; a rule of a field still blank or
    unreadable is not judged yet, and a missing required field is said only on saving."""
    ctx = context()
    card, problems = parse(typed, ctx, card_id, live=live)
    if card is None:
        return Checked(None, problems)
    if not live:
        return Checked(card, check(card, ctx))
    return Checked(None if problems else card, problems + check(card, ctx, unread(typed,
                                                                                 problems)))


def stored_values(card: ParsedCard) -> dict[str, object]:
    """The card's columns as saved (its persons are rows of their own: `people_values`)."""
    values = {f.name: getattr(card, f.name) for f in fields(card)
              if f.name not in ("card_id", "people")}
    values["accepted_on"] = card.accepted_on.isoformat()
    values["concluded_on"] = card.concluded_on.isoformat() if card.concluded_on else ""
    values["plea_persons"], values["mixed"] = card.plea_persons, card.mixed
    return values


def people_values(card: ParsedCard) -> list[dict[str, object]]:
    """The card's persons as their rows hold them (and the history's `people` lists)."""
    return [p.stored() for p in card.people]


def record_history(session: Session, card_id: int, action: str, old: object, new: object,
             reason: str = "") -> None:
    def dump(value: object) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    execute(
        "INSERT INTO card_history (card_id, at, by, action, old, new, reason) VALUES"
        " (?, ?, ?, ?, ?, ?, ?)", (card_id, clock.stamp(), session.actor.name, action,
                                   dump(old), dump(new), reason))
    session.audit.append(session.actor.name, f"card.{action}", "card", str(card_id), old=old,
                         new=new, note=reason)


def add(session: Session, typed: CardInput) -> tuple[int, Checked]:
    """Enter a card (status submitted) with its persons. Unreadable fields: InvalidCard,
    nothing written."""
    checked = validate(typed)
    if checked.card is None:
        raise InvalidCard(checked.problems)
    values = stored_values(checked.card)
    stamp = clock.stamp()
    with db.atomic():
        card_id = insert(
            f"INSERT INTO card ({', '.join(values)}, status, problems, entered_by, entered_at,"
            f" updated_by, updated_at) VALUES ({', '.join('?' * len(values))}, 'submitted', ?,"
            " ?, ?, ?, ?)", (*values.values(), len(checked.problems), session.actor.name, stamp,
                             session.actor.name, stamp))
        _before, people = persons.write(card_id, checked.card.people)
        record_history(session, card_id, "add", None, {**values, "people": people})
    return card_id, checked


__all__ = ["CardInput", "Checked", "InvalidCard", "PersonInput", "add", "context", "parse",
           "people_of", "people_values", "stored_values", "validate"]
