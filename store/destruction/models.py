"""Destruction's tables (migration 15): holds, batches, the items of each batch and its
supervisors. Only store/ modules import these. References are IntegerFields named as their
columns, as in store.custody.models."""

from __future__ import annotations

from peewee import AutoField, BooleanField, Check, CompositeKey, IntegerField, TextField

from store.vault.database import BaseModel


class Hold(BaseModel):
    """A hold keeping items from destruction (A7): on one item, or on a kind of item
    registered in a period (either bound may be open). Lifted with a reason, never deleted."""

    id = AutoField()
    item_id = IntegerField(null=True)  # item.id held; None for a hold on a kind
    kind = TextField(default="")  # the kind held (items.KINDS); '' for a hold on one item
    first_day = TextField(default="")  # ISO date: items registered from; '' no bound
    last_day = TextField(default="")  # ISO date: items registered until; '' no bound
    reason = TextField()
    placed_at = TextField()
    placed_by = TextField()
    status = TextField(default="on")  # on or lifted
    lifted_at = TextField(default="")
    lifted_by = TextField(default="")
    lift_reason = TextField(default="")

    class Meta:
        table_name = "hold"
        constraints = [Check("(item_id IS NULL) != (kind = '')")]  # an item or a kind


Hold.add_index(Hold.index(Hold.status, Hold.item_id, name="hold_on"))


class DestructionBatch(BaseModel):
    """A destruction batch (A7, D9): a draft, approved by a leader with its place, method and
    handler, printed for signing (the list's digest kept), then executed or cancelled."""

    id = AutoField()
    number = TextField(unique=True)  # 销-YYYY-NNN, numbered within the year
    status = TextField(default="draft")  # draft, approved, printed, executed or cancelled
    created_at = TextField()
    created_by = TextField()
    approver_id = IntegerField(null=True)  # person.id of the approving leader
    approved_on = TextField(default="")  # ISO date of the approval
    approval_ref = TextField(default="")  # the signed request's reference
    place = TextField(default="")
    method = TextField(default="")  # batches.METHODS, e.g. shred+media
    planned_on = TextField(default="")  # ISO date
    handler_id = IntegerField(null=True)  # person.id of who carries it out (经办人)
    printed_at = TextField(default="")
    list_sha256 = TextField(default="")  # SHA-256 of list_text (before m0021: batches.digest)
    list_text = TextField(default="")  # the manifest's canonical text as printed (m0021)
    list_lang = TextField(default="")  # the language it was printed in (zh or en)
    executed_on = TextField(default="")  # ISO date the destruction was carried out
    executed_at = TextField(default="")  # when it was recorded
    executed_by = TextField(default="")
    cancelled_at = TextField(default="")
    cancelled_by = TextField(default="")
    cancel_reason = TextField(default="")
    note = TextField(default="")
    certificate_text = TextField(default="")  # the certificate's canonical text (m0021)
    certificate_lang = TextField(default="")
    certificate_sha256 = TextField(default="")  # SHA-256 of certificate_text

    class Meta:
        table_name = "destruction_batch"


class BatchItem(BaseModel):
    """An item on a batch with the reason it is destroyed, and what became of it."""

    id = AutoField()
    batch_id = IntegerField()  # destruction_batch.id
    item_id = IntegerField()  # item.id
    reason = TextField()  # batches.REASONS
    note = TextField(default="")
    added_at = TextField()
    added_by = TextField()
    state = TextField(default="listed")  # listed, removed, destroyed, kept or released
    outcome_note = TextField(default="")  # why it was kept
    open = BooleanField(default=True)  # still listed on a batch not carried out

    class Meta:
        table_name = "batch_item"


# An item is on one open batch at most.
BatchItem.add_index(BatchItem.index(BatchItem.item_id, unique=True, where=BatchItem.open == 1,
                                    name="batch_item_open"))
BatchItem.add_index(BatchItem.index(BatchItem.batch_id, BatchItem.id, name="batch_item_batch"))
BatchItem.add_index(BatchItem.index(BatchItem.item_id, name="batch_item_item"))


class BatchSupervisor(BaseModel):
    """A supervisor (监销人) named for a batch, and whether they were present when it was
    carried out (D9: two or more)."""

    batch_id = IntegerField()  # destruction_batch.id
    person_id = IntegerField()  # person.id
    present = BooleanField(default=False)

    class Meta:
        table_name = "batch_supervisor"
        primary_key = CompositeKey("batch_id", "person_id")
