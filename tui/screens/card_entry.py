"""Card entry (案件登记卡录入): every field by Tab/Enter in paper-card order, live checks.

Code fields filter their table as you type (code, pinyin initials or part of
the name; Enter takes the first match). Ctrl+S saves and starts the next
card; Ctrl+T copies the previous card's department and business type.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Label, Static
from textual.worker import Worker, WorkerState

from store.cards import codes
from store.cards import entry as cards
from store.cards import review as card_review
from store.cards.entry import CardInput, Checked, InvalidCard
from store.cards.review import CardRecord
from store.cards.rules import Violation
from store.i18n import N_, _, ngettext
from tui import glyphs, workers
from tui.dialogs.reason import ReasonDialog
from tui.screens.base import BaseScreen
from tui.workers import Reply, reply, store_work

ROWS: list[tuple[str, str, str]] = [  # field, label, code table ("" for typed values)
    ("department", N_("Department"), "department"),
    ("business_type", N_("Business type"), "business_type"),
    ("case_no", N_("Case number"), ""),
    ("case_name", N_("Case name"), ""),
    ("charge", N_("Charge"), "charge"),
    ("persons", N_("Persons"), ""),
    ("accepted_on", N_("Accepted on"), ""),
    ("concluded_on", N_("Concluded on"), ""),
    ("outcome", N_("Outcome"), "outcome"),
    ("outcome_persons", N_("Persons (outcome)"), ""),
    ("amount", N_("Amount (yuan)"), ""),
    ("rank", N_("Rank"), "rank"),
    ("major", N_("Major case"), "major"),
    ("major_override", N_("Override reason"), ""),
    ("month", N_("Statistical month"), ""),
    ("remarks", N_("Remarks"), ""),
]
MAJOR = [("A", "auto", N_("automatic, from amount and rank"), "zd"),
         ("N", "", N_("none"), "w"), ("D", "major", N_("major case 大案"), "da"),
         ("Y", "key", N_("key case 要案"), "ya"), ("B", "both", N_("both 大案要案"), "dy")]
"""The major-case choices, picked like a code (empty means automatic)."""


def major_codes() -> list[codes.Code]:
    return [codes.Code("major", key, _(text), _(text), short, value, "active")
            for key, value, text, short in MAJOR]


def describe(violation: Violation) -> str:
    mark = glyphs.BAD if violation.severity == "error" else glyphs.WARN
    code = "" if violation.code == "F" else f"{violation.code} "
    return f"{mark} {code}{_(violation.message).format(**violation.params)}"


def not_saved() -> str:
    return glyphs.BAD + " " + _("not saved: correct the fields marked {mark}").format(
        mark=glyphs.BAD)


class CardEntryScreen(BaseScreen):
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
    CardEntryScreen .card-row { height: 1; }
    CardEntryScreen .card-label { width: 18; }
    CardEntryScreen .card-row > Input, CardEntryScreen .card-row > Select {
        width: 30; margin-right: 1;
    }
    CardEntryScreen .card-note { width: 1fr; color: $text-muted; }
    CardEntryScreen .card-row.-problem > .card-note { color: $warning; text-style: bold; }
    CardEntryScreen .card-row.-problem > .card-label { text-style: bold reverse; }
    CardEntryScreen #card-status { height: auto; padding: 0 1; }
    """
    TITLE_TEXT = N_("Enter cards")
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save and next"), id="card-save"),
        Binding("ctrl+t", "copy_previous", N_("Copy dept. and type"), id="card-copy"),
    ]

    def __init__(self, editing: CardRecord | None = None) -> None:
        super().__init__()
        self.tables: dict[str, list[codes.Code]] = {}
        self.waiting: Input | None = None
        """A field whose Enter came before the code tables were read."""
        self.previous: CardInput | None = None
        self._check_timer: Timer | None = None
        self.editing = editing
        """A stored card being changed (or, in a reported month, corrected with a reason)."""

    def body(self) -> ComposeResult:
        with VerticalScroll(id="card-form"):
            for name, label, _table in ROWS:
                with Horizontal(classes="card-row", id=f"row-{name}"):
                    yield Label(_(label), classes="card-label")
                    hint = self._hint(name)
                    yield Input(id=name, compact=True,
                                placeholder=_(hint) if hint == "automatic" else hint)
                    yield Static("", classes="card-note", id=f"note-{name}")
        yield Static("", id="card-status")

    @staticmethod
    def _hint(name: str) -> str:
        return {"accepted_on": "20261130", "concluded_on": "20261130",
                "month": N_("automatic"), "major": N_("automatic"),
                "case_no": "某检刑诉〔2026〕1号"}.get(name, "")

    def on_mount(self) -> None:
        super().on_mount()
        self.read_tables()
        if self.editing is not None:
            typed = self.editing.as_input()
            picks = {value: key for key, value, _text, _short in MAJOR}
            for name, _label, _table in ROWS:
                value = getattr(typed, name)
                if name == "major":  # the stored flag as its pick code ("" is N, none)
                    value = picks.get(value, value)
                self.query_one(f"#{name}", Input).value = "" if value == "auto" else value
            self.sub_title = _("Card #{id}").format(id=self.editing.id)
        self.query_one("#department", Input).focus()

    @store_work("card-tables")
    def read_tables(self) -> None:
        reply(self, self.TablesRead({kind: codes.all_codes(kind) for kind in codes.KINDS}))

    @on(TablesRead)
    def tables_read(self, message: TablesRead) -> None:
        self.tables = {**message.tables, "major": major_codes()}
        for field, _label, table in ROWS:  # what was typed before the tables came
            if table:
                self.query_one(f"#note-{field}", Static).update(self._name_of(field, table))
        if self.waiting is not None:
            self._take_match(self.waiting)
            self.waiting = None

    # --- code fields: filter as you type, Enter takes the first match ------------------

    def _matches(self, field: str, typed: str) -> list[codes.Code]:
        table = next(t for n, _l, t in ROWS if n == field)
        found = [c for c in self.tables.get(table, []) if c.matches(typed)]
        if field == "outcome":
            kind = self.query_one("#business_type", Input).value.strip().upper()
            found = [c for c in found if c.parent == kind]
        exact = [c for c in found if c.code.lower() == typed.strip().lower()]
        return exact or found

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        table = next((t for n, _l, t in ROWS if n == field), "")
        if table:
            self.query_one(f"#note-{field}", Static).update(self._name_of(field, table))
        self._check_soon()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if not self.tables:  # Enter before the code tables are read: take the match then
            self.waiting = event.input
            return
        self._take_match(event.input)

    @on(Input.Blurred)
    def left(self, event: Input.Blurred) -> None:
        """Tab (or any way out of a code field) takes its match, as Enter does."""
        if self.tables and self.is_mounted:
            self._resolve(event.input)

    def _resolve(self, control: Input) -> None:
        field = control.id or ""
        table = next((t for n, _l, t in ROWS if n == field), "")
        if table and control.value.strip():
            found = self._matches(field, control.value)
            if found and control.value != found[0].code:
                control.value = found[0].code
                self.query_one(f"#note-{field}", Static).update(found[0].name)

    def _take_match(self, control: Input) -> None:
        """Enter on a field: a code field takes its first match; then the next field."""
        self._resolve(control)
        if self.focused is control:
            self.focus_next()

    # --- live checks --------------------------------------------------------------------

    def typed(self) -> CardInput:
        values = {name: self.query_one(f"#{name}", Input).value for name, _l, _t in ROWS}
        major = [c.parent for c in self.tables.get("major", []) if c.code == values["major"]]
        values["major"] = major[0] if major else ("auto" if not values["major"].strip()
                                                  else values["major"])
        return CardInput(**values)

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
        reply(self, self.Validated(cards.validate(typed, card_id)))

    @on(Validated)
    def validated(self, message: Validated) -> None:
        """While typing, empty required fields are not yet a problem (saving says so)."""
        self._show_problems([p for p in message.checked.problems
                             if not (p.code == "F" and p.message == "required")])

    def _show_problems(self, problems: list[Violation]) -> None:
        for name, _label, table in ROWS:
            mine = [p for p in problems if name in p.fields]
            note = self.query_one(f"#note-{name}", Static)
            row = self.query_one(f"#row-{name}")
            row.set_class(bool(mine), "-problem")
            if mine:
                note.update(describe(mine[0]))
            else:
                note.update(self._name_of(name, table))

    def _name_of(self, field: str, table: str) -> str:
        """A code field's note: the entry's name once chosen, else the first matches of what
        is typed so far (Enter takes the first); other fields have none."""
        typed = self.query_one(f"#{field}", Input).value.strip()
        if not table or not typed:
            return ""
        exact = [c for c in self.tables.get(table, []) if c.code == typed]
        if exact:
            return exact[0].name
        found = self._matches(field, typed)
        return "  ".join(f"{c.code} {c.name}" for c in found[:3]) or _("no match")

    # --- saving -------------------------------------------------------------------------

    def action_save(self) -> None:
        session, typed = self.desk.session, self.typed()
        if session is None:
            return
        if self.editing is not None:
            self._save_changes(session, typed)
        else:
            self.add_card(session, typed)

    @store_work("card-save", write=True)
    def add_card(self, session: Any, typed: CardInput) -> None:
        card_id, checked = cards.add(session, typed)
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
        for name, _label, _table in ROWS:
            self.query_one(f"#{name}", Input).value = ""
            self.query_one(f"#note-{name}", Static).update("")
            self.query_one(f"#row-{name}").remove_class("-problem")
        self.query_one("#department", Input).focus()

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
        self._show_problems(problems)
        self.query_one("#card-status", Static).update(not_saved())
        if self.editing is None:  # a new card: the cursor goes to the first field to correct
            first = next(n for n, _l, _t in ROWS if any(n in p.fields for p in problems))
            self.query_one(f"#{first}").focus()

    def action_copy_previous(self) -> None:
        if self.previous is None:
            self.query_one("#card-status", Static).update(_("no previous card yet"))
            return
        for name in ("department", "business_type"):
            self.query_one(f"#{name}", Input).value = getattr(self.previous, name)
        self.query_one("#case_no", Input).focus()
