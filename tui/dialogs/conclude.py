"""Conclude a case (审结): the day, the outcome (and its kind), how many persons it is for;
persons whose outcomes differ are given one by one in the persons list.

Concluding a case whose conclusion falls in an open month touches nothing in the month it
was received; changing a conclusion of a locked month is a correction, with its reason.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual import on
from textual.binding import Binding

from store.cards import events as case_events
from store.cards import persons as case_persons
from store.cards.events import ConclusionInput
from store.cards.persons import PersonInput
from store.cards.review import CardRecord
from store.i18n import N_, _, ngettext
from tui import glyphs
from tui.dialogs.case_form import CaseForm
from tui.dialogs.persons import PersonsDialog, case_outcome
from tui.keys import key_of
from tui.widgets.card_fields import kinds_of
from tui.workers import Reply, reply, store_work


class ConcludeDialog(CaseForm):
    """The conclusion of one case; the persons list (F6) for per-person outcomes."""

    class People(Reply):
        """The case's persons as stored, to give their outcomes one by one."""

        def __init__(self, people: list[PersonInput], open_list: bool) -> None:
            super().__init__()
            self.people, self.open_list = people, open_list

    TITLE_TEXT = N_("Conclude the case (审结)")
    TABLES = True
    ROWS = [
        ("concluded_on", N_("Concluded on"), ""),
        ("outcome", N_("Outcome"), "outcome"),
        ("outcome_kind", N_("Outcome kind"), "outcome_kind"),
        ("outcome_persons", N_("Persons (outcome)"), ""),
        ("reason", N_("Correction reason"), ""),
    ]
    HINTS = {"concluded_on": "20261130", "outcome_persons": N_("blank: all"),
             "reason": N_("only for a locked month")}
    BINDINGS = [Binding("f6", "persons", N_("Persons list"), id="conclude-persons")]
    PER_PERSON = ("outcome", "outcome_kind", "outcome_persons")
    """Rows the persons list replaces when the persons' outcomes differ."""

    def __init__(self, session: Any, card_id: int) -> None:
        super().__init__(session, card_id)
        self.people: tuple[PersonInput, ...] = ()
        self.shown_people: tuple[PersonInput, ...] = ()
        """The persons list as the case gave it (Esc asks once it changed)."""

    def changed(self) -> bool:
        return super().changed() or self.people != self.shown_people

    def hint(self) -> str:
        return _("{persons}: outcomes person by person").format(
            persons=key_of(self, "conclude-persons")) + glyphs.SEP + super().hint()

    def about(self, card: CardRecord) -> str:
        n = card.persons
        return ngettext("{type}, {n} person, received {day}", "{type}, {n} persons, received "
                        "{day}", n).format(type=card.business_type, n=n, day=card.accepted_on)

    def prepare(self, card: CardRecord) -> None:
        """A conclusion being changed shows as it stands."""
        if card.concluded_on:
            self.field("concluded_on").value = card.concluded_on
            self.field("outcome").value = card.outcome
            if card.outcome_persons != card.persons:
                self.field("outcome_persons").value = str(card.outcome_persons)
            self.fetch_people(card.id)  # the kind is the persons', or each has their own

    def parent_value(self, field: str) -> str | None:
        if field == "outcome":
            return self.card.business_type if self.card else ""
        return super().parent_value(field)

    def fit_rows(self) -> None:
        listed = bool(self.people)
        for name in self.PER_PERSON:
            self.query_one(f"#row-{name}").display = not listed
        kinds = kinds_of(self.tables, self.field("outcome").value)
        self.query_one("#row-outcome_kind").display = not listed and bool(kinds)
        if listed:
            self.say(self._listed())

    def _listed(self) -> str:
        outcomes = [c.code for c in self.tables.get("outcome", [])
                    if self.card and c.parent == self.card.business_type]
        outcome = case_outcome(self.people, outcomes)
        given = sum(1 for p in self.people if p.outcome.strip())
        n = len(self.people)
        return ngettext("{given} of {n} person with an outcome in the list; the case: {outcome}",
                        "{given} of {n} persons with an outcome in the list; the case: "
                        "{outcome}", n).format(given=given, n=n, outcome=outcome or "-")

    # --- the persons list ----------------------------------------------------------------

    def action_persons(self) -> None:
        if self.card is None:
            return
        if self.people:
            self._open_list(self.people)
        else:
            self.fetch_people(self.card.id, open_list=True)

    @store_work("conclude-people")
    def fetch_people(self, card_id: int, open_list: bool = False) -> None:
        people = [p.as_input() for p in case_persons.people(card_id)]
        reply(self, self.People(people, open_list))

    @on(People)
    def people_read(self, message: People) -> None:
        if message.open_list:
            self._open_list(self._with_outcome(message.people))
        elif self.card is not None and self.card.mixed:
            self.people = tuple(message.people)
            self.fit_rows()
        else:
            kinds = [p.outcome_kind for p in message.people if p.outcome and p.outcome_kind]
            if kinds and not self.field("outcome_kind").value:
                self.field("outcome_kind").value = kinds[0]
        if not message.open_list:  # the conclusion as it stands: nothing typed yet
            self.remember()
            self.shown_people = self.people

    def _with_outcome(self, people: list[PersonInput]) -> tuple[PersonInput, ...]:
        """The stored persons, with the outcome typed here for those that have none yet."""
        outcome = self.field("outcome").value.strip().upper()
        kind = self.field("outcome_kind").value.strip().upper() if \
            self.query_one("#row-outcome_kind").display else ""
        if not outcome:
            return tuple(people)
        return tuple(p if p.outcome else replace(p, outcome=outcome, outcome_kind=kind)
                     for p in people)

    def _open_list(self, people: tuple[PersonInput, ...]) -> None:
        assert self.card is not None
        self.app.push_screen(PersonsDialog(people, self.tables, self.card.business_type,
                                           self.card.unified_no, self.card.charge,
                                           self.card.id), self._people_back)

    def _people_back(self, people: tuple[PersonInput, ...] | None) -> None:
        if people is not None:
            self.people = people
            self.fit_rows()
            if not people:
                self.say("")

    # --- saving -------------------------------------------------------------------------

    def write(self, values: dict[str, str]) -> None:
        typed = ConclusionInput(
            concluded_on=values["concluded_on"], outcome=values.get("outcome", ""),
            outcome_kind=values.get("outcome_kind", ""),
            outcome_persons=values.get("outcome_persons", ""), people=self.people)
        case_events.conclude(self.session, self.card_id, typed, values["reason"])
