"""Public holidays and make-up working days (调休), by year; deadlines are computed from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from peewee import TextField

from store import clock
from store.dates import parse_date
from store.errors import InvalidInput
from store.i18n import _
from store.vault.database import BaseModel, db
from store.vault.session import Session

KINDS = ("holiday", "workday")


class Holiday(BaseModel):
    """A public holiday, or a make-up working day (调休) on a weekend, as the State Council
    announces them; an administrator keeps the list (seeded with 2026's). A day taken off
    the list is deleted here and kept in the audit log."""

    day = TextField(primary_key=True)  # yyyy-mm-dd
    kind = TextField()  # holiday or workday (KINDS)
    name = TextField()  # the holiday it belongs to, e.g. 国庆节
    updated_at = TextField()
    updated_by = TextField()  # operator name; 'seed' for the days migration 2 listed

    class Meta:
        table_name = "holiday"


@dataclass(frozen=True)
class HolidayDay:
    day: date
    kind: str
    name: str


def list_year(year: int) -> list[HolidayDay]:
    """Every holiday and make-up working day of a year, by date."""
    rows = (Holiday.select()
            .where((Holiday.day >= f"{year}-01-01") & (Holiday.day <= f"{year}-12-31"))
            .order_by(Holiday.day))
    return [HolidayDay(date.fromisoformat(r.day), r.kind, r.name) for r in rows]


def _check(day_text: str, kind: str, name: str) -> tuple[date, str]:
    day = parse_date(day_text)
    if kind not in KINDS:
        raise InvalidInput(_("choose holiday or make-up working day"))
    name = name.strip()
    if not name:
        raise InvalidInput(_("name the holiday, e.g. 国庆节"))
    if len(name) > 40:
        raise InvalidInput(_("too long: at most 40 characters"))
    if kind == "workday" and day.weekday() < 5:
        raise InvalidInput(_("{day} is a weekday, and so already a working day; a make-up working "
                             "day is a Saturday or Sunday").format(day=day.isoformat()))
    return day, name


def set_day(session: Session, day_text: str, kind: str, name: str,
            replacing: str | None = None) -> HolidayDay:
    """Add or change one day (administrators); `replacing` is the date being edited."""
    session.require_admin()
    day, name = _check(day_text, kind, name)
    key = day.isoformat()
    with db.atomic():
        existing = Holiday.get_or_none(Holiday.day == key)
        if existing is not None and key != replacing:
            if existing.kind == "holiday" and kind == "workday":
                raise InvalidInput(_("{day} is a holiday ({name}); it cannot also be a make-up "
                                     "working day").format(day=key, name=existing.name))
            raise InvalidInput(_("{day} is already listed ({name})").format(
                day=key, name=existing.name))
        old = None
        if replacing is not None:
            previous = Holiday.get_or_none(Holiday.day == replacing)
            if previous is not None:
                old = {"day": previous.day, "kind": previous.kind, "name": previous.name}
                previous.delete_instance()
        Holiday.insert(day=key, kind=kind, name=name, updated_at=clock.stamp(),
                       updated_by=session.actor.name).execute()
        session.audit.append(session.actor.name, "holiday.set", "holiday", key, old=old,
                             new={"day": key, "kind": kind, "name": name})
    return HolidayDay(day, kind, name)


def remove_day(session: Session, day_text: str) -> None:
    """Take a day off the list (the audit log keeps what it was)."""
    session.require_admin()
    key = parse_date(day_text).isoformat()
    with db.atomic():
        row = Holiday.get_or_none(Holiday.day == key)
        if row is None:
            raise InvalidInput(_("{day} is not on the list").format(day=key))
        old = {"day": row.day, "kind": row.kind, "name": row.name}
        row.delete_instance()
        session.audit.append(session.actor.name, "holiday.remove", "holiday", key, old=old)


def is_working_day(day: date, listed: dict[date, str]) -> bool:
    """A weekday that is not a holiday, or a make-up working day."""
    kind = listed.get(day)
    if kind == "workday":
        return True
    return kind != "holiday" and day.weekday() < 5


def listed_between(first: date, last: date) -> dict[date, str]:
    rows = Holiday.select().where((Holiday.day >= first.isoformat())
                                  & (Holiday.day <= last.isoformat()))
    return {date.fromisoformat(r.day): r.kind for r in rows}
