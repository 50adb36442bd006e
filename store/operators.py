"""Operators (A6): statistics staff only, `admin` or `clerk`; each with a keyslot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from peewee import AutoField, IntegerField, TextField, fn

from store import clock, migrations
from store.audit import log as audit
from store.errors import InvalidInput, NotAllowed, OperatorDisabled, UnknownOperator
from store.i18n import N_, _
from store.keys import rotation_due, seals, seen
from store.vault import keyslots, policy
from store.vault.database import BaseModel, db, execute, record, records
from store.vault.session import RECOVERY_ACTOR, Actor, Session

ROLES = ("admin", "clerk")


class Operator(BaseModel):
    """An operator (A6): one of the statistics staff, who logs in with a keyslot of their own.
    Records are never deleted: a disabled operator keeps theirs, and a name is never reused.

    `seal`, `slot_sha256` and `must_change` came with migration 17: what runs before an older
    store is upgraded names the columns it reads."""

    id = AutoField()
    name = TextField(unique=True)  # the login name (policy.check_name)
    display_name = TextField()  # the full name, as shown and printed
    role = TextField()  # admin or clerk (ROLES); an admin's record must also carry its seal
    status = TextField()  # active or disabled
    created_at = TextField()
    created_by = TextField()
    disabled_at = TextField(null=True)
    disabled_by = TextField(null=True)
    disabled_reason = TextField(null=True)
    last_login_at = TextField(null=True)
    # HMAC (hex) over name, role and status under the administrators' key (store.keys.seals);
    # '' while the record is not sealed
    seal = TextField(default="")
    # checksum of the keyslot file this record puts in force (keyslots.reconcile)
    slot_sha256 = TextField(default="")
    must_change = IntegerField(default=0)  # 1: a one-time password, changed at the next login

    class Meta:
        table_name = "operator"


@dataclass(frozen=True)
class OperatorInfo:
    name: str
    display_name: str
    role: str
    status: str
    created_at: str
    last_login_at: str | None
    disabled_at: str | None


def _info(row: Operator) -> OperatorInfo:
    return OperatorInfo(row.name, row.display_name, row.role, row.status, row.created_at,
                        row.last_login_at, row.disabled_at)


def _get(name: str) -> Operator:
    row = Operator.get_or_none(Operator.name == name)
    if row is None:
        raise UnknownOperator(_("no operator named \"{name}\"").format(name=name))
    return row


def list_operators() -> list[OperatorInfo]:
    """Every operator, active first, then by name."""
    rows = Operator.select().order_by(Operator.status, Operator.name)
    return [_info(row) for row in rows]


class _Named(NamedTuple):
    name: str
    display_name: str


def display_names() -> dict[str, str]:
    """Every operator's full name by login (disabled ones too: their entries stay), read once
    per call: where a person is meant, screens and paper show the name (王统计), not the
    login. The recovery code and a login not found are not in it: see `display_name`."""
    return {str(row.name): str(row.display_name or row.name) for row in records(
        _Named, "SELECT name, display_name FROM operator")}


def shown_as(column: str) -> str:
    """SQL for the name an operator's login in `column` is shown by (the login itself when
    no operator has it), for queries that list who did something."""
    return (f"coalesce((SELECT nullif(o.display_name, '') FROM operator o"
            f" WHERE o.name = {column}), {column})")


def display_name(login: str, names: dict[str, str] | None = None) -> str:
    """The operator's full name, or `login` itself when no operator has it (the recovery
    code, an old entry's name); `names`: `display_names()` when the caller has it already."""
    found = display_names() if names is None else names
    return found.get(login, login)


class _LoginRecord(NamedTuple):
    name: str
    role: str
    display_name: str
    status: str


def actor_for_login(name: str) -> Actor:
    """The session's actor: an active operator's name, role and display name.

    Plain SQL on columns of the first schema: this runs at every unlock, and before an older
    store is upgraded, when the table may lack columns the model has.
    """
    found = record(_LoginRecord, "SELECT name, role, display_name, status FROM operator"
                   " WHERE name = ?", (name,))
    if found is None:
        raise UnknownOperator(_("no operator named \"{name}\"").format(name=name))
    if found.status != "active":
        raise OperatorDisabled(_("operator \"{name}\" is disabled").format(name=name))
    return Actor(str(found.name), str(found.role), str(found.display_name))


def must_change(name: str) -> bool:
    """Whether the operator's password is a one-time password to be changed now."""
    row = Operator.get_or_none(Operator.name == name)
    return bool(row is not None and row.must_change)


def touch_login(name: str) -> None:
    if name != RECOVERY_ACTOR:
        Operator.update(last_login_at=clock.stamp()).where(Operator.name == name).execute()


def _slot_for(session: Session, name: str, role: str, password: str, *,
              one_time: bool = False) -> tuple[keyslots.PreparedSlot, keyslots.SlotContent]:
    content = session.slot_content(name, admin=role == "admin", one_time=one_time)
    return keyslots.prepare_slot(session.paths.keyslot(name), password, content), content


