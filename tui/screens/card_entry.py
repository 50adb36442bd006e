"""Card entry (案件登记卡录入): every field by Tab/Enter in paper-card order, live checks.

Code fields filter their table as you type (code, pinyin initials or part of
the name; Enter takes the first match). Ctrl+S (or Enter on the last field) saves and
starts the next card; Ctrl+T copies the previous card's department and business type.
A case of one person (or of persons alike) is entered on the card itself; F6 opens the
persons list, one row per person, for persons who differ (their outcomes, custody, ...).
Esc on a changed form asks: keep editing, discard, or keep it as a draft (kept in the
store, per operator, offered again by Ctrl+R until saved or discarded). A stored card is
edited on the same screen, titled as an edit, without the keys of a new card.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from store.cards import codes, drafts
from store.cards import entry as cards
from store.cards import review as card_review
from store.cards.entry import CardInput, Checked, InvalidCard
from store.cards.persons import PersonInput
from store.cards.review import CardRecord
from store.cards.rules import CRIMINAL, MAJOR_NAMES, Violation
from store.i18n import N_, _, ngettext
from tui import glyphs, workers
from tui.dialogs.persons import PersonsDialog, case_outcome, simple_people, yes_no_code
from tui.dialogs.reason import ReasonDialog
from tui.keys import key_of
from tui.screens.card_drafts import DraftKeeping
from tui.widgets.card_fields import Row, choice_codes, describe, kinds_of, read_tables
from tui.workers import Reply, reply, store_work

ROWS: list[Row] = [  # field, label, code table ("" for typed values)
    ("department", N_("Department"), "department"),
    ("business_type", N_("Business type"), "business_type"),
    ("case_no", N_("Case number"), ""),
    ("unified_no", N_("Unified case no."), ""),
    ("case_name", N_("Case name"), ""),
    ("charge", N_("Charge"), "charge"),
    ("persons", N_("Persons"), ""),
    ("custody", N_("Custody"), "custody"),
    ("minor", N_("Minor"), "yes_no"),
    ("accepted_on", N_("Accepted on"), ""),
    ("concluded_on", N_("Concluded on"), ""),
    ("outcome", N_("Outcome"), "outcome"),
    ("outcome_kind", N_("Outcome kind"), "outcome_kind"),
    ("outcome_persons", N_("Persons (outcome)"), ""),
    ("plea", N_("Guilty plea"), "yes_no"),
    ("amount", N_("Amount (yuan)"), ""),
    ("rank", N_("Rank"), "rank"),
    ("major", N_("Major case"), "major"),
    ("major_override", N_("Override reason"), ""),
    ("month", N_("Statistical month"), ""),
    ("remarks", N_("Remarks"), ""),
]
PERSON_ROWS = ("custody", "minor", "outcome_kind", "outcome_persons", "plea")
"""What a case of persons alike gives on the card; with a persons list, each person has it."""
DERIVED = ("persons", "outcome")
"""With a persons list, the card shows these as the list makes them (not typed)."""
MAJOR = [("A", "auto", N_("automatic, from amount and rank"), "zd"),
         ("N", "", MAJOR_NAMES[""], "w"), ("D", "major", MAJOR_NAMES["major"], "da"),
         ("Y", "key", MAJOR_NAMES["key"], "ya"), ("B", "both", MAJOR_NAMES["both"], "dy")]
"""The major-case choices, picked like a code (empty means automatic)."""


def major_codes() -> list[codes.Code]:
    return choice_codes("major", MAJOR)


def not_saved() -> str:
    return glyphs.BAD + " " + _("not saved: correct the fields marked {mark}").format(
        mark=glyphs.BAD)


class CardEntryScreen(DraftKeeping):
    """A card field by field. The live check runs `workers.DEBOUNCE` seconds after the last
    key, in one exclusive worker group: an older check never overwrites a newer one."""

    class TablesRead(Reply):
        """The active entries of every code table, by kind."""

        def __init__(self, tables: dict[str, list[codes.Code]]) -> None:
            super().__init__()
            self.tables = tables

    class Validated(Reply):
        """What the rules find in the values typed so far."""

        def __init__(self, checked: Checked) -> None:
            super().__init__()
            self.checked = checked

    class Added(Reply):
        """A new card was saved as `card_id` from `typed`; `checked` is what its rules found."""

        def __init__(self, typed: CardInput, card_id: int, checked: Checked) -> None:
            super().__init__()
            self.typed, self.card_id, self.checked = typed, card_id, checked

    class Updated(Reply):
        """The card being changed was saved."""

    DEFAULT_CSS = """
    CardEntryScreen #card-form { height: 1fr; padding: 0 1; }
    CardEntryScreen #card-status { height: auto; padding: 0 1; }
    """
    TITLE_TEXT = N_("Enter cards")
    ROWS = ROWS
    BINDINGS = [
        Binding("ctrl+s", "save('next')", N_("Save and next"), id="card-save"),
        Binding("ctrl+s", "save('edit')", N_("Save"), id="card-save-edit"),
        Binding("ctrl+t", "copy_previous", N_("Copy dept. and type"), id="card-copy"),
        Binding("f6", "persons", N_("Persons list"), id="card-persons"),
        Binding("ctrl+r", "take_draft", N_("Drafts"), id="card-drafts"),
    ]

    def __init__(self, editing: CardRecord | None = None) -> None:
        super().__init__()
        self.tables: dict[str, list[codes.Code]] = {}
        self.waiting: Input | None = None
        self.previous: CardInput | None = None
        self._check_timer: Timer | None = None
        self.editing = editing
        """A stored card being changed (or, in a reported month, corrected with a reason)."""
        self.people: tuple[PersonInput, ...] = ()
        """The persons list, when the persons differ (empty: the card's own fields say)."""
        self.problems: list[Violation] = []
        """What the last check found (the persons list marks its persons' problems)."""
        self._auto_outcome_persons = ""
        """The 处理人数 the form filled in from 人数 (it follows 人数 while unchanged)."""

    def body(self) -> ComposeResult:
        with VerticalScroll(id="card-form"):
            yield from self.compose_rows({
                "accepted_on": "20261130", "concluded_on": "20261130",
                "month": _("automatic"), "major": _("automatic"),
                "case_no": "某检刑诉〔2026〕1号"})
        yield Static("", id="card-status")

    def on_mount(self) -> None:
        super().on_mount()
        self.read_tables()
        if self.editing is not None:
            self.fill(self.editing.as_input())
            self.call_later(self.retitle)  # after BaseScreen's own on_mount
        else:
            self.read_drafts()
        self.fit_rows()
        self.clean = self.form_state()
        self.field("department").focus()

    def retitle(self) -> None:
        """A stored card being changed is titled as an edit, with its case number."""
        if self.editing is not None:
            self.sub_title = _("Edit card {case_no}").format(case_no=self.editing.case_no)

    def retranslate(self) -> None:
        super().retranslate()
        self.retitle()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Editing a stored card: one save (no "next"), nothing to copy, no drafts; a new card
        shows the drafts key only while there are drafts."""
        editing = self.editing is not None
        if action == "save":
            return parameters == (("edit",) if editing else ("next",))
        if action == "copy_previous":
            return not editing
        if action == "take_draft":
            return not editing and bool(self.kept)
        return super().check_action(action, parameters)

    def form_state(self) -> tuple[object, ...]:
        """What the form holds (what the persons list makes is left out: it follows)."""
        values = tuple(self.field(name).value for name, _l, _t in ROWS
                       if not (self.people and name in DERIVED))
        return (*values, self.people)

    @store_work("card-tables")
    def read_tables(self) -> None:
        reply(self, self.TablesRead(read_tables()))

    @on(TablesRead)
    def tables_read(self, message: TablesRead) -> None:
        self.tables_arrived({**message.tables, "major": major_codes()})

    # --- the persons: on the card, or one by one in the list -----------------------------

    def fit_rows(self) -> None:
        """A kind only for an outcome that has kinds; with a persons list, the persons' own
        fields are in the list and the card shows the count and the case's outcome."""
        listed = bool(self.people)
        for name in PERSON_ROWS:
            self.query_one(f"#row-{name}").display = not listed
        kinds = kinds_of(self.tables, self.field("outcome").value)
        self.query_one("#row-outcome_kind").display = not listed and bool(kinds)
        for name in DERIVED:
            self.field(name).disabled = listed
        if listed:
            self._show_listed()
        self._outcome_persons_follow()  # now, before the cursor moves on to it

    def _show_listed(self) -> None:
        """The count and the case's outcome as the persons list makes them."""
        outcomes = [c.code for c in self.tables.get("outcome", [])
                    if c.parent == self.field("business_type").value.strip().upper()]
        shown = {"persons": str(len(self.people)),
                 "outcome": case_outcome(self.people, outcomes)}
        for name, value in shown.items():
            if self.field(name).value != value:
                self.field(name).value = value

    def name_of(self, field: str) -> str:
        if field == "persons":
            key = key_of(self, "card-persons")
            if self.people:
                n = len(self.people)
                return ngettext("{n} person in the list ({key})",
                                "{n} persons in the list ({key})", n).format(n=n, key=key)
            return _("{key}: persons one by one").format(key=key)
        return super().name_of(field)

    def elsewhere(self, problem: Violation) -> str:
        """A problem of a person (or of what the list makes) is shown beside the persons."""
        if self.people or any(f.startswith("people") for f in problem.fields):
            return "persons"
        return ""

    def action_persons(self) -> None:
        """The persons list: what the card's fields make, to change person by person."""
        people = self.people or simple_people(self._simple_values())
        values = self._simple_values()
        self.app.push_screen(
            PersonsDialog(people, self.tables, values["business_type"].upper(),
                          values["unified_no"], values["charge"],
                          self.editing.id if self.editing else None,
                          self.problems),
            self._persons_back)

    def _simple_values(self) -> dict[str, str]:
        values = {name: self.field(name).value.strip() for name, _l, _t in ROWS}
        for name in ("minor", "plea"):
            values[name] = self.picked(name)
        if not self.query_one("#row-outcome_kind").display:
            values["outcome_kind"] = ""
        return values

    def _persons_back(self, people: tuple[PersonInput, ...] | None) -> None:
        if people is None:
            return
        was_listed = bool(self.people)
        self.people = () if not people else tuple(people)
        if not was_listed and self.people == simple_people(self._simple_values()):
            self.people = ()  # the list says what the card's fields say: keep the card
        if was_listed and not self.people:
            for name in DERIVED:
                self.field(name).value = ""
        self.fit_rows()
        self.note("persons", self.name_of("persons"))
        self._check_soon()

    # --- live checks --------------------------------------------------------------------

    def typed(self) -> CardInput:
        values = self._simple_values()
        values["case_name"] = self.field("case_name").value  # as typed (the store trims)
        major = [c.parent for c in self.tables.get("major", [])
                 if c.code == self.field("major").value.strip()]
        values["major"] = major[0] if major else ("auto" if not values["major"]
                                                  else values["major"])
        if self.people:
            for name in (*PERSON_ROWS, *DERIVED):
                values[name] = ""
        return CardInput(**values, people=self.people)

    def field_changed(self, field: str) -> None:
        self._check_soon()

    def _outcome_persons_follow(self) -> None:
        """With an outcome chosen, 处理人数 starts as 人数 (a criminal case's blank 人数 is one
        person) and follows it while the clerk has not changed it; without an outcome, what
        was filled in goes again."""
        if self.people or not self.tables:
            return
        box = self.field("outcome_persons")
        outcome = self.field("outcome").value.strip()
        chosen = bool(outcome) and any(c.code == outcome for c in self.tables.get("outcome", []))
        if box.value and box.value != self._auto_outcome_persons:
            return  # typed by the clerk
        persons = self.field("persons").value.strip()
        kind = self.field("business_type").value.strip().upper()
        wanted = (persons or ("1" if kind in CRIMINAL else "")) if chosen else ""
        if box.value != wanted:
            box.value = wanted
        self._auto_outcome_persons = wanted

    def pending(self, field: str) -> bool:
        """A code field the cursor is in whose value is not (yet) an entry of its table: it
        shows candidates, and the rules judge it once a value is chosen."""
        table, box = self.table_of(field), self.field(field)
        value = box.value.strip()
        return (bool(table) and bool(value) and self.focused is box
                and not any(c.code == value for c in self.tables.get(table, [])))

    def _check_soon(self) -> None:
        """Check once the keys pause (the debounce is read now: tests set it to 0)."""
        if self._check_timer is not None:
            self._check_timer.stop()
            self._check_timer = None
        if workers.DEBOUNCE > 0:
            self._check_timer = self.set_timer(workers.DEBOUNCE, self._check)
        else:
            self._check()

    def _check(self) -> None:
        self.check_typed(self.typed(), self.editing.id if self.editing else None)

    @store_work("card-check")
    def check_typed(self, typed: CardInput, card_id: int | None) -> None:
        reply(self, self.Validated(cards.validate(typed, card_id, live=True)))

    @on(Validated)
    def validated(self, message: Validated) -> None:
        """What is there is checked as typed (a rule of a blank field waits; a missing
        required field is said on saving); a code field being typed shows its candidates."""
        self.problems = message.checked.problems
        waiting = {name for name, _l, _t in ROWS if self.pending(name)}
        self.show_problems([p for p in message.checked.problems
                            if not waiting & set(p.fields)])

    # --- saving -------------------------------------------------------------------------

    def action_save(self, how: str = "") -> None:
        session, typed = self.desk.session, self.typed()
        if session is None:
            return
        if self.editing is not None:
            self._save_changes(session, typed)
        else:
            self.add_card(session, typed, self.draft.id if self.draft else None)

    def entered(self, control: Input) -> None:
        """Enter on the last field saves (as Ctrl+S does)."""
        if control.id == ROWS[-1][0]:
            self.action_save()

    @store_work("card-save", write=True)
    def add_card(self, session: Any, typed: CardInput, draft_id: int | None) -> None:
        card_id, checked = drafts.add_card(session, typed, draft_id)
        reply(self, self.Added(typed, card_id, checked))

    @on(Added)
    def added(self, message: Added) -> None:
        errors, warnings = len(message.checked.errors), len(message.checked.warnings)
        self.previous = message.typed
        self.query_one("#card-status", Static).update(
            glyphs.OK + " " + _("card #{id} saved ({errors}, {warnings}); next card").format(
                id=message.card_id,
                errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
                warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings)))
        self.people = ()
        if self.draft is not None:  # saved: the draft is used (in the same transaction)
            self.kept = [d for d in self.kept if d.id != self.draft.id]
            self.draft = None
            self.refresh_bindings()
        self._clear()

    def _clear(self) -> None:
        for name, _label, _table in ROWS:
            self.field(name).value = ""
        self._auto_outcome_persons = ""
        self.fit_rows()
        for name, _label, _table in ROWS:
            self.note(name, self.name_of(name) if name == "persons" else "")
        self.clean = self.form_state()
        self.field("department").focus()

    def _save_changes(self, session: Any, typed: CardInput) -> None:
        """Change the card; in a reported month only as a correction, with its reason."""
        editing = self.editing
        assert editing is not None
        if editing.status == "reported":
            dialog = ReasonDialog(_("Correct a reported card"),
                                  _("The month is reported: the change is kept as a correction "
                                    "with its reason, beside the old values."))
            self.app.push_screen(dialog, lambda ok: self.update_card(
                session, editing.id, typed, dialog.reason) if ok else None)
        else:
            self.update_card(session, editing.id, typed, "")

    @store_work("card-save", write=True)
    def update_card(self, session: Any, card_id: int, typed: CardInput, reason: str) -> None:
        card_review.update(session, card_id, typed, reason)
        reply(self, self.Updated())

    @on(Updated)
    def updated(self, message: Updated) -> None:
        self.app.notify(_("Card #{id} saved.").format(id=self.editing.id if self.editing else ""))
        self.app.pop_screen()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A card with fields that cannot be read is not saved: each problem goes beside its
        field, and the one line of `StoreRoute` is skipped; Textual calls that base handler
        after this one for every other failure."""
        error = event.worker.error if event.state is WorkerState.ERROR else None
        if isinstance(error, InvalidCard):
            event.prevent_default()
            self._not_saved(error.problems)

    def _not_saved(self, problems: list[Violation]) -> None:
        self.problems = problems
        marked = self.show_problems(problems)
        self.query_one("#card-status", Static).update(not_saved())
        unmarked = [p for p in problems if not self.rows_of(p)]
        if unmarked:  # a problem of no field the screen shows: said on the status line
            self.query_one("#card-status", Static).update(
                not_saved() + glyphs.SEP + describe(unmarked[0]))
        if self.editing is None:  # a new card: the cursor goes to the first field to correct
            first = next((n for n in marked if not self.field(n).disabled), None)
            if first is not None:
                self.field(first).focus()

    def fill(self, typed: CardInput) -> None:
        """A card's values on the form: a stored card being changed, or a draft as typed."""
        self.people = tuple(typed.people)
        picks = {value: key for key, value, _text, _short in MAJOR}
        for name, _label, _table in ROWS:
            value = getattr(typed, name)
            if name == "major":  # the stored flag as its pick code ("" is N, none)
                value = "" if value == "auto" else picks.get(value, value)
            elif name in ("minor", "plea"):
                value = yes_no_code(value)
            self.field(name).value = value
        self._auto_outcome_persons = ""
        self.fit_rows()
        self.clean = self.form_state()
        self.note("persons", self.name_of("persons"))
        self.field("department").focus()

    def action_copy_previous(self) -> None:
        if self.previous is None:
            self.query_one("#card-status", Static).update(_("no previous card yet"))
            return
        for name in ("department", "business_type"):
            self.field(name).value = getattr(self.previous, name)
        self.field("case_no").focus()
