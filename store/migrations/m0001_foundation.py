"""The foundation tables: meta, settings, operators, audit log."""

from __future__ import annotations

NAME = "foundation"

SQL = [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE setting (
        key TEXT PRIMARY KEY, value TEXT NOT NULL,
        updated_at TEXT NOT NULL, updated_by TEXT NOT NULL)""",
    """CREATE TABLE operator (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'clerk')),
        status TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
        created_at TEXT NOT NULL, created_by TEXT NOT NULL,
        disabled_at TEXT, disabled_by TEXT, disabled_reason TEXT,
        last_login_at TEXT)""",
    """CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        ts TEXT NOT NULL,
        operator TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        old TEXT, new TEXT,
        note TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL)""",
    "CREATE INDEX audit_operator ON audit (operator, id)",
    "CREATE INDEX audit_action ON audit (action, id)",
    "CREATE INDEX audit_ts ON audit (ts, id)",
]