def _insert(session: Session, name: str, role: str, password: str,
            display_name: str) -> tuple[keyslots.PreparedSlot, keyslots.SlotContent]:
    prepared, content = _slot_for(session, name, role, password)
    try:
        row = {"name": name, "display_name": display_name or name, "role": role,
               "status": "active", "created_at": clock.stamp(), "created_by": session.actor.name}
        if migrations.store_schema() >= seals.SCHEMA:
            Operator.insert(**row, slot_sha256=prepared.sha256).execute()
            seals.seal_operator(session.admin_key, session.store_id, name)
        else:  # a test's store of an old schema: the first schema's columns only
            execute(f"INSERT INTO operator ({', '.join(row)}) VALUES"
                    f" ({', '.join('?' * len(row))})", tuple(row.values()))
        session.audit.append(session.actor.name, "operator.add", "operator", name,
                             new={"name": name, "role": role,
                                  "display_name": display_name or name})
    except BaseException:
        prepared.discard()
        raise
    return prepared, content


def _then_slot(session: Session,
               change: Callable[[], tuple[keyslots.PreparedSlot, keyslots.SlotContent]]) -> None:
    """Run a change that prepares a keyslot; put the slot in place only once it committed.

    The committed record names the new slot's checksum, so a process killed between the
    commit and the rename is finished at the next unlock (`keyslots.reconcile`).
    """
    prepared: list[tuple[keyslots.PreparedSlot, keyslots.SlotContent]] = []
    try:
        with db.atomic():
            prepared.append(change())
    except BaseException:
        for slot, _content in prepared:
            slot.discard()
        raise
    slot, content = prepared[0]
    slot.commit()
    remember(session, slot.path, content)


def remember(session: Session, slot: Path, content: keyslots.SlotContent) -> None:
    """A new slot starts with the head as it is now (so a later rollback is noticed)."""
    head = audit.head()
    seen.write(slot, content.seen_key, session.store_id, head.id, head.hash)
    if slot == session.slot_path:
        session.use_seen_key(content.seen_key)


def create_first_admin(session: Session, name: str, password: str,
                       display_name: str) -> tuple[keyslots.PreparedSlot, keyslots.SlotContent]:
    """The administrator made by `init` (inside init's transaction; init commits the slot)."""
    return _insert(session, name, "admin", password, display_name)


def add(session: Session, name: str, role: str, password: str, display_name: str = "") -> None:
    """A new operator with a keyslot of their own (administrators only)."""
    session.require_admin()
    name = policy.check_name(name)
    if role not in ROLES:
        raise InvalidInput(_("unknown role \"{role}\": use admin or clerk").format(role=role))
    policy.check_password(password)
    display_name = policy.check_text(display_name, _("full name"))
    clash = Operator.select(Operator.name).where(
        fn.lower(Operator.name) == name.lower()).first()
    if clash is not None:
        raise InvalidInput(_("an operator named \"{name}\" already exists (names are never "
                             "reused)").format(name=clash.name))
    if role == "admin" and not session.admin_key:
        session.slot_content(name, admin=True)  # says why it cannot be done
    _then_slot(session, lambda: _insert(session, name, role, password, display_name.strip()))


def change_password(session: Session, name: str, new_password: str, *,
                    one_time: bool = False, leaked: bool = False) -> None:
    """Rewrite one keyslot; the data stays readable (the master key does not change).

    `one_time`: an administrator's reset whose password must be changed at the next login.
    `leaked`: the old password may be known to someone else: a key rotation is asked for,
    since the old keyslot inside any backup still unwraps the master key.
    """
    row = _get(name)
    if name != session.actor.name:
        session.require_admin()
    if row.status != "active":
        raise OperatorDisabled(_("operator \"{name}\" is disabled").format(name=name))
    policy.check_password(new_password)

    def change() -> tuple[keyslots.PreparedSlot, keyslots.SlotContent]:
        prepared, content = _slot_for(session, name, row.role, new_password,
                                      one_time=one_time)
        try:
            Operator.update(slot_sha256=prepared.sha256, must_change=int(one_time)).where(
                Operator.name == name).execute()
            # Notes are stored as catalog messages and translated when shown.
            session.audit.append(session.actor.name, "operator.passwd", "operator", name,
                                 note=N_("password changed") if name == session.actor.name
                                 else N_("password reset by an administrator"))
            if leaked:
                rotation_due.mark(session, N_("a password may have leaked: its old keyslot, "
                                              "inside any backup, still opens the store"), name)
        except BaseException:
            prepared.discard()
            raise
        return prepared, content

    _then_slot(session, change)


def disable(session: Session, name: str, reason: str = "") -> None:
    """Disable an operator: the record stays, the keyslot is destroyed."""
    session.require_admin()
    reason = policy.check_text(reason, _("reason"))
    row = _get(name)
    if row.status != "active":
        raise InvalidInput(_("operator \"{name}\" is already disabled").format(name=name))
    if name == session.actor.name:
        raise NotAllowed(_("you cannot disable yourself; ask another administrator"))
    if row.role == "admin":
        admins = Operator.select().where((Operator.role == "admin")
                                         & (Operator.status == "active")).count()
        if admins <= 1:
            raise NotAllowed(_("\"{name}\" is the last active administrator").format(name=name))
    when = clock.stamp()
    with db.atomic():
        Operator.update(status="disabled", disabled_at=when, disabled_by=session.actor.name,
                        disabled_reason=reason).where(Operator.name == name).execute()
        if session.admin_key:
            seals.seal_operator(session.admin_key, session.store_id, name)
        session.audit.append(session.actor.name, "operator.disable", "operator", name,
                             old={"status": "active"}, new={"status": "disabled"}, note=reason)
        rotation_due.mark(session, N_("an operator was disabled: they may still hold the "
                                      "master key from a backup"), name)
    marker = session.paths.keys / f"{name}.disabled"
    marker.write_text(when + "\n")
    keyslots.remove_slot(session.paths.keyslot(name))
