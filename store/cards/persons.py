"""The persons of a case (犯罪嫌疑人、当事人): one record each, with what the report counts
in 人 — minor or not, charge, custody when received, outcome and its kind, 认罪认罚.

Custody and outcome kinds are fixed legal categories, kept here rather than in the code
tables; `custody_codes` and `outcome_kind_codes` hand them out as code-table entries so that
code fields can list them. A person taken off a card is `removed`, never deleted: the rows
of a card are its persons by position (seq), changed in place.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields

from store.cards import codes
from store.cards.rules import CRIMINAL, ERROR, RuleContext, Violation
from store.i18n import N_
from store.text import unprintable
from store.vault.database import execute, records, scalar

CUSTODY = {"JY": (N_("detained"), "羁押", "jy"),
           "QB": (N_("on bail pending trial"), "取保候审", "qb"),
           "JS": (N_("residential surveillance"), "监视居住", "js")}
"""Custody when the case was received: code -> (English, Chinese, pinyin initials)."""

OUTCOME_KINDS = {
    "BQS": [("FD", "法定不起诉", "statutory non-prosecution", "fd"),
            ("XD", "相对不起诉", "discretionary non-prosecution", "xd"),
            ("CY", "证据不足不起诉", "non-prosecution for insufficient evidence", "cy"),
            ("FTJ", "附条件不起诉", "conditional non-prosecution (minors)", "ftj")],
    "PZDB": [("PZ", "批准逮捕", "arrest approved", "pz"),
             ("JD", "决定逮捕", "arrest decided", "jd")],
    "BPDB": [("WZ", "无逮捕必要", "no need to arrest", "wz"),
             ("BG", "不构成犯罪", "no crime", "bg"),
             ("ZJ", "证据不足", "insufficient evidence", "zj")],
}
"""The kinds an outcome comes in: outcome -> [(code, Chinese, English, pinyin initials)]."""

CONDITIONAL = "FTJ"
"""附条件不起诉: for minors only (刑事诉讼法 第二百八十二条)."""

EARLIER = {"SCQS": ("SCDB",)}
"""The stages a case passes before this one (审查逮捕 before 审查起诉)."""

NAME_LIMIT = 40
YES = ("1", "y", "yes", "是", "true")
NO = ("0", "n", "no", "否", "false")


@dataclass(frozen=True)
class PersonInput:
    """A person as typed: every value is text (minor and plea: "", 0/1, y/n, 是/否)."""

    name: str = ""
    minor: str = ""
    charge: str = ""
    custody: str = ""
    outcome: str = ""
    outcome_kind: str = ""
    plea: str = ""


@dataclass(frozen=True)
class ParsedPerson:
    """A person's values once read (the rules' input). `seq` is the position, from 1."""

    seq: int
    name: str
    minor: bool
    charge: str
    custody: str
    outcome: str
    outcome_kind: str
    plea: bool

    @property
    def label(self) -> str:
        """How messages name the person: the name, or the number when there is none."""
        return self.name or str(self.seq)

    def stored(self) -> dict[str, object]:
        """The values of its row (and of the history's `people` lists)."""
        values = asdict(self)
        values["minor"], values["plea"] = int(self.minor), int(self.plea)
        return values


@dataclass(frozen=True)
class PersonRecord:
    """A stored person of a card."""

    id: int
    card_id: int
    seq: int
    name: str
    minor: int
    charge: str
    custody: str
    outcome: str
    outcome_kind: str
    plea: int
    status: str

    def as_input(self) -> PersonInput:
        """The person's values as the persons list shows them (for editing)."""
        return PersonInput(name=self.name, minor="1" if self.minor else "0",
                           charge=self.charge, custody=self.custody, outcome=self.outcome,
                           outcome_kind=self.outcome_kind, plea="1" if self.plea else "0")

    def stored(self) -> dict[str, object]:
        return {"seq": self.seq, "name": self.name, "minor": self.minor, "charge": self.charge,
                "custody": self.custody, "outcome": self.outcome,
                "outcome_kind": self.outcome_kind, "plea": self.plea}


_COLUMNS = ", ".join(f.name for f in fields(PersonRecord))
PERSON_FIELDS = tuple(f.name for f in fields(PersonInput))


def person_field(seq: int, name: str) -> str:
    """The name a refusal gives one field of one person: people.<seq>.<field>, e.g.
    people.2.minor (the persons list shows it beside that cell)."""
    return f"people.{seq}.{name}"


def people(card_id: int) -> list[PersonRecord]:
    """A card's persons (the active ones), by seq."""
    return records(PersonRecord, f"SELECT {_COLUMNS} FROM card_person WHERE card_id = ?"
                                 " AND status = 'active' ORDER BY seq", (card_id,))


def earlier_stage(unified_no: str, business_type: str, card_id: int | None = None,
                  ) -> list[PersonInput]:
    """The persons of the latest counted card of the same case (统一受案号) at an earlier
    stage — for 审查起诉, its 审查逮捕 card — with their outcomes cleared, for copying; []
    when there is none."""
    number = unicodedata.normalize("NFKC", unified_no).strip()
    earlier = EARLIER.get(business_type, ())
    if not number or not earlier:
        return []
    found = scalar("SELECT id FROM card WHERE unified_no = ? AND business_type IN"
                   f" ({', '.join('?' * len(earlier))}) AND id IS NOT ?"
                   " AND status IN ('accepted', 'reported')"
                   " ORDER BY accepted_on DESC, id DESC LIMIT 1", (number, *earlier, card_id))
    if found is None:
        return []
    return [PersonInput(name=p.name, minor="1" if p.minor else "0", charge=p.charge,
                        custody=p.custody, plea="1" if p.plea else "0")
            for p in people(int(found))]


def custody_codes() -> list[codes.Code]:
    """Custody as code-table entries (kind "custody"), for a code field to list."""
    return [codes.Code(kind="custody", code=code, name_zh=zh, name_en=en, short=short,
                       parent="", status="active")
            for code, (en, zh, short) in CUSTODY.items()]


def outcome_kind_codes(outcome: str) -> list[codes.Code]:
    """An outcome's kinds as code-table entries (kind "outcome_kind"); [] when it has none."""
    return [codes.Code(kind="outcome_kind", code=code, name_zh=zh, name_en=en, short=short,
                       parent=outcome, status="active")
            for code, zh, en, short in OUTCOME_KINDS.get(outcome, [])]


def custody_code(text: str) -> str:
    """Custody as typed — its code, pinyin initials or Chinese name — as its code (anything
    else upper-cased, for the rule to name)."""
    for code, (_en, zh, short) in CUSTODY.items():
        if text in (zh, short):
            return code
    return text.upper()


def read_flag(raw: str) -> bool | None:
    """Yes/no as typed (1/0, y/n, 是/否); None when blank; raises ValueError otherwise."""
    text = unicodedata.normalize("NFKC", raw).strip().lower()
    if not text:
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(text)


def _problem(field: str, message: str, **params: object) -> Violation:
    return Violation("F", ERROR, (field,), message, params)


def parse(typed: PersonInput, seq: int, card_charge: str,
          problems: list[Violation]) -> ParsedPerson:
    """Read one person (a blank charge is the card's); what cannot be read is added to
    `problems`, each named people.<seq>.<field>."""
    values: dict[str, str] = {}
    for name in ("name", "charge", "custody", "outcome", "outcome_kind"):
        raw = getattr(typed, name)
        text = unicodedata.normalize("NFKC", raw).strip() if isinstance(raw, str) else ""
        if unprintable(text):
            problems.append(_problem(person_field(seq, name), N_("contains control characters")))
            text = ""
        elif len(text) > NAME_LIMIT:
            problems.append(_problem(person_field(seq, name),
                                     N_("too long: at most {n} characters"), n=NAME_LIMIT))
            text = ""
        values[name] = text if name == "name" else (
            custody_code(text) if name == "custody" else text.upper())
    flags: dict[str, bool] = {}
    for name in ("minor", "plea"):
        try:
            flags[name] = bool(read_flag(getattr(typed, name)))
        except ValueError:
            problems.append(_problem(person_field(seq, name), N_("answer yes or no (是/否)")))
            flags[name] = False
    return ParsedPerson(seq, values["name"], flags["minor"], values["charge"] or card_charge,
                        values["custody"], values["outcome"], values["outcome_kind"],
                        flags["plea"])


Made = tuple[tuple[ParsedPerson, ...], int, str, int]
"""A card's persons, their number, the case's outcome and the persons with it."""


def simple_case(text: dict[str, str], count: int | None, outcome_persons: int | None,
            flags: dict[str, bool | None], problems: list[Violation]) -> Made:
    """A simple case's persons, made from the card: blank persons is 1 for a criminal case,
    blank outcome persons is all of them; all alike."""
    number = count if count is not None else (1 if text["business_type"] in CRIMINAL else 0)
    outcome, kind = text["outcome"], text["outcome_kind"]
    concerned = outcome_persons if outcome_persons is not None else (number if outcome else 0)
    if kind and not outcome:
        problems.append(_problem("outcome_kind", N_("give the outcome first")))
    if concerned and not outcome:
        problems.append(_problem("outcome_persons", N_("give the outcome first")))
    if not number:
        for name, value in (("custody", text["custody"]), ("minor", flags["minor"]),
                            ("plea", flags["plea"])):
            if value:
                problems.append(_problem(name, N_("the case has no persons")))
    people = tuple(ParsedPerson(
        seq, "", bool(flags["minor"]), text["charge"], text["custody"],
        outcome if seq <= concerned else "", kind if seq <= concerned else "",
        bool(flags["plea"])) for seq in range(1, number + 1))
    return people, number, outcome, concerned


def listed_case(people: list[ParsedPerson], text: dict[str, str], count: int | None,
            outcome_persons: int | None, flags: dict[str, bool | None], ctx: RuleContext,
            problems: list[Violation]) -> Made:
    """A case whose persons are listed: the card's counts and outcome come from the list; a
    value typed on the card that says otherwise is refused beside its field."""
    order = ctx.outcome_order
    outcomes = {p.outcome for p in people if p.outcome}
    outcome = min(outcomes, key=lambda o: (order.get(o, len(order)), o)) if outcomes else ""
    concerned = sum(1 for p in people if outcome and p.outcome == outcome)
    if count is not None and count != len(people):
        problems.append(_problem("persons", N_("the persons list has {n}"), n=len(people)))
    if text["outcome"] and text["outcome"] != outcome:
        problems.append(_problem("outcome", N_("by the persons' outcomes the case's outcome is"
                                              " \"{outcome}\""), outcome=outcome))
    if outcome_persons is not None and outcome_persons != concerned:
        problems.append(_problem("outcome_persons", N_("by the persons list it is {n}"),
                                n=concerned))
    alike: dict[str, object] = {"custody": text["custody"] or None, "minor": flags["minor"],
                                "plea": flags["plea"], "outcome_kind": text["outcome_kind"] or None}
    for name, value in alike.items():
        concerns = [p for p in people if p.outcome] if name == "outcome_kind" else people
        if value is not None and any(getattr(p, name) != value for p in concerns):
            problems.append(_problem(name, N_("the persons differ: set it for each in the"
                                             " persons list")))
    return tuple(people), len(people), outcome, concerned


def write(card_id: int, persons: Sequence[ParsedPerson],
          ) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Make a card's person rows these (the caller holds the transaction): rows changed in
    place by seq, new ones inserted, those past the end set `removed` (never deleted).
    Returns (the active persons before, after), as the history keeps them."""
    stored = {p.seq: p for p in records(PersonRecord, f"SELECT {_COLUMNS} FROM card_person"
                                                      " WHERE card_id = ?", (card_id,))}
    before = [p.stored() for p in sorted(stored.values(), key=lambda p: p.seq)
              if p.status == "active"]
    after = [p.stored() for p in persons]
    for person, values in zip(persons, after, strict=True):
        row = stored.get(person.seq)
        columns = [k for k in values if k != "seq"]
        if row is None:
            execute(f"INSERT INTO card_person (card_id, {', '.join(values)}) VALUES"
                    f" (?, {', '.join('?' * len(values))})", (card_id, *values.values()))
        elif row.status != "active" or row.stored() != values:
            execute(f"UPDATE card_person SET {', '.join(f'{k} = ?' for k in columns)},"
                    " status = 'active' WHERE id = ?",
                    (*(values[k] for k in columns), row.id))
    gone = [row.id for seq, row in stored.items() if seq > len(persons) and
            row.status == "active"]
    for row_id in gone:
        execute("UPDATE card_person SET status = 'removed' WHERE id = ?", (row_id,))
    return before, after


def outcome_order(outcomes: Sequence[codes.Code]) -> dict[str, int]:
    """Each outcome's place in its table (Code order): a case counts under the first
    outcome, in this order, that any of its persons has."""
    return {code.code: place for place, code in enumerate(outcomes)}


__all__ = ["CUSTODY", "OUTCOME_KINDS", "ParsedPerson", "PersonInput", "PersonRecord",
           "custody_codes", "earlier_stage", "listed_case", "outcome_kind_codes", "parse",
           "people", "person_field", "read_flag", "simple_case", "write"]
