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

from store.cards import codes
from store.cards import entry as cards
from store.cards import review as card_review
from store.cards.entry import CardInput, Checked, InvalidCard
from store.cards.review import CardRecord
from store.cards.rules import Violation
from store.i18n import N_, _
from tui import glyphs
from tui.dialogs.reason import ReasonDialog
from tui.screens.base import BaseScreen
from tui.workers import call_store

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
    CSS_PATH = "card_entry.tcss"
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
        call_store(self, lambda: {kind: codes.all_codes(kind) for kind in codes.KINDS},
                   self._loaded)
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

    def _loaded(self, tables: dict[str, list[codes.Code]]) -> None:
        self.tables = {**tables, "major": major_codes()}
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
        if self._check_timer is not None:
            self._check_timer.stop()
        self._check_timer = self.set_timer(0.3, self._check)

    def _check(self) -> None:
        typed, card_id = self.typed(), self.editing.id if self.editing else None
        call_store(self, lambda: cards.validate(typed, card_id), self._show_checks,
                   group="card-check")

    def _show_checks(self, checked: Checked) -> None:
        """While typing, empty required fields are not yet a problem (saving says so)."""
        self._show_problems([p for p in checked.problems
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
            return

        def job() -> Any:
            try:
                return cards.add(session, typed)
            except InvalidCard as refused:
                return refused

        call_store(self, job, lambda result: self._saved(typed, result))

    def _saved(self, typed: CardInput, result: Any) -> None:
        status = self.query_one("#card-status", Static)
        if isinstance(result, InvalidCard):
            self._show_problems(result.problems)
            status.update(not_saved())
            first = next(n for n, _l, _t in ROWS if any(n in p.fields for p in result.problems))
            self.query_one(f"#{first}").focus()
            return
        card_id, checked = result
        self.previous = typed
        status.update(glyphs.OK + " "
                      + _("card #{id} saved ({errors} errors, {warnings} warnings); next card")
                      .format(id=card_id, errors=len(checked.errors),
                              warnings=len(checked.warnings)))
        for name, _label, _table in ROWS:
            self.query_one(f"#{name}", Input).value = ""
            self.query_one(f"#note-{name}", Static).update("")
            self.query_one(f"#row-{name}").remove_class("-problem")
        self.query_one("#department", Input).focus()

    def _save_changes(self, session: Any, typed: CardInput) -> None:
        """Change the card; in a reported month only as a correction, with its reason."""
        editing = self.editing
        assert editing is not None

        def store(reason: str) -> None:
            def job() -> Any:
                try:
                    card_review.update(session, editing.id, typed, reason)
                except InvalidCard as refused:
                    return refused
                return None

            call_store(self, job, lambda result: self._changed(result))

        if editing.status == "reported":
            dialog = ReasonDialog(_("Correct a reported card"),
                                  _("The month is reported: the change is kept as a correction "
                                    "with its reason, beside the old values."))
            self.app.push_screen(dialog, lambda ok: store(dialog.reason) if ok else None)
        else:
            store("")

    def _changed(self, result: Any) -> None:
        if isinstance(result, InvalidCard):
            self._show_problems(result.problems)
            self.query_one("#card-status", Static).update(
                not_saved())
            return
        self.app.notify(_("Card #{id} saved.").format(id=self.editing.id if self.editing else ""))
        self.app.pop_screen()

    def action_copy_previous(self) -> None:
        if self.previous is None:
            self.query_one("#card-status", Static).update(_("no previous card yet"))
            return
        for name in ("department", "business_type"):
            self.query_one(f"#{name}", Input).value = getattr(self.previous, name)
        self.query_one("#case_no", Input).focus()

