"""Hand-counted cards for the report's tests: every figure below is counted by hand."""

from __future__ import annotations

from store.vault.database import execute

COLUMNS = ("department", "business_type", "case_no", "case_name", "charge", "persons",
           "accepted_on", "concluded_on", "outcome", "outcome_persons", "month", "status",
           "entered_by", "entered_at", "updated_by", "updated_at")

# (month, department, type, outcome, persons, outcome persons, status)
CARDS = [
    # 2026-11: counted (accepted or reported)
    ("2026-11", "D01", "SCQS", "TQGS", 2, 2, "accepted"),
    ("2026-11", "D01", "SCQS", "TQGS", 1, 1, "accepted"),
    ("2026-11", "D01", "SCQS", "BQS", 3, 1, "accepted"),
    ("2026-11", "D01", "SCDB", "PZDB", 1, 1, "accepted"),
    ("2026-11", "D01", "SCDB", "", 2, 0, "accepted"),  # not yet concluded: 2 persons
    ("2026-11", "D06", "ZZLA", "YSQS", 1, 1, "accepted"),
    # 2026-11: not counted
    ("2026-11", "D01", "SCQS", "TQGS", 5, 5, "submitted"),
    ("2026-11", "D01", "SCQS", "TQGS", 5, 5, "returned"),
    ("2026-11", "D01", "SCQS", "TQGS", 5, 5, "void"),
    # earlier this year (year to date)
    ("2026-10", "D01", "SCQS", "TQGS", 1, 1, "reported"),
    ("2026-01", "D06", "ZZLA", "CXAJ", 2, 2, "reported"),
    # a year earlier
    ("2025-11", "D01", "SCQS", "TQGS", 1, 1, "reported"),
    ("2025-11", "D01", "SCQS", "TQGS", 1, 1, "reported"),
    ("2025-11", "D01", "SCQS", "TQGS", 1, 1, "reported"),
    ("2025-11", "D01", "SCQS", "TQGS", 1, 1, "reported"),
    ("2025-03", "D01", "SCDB", "PZDB", 1, 1, "reported"),
    ("2025-12", "D01", "SCQS", "TQGS", 9, 9, "reported"),  # after November: not in 同比
]


def insert(cards: list[tuple[str, str, str, str, int, int, str]] = CARDS) -> None:
    marks = ", ".join("?" * len(COLUMNS))
    for n, (month, dept, kind, outcome, persons, outcome_persons, status) in enumerate(cards):
        day = f"{month}-10"
        execute(f"INSERT INTO card ({', '.join(COLUMNS)}) VALUES ({marks})",
                (dept, kind, f"某检测〔{month[:4]}〕{n + 1}号", f"测试{n}案", "C01", persons,
                 day, day if outcome else "", outcome, outcome_persons, month, status,
                 "admin", day, "admin", day))
