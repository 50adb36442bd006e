"""Store-wide settings as one typed record, `Settings`, read once from the settings table.

The table keeps each setting as text under its key, exactly as typed and checked; `current()`
reads every row once and turns them into the record (a stored text that cannot be read is one
clear StoreError). A change is checked first, then written with its audit entry (the key, the
old and the new text) in one transaction; nothing is ever deleted.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

from peewee import TextField

from store import clock
from store.errors import FieldError, InvalidInput, StoreError
from store.i18n import N_, _
from store.vault.database import BaseModel, db
from store.vault.session import Session


class Setting(BaseModel):
    """One store-wide setting, as text under its key, exactly as typed and checked."""

    key = TextField(primary_key=True)  # e.g. unit_name, idle_minutes
    value = TextField()  # the text as checked; `current()` turns it into its type
    updated_at = TextField()
    updated_by = TextField()  # operator name

    class Meta:
        table_name = "setting"


T = TypeVar("T")


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


END_OF_MONTH = "月末"
"""How the cut-off day 0, the end of the month, is stored and shown."""
_END_WORDS = frozenset({"0", "月末", "月底", "end", "end of month", "end of the month"})


def _word(value: str) -> str:
    """Typed text as it is compared with the words a setting accepts."""
    return " ".join(unicodedata.normalize("NFKC", value).strip().lower().split())


def _cutoff(value: str) -> str:
    """A day from 1 to 28, or the end of the month (月末, end or 0)."""
    if _word(value) in _END_WORDS:
        return END_OF_MONTH
    digits = value.strip()
    if not (digits.isascii() and digits.isdigit()) or not 1 <= int(digits) <= 28:
        raise InvalidInput(_("enter a whole number from 1 to 28, or {end} for the end of the "
                             "month").format(end=END_OF_MONTH))
    return str(int(digits))


def _read_cutoff(text: str) -> int:
    checked = _cutoff(text)
    return 0 if checked == END_OF_MONTH else int(checked)


_YES = frozenset({"yes", "y", "1", "true", "on", "是", "有"})
_NO = frozenset({"no", "n", "0", "false", "off", "否", "无", "没有"})


def _yes_no(value: str) -> str:
    word = _word(value)
    if word in _YES:
        return "yes"
    if word in _NO:
        return "no"
    raise InvalidInput(_("answer yes or no (是 or 否)"))


def _language(value: str) -> str:
    if value not in ("zh", "en"):
        raise InvalidInput(_("the language is zh or en"))
    return value


def _rank_codes(value: str) -> list[str]:
    """Rank codes as typed, e.g. R3,R4 (comma, 、 or space between), upper case, once each."""
    wanted = [part.strip().upper() for part in value.replace("、", ",").replace(" ", ",")
              .replace("，", ",").split(",") if part.strip()]
    if not wanted:
        raise InvalidInput(_("name at least one rank code, e.g. R3,R4"))
    return list(dict.fromkeys(wanted))


def _ranks(value: str) -> str:
    """Rank codes of the code table, e.g. R3,R4."""
    from store.cards import codes

    wanted = _rank_codes(value)
    unknown = [code for code in wanted if codes.get("rank", code) is None]
    if unknown:
        raise InvalidInput(_("not a rank of the code table: {codes}").format(
            codes=", ".join(unknown)))
    return ",".join(wanted)


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


@dataclass(frozen=True)
class Kind(Generic[T]):
    """How one setting goes from what was typed to the stored text, and back to its value."""

    check: Callable[[str], str]
    """What was typed, as it would be stored; InvalidInput saying what is wrong."""
    read: Callable[[str], T]
    """The stored text as the value; InvalidInput when it cannot be one (never the database:
    reading the settings stays one query)."""
    write: Callable[[T], str]
    """The value as stored text."""


TEXT: Kind[str] = Kind(_text, str, str)
"""Free text, trimmed, 1 to 200 characters."""


def _whole(low: int, high: int) -> Kind[int]:
    checked = _int_between(low, high)
    return Kind(checked, lambda text: int(checked(text)), str)


LANGUAGE: Kind[str] = Kind(_language, _language, str)
RANKS: Kind[tuple[str, ...]] = Kind(_ranks, lambda text: tuple(_rank_codes(text)), ",".join)
NUMBER_PATTERN: Kind[str] = Kind(_number_pattern, _number_pattern, str)
CUTOFF: Kind[int] = Kind(_cutoff, _read_cutoff,
                         lambda day: END_OF_MONTH if day == 0 else str(day))
"""A day from 1 to 28, or 0: the end of the month (stored as 月末; typed as 月末, 月底, end
or 0)."""
YES_NO: Kind[bool] = Kind(_yes_no, lambda text: _yes_no(text) == "yes",
                          lambda value: "yes" if value else "no")
"""Yes or no (stored as yes or no; typed also as 是/否, y/n, 1/0)."""


def _setting(default: T, kind: Kind[T], words: str, label: str | None = None) -> T:
    """One field of the record: its default, its kind, its name in words (a catalog message,
    said in the audit log) and its label on the settings screen (None: not shown there)."""
    return field(default=default, metadata={"kind": kind, "words": words, "label": label})


@dataclass(frozen=True)
class Settings:
    """Every store-wide setting, typed; the settings screen shows them in this order.

    A setting never stored (one added by a later version) has its default here.
    """

    unit_name: str = _setting("", TEXT, N_("unit name"), N_("Unit name"))
    """The office's name, e.g. 某某县人民检察院: printed at the top of every Word file and shown
    on the dashboard. Default empty (not set); a new store takes it from its first run. Text,
    at most 200 characters."""

    idle_minutes: int = _setting(10, _whole(1, 240), N_("idle minutes"),
                                 N_("Idle lock (minutes, 1-240)"))
    """Minutes without a key or a click before the app closes the store and locks the screen.
    Default 10; 1 to 240 minutes."""

    language: str = _setting("zh", LANGUAGE, N_("language"), N_("Language"))
    """The app's language when none is given on the command line: "zh" (Simplified Chinese)
    or "en" (English). Default "zh"."""

    cutoff_day: int = _setting(25, CUTOFF, N_("cut-off day"),
                               N_("Cut-off day (1-28 or 月末)"))
    """The day of the month by which the month's cards are due (C4): a card accepted after it
    counts in the next statistical month; the report cannot be submitted before it. Default
    25; a day from 1 to 28, or 0 for the end of the month (stored and typed as 月末; "end"
    is accepted too): then every date counts in its own month, the cards are due on the
    month's last working day and the report is submitted from the month's last day."""

    has_subunits: bool = _setting(False, YES_NO, N_("the unit has sub-units"),
                                  N_("Has sub-units"))
    """Whether the unit aggregates sub-units' reports (a 市院 over 县院): only then are the 10th
    (aggregated report, C6) and the 15th (sub-units' case information, C7) its deadlines.
    Default no: a county-level unit, whose case information goes up with its report by the
    27th, and for which the 10th is only the day departments may query the reports (C13).
    Stored as yes or no."""

    major_amount: int = _setting(500000, _whole(1, 10**10), N_("major-case amount (yuan)"),
                                 N_("Major case (大案) from (yuan)"))
    """The amount in yuan from which a case is a major case (大案). Default 500000 yuan;
    1 to 10,000,000,000."""

    key_ranks: tuple[str, ...] = _setting(("R3", "R4"), RANKS,
                                          N_("ranks that make a key case (要案)"),
                                          N_("Key case (要案) ranks, e.g. R3,R4"))
    """The rank codes (code table "rank") that make a case a key case (要案). Default R3 and
    R4; stored as codes separated by commas, e.g. "R3,R4"."""

    swing_percent: int = _setting(30, _whole(1, 1000),
                                  N_("month-on-month swing needing a note (%)"),
                                  N_("Swing needing a note (%)"))
    """How far, in percent, a total may move from the month before before the report needs a
    note explaining it. Default 30 percent; 1 to 1000."""

    item_number_pattern: str = _setting("统-{year}-{n:04d}", NUMBER_PATTERN,
                                        N_("registration number pattern, e.g. "
                                           "统-{year}-{n:04d}"),
                                        N_("Item numbers, e.g. 统-{year}-{n:04d}"))
    """The pattern of a new item's registration number: {n} is the running number within the
    year of registration (required), {year} the year. Default 统-{year}-{n:04d}; the number at
    most 30 characters."""

    loan_max_days: int = _setting(30, _whole(1, 365), N_("longest loan (days)"),
                                  N_("Longest loan (days)"))
    """The longest a lent item may stay out: a due date further away is refused. Default 30
    days; 1 to 365."""

    spot_check_percent: int = _setting(10, _whole(1, 100),
                                       N_("share of items in a spot check (%)"),
                                       N_("Spot check share (%)"))
    """The share of the items a spot check draws, in percent. Default 10 percent; 1 to 100."""

    backup_keep_months: int = _setting(12, _whole(1, 120), N_("backups kept (months)"))
    """Months whose newest monthly backup is kept in the backups folder. Default 12 months;
    1 to 120."""

    backup_keep_days: int = _setting(30, _whole(1, 3650), N_("backups kept (days)"))
    """Days within which every monthly backup in the backups folder is kept. Default 30 days;
    1 to 3650."""

    def printed_unit(self) -> str:
        """The unit name as Word files print it; while it is not set, a reminder in its place."""
        return self.unit_name or _("(unit name not set: fill it in on the Settings screen)")

    def cutoff_date(self, month: str) -> date:
        """The day a statistical month ("yyyy-mm") takes cards until, as the rules name it
        (before any move off a holiday): the cut-off day, or the month's last day for 0."""
        year, mon = int(month[:4]), int(month[5:])
        if self.cutoff_day:
            return date(year, mon, self.cutoff_day)
        following = date(year + mon // 12, mon % 12 + 1, 1)
        return following - timedelta(days=1)

    def text(self, key: str) -> str:
        """A setting's value as the table stores it (and the settings screen shows it)."""
        return str(_kind(key).write(getattr(self, key)))


KEYS: tuple[str, ...] = tuple(f.name for f in fields(Settings))
"""Every setting's key, in the record's order."""

_FIELDS = {f.name: f for f in fields(Settings)}


def _kind(key: str) -> Kind[Any]:
    if key not in _FIELDS:
        raise InvalidInput(_("unknown setting \"{key}\"").format(key=key))
    kind: Kind[Any] = _FIELDS[key].metadata["kind"]
    return kind


def words(key: str) -> str | None:
    """A setting's name in words (a catalog message, translated where shown); None for a key
    that is no setting."""
    return _FIELDS[key].metadata["words"] if key in _FIELDS else None


def on_screen() -> list[tuple[str, str]]:
    """(key, label: a catalog message) of each setting the settings screen shows, in order."""
    return [(name, f.metadata["label"]) for name, f in _FIELDS.items()
            if f.metadata["label"] is not None]


def _read(key: str, text: str) -> Any:
    try:
        return _kind(key).read(text)
    except InvalidInput as exc:
        raise StoreError(_("the stored setting \"{name}\" cannot be read ({value}): {why}; "
                           "set it again in the settings").format(
                               name=_(words(key) or key), value=text, why=exc)) from None


def _stored() -> dict[str, str]:
    """Every row of the table, in one query."""
    return {row.key: row.value for row in Setting.select(Setting.key, Setting.value)}


def current() -> Settings:
    """Every setting as stored now, parsed once; a stored text that cannot be read is a
    StoreError naming the setting."""
    stored = _stored()
    return Settings(**{key: _read(key, stored[key]) for key in KEYS if key in stored})


def check(key: str, value: str) -> str:
    """The value as it would be stored, or InvalidInput saying what is wrong (no writing)."""
    return _kind(key).check(value)


def texts() -> dict[str, str]:
    """Every setting's stored text by key, as the settings screen edits them (a text that
    cannot be read is shown there, to be put right)."""
    stored, defaults = _stored(), Settings()
    return {key: stored[key] if key in stored else defaults.text(key) for key in KEYS}


def get(key: str) -> str:
    """One setting's stored text, or its default's if it was never set (code reads the typed
    record, `current()`; this is the table's own view)."""
    row = Setting.get_or_none(Setting.key == key)
    return row.value if row is not None else Settings().text(key)


def write_initial(session: Session, unit_name: str) -> None:
    """The settings a new store starts with (inside init's transaction)."""
    defaults = Settings()
    for key in KEYS:
        value = unit_name.strip() if key == "unit_name" else defaults.text(key)
        Setting.insert(key=key, value=value, updated_at=clock.stamp(),
                       updated_by=session.actor.name).execute()


def _write(session: Session, key: str, value: str) -> None:
    """Store one checked text with its audit entry (inside the caller's transaction)."""
    old = get(key)
    if old == value:
        return
    Setting.insert(key=key, value=value, updated_at=clock.stamp(),
                   updated_by=session.actor.name).on_conflict_replace().execute()
    session.audit.append(session.actor.name, "setting.change", "setting", key,
                         old={"value": old}, new={"value": value})


def set_values(session: Session, changes: dict[str, str]) -> dict[str, str]:
    """Change settings as typed (administrators): each checked first (a refusal names its
    setting as the field), then all written in one transaction, each audited; all or nothing.
    Returns the texts as stored."""
    session.require_admin()
    checked = {}
    for key, value in changes.items():
        try:
            checked[key] = check(key, value)
        except InvalidInput as exc:  # said beside the setting's field
            raise FieldError(str(exc), key) from None
    with db.atomic():
        for key, value in checked.items():
            _write(session, key, value)
    return checked


def set_value(session: Session, key: str, value: str) -> str:
    """Change one setting as typed (administrators); returns the text as stored."""
    return set_values(session, {key: value})[key]


def change(session: Session, new: Settings) -> Settings:
    """Store each setting of `new` that differs from the stored record (administrators),
    checked as if typed and audited as one, in one transaction; returns the record now
    stored. Start from the record: `change(session, replace(current(), idle_minutes=15))`."""
    session.require_admin()
    with db.atomic():
        now = current()
        set_values(session, {key: new.text(key) for key in KEYS
                             if new.text(key) != now.text(key)})
        return current()
