"""Card drafts: a card entry kept half-typed, per operator, until it is saved as a card or
discarded (issue 18). Nothing is deleted: a draft's state changes."""

from __future__ import annotations

NAME = "card drafts"

SQL = [
    """CREATE TABLE card_draft (
        id INTEGER PRIMARY KEY,
        operator TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        case_no TEXT NOT NULL DEFAULT '',
        case_name TEXT NOT NULL DEFAULT '',
        typed TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'kept',
        card_id INTEGER,
        closed_at TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX card_draft_operator ON card_draft (operator, state, id)",
]
