"""Editing the code tables (administrators): add, rename, retire, bring back; and the
2026 tables, offered to a store that has the first ones and adopted in one step.

Entries are never deleted: cards keep the codes they were entered with, so an
entry no longer wanted is retired (new cards cannot use it; R20 says so) and
can be brought back. An entry's code, and an outcome's business type, are fixed
once added: to move an outcome, retire it and add a new one. (Adopting the 2026
tables is the one exception, for 移送起诉 and 撤销案件: see seed_codes.CODES_2026.)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from peewee import fn

from store import clock
from store.cards import models
from store.cards.codes import KINDS, Code, all_codes, get
from store.cards.seed_codes import CODES_2026, Entry, retired_in_2026
from store.errors import InvalidInput, NotAllowed
from store.i18n import N_, _, language
from store.text import unprintable
from store.vault import meta
from store.vault.database import db, rows
from store.vault.session import Session

CODE = re.compile(r"^[A-Z0-9]{1,12}$")
SHORT = re.compile(r"^[a-z0-9]{1,12}$")
LIMITS = {"name_zh": 40, "name_en": 80}
STATUSES = {"active": N_("active"), "retired": N_("retired")}


def entries(kind: str) -> list[Code]:
    """Every entry of a table, retired ones too, in the table's order."""
    return all_codes(_kind(kind), include_retired=True)


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput(_("no code table \"{kind}\"").format(kind=kind))
    return kind


def check_code(text: str) -> str:
    code = unicodedata.normalize("NFKC", text).strip().upper()
    if not CODE.match(code):
        raise InvalidInput(_("a code is 1-12 letters A-Z or digits, e.g. D07"))
    return code


def check_name(text: str, field: str) -> str:
    name = text.strip()  # as typed: Chinese names keep their full-width punctuation
    if not name:
        raise InvalidInput(_("required"))
    if unprintable(name):
        raise InvalidInput(_("control characters are not allowed"))
    if len(name) > LIMITS[field]:
        raise InvalidInput(_("too long: at most {n} characters").format(n=LIMITS[field]))
    return name


def check_short(text: str) -> str:
    short = unicodedata.normalize("NFKC", text).strip().lower()
    if not SHORT.match(short):
        raise InvalidInput(_("a short code is 1-12 letters a-z or digits, e.g. pinyin "
                             "initials such as dyjcb"))
    return short


def check_parent(kind: str, parent: str) -> str:
    """An outcome belongs to an active business type; no other entry has a parent."""
    if kind != "outcome":
        return ""
    found = get("business_type", parent.strip())
    if found is None or found.status != "active":
        raise InvalidInput(_("choose the business type this outcome belongs to"))
    return found.code


def _values(entry: Code) -> dict[str, str]:
    return {"name_zh": entry.name_zh, "name_en": entry.name_en, "short": entry.short,
            "parent": entry.parent, "status": entry.status}


def add(session: Session, kind: str, code: str, name_zh: str, name_en: str, short: str,
        parent: str = "") -> Code:
    """A new entry at the end of its table."""
    session.require_admin()
    kind, code = _kind(kind), check_code(code)
    values = {"name_zh": check_name(name_zh, "name_zh"), "name_en": check_name(name_en, "name_en"),
              "short": check_short(short), "parent": check_parent(kind, parent)}
    with db.atomic():
        existing = get(kind, code)
        if existing is not None:
            raise InvalidInput(_("{code} is already in this table ({name}, {status})").format(
                code=code, name=existing.name, status=_(STATUSES[existing.status])))
        last = (models.Code.select(fn.coalesce(fn.max(models.Code.sort), 0))
                .where(models.Code.kind == kind).scalar())
        models.Code.insert(kind=kind, code=code, sort=last + 1, **values).execute()
        session.audit.append(session.actor.name, "code.add", "code", f"{kind}:{code}",
                             new=values)
    added = get(kind, code)
    assert added is not None
    return added


