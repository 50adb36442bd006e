"""The audit log's tables (migrations 1 and 16): the entries, chained by their hashes, and
the rows of the entries that record more than they hold themselves. Only store/ modules
import these; `store.audit.log` writes both."""

from __future__ import annotations

from peewee import AutoField, BareField, BlobField, IntegerField, TextField

from store.vault.database import BaseModel


class AuditEntry(BaseModel):
    """One entry of the audit log: who did what to which record, when, with the old and new
    values; never changed once its transaction committed. `hash` is an HMAC over the entry's
    content, the previous entry's hash and (from migration 16) `rows_hash`, so an entry
    changed, removed or reordered is found by `audit verify`."""

    id = IntegerField(primary_key=True)  # 1, 2, 3, ... without gaps: given by the chain
    ts = TextField()  # when (clock.stamp())
    operator = TextField()  # who: an operator's name, or the name typed at a failed login
    action = TextField()  # what, e.g. card.save (store.audit.labels.ACTIONS)
    entity = TextField()  # the kind of record, e.g. card (labels.ENTITIES); '' for none
    entity_id = TextField()  # which record of that kind, as text
    old = TextField(null=True)  # JSON: the values before the change (None: nothing noted)
    new = TextField(null=True)  # JSON: the values after it
    note = TextField()  # a reason typed by the operator, or a catalog message
    prev_hash = TextField()  # the previous entry's hash (the chain's genesis for entry 1)
    hash = TextField()  # HMAC-SHA-256 (hex) of the entry, keyed from the master key
    # SHA-256 (hex) of the list of rows the entry records (table, key, digest); None: made
    # before migration 16, when entries recorded no rows
    rows_hash = TextField(null=True)
    # JSON [[table, key, digest hex or null], ...]: the rows when at most INLINE_ROWS;
    # None when there are none or they are in audit_row
    rows = TextField(null=True)

    class Meta:
        table_name = "audit"
        indexes = (
            (("operator", "id"), False),  # the audit screen's filters
            (("action", "id"), False),
            (("ts", "id"), False),
        )


class AuditRow(BaseModel):
    """A row written by an entry's transaction, for an entry that records more rows than it
    holds itself (`audit.rows`). No index: a change writes no page beyond its own, and
    `audit verify --deep` sorts the log once."""

    id = AutoField()  # the order the rows were recorded in (the order rows_hash reads them)
    audit_id = IntegerField()  # the entry (audit.id)
    tbl = TextField()  # the table written
    pk = BareField()  # the row's key as the table holds it; a JSON array of a composite key
    # BLAKE2b-128 of the row's content as it then stood (capture.digest); None: deleted
    digest = BlobField(null=True)

    class Meta:
        table_name = "audit_row"
