"""The card list: filter by month, department, type, status, problems; search; open a card."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, DataTable, Input, Select, Static

from exports import return_lists
from store.cards import codes
from store.cards import entry as cards
from store.cards import listing as card_list
from store.cards import review as card_review
from store.cards.listing import CardFilter, CardPage
from store.i18n import N_, _
from tui import glyphs
from tui.dialogs.card_detail import STATUS, CardDetailDialog
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.reason import ReasonDialog
from tui.dialogs.return_card import ReturnDialog
from tui.screens.base import BaseScreen
from tui.screens.card_entry import describe
from tui.widgets import Choice
from tui.workers import call_store

PAGE = 100
COLUMNS = [("id", "#"), ("case_no", N_("Case number")), ("case_name", N_("Case name")),
           ("department", N_("Dept.")), ("business_type", N_("Type")), ("month", N_("Month")),
           ("status", N_("Status"))]
"""A card with problems found by the logic checks has glyphs.BAD after its status."""
SORT_NAMES = {"id": N_("entry order"), "case_no": N_("case number"),
              "accepted_on": N_("accepted date"), "month": N_("month")}


class CardListScreen(BaseScreen):
    CSS_PATH = "card_list.tcss"
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
    ]

    def action_edit(self) -> None:
        """Change the highlighted card on the entry screen (a correction once reported)."""
        from tui.screens.card_entry import CardEntryScreen

        card_id = self._selected_id()
        if card_id is not None:
            call_store(self, lambda: card_review.get(card_id),
                       lambda card: self.app.push_screen(CardEntryScreen(editing=card)))

    def action_void(self) -> None:
        session, card_id = self.desk.session, self._selected_id()
        if session is None or card_id is None:
            return
        dialog = ReasonDialog(_("Void a card"), _("A card entered by mistake is voided, never "
                                                   "deleted; it stays in the list and the log."))

        def voided(ok: bool | None) -> None:
            if ok:
                call_store(self, lambda: card_review.void(session, card_id, dialog.reason),
                           lambda _r: self._after_review(_("Card #{id} voided.").format(
                               id=card_id)))

        self.app.push_screen(dialog, voided)

    def on_screen_resume(self) -> None:
        self.load()

    def action_return_list(self) -> None:
        """The Word return list of the highlighted card's department and month."""
        session, card_id = self.desk.session, self._selected_id()
        if session is None or card_id is None:
            return

        def job() -> object:
            card = card_review.get(card_id)
            return return_lists.make(session, card.month, card.department)

        call_store(self, job, lambda path: self.app.notify(
            _("Return list written: {path}").format(path=path), timeout=15))

    def __init__(self, preset: CardFilter | None = None, behind: str = "") -> None:
        """`preset`: the cards behind a report's figure (`behind` says which, on screen)."""
        super().__init__()
        self.preset = preset or CardFilter()
        self.behind = behind
        self.filter = self.preset
        self.current: CardPage | None = None
        self.first_show = True
        self.sort, self.descending = "id", True
        self.asked = 0
        """Loads asked for; a page that comes back after a newer ask is dropped."""

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
        yield DataTable(id="card-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="card-list-status")

    def on_mount(self) -> None:
        super().on_mount()
        self._headers()  # the first page comes with on_screen_resume

    def _headers(self) -> None:
        """Column titles; the sorted one carries ▼ or ▲ (accepted date has no column)."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        # The case name takes what the other columns leave, so status fits in 80 columns.
        name_width = max(10, min(40, self.app.size.width - 70))
        for key, title in COLUMNS:
            order = glyphs.DESCENDING if self.descending else glyphs.ASCENDING
            mark = " " + order if key == self.sort else ""
            table.add_column(_(title) + mark, key=key,
                             width=name_width if key == "case_name" else None)

    def load(self, more: bool = False) -> None:
        flt, sort, descending = self.filter, self.sort, self.descending
        after = None
        if more and self.current and self.current.rows:
            last = self.current.rows[-1]
            after = (last.sort_value(sort), last.id)
        self.asked += 1
        ask = self.asked
        call_store(self, lambda: card_list.page(flt, sort, descending, after=after, limit=PAGE),
                   lambda page: self.show(page, more) if ask == self.asked else None)

    def action_sort(self) -> None:
        """The next order: entry order, case number, accepted date, month."""
        sorts = list(card_list.SORTS)
        self._sort_by(sorts[(sorts.index(self.sort) + 1) % len(sorts)], self.descending)

    def action_direction(self) -> None:
        self._sort_by(self.sort, not self.descending)

    def _sort_by(self, sort: str, descending: bool) -> None:
        self.sort, self.descending = sort, descending
        self._headers()
        self.load()

    @on(DataTable.HeaderSelected)
    def header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key in card_list.SORTS:
            self._sort_by(key, not self.descending if key == self.sort else self.descending)

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
        if self.first_show:  # start in the list; f moves to the filters
            self.first_show = False
            table.focus()
        shown = table.row_count
        order = _("sorted by {what}, {direction} | s: sort | d: reverse").format(
            what=_(SORT_NAMES[self.sort]),
            direction=_("descending") if self.descending else _("ascending"))
        self.query_one("#card-list-status", Static).update(
            (self.behind + glyphs.SEP if self.behind else "")
            + (_("{n} cards shown | n: more") if page.has_more else _("{n} cards")).format(
                n=shown) + glyphs.SEP + order)

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
            outcome=self.preset.outcome, counted_only=self.preset.counted_only)
        if wanted != self.filter:  # mounting the filters says "changed" too: no second query
            self.filter = wanted
            self.load()

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

    def _after_review(self, text: str) -> None:
        self.app.notify(text)
        self.load()

    def action_accept(self) -> None:
        """Accept the highlighted card; its warnings are acknowledged in a dialog first."""
        session, card_id = self.desk.session, self._selected_id()
        if session is None or card_id is None:
            return

        def checked() -> tuple[list[str], list[str]]:
            found = cards.validate(card_review.get(card_id).as_input(), card_id)
            return ([describe(v) for v in found.errors], [describe(v) for v in found.warnings])

        def decide(problems: tuple[list[str], list[str]]) -> None:
            errors, warnings = problems
            if errors:
                self.app.notify(_("Card #{id} cannot be accepted: {what}").format(
                    id=card_id, what="; ".join(errors)), severity="error", timeout=15)
                return

            def accept(acknowledged: bool | None = True) -> None:
                if acknowledged:
                    call_store(self, lambda: card_review.accept(session, card_id, True),
                               lambda _r: self._after_review(
                                   _("Card #{id} accepted.").format(id=card_id)))

            if warnings:
                self.app.push_screen(ConfirmDialog(
                    _("Accept card #{id} with these warnings (the acknowledgement is kept)?")
                    .format(id=card_id) + "\n" + "\n".join(warnings)), accept)
            else:
                accept()

        call_store(self, checked, decide)

    def action_return_card(self) -> None:
        session, card_id = self.desk.session, self._selected_id()
        if session is None or card_id is None:
            return

        def returned(done: bool | None) -> None:
            if done:
                self._after_review(_("Card #{id} returned to its department.").format(
                    id=card_id))

        self.app.push_screen(ReturnDialog(session, card_id), returned)

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        card_id = int(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))
        def fetch() -> tuple[card_review.CardRecord, list[card_review.HistoryEntry],
                             dict[str, str]]:
            names = {f"{c.kind}:{c.code}": c.name for kind in codes.KINDS
                     for c in codes.all_codes(kind, include_retired=True)}
            return card_review.get(card_id), card_review.history(card_id), names

        call_store(self, fetch, lambda found: self.app.push_screen(CardDetailDialog(*found)))
