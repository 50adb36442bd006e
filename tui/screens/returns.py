"""Returns at the desk: scan the item, say its condition (B6); anything but intact raises an
incident; what is still out — overdue loans, unrecovered copies, readings not closed — below."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Select, Static

from store.custody import desk
from store.custody.desk import Returned
from store.errors import FieldError
from store.i18n import N_, _
from tui import glyphs
from tui.screens.base import BaseScreen
from tui.widgets import Choice
from tui.workers import call_store


class ReturnsScreen(BaseScreen):
    CSS_PATH = "desk.tcss"
    TITLE_TEXT = N_("Returns")
    AUTO_FOCUS = "#item"

    def body(self) -> ComposeResult:
        conditions = [(_(label), key) for key, label in desk.CONDITIONS.items()]
        with Horizontal(classes="desk-row"):
            yield Label(_("Condition"), classes="desk-label")
            yield Choice(conditions, value="intact", allow_blank=False, compact=True,
                         id="condition")
            yield Static(_("set before scanning when not intact (B6)"), classes="desk-note")
        with Horizontal(classes="desk-row"):
            yield Label(_("Note"), classes="desk-label")
            yield Input(id="note", compact=True)
            yield Static("", classes="desk-note")
        with Horizontal(classes="desk-row"):
            yield Label(_("Item number"), classes="desk-label")
            yield Input(id="item", compact=True)
            yield Static(_("scan or type, then Enter"), classes="desk-note")
        yield DataTable(id="returned", cursor_type="row", zebra_stripes=True)
        yield Static("", id="desk-message")
        yield Static("", id="still-out")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DataTable).add_columns(_("Number"), _("Title"), _("From"),
                                              _("Condition"))
        self._outstanding_now()

    def _outstanding_now(self) -> None:
        call_store(self, lambda: (desk.overdue(), desk.outstanding_copies(),
                                  desk.open_readings()), self._outstanding)

    def _outstanding(self, found: tuple[list[desk.OpenLoan], ...]) -> None:
        overdue, copies, reading = found
        said = _("Still out: {overdue} overdue, {copies} copies not recovered, {reading} "
                 "readings open.").format(overdue=len(overdue), copies=len(copies),
                                          reading=len(reading))
        if reading:  # what is still in the room, for the end of the day
            said += "\n" + _("Still being read: {numbers}").format(
                numbers=", ".join(f"{r.reg_no} ({r.borrower})" for r in reading[:8])
                + ((" " + glyphs.MORE) if len(reading) > 8 else ""))
        self.query_one("#still-out", Static).update(Text(said))

    @on(Input.Submitted, "#note")
    def to_item(self) -> None:
        self.query_one("#item", Input).focus()

    @on(Input.Submitted, "#item")
    def scanned(self, event: Input.Submitted) -> None:
        session, number = self.desk.session, event.value
        condition = str(self.query_one("#condition", Select).value)
        note = self.query_one("#note", Input).value
        if session is None or not number.strip():
            return
        def job() -> Returned | FieldError:
            try:
                return desk.return_item(session, number, condition, note)
            except FieldError as refused:
                return refused

        call_store(self, job, self._back, self._refused)

    def _back(self, back: Returned | FieldError) -> None:
        if isinstance(back, FieldError):
            self.query_one("#desk-message", Static).update(Text(glyphs.BAD + " " + str(back)))
            self.query_one(f"#{back.field}", Input).focus()
            return
        self.query_one(DataTable).add_row(
            back.item.reg_no, Text(back.item.title), Text(back.borrower),
            _(desk.CONDITIONS[back.condition]) + (" " + glyphs.WARN + " " + _("incident raised")
                                                   if back.incident else ""))
        self.query_one("#desk-message", Static).update(Text(
            _("{number} back from {who}.").format(number=back.item.reg_no, who=back.borrower)))
        self.query_one("#item", Input).value = ""
        self.query_one("#note", Input).value = ""
        self.query_one("#condition", Select).value = "intact"
        self.query_one("#item", Input).focus()
        self._outstanding_now()

    def _refused(self, text: str) -> None:
        self.query_one("#desk-message", Static).update(Text(glyphs.BAD + " " + text))
        self.query_one("#item", Input).focus()
