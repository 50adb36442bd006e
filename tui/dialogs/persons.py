"""The persons of a case, one row each (seq, name, minor, charge, custody, outcome, its kind,
认罪认罚): added, changed and taken off by keyboard, or copied from the case's earlier stage
(the card with the same 统一受案号). Nothing is written here: the list is saved with the card
(or with the conclusion) it was opened from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from store.cards import codes, entry
from store.cards import persons as case_persons
from store.cards.entry import FIELDS, CardInput
from store.cards.persons import PersonInput
from store.cards.rules import Violation
from store.i18n import N_, _, ngettext
from tui import glyphs
from tui.dialogs.unsaved import close_or_ask
from tui.keys import key_of
from tui.widgets import AppFooter
from tui.widgets.card_fields import CodeFields, describe, kinds_of
from tui.workers import Reply, StoreRoute, reply, store_work

YES = ("1", "y", "Y", "是", "yes")


def yes_no_code(value: str) -> str:
    """A stored or typed yes/no as its pick code: "Y" for yes, blank for no."""
    return "Y" if value.strip() in YES else ""


def yes_no_value(value: str) -> str:
    """A yes/no as the store takes it: "1", or blank for no; anything else as typed."""
    value = value.strip()
    return "1" if value in YES else "" if value in ("", "0", "N", "n", "否", "no") else value


def simple_people(values: dict[str, str]) -> tuple[PersonInput, ...]:
    """The persons a card's own fields make (all alike; with an outcome, the first
    `outcome_persons` of them, blank: all), as the persons list shows them."""
    typed = entry.people_of(CardInput(**{k: v for k, v in values.items() if k in FIELDS},
                                       people=()))
    return tuple(replace(p, minor=yes_no_value(p.minor), plea=yes_no_value(p.plea))
                 for p in typed)


def case_outcome(people: Iterable[PersonInput], outcomes: list[str]) -> str:
    """The case's outcome: the first, in the outcome table's order, that a person has."""
    held = {p.outcome.strip().upper() for p in people}
    return next((code for code in outcomes if code in held), "")


def person_problems(problems: Iterable[Violation]) -> dict[int, list[str]]:
    """What the rules found, by person (seq): a rule names its persons in `seqs`, a field
    that cannot be read is named people.<seq>.<field>."""
    found: dict[int, list[str]] = {}
    for problem in problems:
        named = problem.params.get("seqs")
        seqs = {int(s) for s in named if isinstance(s, int)} if isinstance(named, list) else set()
        for name in problem.fields:
            parts = name.split(".")
            if len(parts) == 3 and parts[0] == "people" and parts[1].isdigit():
                seqs.add(int(parts[1]))
        for seq in sorted(seqs):
            found.setdefault(seq, []).append(describe(problem))
    return found


def _name(tables: dict[str, list[codes.Code]], table: str, value: str) -> str:
    found = [c.name for c in tables.get(table, []) if c.code == value]
    return found[0] if found else value


class PersonDialog(CodeFields, ModalScreen[PersonInput | None]):
    """One person of the case; Enter on the last field (or Ctrl+S) keeps it in the list."""

    DEFAULT_CSS = """
    PersonDialog { align: center middle; }
    PersonDialog > Vertical {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    PersonDialog .person-title { text-style: bold; }
    PersonDialog .person-hint { color: $text-muted; }
    """
    ROWS = [
        ("name", N_("Name or number"), ""),
        ("minor", N_("Minor"), "yes_no"),
        ("charge", N_("Charge"), "charge"),
        ("custody", N_("Custody"), "custody"),
        ("outcome", N_("Outcome"), "outcome"),
        ("outcome_kind", N_("Outcome kind"), "outcome_kind"),
        ("plea", N_("Guilty plea"), "yes_no"),
    ]
    BINDINGS = [Binding("ctrl+s", "keep", N_("Keep"), id="person-keep"),
                Binding("escape", "cancel", N_("Cancel"), id="person-cancel")]

    def __init__(self, seq: int, person: PersonInput, tables: dict[str, list[codes.Code]],
                 business_type: str) -> None:
        super().__init__()
        self.seq, self.person, self.business_type = seq, person, business_type
        self.given_tables = tables
        self.tables: dict[str, list[codes.Code]] = {}
        self.waiting: Input | None = None
        self.shown_values: dict[str, str] = {}
        """The fields as the person filled them: Esc asks only if one changed since."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("Person {seq}").format(seq=self.seq), classes="person-title")
            yield from self.compose_rows({"name": str(self.seq)})
            yield Static(_("Enter: next field | {keep}: keep | {cancel}: cancel").format(
                keep=key_of(self, "person-keep"), cancel=key_of(self, "person-cancel")),
                classes="person-hint")
        yield AppFooter(compact=True)

    def on_mount(self) -> None:
        for name, _label, table in self.ROWS:
            value = getattr(self.person, name)
            self.field(name).value = yes_no_code(value) if table == "yes_no" else value
        self.tables_arrived(self.given_tables)
        self.field("name").focus()
        self.shown_values = self.typed()

    def typed(self) -> dict[str, str]:
        return {name: self.field(name).value.strip() for name, _l, _t in self.ROWS}

    def parent_value(self, field: str) -> str | None:
        if field == "outcome":
            return self.business_type
        return super().parent_value(field)

    def fit_rows(self) -> None:
        kinds = kinds_of(self.tables, self.field("outcome").value)
        self.query_one("#row-outcome_kind").display = bool(kinds)

    def entered(self, control: Input) -> None:
        shown = [self.field(n) for n, _l, _t in self.ROWS
                 if self.query_one(f"#row-{n}").display]
        if control is shown[-1]:
            self.action_keep()

    def action_keep(self) -> None:
        for name, _label, _table in self.ROWS:
            self.resolve(self.field(name))
        kind = self.field("outcome_kind").value.strip()
        self.dismiss(PersonInput(
            name=self.field("name").value.strip(), minor=yes_no_value(self.picked("minor")),
            charge=self.field("charge").value.strip(),
            custody=self.field("custody").value.strip(),
            outcome=self.field("outcome").value.strip(),
            outcome_kind=kind if self.query_one("#row-outcome_kind").display else "",
            plea=yes_no_value(self.picked("plea"))))

    def action_cancel(self) -> None:
        """Esc: an unchanged person closes; a changed one asks (keep editing or discard)."""
        close_or_ask(self, self.typed() != self.shown_values, None)


class PersonsDialog(StoreRoute, ModalScreen[tuple[PersonInput, ...] | None]):
    """The persons list; dismissed with the list (Ctrl+S) or None (Esc: nothing changes)."""

    class Copied(Reply):
        """The persons of the case's earlier stage (none found: empty)."""

        def __init__(self, people: list[PersonInput]) -> None:
            super().__init__()
            self.people = people

    DEFAULT_CSS = """
    PersonsDialog { align: center middle; }
    PersonsDialog > Vertical {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    PersonsDialog .persons-title { text-style: bold; }
    PersonsDialog #persons-table { height: auto; max-height: 12; }
    PersonsDialog #person-detail { height: auto; }
    PersonsDialog #persons-status { height: auto; }
    PersonsDialog .persons-hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("a", "add", N_("Add"), id="persons-add"),
        Binding("e", "change", N_("Change"), id="persons-change"),
        Binding("delete", "remove", N_("Take off"), id="persons-remove"),
        Binding("c", "copy", N_("Copy earlier stage"), id="persons-copy"),
        Binding("ctrl+s", "done", N_("Done"), id="persons-done"),
        Binding("escape", "cancel", N_("Cancel"), id="persons-cancel"),
    ]
    COLUMNS = [("seq", "#"), ("name", N_("Name or no.")), ("minor", N_("Minor")),
               ("charge", N_("Charge")), ("custody", N_("Custody")),
               ("outcome", N_("Outcome")), ("outcome_kind", N_("Kind")),
               ("plea", N_("Plea"))]

    def __init__(self, people: tuple[PersonInput, ...], tables: dict[str, list[codes.Code]],
                 business_type: str, unified_no: str, charge: str = "",
                 card_id: int | None = None, problems: Iterable[Violation] = ()) -> None:
        super().__init__()
        self.people = list(people)
        self.given = list(people)
        """The list as it came (Esc asks once it changed)."""
        self.problems = person_problems(problems)
        """What the card's last check found, by person (until the list changes)."""
        self.tables, self.business_type = tables, business_type
        self.unified_no, self.charge, self.card_id = unified_no, charge, card_id

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("Persons of the case"), classes="persons-title")
            yield DataTable(id="persons-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="person-detail")
            yield Static("", id="persons-status")
            yield Static(_("Enter: change | {done}: done, saved with the card | {cancel}: "
                           "cancel").format(done=key_of(self, "persons-done"),
                                            cancel=key_of(self, "persons-cancel")),
                         classes="persons-hint")
        yield AppFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, title in self.COLUMNS:
            table.add_column(_(title), key=key)
        self.show()
        table.focus()

    def show(self, cursor: int | None = None) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for seq, person in enumerate(self.people, start=1):
            mark = f"{seq} {glyphs.BAD}" if seq in self.problems else str(seq)
            table.add_row(mark, Text(person.name or glyphs.NONE),
                          self._yes(person.minor), Text(person.charge), Text(person.custody),
                          Text(person.outcome), Text(person.outcome_kind), self._yes(person.plea),
                          key=str(seq))
        if cursor is not None and self.people:
            table.move_cursor(row=min(cursor, len(self.people) - 1))
        self._detail()

    @staticmethod
    def _yes(value: str) -> str:
        return _("yes") if yes_no_code(value) else glyphs.NONE

    def _cursor(self) -> int | None:
        table = self.query_one(DataTable)
        return table.cursor_row if table.row_count else None

    @on(DataTable.RowHighlighted)
    def _detail(self) -> None:
        """The highlighted person in words: names of the codes, minor, 认罪认罚."""
        at = self._cursor()
        detail = self.query_one("#person-detail", Static)
        if at is None:
            detail.update(_("No persons yet: {key} adds one.").format(
                key=key_of(self, "persons-add")))
            return
        person = self.people[at]
        outcome = _name(self.tables, "outcome", person.outcome)
        if person.outcome_kind:
            outcome = _("{outcome} ({kind})").format(
                outcome=outcome, kind=_name(self.tables, "outcome_kind", person.outcome_kind))
        parts = [f"{at + 1} {person.name}".strip(),
                 _name(self.tables, "charge", person.charge),
                 _name(self.tables, "custody", person.custody), outcome,
                 _("minor") if yes_no_code(person.minor) else "",
                 _("guilty plea") if yes_no_code(person.plea) else ""]
        lines = [glyphs.SEP.join(p for p in parts if p), *self.problems.get(at + 1, [])]
        detail.update(Text("\n".join(lines)))

    def say(self, line: str) -> None:
        self.query_one("#persons-status", Static).update(Text(line))

    # --- add, change, take off ----------------------------------------------------------

    def action_add(self) -> None:
        charge = self.people[-1].charge if self.people else self.charge
        seq = len(self.people) + 1
        self.app.push_screen(PersonDialog(seq, PersonInput(charge=charge), self.tables,
                                          self.business_type),
                             lambda person: self._kept(seq - 1, person))

    @on(DataTable.RowSelected)
    def action_change(self) -> None:
        at = self._cursor()
        if at is not None:
            self.app.push_screen(PersonDialog(at + 1, self.people[at], self.tables,
                                              self.business_type),
                                 lambda person: self._kept(at, person))

    def _kept(self, at: int, person: PersonInput | None) -> None:
        if person is None:
            return
        if at < len(self.people):
            self.people[at] = person
        else:
            self.people.append(person)
        self.problems = {}
        self.show(cursor=at)
        self.say("")

    def action_remove(self) -> None:
        at = self._cursor()
        if at is None:
            return
        self.people.pop(at)
        self.problems = {}
        self.show(cursor=at)
        self.say(_("Person {seq} taken off the list (the card keeps it as removed once "
                   "saved).").format(seq=at + 1))

    # --- copy from the earlier stage ----------------------------------------------------

    def action_copy(self) -> None:
        if not self.unified_no.strip():
            self.say(glyphs.BAD + " " + _("type the unified case number on the card first"))
            return
        self.fetch_earlier(self.unified_no, self.business_type, self.card_id)

    @store_work("persons-copy")
    def fetch_earlier(self, unified_no: str, business_type: str, card_id: int | None) -> None:
        reply(self, self.Copied(case_persons.earlier_stage(unified_no, business_type,
                                                           card_id)))

    @on(Copied)
    def copied(self, message: Copied) -> None:
        if not message.people:
            self.say(glyphs.BAD + " " + _("no earlier stage of case {no} to copy from").format(
                no=self.unified_no))
            return
        self.people = list(message.people)
        self.problems = {}
        self.show(cursor=0)
        n = len(self.people)
        self.say(glyphs.OK + " " + ngettext(
            "{n} person copied from the earlier stage",
            "{n} persons copied from the earlier stage", n).format(n=n))

    def show_trouble(self, line: str) -> None:
        self.say(glyphs.BAD + " " + line)

    # --- leaving ------------------------------------------------------------------------

    def action_done(self) -> None:
        self.dismiss(tuple(self.people))

    def action_cancel(self) -> None:
        """Esc: an unchanged list closes; a changed one asks (keep editing or discard)."""
        close_or_ask(self, self.people != self.given, None)
