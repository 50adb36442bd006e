"""Operator records sealed with the administrators' key; the keyslot each record puts in force.

`seal` is an HMAC, keyed with the administrators' key, over what makes an operator
who they are (name, role, status): a clerk who rewrites their role with SQL cannot
make it verify. `slot_sha256` is the checksum of the keyslot that the committed
record puts in force, so a slot written but not yet renamed when the process was
killed is finished (or dropped) at the next unlock. `must_change` marks a one-time
password handed over on paper.
"""

from __future__ import annotations

NAME = "admin seals"

SQL = [
    "ALTER TABLE operator ADD COLUMN seal TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE operator ADD COLUMN slot_sha256 TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE operator ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0",
]
