"""Editing the code tables (administrators): add, rename, retire, bring back.

Entries are never deleted: cards keep the codes they were entered with, so an
entry no longer wanted is retired (new cards cannot use it; R20 says so) and
can be brought back. An entry's code, and an outcome's business type, are fixed
once added: to move an outcome, retire it and add a new one.
"""

from __future__ import annotations

import re
import unicodedata

from peewee import fn

from store.cards import models
from store.cards.codes import KINDS, Code, all_codes, get
from store.errors import InvalidInput, NotAllowed
from store.i18n import N_, _
from store.text import unprintable
from store.vault.database import db
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
