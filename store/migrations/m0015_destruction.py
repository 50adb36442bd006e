"""Destruction (A7, D6, D9): holds on items or on a kind and period, destruction batches with
their approval, place, method and supervisors, the items of each batch with the reason for
each, and what became of each when the batch was carried out. Nothing is deleted: an item
destroyed keeps its record and its chain of custody."""

from __future__ import annotations

NAME = "destruction batches and holds"

SQL = [
    """CREATE TABLE hold (
        id INTEGER PRIMARY KEY,
        item_id INTEGER REFERENCES item (id),
        kind TEXT NOT NULL DEFAULT '',
        first_day TEXT NOT NULL DEFAULT '',
        last_day TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL,
        placed_at TEXT NOT NULL, placed_by TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'on' CHECK (status IN ('on', 'lifted')),
        lifted_at TEXT NOT NULL DEFAULT '', lifted_by TEXT NOT NULL DEFAULT '',
        lift_reason TEXT NOT NULL DEFAULT '',
        CHECK ((item_id IS NULL) != (kind = '')))""",
    "CREATE INDEX hold_on ON hold (status, item_id)",
    """CREATE TABLE destruction_batch (
        id INTEGER PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'printed',
                                                               'executed', 'cancelled')),
        created_at TEXT NOT NULL, created_by TEXT NOT NULL,
        approver_id INTEGER REFERENCES person (id),
        approved_on TEXT NOT NULL DEFAULT '',
        approval_ref TEXT NOT NULL DEFAULT '',
        place TEXT NOT NULL DEFAULT '',
        method TEXT NOT NULL DEFAULT '',
        planned_on TEXT NOT NULL DEFAULT '',
        handler_id INTEGER REFERENCES person (id),
        printed_at TEXT NOT NULL DEFAULT '',
        list_sha256 TEXT NOT NULL DEFAULT '',
        executed_on TEXT NOT NULL DEFAULT '',
        executed_at TEXT NOT NULL DEFAULT '', executed_by TEXT NOT NULL DEFAULT '',
        cancelled_at TEXT NOT NULL DEFAULT '', cancelled_by TEXT NOT NULL DEFAULT '',
        cancel_reason TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE batch_item (
        id INTEGER PRIMARY KEY,
        batch_id INTEGER NOT NULL REFERENCES destruction_batch (id),
        item_id INTEGER NOT NULL REFERENCES item (id),
        reason TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        added_at TEXT NOT NULL, added_by TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'listed' CHECK (state IN ('listed', 'removed', 'destroyed',
                                                             'kept', 'released')),
        outcome_note TEXT NOT NULL DEFAULT '',
        open INTEGER NOT NULL DEFAULT 1)""",
    "CREATE UNIQUE INDEX batch_item_open ON batch_item (item_id) WHERE open = 1",
    "CREATE INDEX batch_item_batch ON batch_item (batch_id, id)",
    "CREATE INDEX batch_item_item ON batch_item (item_id)",
    """CREATE TABLE batch_supervisor (
        batch_id INTEGER NOT NULL REFERENCES destruction_batch (id),
        person_id INTEGER NOT NULL REFERENCES person (id),
        present INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (batch_id, person_id))""",
]
