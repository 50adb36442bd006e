"""Record a department's zero return (零报): it has no cases in the month (kept and audited)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.widget import Widget
from textual.widgets import Input, Select

from store import clock
from store.dates import parse_date
from store.errors import InvalidInput
from store.i18n import N_, _
from store.report import zero
from tui.dialogs.form import FormDialog
from tui.widgets import Choice

if TYPE_CHECKING:
    from store.cards.codes import Code
    from store.vault.session import Session


class ZeroReturnDialog(FormDialog):
    TITLE_TEXT = N_("Zero return (零报): a department has no cases")

    def __init__(self, session: Session, month: str, departments: list[Code],
                 missing: list[str]) -> None:
        super().__init__()
        self.session, self.month = session, month
        self.departments, self.missing = departments, missing

    def intro(self) -> str:
        said = _("Its cards of the month then count as handed in. Refused while the department "
                 "has cards in the month; a card entered for it later is shown on the dashboard. "
                 "Kept in the audit log.")
        if self.missing:  # by code: the list below names them
            said += "\n" + _("No cards yet from: {departments}").format(
                departments=", ".join(self.missing))
        return said

    def fields(self) -> list[tuple[str, str, Widget]]:
        choices = [(f"{d.code} {d.name}", d.code) for d in self.departments]
        first = next((d for d in self.missing if any(c[1] == d for c in choices)), None)
        return [("month", _("Month (e.g. 2026-11)"), Input(self.month)),
                ("department", _("Department"),
                 Choice(choices, value=first if first is not None else Select.NULL)),
                ("confirmed_by", _("Said by (the department's person)"), Input()),
                ("confirmed_on", _("On (20261120 or 2026-11-20)"),
                 Input(clock.today().isoformat()))]

    def on_mount(self) -> None:
        """The cursor starts at the person (after the form's own first-field focus, which
        runs after this handler)."""
        self.call_after_refresh(self.query_one("#confirmed_by", Input).focus)

    def checks(self) -> list[tuple[str, Callable[[], object]]]:
        def chosen() -> None:
            if not self.value("department"):
                raise InvalidInput(_("choose the department"))

        def named() -> None:
            if not self.value("confirmed_by").strip():
                raise InvalidInput(_("name the department's person who says it has no cases"))

        return [("department", chosen), ("confirmed_by", named),
                ("confirmed_on", lambda: parse_date(self.value("confirmed_on")))]

    def save(self, values: dict[str, str]) -> zero.ZeroReturn:
        return zero.confirm_zero(self.session, values["month"], values["department"],
                                 values["confirmed_by"], values["confirmed_on"])
