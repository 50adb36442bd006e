"""Reported months: once a month's report is submitted its cards change only by correction."""

from __future__ import annotations

NAME = "month lock"

SQL = [
    """CREATE TABLE month_lock (
        month TEXT PRIMARY KEY CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
        locked_at TEXT NOT NULL,
        locked_by TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '')""",
]
