"""Ask for a reason (a correction, a void): nothing is written here; the caller uses `reason`."""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget
from textual.widgets import Input

from store.errors import InvalidInput
from store.i18n import N_, _
from tui.dialogs.form import FormDialog


class ReasonDialog(FormDialog):
    TITLE_TEXT = N_("Reason")

    def __init__(self, heading: str, explanation: str) -> None:
        super().__init__()
        self.heading, self.explanation = heading, explanation
        self.reason = ""

    def intro(self) -> str:
        return f"{self.heading}\n{self.explanation}"

    def fields(self) -> list[tuple[str, str, Widget]]:
        return [("reason", _("Reason"), Input())]

    def checks(self) -> list[tuple[str, Callable[[], object]]]:
        def given() -> None:
            self.reason = self.value("reason").strip()
            if not self.reason:
                raise InvalidInput(_("a reason is required"))
        return [("reason", given)]

    def save(self, values: dict[str, str]) -> object:
        return None
