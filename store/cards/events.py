"""A case's life after it is received: its 审结 (conclusion) and the events that do not end
it — 退回补充侦查 (退查), 重报 (re-sent after 退查), extensions of the time limit.

Each counts in its own month: concluding a case received in a reported month touches
nothing in that month. Concluding an accepted or reported card in an open month is not a
correction; changing a 审结 already reported is, with a reason. Events are voided with a
reason, never deleted; each change is one transaction with its history and audit entry.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta

from store import clock, settings
from store.cards import months, persons
from store.cards import review as card_review
from store.cards.entry import (
    MAX_PERSONS,
    Checked,
    InvalidCard,
    record_history,
    stored_values,
    validate,
)
from store.cards.persons import PersonInput
from store.cards.review import CardRecord, check_conclusion_moves, write_card
from store.cards.rules import next_open, statistical_month
from store.dates import parse_date
from store.errors import InvalidInput, NotAllowed
from store.i18n import N_, _, ngettext
from store.text import check_line, refusal, whole_number
from store.vault.database import db, execute, insert, records
from store.vault.session import Session

EVENT_KINDS = {"returned": N_("returned for further investigation (退查)"),
               "resent": N_("re-sent (重报)"), "extended": N_("time limit extended")}
"""The events of a case that do not end it, with their names (catalog messages)."""

NOTE_LIMIT = 200
REVIEW_DAYS = 30
"""审查起诉: a month from receipt (or from re-sending after 退查), as days."""
MAJOR_DAYS = 15
"""A major case's time limit is longer by fifteen days."""
TIME_LIMITED = ("SCQS",)


@dataclass(frozen=True)
class ConclusionInput:
    """A case's 审结 as typed. Without `people` the outcome goes to the first
    `outcome_persons` of its persons (blank: all of them). With `people` (one per person,
    in order) each person's outcome, kind and 认罪认罚 are read from it (a blank plea keeps
    the person's); the other values of a person are the card's to change, not the
    conclusion's. A blank date takes the conclusion back."""

    concluded_on: str
    outcome: str = ""
    outcome_kind: str = ""
    outcome_persons: str = ""
    people: tuple[PersonInput, ...] = ()


@dataclass(frozen=True)
class EventRecord:
    """One event of a case. `events()` adds the case's 受理 ("received") and 审结
    ("concluded") as rows with id 0."""

    id: int
    card_id: int
    kind: str
    on_day: str
    month: str
    persons: int
    days: int
    note: str
    status: str
    void_reason: str
    recorded_by: str
    recorded_at: str


_COLUMNS = ", ".join(EventRecord.__dataclass_fields__)


def _card(card_id: int) -> CardRecord:
    card = card_review.get(card_id)
    if card.status == "void":
        raise NotAllowed(_("a voided card cannot change"))
    return card


def _conclusion_people(card: CardRecord, typed: ConclusionInput) -> tuple[PersonInput, ...]:
    """The persons as they will be once concluded: the card's, with their outcomes."""
    stored = persons.people(card.id)
    if typed.people:
        if len(typed.people) != len(stored):
            raise refusal(ngettext(
                "the case has {n} person: give an outcome for each, or change the persons on"
                " the card", "the case has {n} persons: give an outcome for each, or change"
                " the persons on the card", len(stored)).format(n=len(stored)), "people")
        return tuple(replace(row.as_input(), outcome=given.outcome,
                             outcome_kind=given.outcome_kind, plea=given.plea or
                             row.as_input().plea) for row, given in zip(stored, typed.people,
                                                                       strict=True))
    text = unicodedata.normalize("NFKC", typed.outcome_persons).strip()
    if text and not text.isdigit():
        raise refusal(_("type a whole number"), "outcome_persons")
    concerned = min(int(text), MAX_PERSONS) if text else len(stored)
    if text and concerned > len(stored):
        raise refusal(_("{n} persons in the outcome, but the card has only {total}").format(
            n=concerned, total=len(stored)), "outcome_persons")
    outcome, kind = typed.outcome.strip(), typed.outcome_kind.strip()
    return tuple(replace(row.as_input(), outcome=outcome if place < concerned else "",
                         outcome_kind=kind if place < concerned else "")
                 for place, row in enumerate(stored))


