"""Incidents (D12): an item returned damaged, altered, marked or soiled, or reported missing.
Each stays on record; the secrecy officer's follow-up closes it with what was done."""

from __future__ import annotations

from dataclasses import dataclass

from store import clock, operators
from store.custody import items, models
from store.errors import InvalidInput, NotAllowed
from store.i18n import N_, _
from store.text import check_line
from store.vault.database import db, records
from store.vault.session import Session

KINDS = {"damaged": N_("damaged"), "altered": N_("altered"), "marked": N_("marked"),
         "soiled": N_("soiled"), "missing": N_("missing"),
         "seal": N_("seal broken on receipt")}


@dataclass(frozen=True)
class Incident:
    """An incident as listed: the item's number and title beside what happened."""

    id: int
    reg_no: str
    title: str
    kind: str
    note: str
    opened_at: str
    opened_by: str
    status: str
    action: str
    closed_at: str


def listing(open_only: bool = False) -> list[Incident]:
    """Incidents, open ones first, newest first within each."""
    where = " WHERE n.status = 'open'" if open_only else ""
    return records(
        Incident, "SELECT n.id, i.reg_no, i.title, n.kind, n.note, n.opened_at,"
        + operators.shown_as("n.opened_by") + " AS opened_by,"
        " n.status, n.action, n.closed_at FROM incident n JOIN item i ON i.id = n.item_id" +
        where + " ORDER BY n.status = 'closed', n.id DESC")


def close(session: Session, incident_id: int, action: str) -> None:
    """Closed with what was done (kept, with the item's chain of custody and the log)."""
    action = check_line(action, 200, _("say what was done about it"))
    with db.atomic():
        found = models.Incident.get_or_none(models.Incident.id == incident_id)
        if found is None:
            raise InvalidInput(_("no incident #{id}").format(id=incident_id))
        if found.status == "closed":
            raise NotAllowed(_("incident #{id} is already closed").format(id=incident_id))
        models.Incident.update(status="closed", action=action, closed_at=clock.stamp(),
                               closed_by=session.actor.name).where(
            models.Incident.id == incident_id).execute()
        items.event(session, found.item_id, "incident-closed", note=action)
        session.audit.append(session.actor.name, "incident.close", "incident",
                             str(incident_id), old={"status": "open"},
                             new={"status": "closed"}, note=action)


def found_again(session: Session, number: str, note: str) -> items.Item:
    """An item reported missing has turned up: back in custody; both events stay in its
    chain of custody (the incident is closed separately, with what was done)."""
    note = check_line(note, 200, _("say where it was found"))
    with db.atomic():
        item = items.by_number(number)
        if item is None:
            raise InvalidInput(_("no item numbered {number}").format(
                number=items.normalise(number)))
        if item.status != "missing":
            raise NotAllowed(_("{number} is not reported missing").format(number=item.reg_no))
        models.Item.update(status="in").where(models.Item.id == item.id).execute()
        items.event(session, item.id, "found", note=note)
        session.audit.append(session.actor.name, "item.found", "item", item.reg_no,
                             old={"status": "missing"}, new={"status": "in"}, note=note)
    return items.get(item.id)
