"""Covering indexes for the report of cases with events (store.report.stocks).

`card_flow` orders the counted cards by the month their 审结 counts in ('' while open), then
the month their 受理 counts in: one range of it holds every card a month's and a year's
report need (received or concluded in the periods, or open across their ends), already in
the order the report groups them. `card_counted` gives an event's card's business type and
department without reading the card (退查 and 重报 are counted by them); `card_review_due`
the open 审查起诉 cases with their dates, and `card_event_life` their events (check K07).
`card_mixed` finds the few cards whose persons have different outcomes, and
`card_person_outcome` their persons' outcomes; `card_person_ftj_adult` the adults given
conditional non-prosecution (附条件不起诉 is for minors: check K06).
"""

from __future__ import annotations

NAME = "report indexes"

SQL = [
    "CREATE INDEX card_flow ON card (concluded_month, month, status, business_type,"
    " department, outcome, persons, outcome_persons, plea_persons)",
    "CREATE INDEX card_counted ON card (id, status, business_type, department)",
    "CREATE INDEX card_review_due ON card (business_type, concluded_month, month, status,"
    " accepted_on, major)",
    "CREATE INDEX card_mixed ON card (concluded_month, status, business_type, department,"
    " outcome) WHERE mixed = 1",
    "CREATE INDEX card_event_life ON card_event (card_id, status, on_day, kind, days)",
    "CREATE INDEX card_person_outcome ON card_person (card_id, status, outcome)",
    "CREATE INDEX card_person_ftj_adult ON card_person (card_id)"
    " WHERE outcome_kind = 'FTJ' AND minor = 0",
]