def change(session: Session, kind: str, code: str, name_zh: str, name_en: str,
           short: str) -> Code:
    """Rename an entry or change its short code (the code itself stays)."""
    session.require_admin()
    entry = _existing(kind, code)
    new = {"name_zh": check_name(name_zh, "name_zh"), "name_en": check_name(name_en, "name_en"),
           "short": check_short(short)}
    old = _values(entry)
    changed = {k: v for k, v in new.items() if old[k] != v}
    if changed:
        with db.atomic():
            models.Code.update(**changed).where(models.Code.kind == kind,
                                                models.Code.code == entry.code).execute()
            session.audit.append(session.actor.name, "code.change", "code",
                                 f"{kind}:{entry.code}", old={k: old[k] for k in changed},
                                 new=changed)
    return _existing(kind, code)


def set_retired(session: Session, kind: str, code: str, retired: bool) -> Code:
    """Retire an entry (new cards cannot use it) or bring it back into use."""
    session.require_admin()
    entry = _existing(kind, code)
    status = "retired" if retired else "active"
    if entry.status == status:
        raise NotAllowed(_("{code} is already {status}").format(code=entry.code,
                                                                 status=_(STATUSES[status])))
    if not retired and kind == "outcome":
        check_parent(kind, entry.parent)  # its business type must be in use again first
    with db.atomic():
        models.Code.update(status=status).where(models.Code.kind == kind,
                                                models.Code.code == entry.code).execute()
        session.audit.append(session.actor.name, "code.retire" if retired else
                             "code.reactivate", "code", f"{kind}:{entry.code}",
                             old={"status": entry.status}, new={"status": status})
    return _existing(kind, code)


def _existing(kind: str, code: str) -> Code:
    found = get(_kind(kind), code.strip().upper())
    if found is None:
        raise InvalidInput(_("{code} is not in this table").format(code=code))
    return found


ADOPTED_KEY = "code_tables_2026"
"""The `meta` key holding when the 2026 code tables were adopted (absent: not yet)."""

CHANGES = {"add": N_("added"), "back": N_("back in use"), "rename": N_("renamed"),
           "move": N_("moved to another business type"), "retire": N_("retired")}
"""What adopting the 2026 tables does to an entry, in the order they are listed."""


@dataclass(frozen=True)
class Offer:
    """One entry that adopting the 2026 tables adds, brings back, renames, moves or retires.
    `new` holds the values it will have (every value for an added entry), `old` the values
    it had of those that change."""

    change: str
    kind: str
    code: str
    name_zh: str
    name_en: str
    old: dict[str, str | int]
    new: dict[str, str | int]

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.code}"

    @property
    def name(self) -> str:
        return self.name_en if language() == "en" else self.name_zh

    def describe(self) -> str:
        """One line: what happens to which entry (a rename says the name it had)."""
        if self.change == "rename":
            names = "; ".join(f"{self.old[f]} -> {self.new[f]}" for f in ("name_zh", "name_en")
                              if f in self.old)
            return _("{change}: {code} {names}").format(
                change=_(CHANGES[self.change]), code=self.code, names=names or self.name)
        if self.change == "move":
            return _("{change}: {code} {name} ({old} -> {new})").format(
                change=_(CHANGES[self.change]), code=self.code, name=self.name,
                old=self.old.get("parent", ""), new=self.new.get("parent", ""))
        return _("{change}: {code} {name}").format(change=_(CHANGES[self.change]),
                                                    code=self.code, name=self.name)


def adopted() -> str | None:
    """When the 2026 code tables were adopted (a stamp), or None."""
    return meta.get(ADOPTED_KEY)


def offered() -> list[Offer]:
    """What adopting the 2026 tables would change, table by table ([] once adopted). Entries
    the office added itself stay as they are, unless they are outcomes of a business type
    that is retired."""
    if adopted() is not None:
        return []
    return [offer for offer in _changes() if offer.change != ""]


