"""The backups' table (migration 3): every backup this store made or restored from. Only
store/ modules import this."""

from __future__ import annotations

from peewee import IntegerField, TextField

from store.vault.database import BaseModel


class Backup(BaseModel):
    """A backup file: who took it, when, where (removable media too), its checksum, and
    whether it is still kept. Rows are never deleted: a file removed by the keeping rules
    keeps its row, marked removed."""

    id = IntegerField(primary_key=True)
    file_name = TextField()  # e.g. 某某县人民检察院-2026-11-30T0915.sdbk
    folder = TextField()  # the absolute folder it was written to
    kind = TextField()  # monthly, or safety (kept before a restore or an upgrade)
    external = IntegerField()  # 1: written outside the data folder's backups/ (--to)
    taken_at = TextField()  # when (ISO time, to the second)
    taken_by = TextField()  # operator name
    size = IntegerField()  # bytes
    sha256 = TextField()  # of the whole .sdbk file, hex
    audit_head = IntegerField()  # the last audit entry its snapshot holds
    verified_at = TextField(null=True)  # the last verification that passed; None: failed
    verified_by = TextField(null=True)
    status = TextField()  # kept or removed
    removed_at = TextField(null=True)
    removed_by = TextField(null=True)
    removed_reason = TextField(null=True)  # e.g. retention

    class Meta:
        table_name = "backup"
        indexes = ((("taken_at",), False),)
