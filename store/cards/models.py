"""The cards' tables (migrations 4–8, 18): the code tables, the case registration cards, their
persons and events, each card's history, the trigram index of case numbers and names, and
the reported months, and the drafts of card entries. Only
store/ modules import these.

A reference to another row is an IntegerField named as its column (`card_id`), compared by
id; nothing here loads a row behind the caller's back.
"""

from __future__ import annotations

from peewee import AutoField, IntegerField, TextField
from playhouse.sqlite_ext import FTS5Model, RowIDField, SearchField

from store.vault.database import BaseModel, generated


class Code(BaseModel):
    """An entry of a code table (data, not code): a department, business type, outcome,
    charge or rank. Entries are retired, never deleted: cards keep the codes they were
    entered with."""

    id = AutoField()
    kind = TextField()  # department, business_type, outcome, charge or rank (codes.KINDS)
    code = TextField()  # what cards store, e.g. D01, SCQS, TQGS; fixed once added
    name_zh = TextField()
    name_en = TextField()
    short = TextField()  # pinyin initials, for finding it by typing (e.g. dyjcb)
    parent = TextField(default="")  # an outcome's business type code; '' for other kinds
    sort = IntegerField(default=0)  # order within its table
    status = TextField(default="active")  # active or retired

    class Meta:
        table_name = "code"
        indexes = ((("kind", "code"), True),)


class Card(BaseModel):
    """A case registration card (案件登记卡, C1–C4) as the clerk saved it: a case at one stage.
    Its 受理 (received) is `accepted_on` counted in `month`; its 审结 (concluded) is
    `concluded_on` with `outcome`, counted in `concluded_month`. Codes are those of the code
    tables; dates are ISO dates ('' when not given). The person counts are kept from its
    `CardPerson` rows when it is saved, for the report to read from one index."""

    id = AutoField()
    department = TextField()  # code of kind department
    business_type = TextField()  # code of kind business_type
    case_no = TextField()  # e.g. 某检刑诉〔2026〕123号
    case_name = TextField()
    charge = TextField(default="")  # code of kind charge ('' outside criminal cases)
    persons = IntegerField(default=0)  # its active CardPerson rows
    accepted_on = TextField()
    concluded_on = TextField(default="")
    # code of kind outcome; '' while not concluded. With several persons: the first outcome,
    # in the code table's order, that any of them has (the case counts under it).
    outcome = TextField(default="")
    outcome_persons = IntegerField(default=0)  # the persons with the card's outcome
    amount = IntegerField(null=True)  # yuan involved (own investigations); None: not given
    rank = TextField(default="")  # code of kind rank of the accused official
    major = TextField(default="")  # 大案/要案: '', major, key or both
    major_override = TextField(default="")  # why the flag differs from the thresholds
    month = TextField()  # the statistical month its 受理 counts in, "yyyy-mm"
    remarks = TextField(default="")
    # draft, submitted (entered, awaiting review), returned, accepted, reported or void
    status = TextField()
    return_reason = TextField(default="")
    acknowledged = TextField(default="")  # the warnings' rule codes acknowledged, "R08,R13"
    entered_by = TextField()  # operator login name
    entered_at = TextField()  # clock.stamp()
    updated_by = TextField()
    updated_at = TextField()
    problems = IntegerField(default=0)  # rule problems found when last saved (the list's ✗)
    # Generated (m0008): the case number with its serial zero-padded, so that 〔2026〕9号
    # sorts before 〔2026〕10号. SQLite computes it; never written.
    case_key = generated(TextField(null=True))
    # m0018
    unified_no = TextField(default="")  # 统一受案号: links the stages of one case
    concluded_month = TextField(default="")  # the month its 审结 counts in; '' while open
    plea_persons = IntegerField(default=0)  # persons who pleaded guilty and accepted (认罪认罚)
    mixed = IntegerField(default=0)  # 1: some person's outcome is not the card's (or none)

    class Meta:
        table_name = "card"


Card.add_index(Card.index(Card.month, Card.department, Card.status, name="card_month"))
Card.add_index(Card.index(Card.case_no, name="card_case_no"))
Card.add_index(Card.index(Card.problems, Card.id, name="card_problems"))
Card.add_index(Card.index(Card.department, Card.id, name="card_department"))
Card.add_index(Card.index(Card.business_type, Card.id, name="card_type"))
Card.add_index(Card.index(Card.status, Card.id, name="card_status"))
Card.add_index(Card.index(Card.accepted_on, name="card_accepted"))
Card.add_index(Card.index(Card.case_key, name="card_case_key"))
# The report's covering index: its counts read nothing else (store.report.figures).
Card.add_index(Card.index(Card.month, Card.status, Card.business_type, Card.outcome,
                          Card.department, Card.persons, Card.outcome_persons,
                          name="card_report"))


