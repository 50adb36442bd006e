"""Every backup made: who, when, where (removable media too), and whether it is still kept."""

from __future__ import annotations

NAME = "backups"

SQL = [
    """CREATE TABLE backup (
        id INTEGER PRIMARY KEY,
        file_name TEXT NOT NULL,
        folder TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('monthly', 'safety')),
        external INTEGER NOT NULL,
        taken_at TEXT NOT NULL,
        taken_by TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        audit_head INTEGER NOT NULL,
        verified_at TEXT, verified_by TEXT,
        status TEXT NOT NULL CHECK (status IN ('kept', 'removed')),
        removed_at TEXT, removed_by TEXT, removed_reason TEXT)""",
    "CREATE INDEX backup_taken ON backup (taken_at)",
]
