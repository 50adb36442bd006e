"""The secrecy register's and the checklists' tables (migration 14): documents received,
their distribution lists, each copy's distributions, checklist runs and their lines. Only
store/ modules import these. References are IntegerFields named as their columns, as in
store.custody.models."""

from __future__ import annotations

from peewee import AutoField, BooleanField, CompositeKey, IntegerField, TextField

from store.vault.database import BaseModel


class Document(BaseModel):
    """A classified document received (D4): its sender and number (文号), how many copies it
    was printed in; each copy that arrived is an item with `item.document_id` set."""

    id = AutoField()
    sender = TextField()  # the sending organ
    doc_no = TextField()  # the 文号 as normalised, e.g. 某检发〔2026〕12号
    title = TextField()
    received_on = TextField()  # ISO date
    classification = TextField()  # secret, confidential or top
    copies = IntegerField()  # copies printed in all (the copies received may be fewer)
    pages = IntegerField(default=0)
    sealed = BooleanField(default=True)  # the envelope arrived sealed and intact
    receipt_note = TextField(default="")  # what was found, when the seal was broken
    created_at = TextField()
    created_by = TextField()

    class Meta:
        table_name = "document"


Document.add_index(Document.index(Document.sender, Document.doc_no, name="document_number"))
Document.add_index(Document.index(Document.received_on, name="document_received"))


class Recipient(BaseModel):
    """A custodian on a document's distribution list; one added after the first list carries
    who approved it (D4, D7)."""

    document_id = IntegerField()  # document.id
    person_id = IntegerField()  # person.id
    added_at = TextField()
    added_by = TextField()
    approved_by = IntegerField(null=True)  # person.id of the approver (None: on the first list)

    class Meta:
        table_name = "recipient"
        primary_key = CompositeKey("document_id", "person_id")


class Distribution(BaseModel):
    """A copy handed to a custodian against signature (D4); open until it is checked in,
    passed on or reported missing (D5)."""

    id = AutoField()
    item_id = IntegerField()  # item.id of the copy
    person_id = IntegerField()  # person.id of the custodian who signed for it
    approved_by = IntegerField(null=True)  # person.id of the approver of a redistribution
    signed_at = TextField()
    by = TextField()  # the operator who recorded it
    status = TextField(default="open")  # open or closed
    outcome = TextField(default="")  # once closed: returned, passed on, damaged or missing
    closed_at = TextField(default="")
    closed_by = TextField(default="")
    note = TextField(default="")

    class Meta:
        table_name = "distribution"


# One open distribution per copy, kept by the database.
Distribution.add_index(Distribution.index(Distribution.item_id, unique=True,
                                          where=Distribution.status == "open",
                                          name="distribution_one_open"))
Distribution.add_index(Distribution.index(Distribution.item_id, Distribution.id,
                                          name="distribution_item"))
Distribution.add_index(Distribution.index(Distribution.person_id, Distribution.status,
                                          name="distribution_person"))


class CheckRun(BaseModel):
    """A checklist run: holiday-eve storage check, quarterly check-in, inventory or spot check
    (A2, D5, D11); open until every line is resolved and the checker and supervisor sign."""

    id = AutoField()
    kind = TextField()  # holiday, quarter, inventory or spot (checks.KINDS)
    # What it is for: the holiday eve's ISO date, the quarter ("2026-Q3"), or the day it started.
    period = TextField(default="")
    label = TextField(default="")  # the holiday's name or the quarter, as shown
    share = IntegerField(default=100)  # percent of the items a spot check samples
    seed = IntegerField(default=0)  # the spot check's random seed: the same seed, the same sample
    started_at = TextField()
    started_by = TextField()
    status = TextField(default="open")  # open or closed
    closed_at = TextField(default="")
    closed_by = TextField(default="")
    checker_id = IntegerField(null=True)  # person.id, named at the close
    supervisor_id = IntegerField(null=True)  # person.id, named at the close

    class Meta:
        table_name = "check_run"


# One open run of each kind.
CheckRun.add_index(CheckRun.index(CheckRun.kind, unique=True, where=CheckRun.status == "open",
                                  name="check_run_one_open"))


class CheckLine(BaseModel):
    """One item of a run, snapshotted where it was expected as the run started, then marked
    with what was found and how the item stood then."""

    id = AutoField()
    run_id = IntegerField()  # check_run.id
    seq = IntegerField()  # the line's place in the walking order (1, 2, …)
    item_id = IntegerField()  # item.id
    location = TextField(default="")  # the cabinet, or the custodian's department (check-in)
    expected = TextField()  # storage (in the cabinet) or elsewhere (accounted for outside it)
    was = TextField(default="")  # the item's status at the snapshot
    holder = TextField(default="")  # who had it at the snapshot (borrower or custodian)
    since = TextField(default="")  # since when, or until when it is due
    result = TextField(default="")  # checks.RESULTS; '' while the line is open
    marked_was = TextField(default="")  # the item's status when it was marked
    marked_holder = TextField(default="")  # who had it when it was marked
    note = TextField(default="")
    marked_at = TextField(default="")
    marked_by = TextField(default="")

    class Meta:
        table_name = "check_line"


CheckLine.add_index(CheckLine.index(CheckLine.run_id, CheckLine.item_id, unique=True,
                                    name="check_line_item"))
CheckLine.add_index(CheckLine.index(CheckLine.run_id, CheckLine.seq, unique=True,
                                    name="check_line_seq"))
CheckLine.add_index(CheckLine.index(CheckLine.run_id, CheckLine.result,
                                    name="check_line_result"))
