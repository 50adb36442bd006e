"""Public holidays and make-up working days (调休); seeded with the State Council's 2026 notice."""

from __future__ import annotations

NAME = "holidays"

_HOLIDAYS_2026 = [
    ("元旦", ["2026-01-01", "2026-01-02", "2026-01-03"], ["2026-01-04"]),
    ("春节", [f"2026-02-{d:02d}" for d in range(15, 24)], ["2026-02-14", "2026-02-28"]),
    ("清明节", ["2026-04-04", "2026-04-05", "2026-04-06"], []),
    ("劳动节", [f"2026-05-{d:02d}" for d in range(1, 6)], ["2026-05-09"]),
    ("端午节", ["2026-06-19", "2026-06-20", "2026-06-21"], []),
    ("中秋节", ["2026-09-25", "2026-09-26", "2026-09-27"], []),
    ("国庆节", [f"2026-10-{d:02d}" for d in range(1, 8)], ["2026-09-20", "2026-10-10"]),
]


def _seed() -> list[str]:
    values = []
    for name, days, workdays in _HOLIDAYS_2026:
        values += [f"('{day}', 'holiday', '{name}')" for day in days]
        values += [f"('{day}', 'workday', '{name}')" for day in workdays]
    return [
        "INSERT INTO holiday (day, kind, name, updated_at, updated_by) SELECT column1, column2,"
        " column3, '2026-01-01T00:00:00+08:00', 'seed' FROM (VALUES " + ", ".join(values) + ")"
    ]


SQL = [
    """CREATE TABLE holiday (
        day TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
        name TEXT NOT NULL,
        updated_at TEXT NOT NULL, updated_by TEXT NOT NULL)""",
    *_seed(),
]
