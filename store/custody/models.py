"""The borrow desk's tables (migrations 11–13, and item.document_id from 14): people on record,
the item catalogue, loans, the chain of custody and incidents. Only store/ modules import these.

A reference to another row is an IntegerField named as its column (`item_id`, `borrower_id`),
compared and joined by id; nothing here loads a row behind the caller's back.
"""

from __future__ import annotations

from peewee import AutoField, BooleanField, IntegerField, TextField

from store.vault.database import BaseModel


class Person(BaseModel):
    """Someone the desk deals with: a borrower, a department head, a leader (分管检察长), the
    secrecy committee office, a supervisor, or an external unit with its level (B1, B2)."""

    id = AutoField()
    code = TextField(unique=True)  # the short code typed at the desk: pinyin initials, a-z 0-9
    name = TextField()
    role = TextField()  # staff, head, leader, secrecy, supervisor or external (people.ROLES)
    department = TextField(default="")
    unit = TextField(default="")  # an external unit's name ('' for staff of this procuratorate)
    county_or_above = BooleanField(default=False)  # an external organ at county level or above
    status = TextField(default="active")  # active or retired
    created_at = TextField()
    created_by = TextField()  # the operator's login name

    class Meta:
        table_name = "person"


class Item(BaseModel):
    """An item of the catalogue (载体): a report, a bound card volume, a classified document's
    copy, a disk… Its `status` says where it is; nothing is ever deleted."""

    id = AutoField()
    reg_no = TextField(unique=True)  # registration number, e.g. 统-2026-0001
    title = TextField()
    kind = TextField()  # items.KINDS
    classification = TextField()  # public, internal, secret, confidential or top (items.LEVELS)
    copy_no = IntegerField(default=1)  # which copy (份号) of `copies`
    copies = IntegerField(default=1)
    pages = IntegerField(default=0)
    location = TextField(default="")  # the cabinet and shelf, e.g. A柜-3层
    custodian = TextField(default="")  # who keeps it: the clerk, or the custodian it is with
    original_id = IntegerField(null=True)  # item.id of the original, for a copy (D7)
    # in, reading, lent, copy (not yet recovered), destroyed, missing or distributed
    status = TextField(default="in")
    created_at = TextField()
    created_by = TextField()
    document_id = IntegerField(null=True)  # document.id of the received document it is a copy of

    class Meta:
        table_name = "item"


Item.add_index(Item.index(Item.status, name="item_status"))
Item.add_index(Item.index(Item.original_id, name="item_original"))
Item.add_index(Item.index(Item.document_id, name="item_document"))
Item.add_index(Item.index(Item.location, Item.reg_no, name="item_walk"))


class Loan(BaseModel):
    """An item read in the room, lent out or copied, with the signatures the rules ask for
    (B1–B5, D7); open until the item comes back, then closed with its condition."""

    id = AutoField()
    item_id = IntegerField()  # item.id (for a copy: the copy's own item)
    borrower_id = IntegerField()  # person.id
    mode = TextField()  # read, lend or copy
    slip_no = TextField(default="")  # the internal borrow slip's number (B1)
    head_id = IntegerField(null=True)  # person.id of the department head who signed the slip
    letter_no = TextField(default="")  # an external unit's introduction letter (B2)
    issuing_organ = TextField(default="")
    approver_id = IntegerField(null=True)  # person.id of the approving leader (A3, B2, B3)
    secrecy_id = IntegerField(null=True)  # person.id of the secrecy office's approver (D7)
    due_on = TextField(default="")  # ISO date it must be back by ('' for a reading)
    opened_at = TextField()
    opened_by = TextField()
    closed_at = TextField(default="")
    closed_by = TextField(default="")
    # On return: intact, damaged, altered, marked or soiled; missing when reported so.
    condition = TextField(default="")
    note = TextField(default="")
    status = TextField(default="open")  # open or closed

    class Meta:
        table_name = "loan"


Loan.add_index(Loan.index(Loan.item_id, Loan.status, name="loan_item"))
Loan.add_index(Loan.index(Loan.status, Loan.due_on, name="loan_open"))
Loan.add_index(Loan.index(Loan.opened_at, name="loan_opened"))
# B5: at most one open loan per item, kept by the database (migration 12).
Loan.add_index(Loan.index(Loan.item_id, unique=True, where=Loan.status == "open",
                          name="loan_one_open"))


class CustodyEvent(BaseModel):
    """One step of an item's chain of custody: registered, lent, returned, checked in,
    destroyed… (items.EVENTS)."""

    id = AutoField()
    item_id = IntegerField()  # item.id
    at = TextField()
    kind = TextField()  # items.EVENTS
    by = TextField()  # the operator who recorded it
    person_id = IntegerField(null=True)  # person.id of the borrower or custodian concerned
    approved_by = IntegerField(null=True)  # person.id of who signed or approved
    reference = TextField(default="")  # slip, letter, batch or run number, or the copy's reg_no
    loan_id = IntegerField(null=True)  # loan.id
    note = TextField(default="")

    class Meta:
        table_name = "custody_event"


CustodyEvent.add_index(CustodyEvent.index(CustodyEvent.item_id, CustodyEvent.id,
                                          name="custody_item"))


class Incident(BaseModel):
    """An item returned damaged, altered, marked or soiled, reported missing, or received with
    its seal broken (B6, D12); closed by the secrecy officer with what was done."""

    id = AutoField()
    item_id = IntegerField()  # item.id
    loan_id = IntegerField(null=True)  # loan.id, when it came back from one
    kind = TextField()  # incidents.KINDS
    note = TextField(default="")
    opened_at = TextField()
    opened_by = TextField()
    status = TextField(default="open")  # open or closed
    action = TextField(default="")  # what was done about it (migration 13)
    closed_at = TextField(default="")
    closed_by = TextField(default="")

    class Meta:
        table_name = "incident"
