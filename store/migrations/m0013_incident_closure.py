"""Incidents are followed up: what was done, by whom, when they were closed (D12)."""

from __future__ import annotations

NAME = "incident closure"

SQL = [
    "ALTER TABLE incident ADD COLUMN action TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE incident ADD COLUMN closed_at TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE incident ADD COLUMN closed_by TEXT NOT NULL DEFAULT ''",
]
