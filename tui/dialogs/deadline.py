"""Mark done a deadline that statdesk cannot see done by itself (kept and audited)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widget import Widget
from textual.widgets import Select

from store.errors import InvalidInput
from store.i18n import N_, _
from store.report import deadlines
from tui.dialogs.form import FormDialog
from tui.panels.deadlines import what_text
from tui.widgets import Choice


class MarkDoneDialog(FormDialog):
    TITLE_TEXT = N_("Mark a deadline done")

    def __init__(self, session: Any, calendar: deadlines.Calendar) -> None:
        super().__init__()
        self.session, self.calendar = session, calendar
        self.open = [d for d in calendar.deadlines
                     if d.state != "done" and (d.key in deadlines.MARKABLE
                                               or d.key.startswith("holiday-eve:"))]

    def intro(self) -> str:
        if not self.open:
            return _("Nothing to mark: the other deadlines are done when statdesk sees them "
                     "done (briefings exported, cards in, report submitted, backup made).")
        return _("A mark cannot be taken back; it is kept in the audit log.")

    def fields(self) -> list[tuple[str, str, Widget]]:
        choices = [(f"{d.day.strftime('%m-%d')} {what_text(d)}", d.key) for d in self.open]
        return [("deadline", _("Deadline"),
                 Choice(choices, value=choices[0][1] if choices else Select.NULL,
                        allow_blank=not choices))]

    def on_mount(self) -> None:
        self.query_one(Select).focus()

    def checks(self) -> list[tuple[str, Callable[[], object]]]:
        def chosen() -> None:
            if not self.open:
                raise InvalidInput(_("nothing to mark this month"))

        return [("deadline", chosen)]

    def save(self, values: dict[str, str]) -> object:
        deadlines.mark_done(self.session, self.calendar.month, values["deadline"])
        return None
