"""People on record for the borrow desk: borrowers, department heads, leaders (分管检察长),
the secrecy committee office, supervisors, and external units with their level."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from store import clock
from store.errors import InvalidInput
from store.i18n import N_, _
from store.text import check_line
from store.vault.database import db, insert, rows
from store.vault.session import Session

ROLES = {"staff": N_("staff member"), "head": N_("department head"),
         "leader": N_("deputy chief prosecutor (分管检察长)"),
         "secrecy": N_("secrecy committee office"), "supervisor": N_("supervisor"),
         "external": N_("external unit")}
CODE = re.compile(r"^[a-z0-9]{1,16}$")
_COLUMNS = "id, code, name, role, department, unit, county_or_above, status"


@dataclass(frozen=True)
class Person:
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


def _person(row: tuple[object, ...]) -> Person:
    id_, code, name, role, department, unit, county, status = row
    return Person(int(id_), str(code), str(name), str(role), str(department),  # type: ignore[call-overload]
                  str(unit), bool(county), str(status))


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
        if rows("SELECT 1 FROM person WHERE code = ?", (short,)):
            raise InvalidInput(_("the short code {code} is taken").format(code=short))
        new = insert("INSERT INTO person (code, name, role, department, unit, county_or_above,"
                     " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (short, name, role, department, unit, int(county_or_above),
                      clock.stamp(), session.actor.name))
        session.audit.append(session.actor.name, "person.add", "person", short,
                             new={"name": name, "role": role, "department": department,
                                  "unit": unit, "county_or_above": county_or_above})
    return get(new)


def get(person_id: int) -> Person:
    found = rows(f"SELECT {_COLUMNS} FROM person WHERE id = ?", (person_id,))
    if not found:
        raise InvalidInput(_("no such person on record"))
    return _person(found[0])


def by_code(code: str) -> Person | None:
    short = unicodedata.normalize("NFKC", code).strip().lower()
    found = rows(f"SELECT {_COLUMNS} FROM person WHERE code = ? AND status = 'active'",
                 (short,))
    return _person(found[0]) if found else None


def everyone() -> list[Person]:
    return [_person(r) for r in rows(f"SELECT {_COLUMNS} FROM person ORDER BY role, code")]
