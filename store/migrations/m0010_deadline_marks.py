"""Deadlines the store cannot see done by itself, marked done by the statistician."""

from __future__ import annotations

NAME = "deadline marks"

SQL = [
    """CREATE TABLE deadline_mark (
        id INTEGER PRIMARY KEY,
        month TEXT NOT NULL,
        key TEXT NOT NULL,
        at TEXT NOT NULL,
        by TEXT NOT NULL,
        UNIQUE (month, key))""",
]