def conclude(session: Session, card_id: int, typed: ConclusionInput, reason: str = "",
             ) -> Checked:
    """Conclude (审结) an accepted or reported case, or change its conclusion. In an open
    month this is no correction; a conclusion already reported changes only with a reason,
    and only to another reported month. The rules run: an error the card did not already
    have refuses it (InvalidCard, with the values it could not read or the rules it
    breaks) and nothing is written. The card's month (受理) never changes here."""
    card = _card(card_id)
    if card.status not in ("accepted", "reported"):
        raise NotAllowed(_("only an accepted or reported case is concluded here; change an"
                           " entered card on the card itself"))
    locked = months.locked()
    correcting = card.concluded_month in locked
    reason = check_line(reason, card_review.REASON_LIMIT, _(
        "the conclusion is reported: a correction needs a reason") if correcting else "",
        "reason")
    if not typed.concluded_on.strip() and not card.concluded_on:
        raise refusal(_("type the concluded date"), "concluded_on")
    before = validate(card.as_input(), card_id)
    people = _conclusion_people(card, typed)
    base = replace(card.as_input(), concluded_on=typed.concluded_on, custody="", minor="",
                   plea="", outcome_kind="")
    if people:
        asked = replace(base, outcome="", outcome_persons="", people=people)
    else:  # a case without persons (民事、公益...): the card carries the outcome
        asked = replace(base, outcome=typed.outcome, outcome_persons=typed.outcome_persons,
                        outcome_kind=typed.outcome_kind, people=())
    checked = validate(asked, card_id)
    if checked.card is None:
        raise InvalidCard(checked.problems)
    had = {v.code for v in before.errors}
    new_errors = [v for v in checked.errors if v.code not in had]
    if new_errors:  # each beside its field on the screen, like a card's
        raise InvalidCard(new_errors)
    check_conclusion_moves(card, checked.card.concluded_month, locked)
    new = stored_values(checked.card)
    old = {k: getattr(card, k) for k in new}
    changed = {k: v for k, v in new.items() if old.get(k) != v}
    old_people = [p.stored() for p in persons.people(card_id)]
    new_people = [p.stored() for p in checked.card.people]
    if not changed and old_people == new_people:
        return checked
    with db.atomic():
        write_card(session, card_id, changed, problems=len(checked.problems))
        before_values, after = {k: old.get(k) for k in changed}, dict(changed)
        if old_people != new_people:
            persons.write(card_id, checked.card.people)
            before_values["people"], after["people"] = old_people, new_people
        record_history(session, card_id, "correct" if correcting else "conclude",
                       before_values, after, reason.strip())
    return checked


def _day(text: str, card: CardRecord) -> date:
    day = parse_date(unicodedata.normalize("NFKC", text).strip(), "on_day")
    if day > clock.today():
        raise refusal(_("the date is in the future"), "on_day")
    if day < date.fromisoformat(card.accepted_on):
        raise refusal(_("the date is before the case was received ({day})").format(
            day=card.accepted_on), "on_day")
    if card.concluded_on and day > date.fromisoformat(card.concluded_on):
        raise refusal(_("the date is after the case was concluded ({day})").format(
            day=card.concluded_on), "on_day")
    return day


def _out(card_id: int) -> bool:
    """Whether the case is out for 退查: returned more often than re-sent."""
    kinds = [e.kind for e in events(card_id) if e.id and e.status == "active"]
    return kinds.count("returned") > kinds.count("resent")


