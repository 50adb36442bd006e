"""The cards' tables (migrations 4–8): the code tables, the case registration cards, each
card's history, the trigram index of case numbers and names, and the reported months. Only
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
    """A case registration card (案件登记卡, C1–C4) as the clerk saved it. Codes are those of
    the code tables; dates are ISO dates ('' when not given)."""

    id = AutoField()
    department = TextField()  # code of kind department
    business_type = TextField()  # code of kind business_type
    case_no = TextField()  # e.g. 某检刑诉〔2026〕123号
    case_name = TextField()
    charge = TextField(default="")  # code of kind charge ('' outside criminal cases)
    persons = IntegerField(default=0)
    accepted_on = TextField()
    concluded_on = TextField(default="")
    outcome = TextField(default="")  # code of kind outcome; '' while not concluded
    outcome_persons = IntegerField(default=0)  # the persons the outcome concerns
    amount = IntegerField(null=True)  # yuan involved (own investigations); None: not given
    rank = TextField(default="")  # code of kind rank of the accused official
    major = TextField(default="")  # 大案/要案: '', major, key or both
    major_override = TextField(default="")  # why the flag differs from the thresholds
    month = TextField()  # the statistical month it counts in, "yyyy-mm"
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


class MonthLock(BaseModel):
    """A reported (locked) statistical month (C3, C5): its cards change only by correction."""

    month = TextField(primary_key=True)  # "yyyy-mm"
    locked_at = TextField()  # clock.stamp()
    locked_by = TextField()  # operator login name
    note = TextField(default="")

    class Meta:
        table_name = "month_lock"
