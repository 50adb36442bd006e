"""Cases with events and persons (受理 and 审结 apart, 退查 and 重报 as events, a record per
person), and departments' zero returns (零报).

A card is a case at one stage. Its 受理 is its accepted date and `month`; its 审结 is its
concluded date, outcome and the new `concluded_month`; each counts in its own month. The
events that do not end a case (退回补充侦查, 重报, extensions) are rows of `card_event`.
Each suspect or party is a row of `card_person`; the card keeps the counts the report
reads (`persons`, `outcome_persons` for its own outcome, `plea_persons`) and `mixed` when
some person has another outcome.

Cards as they were:
- a concluded card is received and concluded in the month it was reported in;
- 退回补充侦查 (outcome THBZ) was never an ending: it becomes a 退查 event of that month, and
  the card an open case (its old values stay in its history); the outcome is retired, so
  that no card is concluded with it again, whichever code tables the store keeps;
- each card gets max(persons, outcome_persons) person records, the first outcome_persons
  of them with the card's outcome; persons of a concluded card beyond those have no outcome
  recorded, and are listed for the statistician. A card that was never counted may have
  more persons in its outcome than persons (rule R05 kept it out of the report): its
  `persons` becomes the number of its records, the old number kept in its history.

`up` returns what it corrected; the upgrade's audit entry for this migration keeps it.
"""

from __future__ import annotations

from typing import Any

from store import clock
from store.vault.database import execute, rows

NAME = "case events and persons"

SQL_TABLES = [
    "ALTER TABLE card ADD COLUMN unified_no TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE card ADD COLUMN concluded_month TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE card ADD COLUMN plea_persons INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE card ADD COLUMN mixed INTEGER NOT NULL DEFAULT 0",
    """CREATE TABLE card_person (
        id INTEGER PRIMARY KEY,
        card_id INTEGER NOT NULL REFERENCES card (id),
        seq INTEGER NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        minor INTEGER NOT NULL DEFAULT 0 CHECK (minor IN (0, 1)),
        charge TEXT NOT NULL DEFAULT '',
        custody TEXT NOT NULL DEFAULT '',
        outcome TEXT NOT NULL DEFAULT '',
        outcome_kind TEXT NOT NULL DEFAULT '',
        plea INTEGER NOT NULL DEFAULT 0 CHECK (plea IN (0, 1)),
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed')),
        UNIQUE (card_id, seq))""",
    """CREATE TABLE card_event (
        id INTEGER PRIMARY KEY,
        card_id INTEGER NOT NULL REFERENCES card (id),
        kind TEXT NOT NULL CHECK (kind IN ('returned', 'resent', 'extended')),
        on_day TEXT NOT NULL,
        month TEXT NOT NULL,
        persons INTEGER NOT NULL DEFAULT 0,
        days INTEGER NOT NULL DEFAULT 0,
        note TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'void')),
        void_reason TEXT NOT NULL DEFAULT '',
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL)""",
    "CREATE INDEX card_event_card ON card_event (card_id, id)",
    "CREATE INDEX card_event_month ON card_event (month, kind, status, card_id, persons)",
    """CREATE TABLE zero_return (
        id INTEGER PRIMARY KEY,
        month TEXT NOT NULL,
        department TEXT NOT NULL,
        confirmed_by TEXT NOT NULL,
        confirmed_on TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        UNIQUE (month, department))""",
]


def up(_database: object) -> dict[str, Any]:
    for statement in SQL_TABLES:
        execute(statement)
    stamp = clock.stamp()  # as every other row's time: local, with its offset
    returned = [int(r[0]) for r in rows(
        "SELECT id FROM card WHERE outcome = 'THBZ' AND status != 'void' ORDER BY id")]
    # 退回补充侦查 is an event of the month the card was reported in, not an ending.
    # (A card never counted may lack the date: R03 kept it out; the event takes its accepted
    # date, an event's day is always a date.)
    execute("""INSERT INTO card_event (card_id, kind, on_day, month, persons, note, recorded_by,
               recorded_at)
               SELECT id, 'returned', CASE WHEN concluded_on != '' THEN concluded_on
                                           ELSE accepted_on END, month,
                      CASE WHEN outcome_persons > 0 THEN outcome_persons ELSE persons END,
                      'migrated: outcome THBZ', 'statdesk', ?
               FROM card WHERE outcome = 'THBZ' ORDER BY id""", (stamp,))
    execute("""INSERT INTO card_history (card_id, at, by, action, old, new, reason)
               SELECT id, ?, 'statdesk', 'migrate',
                      json_object('concluded_on', concluded_on, 'outcome', outcome,
                                  'outcome_persons', outcome_persons),
                      json_object('concluded_on', '', 'outcome', '', 'outcome_persons', 0),
                      '退回补充侦查 is an event of the case, not its conclusion'
               FROM card WHERE outcome = 'THBZ' ORDER BY id""", (stamp,))
    execute("UPDATE card SET concluded_on = '', outcome = '', outcome_persons = 0"
            " WHERE outcome = 'THBZ'")
    execute("UPDATE card SET concluded_month = month WHERE outcome != ''")
    # A person record for each person of the outcome: `persons` counts the records.
    raised = [int(r[0]) for r in rows(
        "SELECT id FROM card WHERE outcome_persons > persons AND status != 'void' ORDER BY id")]
    execute("""INSERT INTO card_history (card_id, at, by, action, old, new, reason)
               SELECT id, ?, 'statdesk', 'migrate', json_object('persons', persons),
                      json_object('persons', outcome_persons),
                      'a person record for each person of its outcome'
               FROM card WHERE outcome_persons > persons ORDER BY id""", (stamp,))
    execute("UPDATE card SET persons = outcome_persons WHERE outcome_persons > persons")
    # One person record per counted person; the first outcome_persons carry the outcome.
    execute("""WITH RECURSIVE seqs(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seqs
                                          WHERE n < (SELECT max(max(persons, outcome_persons))
                                                     FROM card))
               INSERT INTO card_person (card_id, seq, charge, outcome)
               SELECT card.id, seqs.n, card.charge,
                      CASE WHEN seqs.n <= card.outcome_persons THEN card.outcome ELSE '' END
               FROM card JOIN seqs ON seqs.n <= max(card.persons, card.outcome_persons)
               ORDER BY card.id, seqs.n""")
    # (R05 kept outcome_persons within persons on every counted card: the counts stand.)
    execute("UPDATE card SET mixed = 1 WHERE outcome != '' AND persons > outcome_persons")
    without = [int(r[0]) for r in rows(
        "SELECT id FROM card WHERE mixed AND status != 'void' ORDER BY id")]
    persons = rows("SELECT count(*) FROM card_person")[0][0]
    retired = [str(r[0]) for r in rows(
        "SELECT code FROM code WHERE kind = 'outcome' AND code = 'THBZ' AND status = 'active'")]
    execute("UPDATE code SET status = 'retired' WHERE kind = 'outcome' AND code = 'THBZ'")
    return {"retired_outcomes": retired, "returned_for_investigation": returned,
            "persons_without_outcome": without, "persons_raised": raised,
            "persons": int(persons)}
