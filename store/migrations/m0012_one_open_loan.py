"""At most one open loan per item, enforced by the database itself (B5: no re-lending), so
that two requests racing for the same item cannot both succeed."""

from __future__ import annotations

NAME = "one open loan per item"

SQL = ["CREATE UNIQUE INDEX loan_one_open ON loan (item_id) WHERE status = 'open'"]
