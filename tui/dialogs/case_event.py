"""Record an event of a case that does not end it (退查, 重报, an extension of the time limit),
or void one recorded by mistake, with the reason (it stays in the case's life, marked void)."""

from __future__ import annotations

from typing import Any

from store.cards import events as case_events
from store.cards.events import EventRecord
from store.cards.review import CardRecord
from store.i18n import N_, _, ngettext
from tui import glyphs
from tui.dialogs.case_form import CaseForm

EVENT_NAMES = {"received": N_("received (受理)"), "concluded": N_("concluded (审结)"),
               "returned": N_("sent back (退查)"), "resent": N_("re-sent (重报)"),
               "extended": N_("time limit extended")}
"""Each step of a case's life, short enough for a table's column."""
TITLES = {"returned": N_("Sent back for further investigation (退查)"),
          "resent": N_("Re-sent after investigation (重报)"),
          "extended": N_("Time limit extended (延长审查期限)")}


class EventDialog(CaseForm):
    """The day, how many persons (blank: all the case's), the days of an extension, a note."""

    ROWS = [
        ("on_day", N_("On"), ""),
        ("persons", N_("Persons"), ""),
        ("days", N_("Days"), ""),
        ("note", N_("Note"), ""),
    ]
    HINTS = {"on_day": "20261130", "persons": N_("blank: all")}

    def __init__(self, session: Any, card_id: int, kind: str) -> None:
        super().__init__(session, card_id)
        self.kind = kind
        self.TITLE_TEXT = TITLES[kind]

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#row-days").display = self.kind == "extended"

    def about(self, card: CardRecord) -> str:
        n = card.persons
        return ngettext("{type}, {n} person, received {day}", "{type}, {n} persons, received "
                        "{day}", n).format(type=card.business_type, n=n, day=card.accepted_on)

    def write(self, values: dict[str, str]) -> None:
        case_events.record_event(self.session, self.card_id, self.kind, values["on_day"],
                                 values["persons"], values.get("days", ""), values["note"])


class VoidEventDialog(CaseForm):
    """Void an event recorded by mistake: the reason is required and kept."""

    TITLE_TEXT = N_("Void an event")
    ROWS = [("reason", N_("Reason"), "")]

    def __init__(self, session: Any, event: EventRecord) -> None:
        super().__init__(session, event.card_id)
        self.event = event

    def about(self, card: CardRecord) -> str:
        return glyphs.SEP.join((_(EVENT_NAMES.get(self.event.kind, self.event.kind)),
                                self.event.on_day))

    def checks_pass(self) -> bool:
        if not self.field("reason").value.strip():
            self.note("reason", glyphs.BAD + " " + _("a reason is required"), problem=True)
            self.focus_field("reason")
            return False
        return True

    def write(self, values: dict[str, str]) -> None:
        case_events.void_event(self.session, self.event.id, values["reason"])
