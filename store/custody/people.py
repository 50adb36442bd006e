"""People on record for the borrow desk: borrowers, department heads, leaders (分管检察长),
the secrecy committee office, supervisors, and external units with their level."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from store import clock
from store.custody import models
from store.errors import FieldError, InvalidInput
from store.i18n import N_, _, ngettext
from store.text import check_line
from store.vault.database import db, records
from store.vault.session import Session

SEPARATORS = re.compile(r"[、，,；;]+")
"""Between several people typed in one field: 、，or a comma (and ；, which slips in)."""
SHOWN = 5
"""How many candidates a refusal names before "…"."""

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

    def described(self) -> str:
        """The person as a list of candidates names them: name, then where they work (else
        their role) and the short code that picks them, e.g. 陈志（分管检察长，cz）."""
        where = (self.unit if self.external else self.department) or _(ROLES[self.role])
        return f"{self.name}（{where}，{self.code}）"

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


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def active(roles: tuple[str, ...] = ()) -> list[Person]:
    """The active people of the roles (all roles when none is given), by code."""
    sql = _PERSON + "status = 'active'"
    if roles:
        sql += f" AND role IN ({', '.join('?' * len(roles))})"
    return [Person.of(row) for row in records(_Row, sql + " ORDER BY code", roles)]


def _named(found: list[Person]) -> str:
    shown = "、".join(p.described() for p in found[:SHOWN])
    return shown + ("、…" if len(found) > SHOWN else "")


def _refuse(message: str, field: str) -> InvalidInput:
    return FieldError(message, field) if field else InvalidInput(message)


def find(text: str, roles: tuple[str, ...] = (), field: str = "") -> Person:
    """The active person (of `roles`, when given) whose short code is `text`, or whose name is
    `text`, or the only one whose name contains it. Otherwise refused (InvalidInput, a
    FieldError naming `field` when given) with what to type: nobody matches, or the
    candidates by name, where they work and their code (up to five)."""
    typed = _folded(text)
    if not typed:
        raise _refuse(_("give a person's name or short code"), field)
    pool = active(roles)
    one = resolved(pool, text)
    if one is not None:
        return one
    same = [p for p in pool if _folded(p.name) == typed]
    if same:
        raise _refuse(ngettext("{n} person is named {name}: {candidates}; type the short code",
                               "{n} people are named {name}: {candidates}; type the short code",
                               len(same)).format(n=len(same), name=text.strip(),
                                                 candidates=_named(same)), field)
    found = [p for p in pool if typed in _folded(p.name)]
    if found:
        raise _refuse(_("\"{text}\" matches {candidates}; type more of the name or the short "
                        "code").format(text=text.strip(), candidates=_named(found)), field)
    raise _refuse(_("no one on record matches \"{text}\" (a short code or part of a name)")
                  .format(text=text.strip()), field)


def resolved(pool: list[Person], text: str) -> Person | None:
    """The one person of `pool` that `find` takes for `text` (a short code, the only person
    of that name, else the only one whose name contains it), or None."""
    typed = _folded(text)
    if not typed:
        return None
    for person in pool:
        if person.code == typed:
            return person
    same = [p for p in pool if _folded(p.name) == typed]
    if same:
        return same[0] if len(same) == 1 else None
    found = [p for p in pool if typed in _folded(p.name)]
    return found[0] if len(found) == 1 else None


def split(text: str) -> list[str]:
    """The people typed in one field, as typed: separated by 、，or a comma, blanks left out."""
    return [part.strip() for part in SEPARATORS.split(text) if part.strip()]


def find_several(text: str, roles: tuple[str, ...] = (), field: str = "") -> list[Person]:
    """Each person typed in `text` (see `split`), found as `find` finds one; a person named
    twice is refused."""
    found: list[Person] = []
    for part in split(text):
        person = find(part, roles, field)
        if any(p.id == person.id for p in found):
            raise _refuse(_("{name} is named twice").format(name=person.name), field)
        found.append(person)
    return found


def matching(text: str, roles: tuple[str, ...] = (), limit: int = 8) -> list[Person]:
    """The candidates for what is typed so far, for a picker: the exact code or name first,
    then codes that begin with it, then names that contain it (each group by code)."""
    return ranked(active(roles), text, limit)


def ranked(pool: list[Person], text: str, limit: int = 8) -> list[Person]:
    """`matching` over people already read (a picker reads them once, then ranks as typed)."""
    typed = _folded(text)
    if not typed:
        return []
    exact = [p for p in pool if p.code == typed or _folded(p.name) == typed]
    prefix = [p for p in pool if p.code.startswith(typed) and p not in exact]
    named = [p for p in pool if typed in _folded(p.name) and p not in exact and p not in prefix]
    return (exact + prefix + named)[:limit]


def heads_of(department: str) -> list[Person]:
    """The active department heads of a department on record (by code): who signs its slips."""
    if not department:
        return []
    return [Person.of(row) for row in records(
        _Row, _PERSON + "status = 'active' AND role = 'head' AND department = ? ORDER BY code",
        (department,))]