def _changes() -> list[Offer]:
    """Every change of adopting, including entries only put in the 2026 order (change '')."""
    found: list[Offer] = []
    retiring = retired_in_2026()
    for kind in KINDS:
        current = {c.code: c for c in all_codes(kind, include_retired=True)}
        sorts = {str(code): int(sort) for code, sort in
                 rows("SELECT code, sort FROM code WHERE kind = ?", (kind,))}
        wanted = {e.code for e in CODES_2026[kind]}
        for sort, entry in enumerate(CODES_2026[kind]):
            found.append(_offer(kind, entry, sort, current.get(entry.code),
                                sorts.get(entry.code)))
        types = {e.code for e in CODES_2026["business_type"]}
        for code, existing in current.items():
            gone = code in retiring[kind] or (kind == "outcome" and code not in wanted
                                              and existing.parent not in types
                                              and existing.parent in retiring["business_type"])
            if existing.status == "active" and code not in wanted and gone:
                found.append(Offer("retire", kind, code, existing.name_zh, existing.name_en,
                                   {"status": "active"}, {"status": "retired"}))
    order = list(CHANGES)
    return sorted(found, key=lambda o: order.index(o.change) if o.change in order else 99)


def _offer(kind: str, entry: Entry, sort: int, existing: Code | None,
           old_sort: int | None) -> Offer:
    values: dict[str, str | int] = {"name_zh": entry.name_zh, "name_en": entry.name_en,
                                    "short": entry.short, "parent": entry.parent}
    if existing is None:
        return Offer("add", kind, entry.code, entry.name_zh, entry.name_en, {},
                     {**values, "sort": sort, "status": "active"})
    before: dict[str, str | int] = {"name_zh": existing.name_zh, "name_en": existing.name_en,
                                    "short": existing.short, "parent": existing.parent,
                                    "status": existing.status, "sort": old_sort or 0}
    after = {**values, "status": "active", "sort": sort}
    changed = [k for k in after if before[k] != after[k]]
    change = ("back" if "status" in changed else "move" if "parent" in changed
              else "rename" if {"name_zh", "name_en", "short"} & set(changed) else "")
    return Offer(change, kind, entry.code, entry.name_zh, entry.name_en,
                 {k: before[k] for k in changed}, {k: after[k] for k in changed})


def adopt_2026(session: Session) -> int:
    """Adopt the 2026 code tables (administrators): add what is missing, bring back, rename
    and move the same codes, put them in the 2026 order, retire what the 2026 tables no
    longer have. One transaction, one audit entry naming every change; cards keep their codes.
    Returns how many entries changed (not counting the order)."""
    session.require_admin()
    with db.atomic():
        when = adopted()
        if when is not None:
            raise NotAllowed(_("the 2026 code tables are in use already (adopted {when})")
                             .format(when=when[:10]))
        changes = _changes()
        for offer in changes:
            if offer.change == "add":
                models.Code.insert(kind=offer.kind, code=offer.code, **offer.new).execute()
            elif offer.new:
                models.Code.update(**offer.new).where(models.Code.kind == offer.kind,
                                                      models.Code.code == offer.code).execute()
        shown = [o for o in changes if o.change]
        listed: dict[str, list[str]] = {CHANGE_KEYS[c]: [] for c in CHANGES}
        for offer in shown:
            listed[CHANGE_KEYS[offer.change]].append(offer.key)
        meta.put(ADOPTED_KEY, clock.stamp())
        session.audit.append(
            session.actor.name, "code.adopt", "code", "2026",
            old={o.key: o.old for o in shown if o.old},
            new={**{k: v for k, v in listed.items() if v},
                 "values": {o.key: o.new for o in shown if o.change != "retire"},
                 "reordered": sum(1 for o in changes if not o.change)})
    return len(shown)


CHANGE_KEYS = {"add": "added", "back": "back_in_use", "rename": "renamed", "move": "moved",
               "retire": "retired"}
"""How the audit entry of an adoption lists each kind of change."""
