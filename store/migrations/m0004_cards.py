"""Case registration cards (案件登记卡) and their code tables, seeded with realistic defaults."""

from __future__ import annotations

from store.cards.seed_codes import seed_sql

NAME = "cards"

SQL = [
    """CREATE TABLE code (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('department', 'business_type', 'outcome', 'charge',
                                           'rank')),
        code TEXT NOT NULL,
        name_zh TEXT NOT NULL,
        name_en TEXT NOT NULL,
        short TEXT NOT NULL,
        parent TEXT NOT NULL DEFAULT '',
        sort INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
        UNIQUE (kind, code))""",
    """CREATE TABLE card (
        id INTEGER PRIMARY KEY,
        department TEXT NOT NULL,
        business_type TEXT NOT NULL,
        case_no TEXT NOT NULL,
        case_name TEXT NOT NULL,
        charge TEXT NOT NULL DEFAULT '',
        persons INTEGER NOT NULL DEFAULT 0,
        accepted_on TEXT NOT NULL,
        concluded_on TEXT NOT NULL DEFAULT '',
        outcome TEXT NOT NULL DEFAULT '',
        outcome_persons INTEGER NOT NULL DEFAULT 0,
        amount INTEGER,
        rank TEXT NOT NULL DEFAULT '',
        major TEXT NOT NULL DEFAULT '' CHECK (major IN ('', 'major', 'key', 'both')),
        major_override TEXT NOT NULL DEFAULT '',
        month TEXT NOT NULL,
        remarks TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'accepted',
                                               'reported', 'void')),
        return_reason TEXT NOT NULL DEFAULT '',
        acknowledged TEXT NOT NULL DEFAULT '',
        entered_by TEXT NOT NULL, entered_at TEXT NOT NULL,
        updated_by TEXT NOT NULL, updated_at TEXT NOT NULL)""",
    "CREATE INDEX card_month ON card (month, department, status)",
    "CREATE INDEX card_case_no ON card (case_no)",
    """CREATE TABLE card_history (
        id INTEGER PRIMARY KEY,
        card_id INTEGER NOT NULL REFERENCES card (id),
        at TEXT NOT NULL, by TEXT NOT NULL, action TEXT NOT NULL,
        old TEXT, new TEXT, reason TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX card_history_card ON card_history (card_id, id)",
    *seed_sql(),
]
