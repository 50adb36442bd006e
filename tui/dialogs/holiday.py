"""Add or change one holiday or make-up working day."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.widget import Widget
from textual.widgets import Input

from store import holidays
from store.dates import parse_date
from store.errors import InvalidInput
from store.holidays import HolidayDay
from store.i18n import N_, _
from tui.dialogs.form import FormDialog
from tui.widgets import Choice

if TYPE_CHECKING:
    from store.vault.session import Session

KINDS = {"holiday": N_("holiday (day off)"), "workday": N_("make-up working day (调休上班)")}


class HolidayDialog(FormDialog):
    TITLE_TEXT = N_("Holiday or make-up working day")

    def __init__(self, session: Session, editing: HolidayDay | None = None) -> None:
        super().__init__()
        self.session = session
        self.editing = editing

    def fields(self) -> list[tuple[str, str, Widget]]:
        e = self.editing
        kinds = [(_(label), kind) for kind, label in KINDS.items()]
        return [("day", _("Date (20261001 or 2026-10-01)"),
                 Input(e.day.isoformat() if e else "")),
                ("kind", _("Kind"), Choice(kinds, value=e.kind if e else "holiday",
                                           allow_blank=False)),
                ("name", _("Name (e.g. 国庆节)"), Input(e.name if e else ""))]

    def checks(self) -> list[tuple[str, Callable[[], object]]]:
        def name() -> None:
            if not self.value("name").strip():
                raise InvalidInput(_("name the holiday, e.g. 国庆节"))

        return [("day", lambda: parse_date(self.value("day"))), ("name", name)]

    def save(self, values: dict[str, str]) -> object:
        replacing = self.editing.day.isoformat() if self.editing else None
        return holidays.set_day(self.session, values["day"], values["kind"], values["name"],
                                replacing=replacing)

    def error_field(self) -> str:
        return "day"
