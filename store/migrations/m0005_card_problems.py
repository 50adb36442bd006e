"""Cards remember how many rule problems they had when last saved (the list's filter)."""

from __future__ import annotations

NAME = "card problems"

SQL = [
    "ALTER TABLE card ADD COLUMN problems INTEGER NOT NULL DEFAULT 0",
    "UPDATE card SET problems = 1 WHERE status = 'returned'",
    "CREATE INDEX card_problems ON card (problems, id)",
    "CREATE INDEX card_department ON card (department, id)",
    "CREATE INDEX card_type ON card (business_type, id)",
    "CREATE INDEX card_status ON card (status, id)",
]
