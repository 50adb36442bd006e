"""Operators (A6): statistics staff only, `admin` or `clerk`; each with a keyslot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from peewee import fn

from store import clock, keyslots, policy
from store.database import db
from store.errors import InvalidInput, NotAllowed, OperatorDisabled, UnknownOperator
from store.i18n import N_, _
from store.models import Operator
from store.session import RECOVERY_ACTOR, Session

ROLES = ("admin", "clerk")


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


def actor_for_login(name: str) -> tuple[str, str, str]:
    """(name, role, display name) of an active operator, for the session.

    Plain SQL on the columns of the first schema: this runs before an older store is
    upgraded, when today's model may name columns its table does not have yet.
    """
    from store.database import rows

    found = rows("SELECT name, role, display_name, status FROM operator WHERE name = ?", (name,))
    if not found:
        raise UnknownOperator(_("no operator named \"{name}\"").format(name=name))
    login, role, display_name, status = found[0]
    if status != "active":
        raise OperatorDisabled(_("operator \"{name}\" is disabled").format(name=name))
    return str(login), str(role), str(display_name)


def touch_login(name: str) -> None:
    if name != RECOVERY_ACTOR:
        Operator.update(last_login_at=clock.stamp()).where(Operator.name == name).execute()


def _insert(session: Session, name: str, role: str, password: str,
            display_name: str) -> keyslots.PreparedSlot:
    Operator.insert(name=name, display_name=display_name or name, role=role, status="active",
                    created_at=clock.stamp(), created_by=session.actor.name).execute()
    session.audit.append(session.actor.name, "operator.add", "operator", name,
                         new={"name": name, "role": role, "display_name": display_name or name})
    return keyslots.prepare_slot(session.paths.keyslot(name), password,
                                 session.slot_content(name))


def _then_slot(change: Callable[[], keyslots.PreparedSlot]) -> None:
    """Run a change that prepares a keyslot; put the slot in place only once it committed."""
    prepared: list[keyslots.PreparedSlot] = []
    try:
        with db.atomic():
            prepared.append(change())
    except BaseException:
        for slot in prepared:
            slot.discard()
        raise
    prepared[0].commit()


def create_first_admin(session: Session, name: str, password: str,
                       display_name: str) -> keyslots.PreparedSlot:
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
    clash = Operator.get_or_none(fn.lower(Operator.name) == name.lower())
    if clash is not None:
        raise InvalidInput(_("an operator named \"{name}\" already exists (names are never "
                             "reused)").format(name=clash.name))
    _then_slot(lambda: _insert(session, name, role, password, display_name.strip()))


def change_password(session: Session, name: str, new_password: str) -> None:
    """Rewrite one keyslot; the data stays readable (the master key does not change)."""
    row = _get(name)
    if name != session.actor.name:
        session.require_admin()
    if row.status != "active":
        raise OperatorDisabled(_("operator \"{name}\" is disabled").format(name=name))
    policy.check_password(new_password)

    def change() -> keyslots.PreparedSlot:
        # Notes are stored as catalog messages and translated when shown.
        session.audit.append(session.actor.name, "operator.passwd", "operator", name,
                             note=N_("password changed") if name == session.actor.name
                             else N_("password reset by an administrator"))
        return keyslots.prepare_slot(session.paths.keyslot(name), new_password,
                                     session.slot_content(name))

    _then_slot(change)


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
        session.audit.append(session.actor.name, "operator.disable", "operator", name,
                             old={"status": "active"}, new={"status": "disabled"}, note=reason)
    marker = session.paths.keys / f"{name}.disabled"
    marker.write_text(when + "\n")
    keyslots.remove_slot(session.paths.keyslot(name))
