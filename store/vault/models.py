"""The vault's own tables (migration 1 and the migrations' record): `meta`, the store-wide
facts kept by key, and `schema_migration`, the migrations applied. Only store/ modules
import these."""

from __future__ import annotations

from peewee import IntegerField, TextField

from store.vault.database import BaseModel


class MetaValue(BaseModel):
    """One store-wide fact, by key. The keys and what their values hold are named where they
    are used (`store.vault.meta` reads and writes them): the store's id, the audit head
    (`audit_head_id`, `audit_head_hash`), the statdesk that wrote the schema, the recovery
    keyslot in force, the administrators' key check and the sealed audit head, the audit
    chain's key after a rotation, and what waits for an administrator (a rollback noticed,
    a key rotation due)."""

    key = TextField(primary_key=True)
    value = TextField()  # text; a JSON object for the records (audit_seal, rollback_open, ...)

    class Meta:
        table_name = "meta"


class SchemaMigration(BaseModel):
    """A migration applied to this store (`store.migrations`): the schema is the highest."""

    number = IntegerField(primary_key=True)  # the migration's number, mNNNN
    name = TextField()  # its NAME, e.g. "audit rows"
    applied_at = TextField()  # when (clock.stamp())

    class Meta:
        table_name = "schema_migration"
