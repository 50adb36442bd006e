"""A card form's rows (label, field, the note beside it) and its code fields.

Used by the card entry screen and the dialogs of a case (its persons, its conclusion, its
events). A code field filters its table as you type (code, pinyin initials or part of the
name) and takes the first match on Enter or Tab; the note beside it names the entry chosen,
lists the first matches, or says what is wrong with the field.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from store.cards import codes
from store.cards import persons as case_persons
from store.cards.rules import Violation, said
from store.i18n import N_, _
from tui import glyphs

Row = tuple[str, str, str]
"""A field's id, its label (a catalog message) and its code table ("" for typed values)."""

YES_NO = [("Y", "1", N_("yes"), "1"), ("N", "0", N_("no"), "0")]
"""The yes/no choices (a minor, 认罪认罚), picked like a code: code, stored value, name, short."""


def choice_codes(kind: str, choices: list[tuple[str, str, str, str]]) -> list[codes.Code]:
    """Fixed choices as code entries (the value to store is kept as the entry's parent)."""
    return [codes.Code(kind, key, _(text), _(text), short, value, "active")
            for key, value, text, short in choices]


def read_tables() -> dict[str, list[codes.Code]]:
    """Every table a card form picks from (store reads: run in a worker). Outcome kinds have
    their outcome as parent, so the kind field lists only the chosen outcome's kinds."""
    tables = {kind: codes.all_codes(kind) for kind in codes.KINDS}
    tables["custody"] = case_persons.custody_codes()
    tables["outcome_kind"] = [replace(kind, parent=outcome)
                              for outcome in case_persons.OUTCOME_KINDS
                              for kind in case_persons.outcome_kind_codes(outcome)]
    return tables


def describe(violation: Violation) -> str:
    """A rule's finding as one line: its mark, its code, its message (wrapped beside its
    field when the screen is narrow: never the code alone)."""
    mark = glyphs.BAD if violation.severity == "error" else glyphs.WARN
    code = "" if violation.code == "F" else f"{violation.code} "
    return f"{mark} {code}{said(violation)}"


def shown_code(tables: dict[str, list[codes.Code]], table: str, value: str) -> str:
    """A stored code with its name, as a card shows it ("BQS 不起诉"); the code alone when the
    table does not have it."""
    found = [c for c in tables.get(table, []) if c.code == value]
    return f"{value} {found[0].name}" if found and value else value


class CardRow(Horizontal):
    """One field of a card form: label, field (id = the field's name), note (`note-<name>`)."""

    DEFAULT_CSS = """
    CardRow { height: auto; }
    CardRow > .card-label { width: 18; }
    CardRow > Input { width: 30; margin-right: 1; }
    CardRow > .card-note { width: 1fr; height: auto; color: $text-muted; }
    CardRow.-problem > .card-note { color: $warning; text-style: bold; }
    CardRow.-problem > .card-label { text-style: bold reverse; }
    """

    def __init__(self, name: str, label: str, *, value: str = "", placeholder: str = "",
                 disabled: bool = False) -> None:
        super().__init__(classes="card-row", id=f"row-{name}")
        self.field_name, self.label, self.value = name, label, value
        self.placeholder, self.field_disabled = placeholder, disabled

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="card-label")
        yield Input(self.value, id=self.field_name, compact=True, placeholder=self.placeholder,
                    disabled=self.field_disabled)
        yield Static("", classes="card-note", id=f"note-{self.field_name}")


if TYPE_CHECKING:
    _Mixin = Widget
else:  # a plain mixin (see tui.workers.StoreRoute): named handlers, no @on
    _Mixin = object


