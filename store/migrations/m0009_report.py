"""The monthly report's reconciliation (C5) and its submissions and revisions, plus the
analysis reports of the year (C14) and a covering index for the report's counts."""

from __future__ import annotations

NAME = "report"

SQL = [
    # Each department's figures confirmed with the department before submission (C5);
    # a later confirmation of the same month and department stands, the earlier stay.
    """CREATE TABLE report_confirm (
        id INTEGER PRIMARY KEY,
        month TEXT NOT NULL,
        department TEXT NOT NULL,
        confirmed_by TEXT NOT NULL,
        confirmed_on TEXT NOT NULL,
        figures TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL)""",
    "CREATE INDEX report_confirm_month ON report_confirm (month, department, id)",
    # Revision 1 is the submission; each later one lists its differences from the last.
    """CREATE TABLE report_revision (
        id INTEGER PRIMARY KEY,
        month TEXT NOT NULL,
        revision INTEGER NOT NULL,
        at TEXT NOT NULL,
        by TEXT NOT NULL,
        submitted_to TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        swing_note TEXT NOT NULL DEFAULT '',
        figures TEXT NOT NULL,
        differences TEXT NOT NULL DEFAULT '[]',
        UNIQUE (month, revision))""",
    """CREATE TABLE analysis_report (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        author TEXT NOT NULL,
        written_on TEXT NOT NULL,
        topic TEXT NOT NULL DEFAULT '',
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'void')),
        void_reason TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX analysis_report_day ON analysis_report (written_on)",
    "CREATE INDEX card_report ON card (month, status, business_type, outcome, department,"
    " persons, outcome_persons)",
]
