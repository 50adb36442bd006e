"""Return a card to its department with what to correct (谁录入谁负责)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widget import Widget
from textual.widgets import Input

from store.cards import review as card_review
from store.errors import InvalidInput
from store.i18n import N_, _
from tui.dialogs.form import FormDialog


class ReturnDialog(FormDialog):
    TITLE_TEXT = N_("Return a card")

    def __init__(self, session: Any, card_id: int) -> None:
        super().__init__()
        self.session, self.card_id = session, card_id

    def intro(self) -> str:
        return _("Card #{id} goes back to its department, which must correct it.").format(
            id=self.card_id)

    def fields(self) -> list[tuple[str, str, Widget]]:
        return [("reason", _("What to correct"), Input())]

    def checks(self) -> list[tuple[str, Callable[[], object]]]:
        def reason() -> None:
            if not self.value("reason").strip():
                raise InvalidInput(_("say what the department must correct"))
        return [("reason", reason)]

    def save(self, values: dict[str, str]) -> object:
        card_review.return_card(self.session, self.card_id, values["reason"])
        return None
