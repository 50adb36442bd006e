"""Indexes for sorting the card list: by accepted date, and by case number as a clerk reads
it (某检刑诉〔2026〕9号 before 〔2026〕10号: the serial number compared as a number)."""

from __future__ import annotations

NAME = "card sort"

CASE_KEY = ("CASE WHEN instr(case_no, '〕') > 0 THEN substr(case_no, 1, instr(case_no, '〕'))"
            " || printf('%010d', CAST(substr(case_no, instr(case_no, '〕') + 1) AS INTEGER))"
            " ELSE case_no END")

SQL = [
    "CREATE INDEX card_accepted ON card (accepted_on)",
    f"ALTER TABLE card ADD COLUMN case_key TEXT GENERATED ALWAYS AS ({CASE_KEY}) VIRTUAL",
    "CREATE INDEX card_case_key ON card (case_key)",
]
