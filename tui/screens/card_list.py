"""The card list: filter by month, department, type, status, problems; search; open a card."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, DataTable, Input, Select, Static

from exports import return_lists
from store.cards import entry as cards
from store.cards import listing as card_list
from store.cards import review as card_review
from store.cards.listing import CardFilter, CardPage
from store.cards.review import CardRecord
from store.cards.rules import Violation
from store.i18n import N_, _, ngettext
from tui import glyphs
from tui.dialogs.card_detail import STATUS, CardDetailDialog, CaseView, read_case
from tui.dialogs.case_event import EventDialog
from tui.dialogs.conclude import ConcludeDialog
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.reason import ReasonDialog
from tui.dialogs.return_card import ReturnDialog
from tui.keys import key_of
from tui.screens.base import BaseScreen
from tui.screens.card_entry import CardEntryScreen
from tui.widgets import Choice
from tui.widgets.card_fields import describe
from tui.widgets.fit_table import FitTable
from tui.workers import Reply, reply, store_work

PAGE = 100
COLUMNS = [("id", "#"), ("case_no", N_("Case number")), ("case_name", N_("Case name")),
           ("department", N_("Dept.")), ("business_type", N_("Type")), ("month", N_("Month")),
           ("status", N_("Status"))]
"""A card with problems found by the logic checks has glyphs.BAD after its status."""
SORT_NAMES = {"id": N_("entry order"), "case_no": N_("case number"),
              "accepted_on": N_("accepted date"), "month": N_("month")}


class CardListScreen(BaseScreen):
    """Cards a page at a time; a page asked for before a newer ask is never shown (the loads
    share one exclusive worker group)."""

    class Loaded(Reply):
        """A page of cards; `more`: it follows the rows already shown."""

        def __init__(self, page: CardPage, more: bool) -> None:
            super().__init__()
            self.page, self.more = page, more

    class Opened(Reply):
        """A case, whole: its card, life, persons and history."""

        def __init__(self, view: CaseView) -> None:
            super().__init__()
            self.view = view

    class ToChange(Reply):
        """The card to change on the entry screen."""

        def __init__(self, card: CardRecord) -> None:
            super().__init__()
            self.card = card

    class Checked(Reply):
        """What the logic checks find on card `card_id`, about to be accepted."""

        def __init__(self, card_id: int, errors: list[Violation],
                     warnings: list[Violation]) -> None:
            super().__init__()
            self.card_id, self.errors, self.warnings = card_id, errors, warnings

    class Reviewed(Reply):
        """A card was accepted or voided; `said` tells the clerk which."""

        def __init__(self, said: str) -> None:
            super().__init__()
            self.said = said

    class Written(Reply):
        """The Word return list was written to `path`."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    DEFAULT_CSS = """
    CardListScreen #card-filters { height: 1; margin: 0 1; }
    CardListScreen #card-filters > Input { width: 1fr; margin-right: 1; }
    CardListScreen #card-search { width: 2fr; }
    CardListScreen #card-filters > Select { width: 16; margin-right: 1; }
    CardListScreen #card-filters > Checkbox { width: auto; }
    CardListScreen #card-table { height: 1fr; }
    CardListScreen #card-list-status { height: auto; padding: 0 1; }
    """
    TITLE_TEXT = N_("Card list")
    BINDINGS = [
        Binding("n", "more", N_("Next page"), id="cards-next"),
        Binding("f", "filters", N_("Filter"), id="cards-filter"),
        Binding("o", "open", N_("Open"), id="cards-open"),
        Binding("a", "accept", N_("Accept"), id="cards-accept"),
        Binding("x", "return_card", N_("Return"), id="cards-return"),
        Binding("w", "return_list", N_("Return list (Word)"), id="cards-return-list"),
        Binding("e", "edit", N_("Change"), id="cards-edit"),
        Binding("delete", "void", N_("Void"), id="cards-void"),
        Binding("s", "sort", N_("Sort"), id="cards-sort"),
        Binding("d", "direction", N_("Reverse"), id="cards-direction"),
        Binding("c", "conclude", N_("Conclude"), id="cards-conclude"),
        Binding("t", "event('returned')", N_("Sent back"), id="cards-returned"),
        Binding("r", "event('resent')", N_("Re-sent"), id="cards-resent"),
        Binding("l", "event('extended')", N_("Extend"), id="cards-extended"),
    ]

    def __init__(self, preset: CardFilter | None = None, behind: str = "") -> None:
        """`preset`: the cards behind a report's figure (`behind` says which, on screen)."""
        super().__init__()
        self.preset = preset or CardFilter()
        self.behind = behind
        self.filter = self.preset
        self.current: CardPage | None = None
        self.first_show = True
        self.keep: tuple[int | None, int] = (None, 0)
        """The card the cursor was on before a reload, and its row."""
        self.sort, self.descending = "id", True

    def body(self) -> ComposeResult:
        statuses = [(_(label), code) for code, label in STATUS.items()]
        with Horizontal(id="card-filters"):
            yield Input(placeholder=_("search: case no. or name"), id="card-search",
                        compact=True)
            yield Input(self.preset.month, placeholder=_("month 2026-11"), id="card-month",
                        compact=True)
            yield Input(self.preset.department, placeholder=_("dept. D01"), id="card-dept",
                        compact=True)
            yield Input(self.preset.business_type, placeholder=_("type SCQS"), id="card-type",
                        compact=True)
            yield Choice(statuses, prompt=_("any status"), id="card-status", compact=True)
            yield Checkbox(_("problems"), id="card-problems", compact=True)
        yield FitTable(id="card-table", cursor_type="row", zebra_stripes=True,
                       give_way=("case_name",), give_way_floor=10)
        yield Static("", id="card-list-status")

    def on_mount(self) -> None:
        super().on_mount()
        self._headers()  # the first page comes with on_screen_resume

    def on_screen_resume(self) -> None:
        self.load()

    def _headers(self) -> None:
        """Column titles; the sorted one carries ▼ or ▲ (accepted date has no column)."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        # The case name takes what the other columns leave (FitTable), cut with a mark.
        for key, title in COLUMNS:
            order = glyphs.DESCENDING if self.descending else glyphs.ASCENDING
            mark = " " + order if key == self.sort else ""
            table.add_column(_(title) + mark, key=key)

    # --- the list -----------------------------------------------------------------------

    def load(self, more: bool = False, stay: bool = True) -> None:
        """The first page again (or the next, `more`). `stay`: the cursor stays on the card it
        was on, wherever that card now is (after a dialog, an acceptance, a return), or on the
        same row when the card left the list; a new filter or order starts at the top."""
        if not more:
            table = self.query_one(DataTable)
            self.keep = (self._selected_id(), table.cursor_row) if stay else (None, 0)
        after = None
        if more and self.current and self.current.rows:
            last = self.current.rows[-1]
            after = (last.sort_value(self.sort), last.id)
        self.fetch_page(self.filter, self.sort, self.descending, after, more)

    @store_work("cards-page")
    def fetch_page(self, flt: CardFilter, sort: str, descending: bool,
                   after: tuple[Any, int] | None, more: bool) -> None:
        page = card_list.page(flt, sort, descending, after=after, limit=PAGE)
        reply(self, self.Loaded(page, more))

    @on(Loaded)
    def loaded(self, message: Loaded) -> None:
        self.show(message.page, message.more)

    def show(self, page: CardPage, more: bool) -> None:
        self.current = page
        table = self.query_one(DataTable)
        if not more:
            table.clear()
        for row in page.rows:
            table.add_row(str(row.id), Text(row.case_no), Text(row.case_name), row.department,
                          row.business_type, row.month,
                          _(STATUS.get(row.status, row.status))
                          + (" " + glyphs.BAD if row.problems else ""),
                          key=str(row.id))
        if not more and table.row_count:
            card_id, was_at = self.keep
            at = next((n for n, r in enumerate(page.rows) if r.id == card_id),
                      min(was_at, table.row_count - 1))
            table.move_cursor(row=at)
        if self.first_show:  # start in the list; f moves to the filters
            self.first_show = False
            table.focus()
        shown = table.row_count
        if page.has_more:
            count = ngettext("{n} card shown | {key}: more", "{n} cards shown | {key}: more",
                             shown).format(n=shown, key=key_of(self, "cards-next"))
        else:
            count = ngettext("{n} card", "{n} cards", shown).format(n=shown)
        order = _("sorted by {what}, {direction} | {sort}: sort | {reverse}: reverse").format(
            what=_(SORT_NAMES[self.sort]),
            direction=_("descending") if self.descending else _("ascending"),
            sort=key_of(self, "cards-sort"), reverse=key_of(self, "cards-direction"))
        self.query_one("#card-list-status", Static).update(
            (self.behind + glyphs.SEP if self.behind else "") + count + glyphs.SEP + order)

    def action_sort(self) -> None:
        """The next order: entry order, case number, accepted date, month."""
        sorts = list(card_list.SORTS)
        self._sort_by(sorts[(sorts.index(self.sort) + 1) % len(sorts)], self.descending)

    def action_direction(self) -> None:
        self._sort_by(self.sort, not self.descending)

    def _sort_by(self, sort: str, descending: bool) -> None:
        self.sort, self.descending = sort, descending
        self._headers()
        self.load(stay=False)

    @on(DataTable.HeaderSelected)
    def header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key in card_list.SORTS:
            self._sort_by(key, not self.descending if key == self.sort else self.descending)

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def filters_changed(self) -> None:
        status = self.query_one("#card-status", Select)
        wanted = CardFilter(
            month=self.query_one("#card-month", Input).value.strip(),
            department=self.query_one("#card-dept", Input).value.strip().upper(),
            business_type=self.query_one("#card-type", Input).value.strip().upper(),
            status="" if status.is_blank() else str(status.value),
            problems_only=self.query_one("#card-problems", Checkbox).value,
            search=self.query_one("#card-search", Input).value, months=self.preset.months,
            outcome=self.preset.outcome, counted_only=self.preset.counted_only,
            figure=self.preset.figure, ids=self.preset.ids)  # a drill-down stays one
        if wanted != self.filter:  # mounting the filters says "changed" too: no second query
            self.filter = wanted
            self.load(stay=False)

    def action_more(self) -> None:
        if self.current and self.current.has_more:
            self.load(more=True)

    def action_filters(self) -> None:
        self.query_one("#card-search", Input).focus()

    def _selected_id(self) -> int | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return int(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    # --- one card -----------------------------------------------------------------------

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        card_id = self._selected_id()
        if card_id is not None:
            self.fetch_card(card_id)

    @store_work("card-open")
    def fetch_card(self, card_id: int) -> None:
        reply(self, self.Opened(read_case(card_id)))

    @on(Opened)
    def opened(self, message: Opened) -> None:
        self.app.push_screen(CardDetailDialog(message.view))

    # --- the case's life: conclude it, record 退查, 重报, an extension -----------------------

    def action_conclude(self) -> None:
        """Conclude the highlighted case (审结), in the month its conclusion falls in."""
        session, card_id = self.desk.session, self._selected_id()
        if session is not None and card_id is not None:
            self.app.push_screen(ConcludeDialog(session, card_id),
                                 partial(self._case_changed, card_id))

    def action_event(self, kind: str) -> None:
        """Record an event of the highlighted case that does not end it."""
        session, card_id = self.desk.session, self._selected_id()
        if session is not None and card_id is not None:
            self.app.push_screen(EventDialog(session, card_id, kind),
                                 partial(self._case_changed, card_id))

    def _case_changed(self, card_id: int, done: bool | None) -> None:
        if done:
            self.app.notify(_("Card #{id} saved.").format(id=card_id))

    def action_edit(self) -> None:
        """Change the highlighted card on the entry screen (a correction once reported)."""
        card_id = self._selected_id()
        if card_id is not None:
            self.fetch_to_change(card_id)

    @store_work("card-change")
    def fetch_to_change(self, card_id: int) -> None:
        reply(self, self.ToChange(card_review.get(card_id)))

    @on(ToChange)
    def to_change(self, message: ToChange) -> None:
        self.app.push_screen(CardEntryScreen(editing=message.card))

    def action_return_list(self) -> None:
        """The Word return list of the highlighted card's department and month."""
        session, card_id = self.desk.session, self._selected_id()
        if session is not None and card_id is not None:
            self.write_return_list(session, card_id)

    @store_work("card-return-list", write=True)
    def write_return_list(self, session: Any, card_id: int) -> None:
        card = card_review.get(card_id)
        reply(self, self.Written(return_lists.make(session, card.month, card.department)))

    @on(Written)
    def written(self, message: Written) -> None:
        self.app.notify(_("Return list written: {path}").format(path=message.path), timeout=15)

    # --- review: accept, return, void ---------------------------------------------------

    def action_accept(self) -> None:
        """Accept the highlighted card; its warnings are acknowledged in a dialog first."""
        card_id = self._selected_id()
        if self.desk.session is not None and card_id is not None:
            self.check_card(card_id)

    @store_work("card-check")
    def check_card(self, card_id: int) -> None:
        found = cards.validate(card_review.get(card_id).as_input(), card_id)
        reply(self, self.Checked(card_id, found.errors, found.warnings))

    @on(Checked)
    def checked(self, message: Checked) -> None:
        card_id = message.card_id
        if message.errors:
            self.app.notify(_("Card #{id} cannot be accepted: {what}").format(
                id=card_id, what="; ".join(describe(v) for v in message.errors)),
                severity="error", timeout=15)
        elif message.warnings:
            question = _("Accept card #{id} with these warnings (the acknowledgement is "
                         "kept)?").format(id=card_id)
            self.app.push_screen(
                ConfirmDialog("\n".join([question, *map(describe, message.warnings)])),
                partial(self._acknowledged, card_id))
        else:
            self._acknowledged(card_id, True)

    def _acknowledged(self, card_id: int, acknowledged: bool | None) -> None:
        session = self.desk.session
        if acknowledged and session is not None:
            self.accept_card(session, card_id, _("Card #{id} accepted.").format(id=card_id))

    @store_work("card-accept", write=True)
    def accept_card(self, session: Any, card_id: int, said: str) -> None:
        card_review.accept(session, card_id, True)
        reply(self, self.Reviewed(said))

    def action_return_card(self) -> None:
        session, card_id = self.desk.session, self._selected_id()
        if session is None or card_id is None:
            return

        def returned(done: bool | None) -> None:
            if done:
                self.app.notify(_("Card #{id} returned to its department.").format(id=card_id))
                self.load()

        self.app.push_screen(ReturnDialog(session, card_id), returned)

    def action_void(self) -> None:
        session, card_id = self.desk.session, self._selected_id()
        if session is None or card_id is None:
            return
        dialog = ReasonDialog(_("Void a card"), _("A card entered by mistake is voided, never "
                                                   "deleted; it stays in the list and the log."))

        def voided(ok: bool | None) -> None:
            if ok:
                self.void_card(session, card_id, dialog.reason,
                               _("Card #{id} voided.").format(id=card_id))

        self.app.push_screen(dialog, voided)

    @store_work("card-void", write=True)
    def void_card(self, session: Any, card_id: int, reason: str, said: str) -> None:
        card_review.void(session, card_id, reason)
        reply(self, self.Reviewed(said))

    @on(Reviewed)
    def reviewed(self, message: Reviewed) -> None:
        self.app.notify(message.said)
        self.load()
