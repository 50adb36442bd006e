"""Holds (A7): an item, or a whole kind of item registered in a period, kept from destruction
while a case is open or an inspection pending. Placing and lifting are both recorded."""

from __future__ import annotations

from dataclasses import dataclass

from store import clock
from store.custody import items
from store.dates import parse_date
from store.destruction import models
from store.errors import FieldError, InvalidInput, NotAllowed
from store.i18n import _
from store.text import check_line
from store.vault.database import db, record, records
from store.vault.session import Session


@dataclass(frozen=True)
class Hold:
    """A hold as listed: the item's number instead of its id."""

    id: int
    reg_no: str
    """The item held, or empty for a kind and period."""
    kind: str
    first_day: str
    last_day: str
    reason: str
    placed_at: str
    placed_by: str
    """The operator's name (their login when they have none)."""
    status: str
    lifted_at: str
    lifted_by: str
    lift_reason: str


_BY = ("coalesce(nullif(p.display_name, ''), h.placed_by) AS placed_by, h.status, h.lifted_at,"
       " coalesce(nullif(l.display_name, ''), h.lifted_by) AS lifted_by, h.lift_reason")
"""Who placed and lifted a hold, by the operator's name (王统计), not the login."""
_OPERATORS = (" LEFT JOIN operator p ON p.name = h.placed_by"
              " LEFT JOIN operator l ON l.name = h.lifted_by")
_HOLD = ("SELECT h.id, coalesce(i.reg_no, '') AS reg_no, h.kind, h.first_day, h.last_day, h.reason,"
         " h.placed_at, " + _BY + " FROM hold h LEFT JOIN item i ON i.id = h.item_id" + _OPERATORS)
MATCHES = ("(h.item_id = i.id OR (h.kind = i.kind AND (h.first_day = ''"
           " OR substr(i.created_at, 1, 10) >= h.first_day) AND (h.last_day = ''"
           " OR substr(i.created_at, 1, 10) <= h.last_day)))")
"""A hold on `h` covers item `i`: the item itself, or its kind registered in the period."""


def _day(text: str, field: str) -> str:
    return parse_date(text, field).isoformat() if text.strip() else ""


def place(session: Session, reason: str, number: str = "", kind: str = "", first: str = "",
          last: str = "") -> Hold:
    """A hold on one item (its number) or on a kind registered between two days (either
    bound may be left open)."""
    reason = check_line(reason, 200, _("say why it is held (e.g. the case is still open)"),
                        "reason")
    if bool(number.strip()) == bool(kind):
        raise FieldError(_("hold one item (its number) or one kind of item, not both"),
                         "number")
    if kind and kind not in items.KINDS:
        raise FieldError(_("choose the kind from the list"), "kind")
    first_day, last_day = _day(first, "first"), _day(last, "last")
    if number.strip() and (first_day or last_day):
        raise FieldError(_("a period goes with a kind of item, not with one item"), "first")
    if first_day and last_day and last_day < first_day:
        raise FieldError(_("the period ends before it begins"), "last")
    with db.atomic():
        item = items.by_number(number) if number.strip() else None
        if number.strip() and item is None:
            raise FieldError(_("no item numbered {number}").format(
                number=items.normalise(number)), "number")
        if item is not None and item.status == "destroyed":
            raise FieldError(_("{number} is destroyed already").format(number=item.reg_no),
                             "number")
        new = int(models.Hold.insert(
            item_id=item.id if item else None, kind=kind if not item else "",
            first_day=first_day, last_day=last_day, reason=reason, placed_at=clock.stamp(),
            placed_by=session.actor.name).execute())
        if item is not None:
            items.event(session, item.id, "hold", note=reason)
        session.audit.append(session.actor.name, "hold.place", "hold", str(new),
                             new={"item": item.reg_no if item else "", "kind": kind,
                                  "first": first_day, "last": last_day}, note=reason)
    return get(new)


def lift(session: Session, hold_id: int, reason: str) -> Hold:
    reason = check_line(reason, 200, _("say why the hold is lifted"))
    with db.atomic():
        held = get(hold_id)
        if held.status != "on":
            raise NotAllowed(_("hold #{id} was lifted already").format(id=hold_id))
        models.Hold.update(status="lifted", lifted_at=clock.stamp(),
                           lifted_by=session.actor.name, lift_reason=reason).where(
            models.Hold.id == hold_id).execute()
        if held.reg_no:
            found = items.by_number(held.reg_no)
            if found is not None:
                items.event(session, found.id, "hold-lifted", note=reason)
        session.audit.append(session.actor.name, "hold.lift", "hold", str(hold_id),
                             old={"status": "on"}, new={"status": "lifted"}, note=reason)
    return get(hold_id)


def get(hold_id: int) -> Hold:
    found = record(Hold, _HOLD + " WHERE h.id = ?", (hold_id,)) if 0 < hold_id < 2**63 else None
    if found is None:
        raise InvalidInput(_("no hold #{id}").format(id=hold_id))
    return found


def listing() -> list[Hold]:
    """Holds on first, newest first."""
    return records(Hold, _HOLD + " ORDER BY h.status = 'lifted', h.id DESC")


def holding(item_id: int) -> list[Hold]:
    """The holds on now that cover an item."""
    return records(
        Hold, "SELECT h.id, coalesce(x.reg_no, '') AS reg_no, h.kind, h.first_day, h.last_day,"
        " h.reason, h.placed_at, " + _BY + " FROM item i JOIN hold h ON h.status = 'on' AND "
        + MATCHES + " LEFT JOIN item x ON x.id = h.item_id" + _OPERATORS + " WHERE i.id = ?",
        (item_id,))
