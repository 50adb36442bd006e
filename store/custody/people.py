"""People on record for the borrow desk: borrowers, department heads, leaders (分管检察长),
the secrecy committee office, supervisors, and external units with their level."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from store import clock
from store.custody import models
from store.errors import InvalidInput
from store.i18n import N_, _
from store.text import check_line
from store.vault.database import db, records
from store.vault.session import Session

ROLES = {"staff": N_("staff member"), "head": N_("department head"),
         "leader": N_("deputy chief prosecutor (分管检察长)"),
         "secrecy": N_("secrecy committee office"), "supervisor": N_("supervisor"),
         "external": N_("external unit")}
CODE = re.compile(r"^[a-z0-9]{1,16}$")


@dataclass(frozen=True)
class Person:
    """Someone on record, as the desk, the register and destruction name them."""

    id: int
    code: str
    name: str
    role: str
    department: str
    unit: str
    county_or_above: bool
    status: str

    @property
    def external(self) -> bool:
        return self.role == "external"

    def label(self) -> str:
        where = self.unit if self.external else self.department
        return f"{self.name}（{where}）" if where else self.name

    @classmethod
    def of(cls, row: models.Person | _Row) -> Person:
        """The record of a `person` row."""
        return cls(id=row.id, code=row.code, name=row.name, role=row.role,
                   department=row.department, unit=row.unit,
                   county_or_above=bool(row.county_or_above), status=row.status)


class _Row(NamedTuple):
    """A `person` row as plain SQL reads it (county_or_above still 0 or 1)."""

    id: int
    code: str
    name: str
    role: str
    department: str
    unit: str
    county_or_above: int
    status: str


_PERSON = ("SELECT id, code, name, role, department, unit, county_or_above, status FROM person"
           " WHERE ")
"""Plain SQL for the lookups the desk, the register and the checklists make at every step
(peewee would take longer building each query than SQLite takes running it)."""


def add(session: Session, code: str, name: str, role: str, department: str = "",
        unit: str = "", county_or_above: bool = False) -> Person:
    short = unicodedata.normalize("NFKC", code).strip().lower()
    if not CODE.match(short):
        raise InvalidInput(_("a short code is 1-16 letters a-z or digits, e.g. pinyin "
                             "initials such as lwj"))
    name = check_line(name, 40, _("give the person's name"))
    if role not in ROLES:
        raise InvalidInput(_("choose a role from the list"))
    unit = check_line(unit, 60, _("an external unit needs its name") if role == "external"
                      else "")
    department = check_line(department, 40)
    with db.atomic():
        if models.Person.select().where(models.Person.code == short).exists():
            raise InvalidInput(_("the short code {code} is taken").format(code=short))
        new = int(models.Person.insert(
            code=short, name=name, role=role, department=department, unit=unit,
            county_or_above=county_or_above, created_at=clock.stamp(),
            created_by=session.actor.name).execute())
        session.audit.append(session.actor.name, "person.add", "person", short,
                             new={"name": name, "role": role, "department": department,
                                  "unit": unit, "county_or_above": county_or_above})
    return get(new)


def get(person_id: int) -> Person:
    found = records(_Row, _PERSON + "id = ?", (person_id,))
    if not found:
        raise InvalidInput(_("no such person on record"))
    return Person.of(found[0])


def by_code(code: str) -> Person | None:
    short = unicodedata.normalize("NFKC", code).strip().lower()
    found = records(_Row, _PERSON + "code = ? AND status = 'active'", (short,))
    return Person.of(found[0]) if found else None


def everyone() -> list[Person]:
    return [Person.of(row) for row in
            models.Person.select().order_by(models.Person.role, models.Person.code)]