class CodeFields(_Mixin):
    """The code fields of a form made of `CardRow`s: the class lists `ROWS`, holds `tables`
    (kind -> entries) once read, and may filter a table by another field (`PARENTS`)."""

    ROWS: ClassVar[list[Row]] = []
    PARENTS: ClassVar[dict[str, str]] = {"outcome": "business_type", "outcome_kind": "outcome"}
    """A field whose entries must have, as parent, the value of another field."""
    tables: dict[str, list[codes.Code]]
    waiting: Input | None
    """A field whose Enter came before the code tables were read."""

    def compose_rows(self, hints: dict[str, str] | None = None) -> ComposeResult:
        for name, label, _table in self.ROWS:
            yield CardRow(name, _(label), placeholder=(hints or {}).get(name, ""))

    def table_of(self, field: str) -> str:
        return next((t for n, _l, t in self.ROWS if n == field), "")

    def field(self, name: str) -> Input:
        return self.query_one(f"#{name}", Input)

    def parent_value(self, field: str) -> str | None:
        """The parent the field's entries must have (None: any); by default the value of the
        field named in `PARENTS`, when the form has it."""
        parent = self.PARENTS.get(field)
        if parent is None or parent not in {n for n, _l, _t in self.ROWS}:
            return None
        return self.field(parent).value.strip().upper()

    def matches(self, field: str, typed: str) -> list[codes.Code]:
        found = [c for c in self.tables.get(self.table_of(field), []) if c.matches(typed)]
        parent = self.parent_value(field)
        if parent is not None:
            found = [c for c in found if c.parent == parent]
        exact = [c for c in found if c.code.lower() == typed.strip().lower()]
        return exact or found

    def name_of(self, field: str) -> str:
        """A code field's note: the entry's name once chosen, else the first matches of what
        is typed so far (Enter takes the first); other fields have none."""
        table, typed = self.table_of(field), self.field(field).value.strip()
        if not table or not typed:
            return ""
        exact = [c for c in self.tables.get(table, []) if c.code == typed]
        if exact:
            return exact[0].name
        found = self.matches(field, typed)
        return "  ".join(f"{c.code} {c.name}" for c in found[:3]) or _("no match")

    def picked(self, field: str) -> str:
        """The value to store for a field: a fixed choice's stored value (yes/no, the major
        flag), else what the field holds."""
        value = self.field(field).value.strip()
        table = self.table_of(field)
        chosen = [c for c in self.tables.get(table, []) if c.code == value]
        return chosen[0].parent if chosen and table in ("yes_no", "major") else value

    def note(self, field: str, text: str, problem: bool = False) -> None:
        self.query_one(f"#note-{field}", Static).update(text)
        self.query_one(f"#row-{field}").set_class(problem, "-problem")

    def show_problems(self, problems: list[Violation]) -> list[str]:
        """Each row's first problem beside it (the rest show their code's name); returns the
        rows that have one, in form order."""
        marked = []
        for name, _label, _table in self.ROWS:
            mine = [p for p in problems if name in self.rows_of(p)]
            self.note(name, describe(mine[0]) if mine else self.name_of(name), bool(mine))
            if mine:
                marked.append(name)
        return marked

    def rows_of(self, problem: Violation) -> list[str]:
        """The rows a problem is shown beside: each of its fields the form shows, else the
        row that stands for them (`elsewhere`)."""
        shown = [n for n, _l, _t in self.ROWS
                 if n in problem.fields and self.query_one(f"#row-{n}").display]
        if shown:
            return shown
        other = self.elsewhere(problem)
        return [other] if other else []

    def elsewhere(self, problem: Violation) -> str:
        """The row for a problem of fields the form does not show ("": none)."""
        return ""

    def fit_rows(self) -> None:
        """Show the rows the values so far call for (a subclass hides what does not apply)."""

    def field_changed(self, field: str) -> None:
        """A field's value changed (typed or picked)."""

    # --- the fields' events: Textual calls these by name for every class that has them ----

    def on_input_changed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        if field in {n for n, _l, _t in self.ROWS}:
            if self.table_of(field):
                self.note(field, self.name_of(field))
            self.fit_rows()
            self.field_changed(field)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id not in {n for n, _l, _t in self.ROWS}:
            return
        if not self.tables:  # Enter before the code tables are read: take the match then
            self.waiting = event.input
            return
        self.take_match(event.input)

    def on_input_blurred(self, event: Input.Blurred) -> None:
        """Tab (or any way out of a code field) takes its match, as Enter does."""
        if self.tables and self.is_mounted and event.input.id in {n for n, _l, _t in self.ROWS}:
            self.resolve(event.input)

    def tables_arrived(self, tables: dict[str, list[codes.Code]]) -> None:
        """The tables were read: notes for what was typed before, a waiting Enter taken."""
        self.tables = {**tables, "yes_no": choice_codes("yes_no", YES_NO)}
        for field, _label, table in self.ROWS:
            if table:
                self.note(field, self.name_of(field))
        self.fit_rows()
        if self.waiting is not None:
            self.take_match(self.waiting)
            self.waiting = None

    def resolve(self, control: Input) -> None:
        field = control.id or ""
        if self.table_of(field) and control.value.strip():
            found = self.matches(field, control.value)
            if found and control.value != found[0].code:
                control.value = found[0].code
                self.note(field, found[0].name)
        self.fit_rows()  # now, before the cursor moves on: a row may come or go

    def take_match(self, control: Input) -> None:
        """Enter on a field: a code field takes its first match; then the next field."""
        self.resolve(control)
        if self.app.focused is control:
            self.focus_after(control)
        self.entered(control)

    def focus_after(self, control: Input) -> None:
        """The cursor to the next row shown (by the rows themselves: a row shown a moment
        ago counts, which Textual's own focus chain may not know yet)."""
        names = [n for n, _l, _t in self.ROWS]
        if control.id in names:
            for name in names[names.index(control.id) + 1:]:
                if self.query_one(f"#row-{name}").display and not self.field(name).disabled:
                    self.field(name).focus()
                    return
        self.app.screen.focus_next()

    def entered(self, control: Input) -> None:
        """Enter was pressed on a field (after the cursor moved on)."""


def kinds_of(tables: dict[str, list[codes.Code]], outcome: str) -> list[codes.Code]:
    """The kinds an outcome is given in (none for most outcomes)."""
    return [c for c in tables.get("outcome_kind", []) if c.parent == outcome.strip().upper()]
