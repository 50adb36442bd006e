"""Store-wide settings, each change audited with its old and new value."""

from __future__ import annotations

from collections.abc import Callable

from store import clock
from store.errors import InvalidInput
from store.i18n import N_, _
from store.models import Setting
from store.vault.database import db
from store.vault.session import Session


def _text(value: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(_("this cannot be empty"))
    if len(value) > 200:
        raise InvalidInput(_("too long: at most 200 characters"))
    return value


def _int_between(low: int, high: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        digits = value.strip()
        if not (digits.isascii() and digits.isdigit()) or not low <= int(digits) <= high:
            raise InvalidInput(_("enter a whole number from {low} to {high}")
                               .format(low=low, high=high))
        return str(int(digits))
    return check


def _language(value: str) -> str:
    if value not in ("zh", "en"):
        raise InvalidInput(_("the language is zh or en"))
    return value


def _ranks(value: str) -> str:
    """Rank codes of the code table, e.g. R3,R4 (comma, 、 or space between)."""
    from store.cards import codes

    wanted = [part.strip().upper() for part in value.replace("、", ",").replace(" ", ",")
              .replace("，", ",").split(",") if part.strip()]
    if not wanted:
        raise InvalidInput(_("name at least one rank code, e.g. R3,R4"))
    unknown = [code for code in wanted if codes.get("rank", code) is None]
    if unknown:
        raise InvalidInput(_("not a rank of the code table: {codes}").format(
            codes=", ".join(unknown)))
    return ",".join(dict.fromkeys(wanted))


def _number_pattern(value: str) -> str:
    """A pattern with {n} (the running number) and optionally {year}."""
    text = _text(value)
    try:
        first, second = text.format(year=2026, n=1), text.format(year=2026, n=2)
    except (KeyError, IndexError, ValueError):
        raise InvalidInput(_("use {year} and {n} only, e.g. 统-{year}-{n:04d}")) from None
    if first == second or len(first) > 30:
        raise InvalidInput(_("the pattern needs {n}, the running number, e.g. "
                             "统-{year}-{n:04d}"))
    return text


NAMES: dict[str, str] = {
    "unit_name": N_("unit name"), "idle_minutes": N_("idle minutes"),
    "language": N_("language"), "cutoff_day": N_("cut-off day"),
    "backup_keep_months": N_("backups kept (months)"),
    "backup_keep_days": N_("backups kept (days)"),
    "major_amount": N_("major-case amount (yuan)"),
    "swing_percent": N_("month-on-month swing needing a note (%)"),
    "key_ranks": N_("ranks that make a key case (要案)"),
    "item_number_pattern": N_("registration number pattern, e.g. 统-{year}-{n:04d}"),
    "loan_max_days": N_("longest loan (days)"),
    "spot_check_percent": N_("share of items in a spot check (%)"),
}
"""Each setting's name in words (catalog messages)."""

DEFAULTS: dict[str, str] = {"unit_name": "", "idle_minutes": "10", "language": "zh",
                            "cutoff_day": "25", "backup_keep_months": "12",
                            "backup_keep_days": "30", "major_amount": "500000",
                            "swing_percent": "30", "key_ranks": "R3,R4",
                            "item_number_pattern": "统-{year}-{n:04d}", "loan_max_days": "30",
                            "spot_check_percent": "10"}
CHECKS: dict[str, Callable[[str], str]] = {
    "unit_name": _text,
    "idle_minutes": _int_between(1, 240),
    "language": _language,
    "cutoff_day": _int_between(1, 28),
    "backup_keep_months": _int_between(1, 120),
    "backup_keep_days": _int_between(1, 3650),
    "major_amount": _int_between(1, 10**10),
    "swing_percent": _int_between(1, 1000),
    "key_ranks": _ranks,
    "item_number_pattern": _number_pattern,
    "loan_max_days": _int_between(1, 365),
    "spot_check_percent": _int_between(1, 100),
}


def check(key: str, value: str) -> str:
    """The value as it would be stored, or InvalidInput saying what is wrong (no writing)."""
    if key not in CHECKS:
        raise InvalidInput(_("unknown setting \"{key}\"").format(key=key))
    return CHECKS[key](value)


def get(key: str) -> str:
    """A setting's value, or its default if it was never set (settings added later)."""
    row = Setting.get_or_none(Setting.key == key)
    return row.value if row is not None else DEFAULTS[key]


def write_initial(session: Session, unit_name: str) -> None:
    """The settings a new store starts with (inside init's transaction)."""
    for key, default in DEFAULTS.items():
        value = unit_name.strip() if key == "unit_name" else default
        Setting.insert(key=key, value=value, updated_at=clock.stamp(),
                       updated_by=session.actor.name).execute()


def set_value(session: Session, key: str, value: str) -> str:
    """Change one setting (administrators); returns the value as stored."""
    session.require_admin()
    value = check(key, value)
    with db.atomic():
        old = get(key)
        if old == value:
            return value
        Setting.insert(key=key, value=value, updated_at=clock.stamp(),
                       updated_by=session.actor.name).on_conflict_replace().execute()
        session.audit.append(session.actor.name, "setting.change", "setting", key,
                             old={"value": old}, new={"value": value})
    return value


def all_values() -> dict[str, str]:
    """Every setting with its current value."""
    return {key: get(key) for key in DEFAULTS}


def set_values(session: Session, changes: dict[str, str]) -> dict[str, str]:
    """Change several settings in one transaction, each audited; all or nothing."""
    session.require_admin()
    checked = {key: check(key, value) for key, value in changes.items()}
    with db.atomic():
        for key, value in checked.items():
            set_value(session, key, value)
    return checked
