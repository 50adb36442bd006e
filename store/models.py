"""peewee models of the foundation tables. Only store/ modules import these."""

from __future__ import annotations

from peewee import CharField, IntegerField, TextField

from store.vault.database import BaseModel


class MetaValue(BaseModel):
    """Store-wide facts: store id, audit head."""

    key = CharField(primary_key=True)
    value = TextField()

    class Meta:
        table_name = "meta"


class SchemaMigration(BaseModel):
    number = IntegerField(primary_key=True)
    name = TextField()
    applied_at = TextField()

    class Meta:
        table_name = "schema_migration"


class Setting(BaseModel):
    key = CharField(primary_key=True)
    value = TextField()
    updated_at = TextField()
    updated_by = TextField()

    class Meta:
        table_name = "setting"


class Operator(BaseModel):
    name = CharField(unique=True)
    display_name = TextField()
    role = CharField()
    status = CharField()
    created_at = TextField()
    created_by = TextField()
    disabled_at = TextField(null=True)
    disabled_by = TextField(null=True)
    disabled_reason = TextField(null=True)
    last_login_at = TextField(null=True)
    # Not written by the model's inserts (no default here): see operators._insert.
    seal = TextField(null=True)
    slot_sha256 = TextField(null=True)
    must_change = IntegerField(null=True)

    class Meta:
        table_name = "operator"


class AuditEntry(BaseModel):
    id = IntegerField(primary_key=True)
    ts = TextField()
    operator = TextField()
    action = TextField()
    entity = TextField()
    entity_id = TextField()
    old = TextField(null=True)
    new = TextField(null=True)
    note = TextField()
    prev_hash = TextField()
    hash = TextField()

    class Meta:
        table_name = "audit"





class Holiday(BaseModel):
    day = CharField(primary_key=True)
    kind = CharField()
    name = TextField()
    updated_at = TextField()
    updated_by = TextField()

    class Meta:
        table_name = "holiday"


class Backup(BaseModel):
    id = IntegerField(primary_key=True)
    file_name = TextField()
    folder = TextField()
    kind = CharField()
    external = IntegerField()
    taken_at = TextField()
    taken_by = TextField()
    size = IntegerField()
    sha256 = TextField()
    audit_head = IntegerField()
    verified_at = TextField(null=True)
    verified_by = TextField(null=True)
    status = CharField()
    removed_at = TextField(null=True)
    removed_by = TextField(null=True)
    removed_reason = TextField(null=True)

    class Meta:
        table_name = "backup"
