"""Zero returns (零报): a department says it has no cases in a statistical month.

Its cards of the month then count as handed in (C4: the 25th's deadline clears for it). A
zero return is refused while the department has cards in that month (received, concluded
or with an event there, in any state but void); a card entered for it later is not
refused, but the zero return is then contradicted, and the dashboard says so. Nothing is
deleted: a zero return stays as it was said, with its audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from store import clock
from store.dates import parse_date
from store.errors import FieldError, NotAllowed
from store.i18n import _, ngettext
from store.report.models import ZeroReturn as ZeroRow
from store.text import check_line
from store.vault.database import db, records
from store.vault.session import Session


@dataclass(frozen=True)
class ZeroReturn:
    """A department's word that it has no cases in the month, and what the store holds now."""

    id: int
    month: str
    department: str
    confirmed_by: str
    """The department's person who said so (a name, as typed)."""
    confirmed_on: str
    """The day they said so (ISO date)."""
    recorded_by: str
    recorded_at: str
    cards: int = 0
    """The department's cards in the month now: entered after the zero return, so more than
    none contradicts it."""

    @property
    def contradicted(self) -> bool:
        return self.cards > 0


class _Count(NamedTuple):
    department: str
    cards: int


_CARDS_SQL = """
    SELECT department, count(DISTINCT id) AS cards FROM (
        SELECT id, department FROM card WHERE month = ?1 AND status != 'void'
        UNION ALL
        SELECT id, department FROM card WHERE concluded_month = ?1 AND status != 'void'
        UNION ALL
        SELECT card.id, card.department FROM card_event
            JOIN card ON card.id = card_event.card_id
            WHERE card_event.month = ?1 AND card_event.status = 'active'
              AND card.status != 'void')
    GROUP BY department"""


def cards_by_department(month: str) -> dict[str, int]:
    """Each department's cards in the month, in any state but void: received (its `month`),
    concluded (its `concluded_month`) or with an active event counted there."""
    return {row.department: row.cards for row in records(_Count, _CARDS_SQL, (month,))}


class _Row(NamedTuple):
    id: int
    month: str
    department: str
    confirmed_by: str
    confirmed_on: str
    recorded_by: str
    recorded_at: str


def zero_returns(month: str) -> list[ZeroReturn]:
    """The month's zero returns, by department, each with the department's cards now."""
    found = records(_Row, "SELECT id, month, department, confirmed_by, confirmed_on,"
                          " recorded_by, recorded_at FROM zero_return WHERE month = ?"
                          " ORDER BY department", (month,))
    if not found:
        return []
    cards = cards_by_department(month)
    return [ZeroReturn(*row, cards=cards.get(row.department, 0)) for row in found]


def confirm_zero(session: Session, month: str, department: str, confirmed_by: str,
                 confirmed_on: str) -> ZeroReturn:
    """Record that a department has no cases in the month (零报), said by `confirmed_by` on
    `confirmed_on`: in one transaction with its audit entry. Refused (naming the field) for
    a month already reported, a department not in use, a zero return already made, or a
    department that has cards in the month (how many is said)."""
    from store.cards import codes, months

    month = months.check_month(month)
    if month in months.locked():
        raise NotAllowed(_("{month} is already reported: a zero return is made before the "
                           "report goes up").format(month=month))
    department = department.strip().upper()
    found = codes.get("department", department)
    if found is None or found.status != "active":
        raise FieldError(_("{department} is not a department in use").format(
            department=department or "-"), "department")
    who = check_line(confirmed_by, 40, _("name the department's person who says it has no "
                                         "cases"), "confirmed_by")
    day = parse_date(confirmed_on, "confirmed_on")
    if day > clock.today():
        raise FieldError(_("that day is in the future"), "confirmed_on")
    if day.isoformat()[:7] < month:
        raise FieldError(_("a department says it had no cases in {month} in {month} or later")
                         .format(month=month), "confirmed_on")
    with db.atomic():
        earlier = ZeroRow.get_or_none((ZeroRow.month == month)
                                      & (ZeroRow.department == department))
        if earlier is not None:
            raise FieldError(_("{department} already said it has no cases in {month} "
                               "({name}, {day})").format(
                department=department, month=month, name=earlier.confirmed_by,
                day=earlier.confirmed_on), "department")
        cards = cards_by_department(month).get(department, 0)
        if cards:
            raise FieldError(ngettext(
                "{department} has {n} card in {month} (entered or counted): a zero return "
                "is for a department with none",
                "{department} has {n} cards in {month} (entered or counted): a zero return "
                "is for a department with none", cards).format(
                department=department, n=cards, month=month), "department")
        stamp = clock.stamp()
        new_id = ZeroRow.insert(month=month, department=department, confirmed_by=who,
                                confirmed_on=day.isoformat(), recorded_by=session.actor.name,
                                recorded_at=stamp).execute()
        session.audit.append(session.actor.name, "report.zero", "report",
                             f"{month}:{department}",
                             new={"confirmed_by": who, "confirmed_on": day.isoformat()})
    return ZeroReturn(int(new_id), month, department, who, day.isoformat(),
                      session.actor.name, stamp)