class CardPerson(BaseModel):
    """A suspect or party of a case (m0018): 人 figures come from these. A person taken off a
    card is `removed`, never deleted."""

    id = AutoField()
    card_id = IntegerField()  # card.id
    seq = IntegerField()  # 1, 2, ... within the card
    name = TextField(default="")  # name or number as on the paper; '' shown as its seq
    minor = IntegerField(default=0)  # 1: under 18 when the offence was committed
    charge = TextField(default="")  # code of kind charge
    custody = TextField(default="")  # persons.CUSTODY: JY, QB, JS or '' (none)
    outcome = TextField(default="")  # code of kind outcome ('' while open)
    outcome_kind = TextField(default="")  # persons.OUTCOME_KINDS of its outcome, or ''
    plea = IntegerField(default=0)  # 1: 认罪认罚
    status = TextField(default="active")  # active or removed

    class Meta:
        table_name = "card_person"
        indexes = ((("card_id", "seq"), True),)


class CardEvent(BaseModel):
    """An event of a case that does not end it (m0018), counted in its own month:
    退回补充侦查 (returned), 重报 (resent) or an extension of its time limit (extended)."""

    id = AutoField()
    card_id = IntegerField()  # card.id
    kind = TextField()  # returned, resent or extended
    on_day = TextField()  # ISO date
    month = TextField()  # the statistical month it counts in
    persons = IntegerField(default=0)  # the persons it concerns
    days = IntegerField(default=0)  # an extension's days
    note = TextField(default="")
    status = TextField(default="active")  # active or void
    void_reason = TextField(default="")
    recorded_by = TextField()  # operator login name
    recorded_at = TextField()  # clock.stamp()

    class Meta:
        table_name = "card_event"


CardEvent.add_index(CardEvent.index(CardEvent.card_id, CardEvent.id, name="card_event_card"))
CardEvent.add_index(CardEvent.index(CardEvent.month, CardEvent.kind, CardEvent.status,
                                    CardEvent.card_id, CardEvent.persons,
                                    name="card_event_month"))


class CardHistory(BaseModel):
    """One change of a card: who, when, what it was and became, and why."""

    id = AutoField()
    card_id = IntegerField()  # card.id
    at = TextField()  # clock.stamp()
    by = TextField()  # operator login name
    action = TextField()  # add, update, accept, returned, void, correct, report
    old = TextField(null=True)  # JSON of the values before (None on add)
    new = TextField(null=True)  # JSON of the values after
    reason = TextField(default="")

    class Meta:
        table_name = "card_history"


CardHistory.add_index(CardHistory.index(CardHistory.card_id, CardHistory.id,
                                        name="card_history_card"))


class CardSearch(BaseModel, FTS5Model):  # type: ignore[misc]
    """The trigram index of cards' case numbers and names (m0006): its rows are the cards'
    (rowid = card.id), kept by triggers on card; the store only searches it (MATCH)."""

    rowid = RowIDField()  # card.id
    case_no = SearchField()
    case_name = SearchField()

    class Meta:
        table_name = "card_search"
        options = {"content": "card", "content_rowid": "id", "tokenize": "trigram"}


class CardDraft(BaseModel):
    """A card entry kept half-typed (m0020), per operator, offered again when the card entry
    opens: `kept`, then `used` (saved as `card_id`), `replaced` (kept again as a newer draft)
    or `discarded`; never deleted."""

    id = AutoField()
    operator = TextField()  # operator login name
    saved_at = TextField()  # clock.stamp()
    case_no = TextField(default="")  # as typed, to name the draft
    case_name = TextField(default="")
    typed = TextField()  # JSON of the entry's CardInput (its persons too)
    state = TextField(default="kept")  # kept, used, replaced or discarded
    card_id = IntegerField(null=True)  # the card it became (used)
    closed_at = TextField(default="")  # clock.stamp() when it left `kept`

    class Meta:
        table_name = "card_draft"


CardDraft.add_index(CardDraft.index(CardDraft.operator, CardDraft.state, CardDraft.id,
                                    name="card_draft_operator"))


class MonthLock(BaseModel):
    """A reported (locked) statistical month (C3, C5): its cards change only by correction."""

    month = TextField(primary_key=True)  # "yyyy-mm"
    locked_at = TextField()  # clock.stamp()
    locked_by = TextField()  # operator login name
    note = TextField(default="")

    class Meta:
        table_name = "month_lock"
