"""A short form about one case (its conclusion, an event): rows as on the card entry screen,
a refusal beside the field it names (the cursor there, its text selected), the case named at
the top. Esc on a form changed since the case filled it asks first (keep editing, discard)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from store.cards import codes
from store.cards import review as card_review
from store.cards.entry import InvalidCard
from store.cards.review import CardRecord
from store.errors import FieldError, RuleRefused
from store.i18n import N_, _
from tui import glyphs
from tui.dialogs.unsaved import close_or_ask
from tui.keys import key_of
from tui.widgets import AppFooter
from tui.widgets.card_fields import CodeFields, describe, read_tables
from tui.workers import Reply, StoreRoute, reply, store_work


class CaseForm(CodeFields, StoreRoute, ModalScreen[bool]):
    """Subclasses list `ROWS` and `write()` (the store call, in a worker); dismissed True once
    written. `TABLES`: whether the form picks codes (the tables are read with the card)."""

    class Loaded(Reply):
        """The case the form is about, and the code tables it picks from."""

        def __init__(self, card: CardRecord, tables: dict[str, list[codes.Code]]) -> None:
            super().__init__()
            self.card, self.tables = card, tables

    class Written(Reply):
        """The store took what the form says."""

    DEFAULT_CSS = """
    CaseForm { align: center middle; }
    CaseForm > Vertical {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    CaseForm .case-title { text-style: bold; }
    CaseForm #case-intro { height: auto; margin-bottom: 1; }
    CaseForm #case-status { height: auto; }
    CaseForm .case-hint { color: $text-muted; }
    """
    TITLE_TEXT = N_("Case")
    TABLES = False
    HINTS: dict[str, str] = {}
    BINDINGS = [Binding("ctrl+s", "save", N_("Save"), id="case-save"),
                Binding("escape", "cancel", N_("Cancel"), id="case-cancel")]

    def __init__(self, session: Any, card_id: int) -> None:
        super().__init__()
        self.session, self.card_id = session, card_id
        self.card: CardRecord | None = None
        self.tables: dict[str, list[codes.Code]] = {}
        self.waiting: Input | None = None
        self.shown_values: dict[str, str] = {}
        """The fields as the case filled them: Esc asks only if one changed since."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_(self.TITLE_TEXT), classes="case-title")
            yield Static(_("Card #{id}").format(id=self.card_id), id="case-intro")
            yield from self.compose_rows({k: _(v) for k, v in self.HINTS.items()})
            yield Static("", id="case-status")
            yield Static(self.hint(), classes="case-hint")
        yield AppFooter(compact=True)

    def hint(self) -> str:
        return _("Enter: next field | {save}: save | {cancel}: cancel").format(
            save=key_of(self, "case-save"), cancel=key_of(self, "case-cancel"))

    def on_mount(self) -> None:
        self.load_case(self.card_id)
        self.field(self.ROWS[0][0]).focus()

    @store_work("case-load")
    def load_case(self, card_id: int) -> None:
        card = card_review.get(card_id)
        reply(self, self.Loaded(card, read_tables() if self.TABLES else {}))

    @on(Loaded)
    def loaded(self, message: Loaded) -> None:
        self.card = message.card
        card = message.card
        self.query_one("#case-intro", Static).update(Text(
            _("Card #{id}").format(id=card.id) + glyphs.DASH
            + f"{card.case_no} {card.case_name}" + glyphs.SEP + self.about(card)))
        self.prepare(card)
        self.tables_arrived(message.tables)
        focused = self.app.focused
        if isinstance(focused, Input):  # what the case filled in is replaced by typing
            focused.select_all()
        self.remember()

    def remember(self) -> None:
        """Take what the fields hold now as the form's own (Esc closes at once until one
        changes); a form that fills a field later from the store calls this again."""
        self.shown_values = self.typed()

    def typed(self) -> dict[str, str]:
        """Every field's text, shown or not (what the clerk may have typed)."""
        return {name: self.field(name).value.strip() for name, _l, _t in self.ROWS}

    def changed(self) -> bool:
        return any(value != self.shown_values.get(name, "")
                   for name, value in self.typed().items())

    def focus_field(self, name: str) -> None:
        """The cursor to a field to fix, its text selected: typing replaces it."""
        control = self.field(name)
        control.focus()
        control.select_all()

    def about(self, card: CardRecord) -> str:
        """What the form says about the case at the top, after its number and name."""
        return _("received {day}").format(day=card.accepted_on)

    def prepare(self, card: CardRecord) -> None:
        """Fill the fields from the case (before the tables are shown)."""

    def entered(self, control: Input) -> None:
        shown = [self.field(n) for n, _l, _t in self.ROWS
                 if self.query_one(f"#row-{n}").display and not self.field(n).disabled]
        if shown and control is shown[-1]:
            self.action_save()

    def values(self) -> dict[str, str]:
        return {name: self.field(name).value.strip() for name, _l, _t in self.ROWS
                if self.query_one(f"#row-{name}").display}

    def checks_pass(self) -> bool:
        """Checks made before anything is written (a subclass may add some)."""
        return True

    def action_save(self) -> None:
        for name, _label, _table in self.ROWS:
            self.resolve(self.field(name))
        self.say("")
        self.show_problems([])
        if self.card is not None and self.checks_pass():
            self.write_case(self.values())

    @store_work("case-save", write=True)
    def write_case(self, values: dict[str, str]) -> None:
        self.write(values)
        reply(self, self.Written())

    def write(self, values: dict[str, str]) -> None:
        """The store call (worker thread)."""
        raise NotImplementedError

    @on(Written)
    def written(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Esc: an unchanged form closes; a changed one asks (keep editing or discard)."""
        close_or_ask(self, self.changed(), False)

    # --- what the store refused ----------------------------------------------------------

    def say(self, line: str) -> None:
        self.query_one("#case-status", Static).update(Text(line))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Fields that cannot be read, or rules broken: each beside its field (the base
        `StoreRoute` handler is skipped for these)."""
        error = event.worker.error if event.state is WorkerState.ERROR else None
        if isinstance(error, InvalidCard):
            event.prevent_default()
            self.refused(error.problems)

    def refused(self, problems: list[Any]) -> None:
        marked = self.show_problems(problems)
        elsewhere = [p for p in problems if not self.rows_of(p)]
        self.say(glyphs.BAD + " " + (describe(elsewhere[0]) if elsewhere
                                     else _("not saved: correct the fields marked {mark}")
                                     .format(mark=glyphs.BAD)))
        if marked:
            self.focus_field(marked[0])

    def show_refusal(self, refusal: FieldError | RuleRefused) -> None:
        shown = {n for n, _l, _t in self.ROWS if self.query_one(f"#row-{n}").display}
        if refusal.field in shown:
            self.note(refusal.field, glyphs.BAD + " " + str(refusal), problem=True)
            self.focus_field(refusal.field)
            self.say("")
        else:
            self.say(glyphs.BAD + " " + str(refusal))

    def show_trouble(self, line: str) -> None:
        self.say(glyphs.BAD + " " + line)
