"""Card drafts: a card entry kept half-typed (Esc, "keep as a draft"), per operator, in the
store, so that it survives a lock and a restart; the entry offers it again until it is
saved as a card (the draft is then `used`) or discarded. Each change of state is audited in
its own transaction; nothing is deleted."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

from store import clock
from store.cards import entry as cards
from store.cards.entry import CardInput, Checked
from store.cards.persons import PersonInput
from store.errors import InvalidInput
from store.i18n import _
from store.vault.database import db, execute, insert, rows
from store.vault.session import Session

KEPT, USED, REPLACED, DISCARDED = "kept", "used", "replaced", "discarded"


@dataclass(frozen=True)
class Draft:
    """A kept card entry: whose, when, what it names, and what was typed."""

    id: int
    operator: str
    saved_at: str
    case_no: str
    case_name: str
    typed: CardInput
    state: str
    card_id: int | None


def _dump(typed: CardInput) -> str:
    return json.dumps(asdict(typed), ensure_ascii=False, sort_keys=True)


def _load(text: str) -> CardInput:
    values = json.loads(text)
    people = tuple(PersonInput(**p) for p in values.pop("people", []))
    known = {f.name for f in fields(CardInput)}
    return CardInput(**{k: str(v) for k, v in values.items() if k in known}, people=people)


_COLUMNS = "id, operator, saved_at, case_no, case_name, typed, state, card_id"


def _drafts(where: str, params: tuple[object, ...]) -> list[Draft]:
    return [Draft(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), _load(str(r[5])),
                  str(r[6]), None if r[7] is None else int(r[7]))
            for r in rows(f"SELECT {_COLUMNS} FROM card_draft WHERE {where}", params)]


def kept(session: Session) -> list[Draft]:
    """The operator's drafts still kept, newest first."""
    return _drafts("operator = ? AND state = 'kept' ORDER BY id DESC", (session.actor.name,))


def get(session: Session, draft_id: int) -> Draft:
    """One of the operator's own drafts (any state)."""
    found = _drafts("id = ? AND operator = ?", (draft_id, session.actor.name))
    if not found:
        raise InvalidInput(_("no draft #{id}").format(id=draft_id))
    return found[0]


def _close(session: Session, draft_id: int, state: str, card_id: int | None = None) -> None:
    """The caller holds the transaction: a kept draft leaves `kept`, audited."""
    draft = get(session, draft_id)
    if draft.state != KEPT:
        raise InvalidInput(_("draft #{id} is no longer kept").format(id=draft_id))
    execute("UPDATE card_draft SET state = ?, card_id = ?, closed_at = ? WHERE id = ?",
            (state, card_id, clock.stamp(), draft_id))
    session.audit.append(session.actor.name, f"card_draft.{state}", "card_draft",
                         str(draft_id), old={"state": KEPT},
                         new={"state": state, "card_id": card_id})


def save(session: Session, typed: CardInput, replaces: int | None = None) -> int:
    """Keep a card entry as a draft of the operator; a draft it was taken up from is
    `replaced` by it. Returns the new draft's id."""
    with db.atomic():
        if replaces is not None:
            _close(session, replaces, REPLACED)
        draft_id = insert(
            "INSERT INTO card_draft (operator, saved_at, case_no, case_name, typed, state)"
            " VALUES (?, ?, ?, ?, ?, 'kept')",
            (session.actor.name, clock.stamp(), typed.case_no.strip(),
             typed.case_name.strip(), _dump(typed)))
        session.audit.append(session.actor.name, "card_draft.save", "card_draft",
                             str(draft_id), new={"case_no": typed.case_no.strip(),
                                                 "case_name": typed.case_name.strip(),
                                                 "replaces": replaces})
    return draft_id


def discard(session: Session, draft_id: int) -> None:
    """The operator does not want the draft any more (it stays, `discarded`)."""
    with db.atomic():
        _close(session, draft_id, DISCARDED)


def add_card(session: Session, typed: CardInput, draft_id: int | None) -> tuple[int, Checked]:
    """Enter the card (as `entry.add`); the draft it was taken up from, if any, is `used`
    in the same transaction."""
    with db.atomic():
        card_id, checked = cards.add(session, typed)
        if draft_id is not None:
            _close(session, draft_id, USED, card_id)
    return card_id, checked


__all__ = [
    "DISCARDED",
    "KEPT",
    "REPLACED",
    "USED",
    "Draft",
    "add_card",
    "discard",
    "get",
    "kept",
    "save",
]