def record_event(session: Session, card_id: int, kind: str, on_day: str, persons: str = "",
                 days: str = "", note: str = "") -> int:
    """Record an event of a case (退查, 重报, extension), counted in the next open month by its
    date; blank persons are the card's. A case is re-sent only after it was returned, and
    not returned again while it is out. Returns the event's id."""
    if kind not in EVENT_KINDS:
        raise refusal(_("an event is one of: {kinds}").format(kinds=", ".join(EVENT_KINDS)),
                      "kind")
    card = _card(card_id)
    day = _day(on_day, card)
    count = card.persons if not persons.strip() else whole_number(
        persons, 1 if card.persons else 0, card.persons, _("persons"), "persons")
    extension = whole_number(days, 1, 365, _("days"), "days") if kind == "extended" else 0
    if kind != "extended" and days.strip() not in ("", "0"):
        raise refusal(_("only an extension has days"), "days")
    text = check_line(note, NOTE_LIMIT, field="note")
    out = _out(card_id)
    if kind == "resent" and not out:
        raise NotAllowed(_("a case is re-sent after it was returned (退查): record that first"))
    if kind == "returned" and out:
        raise NotAllowed(_("the case is already out for 退查: record its re-sending first"))
    cutoff = settings.current().cutoff_day
    month = max(next_open(statistical_month(day, cutoff), months.locked()), card.month)
    values = {"card_id": card_id, "kind": kind, "on_day": day.isoformat(), "month": month,
              "persons": count, "days": extension, "note": text, "status": "active",
              "void_reason": "", "recorded_by": session.actor.name, "recorded_at": clock.stamp()}
    with db.atomic():
        event_id = insert(f"INSERT INTO card_event ({', '.join(values)}) VALUES"
                          f" ({', '.join('?' * len(values))})", tuple(values.values()))
        shown = {k: values[k] for k in ("kind", "on_day", "month", "persons", "days", "note")}
        record_history(session, card_id, "event", None, {"event": event_id, **shown})
    return event_id


def void_event(session: Session, event_id: int, reason: str) -> None:
    """Void an event recorded by mistake, saying why (it stays, marked void). A 退查
    followed by its re-sending is voided after the re-sending."""
    reason = check_line(reason, card_review.REASON_LIMIT, _("say why the event is voided"),
                        "reason")
    found = records(EventRecord, f"SELECT {_COLUMNS} FROM card_event WHERE id = ?",
                    (event_id,))
    if not found:
        raise InvalidInput(_("no event #{id}").format(id=event_id))
    event = found[0]
    if event.status != "active":
        raise NotAllowed(_("the event is already void"))
    _card(event.card_id)
    if event.kind == "returned" and any(
            e.kind == "resent" and e.status == "active" and e.id > event.id
            for e in events(event.card_id)):
        raise NotAllowed(_("void its re-sending (重报) first"))
    with db.atomic():
        execute("UPDATE card_event SET status = 'void', void_reason = ? WHERE id = ?",
                (reason, event_id))
        record_history(session, event.card_id, "event_void",
                       {"event": event_id, "kind": event.kind, "status": "active"},
                       {"event": event_id, "status": "void"}, reason)


def events(card_id: int) -> list[EventRecord]:
    """A case's life for the card view, in date order: its 受理 ("received", id 0, the card's
    persons), its events (void ones too, marked), and its 审结 ("concluded", id 0, its
    outcome code as the note) once concluded."""
    card = card_review.get(card_id)
    found = records(EventRecord, f"SELECT {_COLUMNS} FROM card_event WHERE card_id = ?"
                                 " ORDER BY on_day, id", (card_id,))
    received = EventRecord(0, card_id, "received", card.accepted_on, card.month, card.persons,
                           0, "", "active", "", card.entered_by, card.entered_at)
    life = [received, *found]
    if card.concluded_on:
        life.append(EventRecord(0, card_id, "concluded", card.concluded_on,
                                card.concluded_month, card.persons, 0, card.outcome,
                                "active", "", card.updated_by, card.updated_at))
    place = {"received": 0, "concluded": 2}
    return sorted(life, key=lambda e: (e.on_day, place.get(e.kind, 1), e.id))


def time_limit(card: CardRecord, today: date) -> tuple[date, int] | None:
    """审查起诉's time limit: (the day it is due, days left — negative when overdue). It runs
    from receipt, or afresh from the last re-sending after 退查, a month (30 days), fifteen
    more for a major case, plus the extensions recorded since. None for other business types,
    for a concluded case, and while the case is out for 退查."""
    if card.business_type not in TIME_LIMITED or card.concluded_on or card.status == "void":
        return None
    life = [e for e in events(card.id) if e.id and e.status == "active"]
    if _out(card.id):
        return None
    start = max([date.fromisoformat(card.accepted_on)] +
                [date.fromisoformat(e.on_day) for e in life if e.kind == "resent"])
    extra = sum(e.days for e in life if e.kind == "extended"
                and date.fromisoformat(e.on_day) >= start)
    due = start + timedelta(days=REVIEW_DAYS + (MAJOR_DAYS if card.major else 0) + extra)
    return due, (due - today).days


__all__ = ["EVENT_KINDS", "ConclusionInput", "EventRecord", "conclude", "events",
           "record_event", "time_limit", "void_event"]
