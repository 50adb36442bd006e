"""The rules of destruction, checked without writing (A7, D7, D9): whether an item may be
destroyed in a batch now, and whether an approval and its arrangements are complete."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from store import clock
from store.custody import items, people
from store.custody.people import Person
from store.dates import parse_date
from store.destruction import holds
from store.errors import FieldError, InvalidInput, RuleRefused
from store.i18n import _, language
from store.text import check_line
from store.vault.database import scalar

if TYPE_CHECKING:
    from store.destruction.batches import Arrangements, Line


COPY_OUT = "D7/B5"
"""The rules a copy not yet recovered is refused by: copies are recovered after use (D7),
copying is only as approved (B5)."""


def why_not(item: items.Item, batch_id: int) -> list[str]:
    """Every reason the item cannot be destroyed in this batch now, each starting with its
    rule; empty when it may. A recovered copy may go alone (D6, D7: copies are registered like
    originals, recovered after use and their waste destroyed promptly)."""
    said: list[str] = []
    if item.status == "destroyed":
        said.append("A7: " + _("{number} is destroyed already").format(number=item.reg_no))
        return said
    if item.status == "copy":  # D7/B5: a copy is recovered after use, then destroyed
        said.append(COPY_OUT + ": " + _("{number} is a copy not yet recovered: take it back "
                                        "at the desk first, then it may be destroyed on its "
                                        "own").format(number=item.reg_no))
    else:
        if item.status != "in":
            said.append("A7: " + _("{number} is {status}: only an item in the office's custody "
                                   "is destroyed").format(number=item.reg_no,
                                                         status=_(items.STATUSES[item.status])))
        # Plain SQL: this runs for every item of a batch each time its list is checked.
        if scalar("SELECT 1 FROM loan WHERE item_id = ? AND status = 'open'", (item.id,)):
            said.append("B3: " + _("{number} has a loan still open").format(
                number=item.reg_no))
    if scalar("SELECT 1 FROM distribution WHERE item_id = ? AND status = 'open'", (item.id,)):
        said.append("D5: " + _("{number} is distributed").format(number=item.reg_no))
    out = scalar("SELECT reg_no FROM item WHERE original_id = ? AND status NOT IN"
                 " ('in', 'destroyed') ORDER BY id LIMIT 1", (item.id,))
    if out is not None:
        said.append("D7: " + _("its copy {copy} is not recovered").format(copy=out))
    for held in holds.holding(item.id):
        said.append("A7: " + _("held: {reason} (hold #{id}, {by})").format(
            reason=held.reason, id=held.id, by=held.placed_by))
    other = scalar("SELECT b.number FROM batch_item x JOIN destruction_batch b ON"
                   " b.id = x.batch_id WHERE x.item_id = ? AND x.open = 1 AND x.batch_id != ?",
                   (item.id, batch_id))
    if other is not None:
        said.append("A7: " + _("already in batch {number}").format(number=other))
    return said


INSIDE = tuple(role for role in people.ROLES if role != "external")
"""Who may handle or supervise a destruction: anyone on record but an external unit (D9)."""


def _one(text: str, field: str, roles: tuple[str, ...]) -> Person:
    """The person typed (a short code, a name or part of one), looked for among `roles`
    first; someone of another role is found too, for the rule to name them."""
    try:
        return people.find(text, roles, field)
    except InvalidInput:
        if people.matching(text, roles):  # candidates among them: the refusal names them
            raise
    return people.find(text, (), field)


def _person(text: str, field: str, what: str, roles: tuple[str, ...] = INSIDE) -> Person:
    if not text.strip():
        raise FieldError(what, field)
    found = _one(text, field, roles)
    if found.external:
        raise RuleRefused("D9", _("{name} is an external unit: destruction is organised and "
                                  "supervised by this procuratorate").format(name=found.name),
                          field)
    return found


def _several(text: str, field: str) -> list[Person]:
    """The people typed in one field: separated by 、，or a comma (short codes by spaces as
    well); someone named twice counts once."""
    found: list[Person] = []
    for part in people.split(text):
        try:
            named = [_person(part, field, "")]
        except InvalidInput:
            if len(part.split()) < 2:
                raise
            named = [_person(code, field, "") for code in part.split()]
        found.extend(p for p in named if p.id not in {q.id for q in found})
    return found


@dataclass(frozen=True)
class Arranged:
    """An approval and its arrangements, checked: the people found, the days parsed."""

    approver: Person
    approved: date
    reference: str
    place: str
    planned: date
    handler: Person
    watchers: list[Person]


def arranged(given: Arrangements, media: bool, paper: bool,
             methods: Collection[str]) -> Arranged:
    """The approval and arrangements checked whole (A7, D9), or the first refusal."""
    approver = _person(given.approver, "approver", _("give the approving leader's name or "
                                                     "short code"), ("leader",))
    if approver.role != "leader":
        raise RuleRefused("A7", _("{name} is not a leader: a leader approves destruction")
                          .format(name=approver.name), "approver")
    approved = parse_date(given.approved_on, "approved_on")
    if approved > clock.today():
        raise FieldError(_("the approval cannot be dated in the future"), "approved_on")
    reference = check_line(given.reference, 40)
    if not reference:
        raise FieldError(_("give the approval's reference (e.g. the signed request's "
                           "number)"), "reference")
    place = check_line(given.place, 60)
    if not place:
        raise RuleRefused("A7", _("name the designated place of destruction"), "place")
    if given.method not in methods:
        raise FieldError(_("choose the method from the list"), "method")
    if media and "media" not in given.method:
        raise RuleRefused("D9", _("the batch holds disks or USB drives: they are degaussed and "
                                  "physically destroyed"), "method")
    if paper and given.method == "media":
        raise RuleRefused("D9", _("the batch holds paper: choose shredding or incineration "
                                  "as well"), "method")
    planned = parse_date(given.planned_on, "planned_on")
    if planned < approved:
        raise FieldError(_("destruction is planned after its approval"), "planned_on")
    handler = _person(given.handler, "handler", _("give the name or short code of who "
                                                  "carries it out"))
    if handler.id == approver.id:
        raise RuleRefused("D9", _("{name} approves the destruction and so does not also "
                                  "handle it").format(name=handler.name), "handler")
    watchers = _several(given.supervisors, "supervisors")
    for person in watchers:
        if person.id == approver.id:
            raise RuleRefused("D9", _("{name} approves the destruction and so does not also "
                                      "supervise it").format(name=person.name), "supervisors")
        if person.id == handler.id:
            raise RuleRefused("D9", _("{name} handles the destruction and so does not also "
                                      "supervise it").format(name=person.name), "supervisors")
    if len(watchers) < 2:
        raise RuleRefused("D9", _("name two or more supervisors (监销人)"), "supervisors")
    return Arranged(approver, approved, reference, place, planned, handler, watchers)


def medium(line: Line) -> str:
    """The kind that decides the method: a copy is of its original's kind."""
    if line.kind == "copy" and line.original_id is not None:
        return items.get(line.original_id).kind
    return line.kind


def still_eligible(batch_id: int, listed: list[Line], kept: frozenset[str] = frozenset()
                   ) -> None:
    """Every listed item (but those kept back) may still be destroyed, or the refusal names
    each one that may not, with its own rule."""
    refused = [(line.reg_no, why_not(items.get(line.item_id), batch_id)) for line in listed
               if line.reg_no not in kept]
    refused = [(number, why) for number, why in refused if why]
    if refused:  # "A7: 统-…0001 is lent out; D7: 统-…0002 …. What to do"
        said = [why[0] for _number, why in refused]
        rule, first = said[0].split(": ", 1)
        raise RuleRefused(rule, _("{reasons}. No longer to be destroyed: take it off the "
                                  "list, or record it not destroyed, with why").format(
            reasons=joined([first, *said[1:]])))


def joined(reasons: list[str]) -> str:
    """Several reasons in one refusal: "a; b" (in Chinese "a；b")."""
    return ("；" if language() == "zh" else "; ").join(reasons)
