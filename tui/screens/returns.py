"""Returns at the desk: scan the item, say its condition (B6); anything but intact raises an
incident; what is still out — overdue loans, unrecovered copies, readings not closed — below."""

from __future__ import annotations

from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Select, Static

from store import clock
from store.custody import desk
from store.custody.desk import Returned
from store.errors import FieldError, RuleRefused
from store.i18n import N_, _, ngettext
from tui import glyphs
from tui.screens.base import BaseScreen
from tui.screens.turns import FailedGroup, Turns
from tui.widgets import Choice
from tui.workers import Reply, reply, store_work


class ReturnsScreen(FailedGroup, BaseScreen):
    """Store work: what is still out (a notification if it fails); each item scanned back,
    one after another (a refusal or a failure is said on the message line)."""

    TITLE_TEXT = N_("Returns")
    AUTO_FOCUS = "#item"
    DEFAULT_CSS = """
    ReturnsScreen #still-out { height: auto; padding: 0 1; color: $text-muted; }
    """

    class Outstanding(Reply):
        """What is still out: overdue loans, copies not recovered, readings not closed, and
        the day it was read on (a copy past its date is overdue too)."""

        def __init__(self, overdue: list[desk.OpenLoan], copies: list[desk.OpenLoan],
                     reading: list[desk.OpenLoan], today: str) -> None:
            super().__init__()
            self.overdue, self.copies, self.reading = overdue, copies, reading
            self.today = today

    class Back(Reply):
        """An item was taken back."""

        def __init__(self, back: Returned) -> None:
            super().__init__()
            self.back = back

    def __init__(self) -> None:
        super().__init__()
        self.scans = Turns()
        """Items scanned back, each taken after the one before."""

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
        yield DataTable(id="returned", cursor_type="row", zebra_stripes=True,
                        classes="desk-table")
        yield Static("", id="desk-message", classes="desk-message")
        yield Static("", id="still-out")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DataTable).add_columns(_("Number"), _("Title"), _("From"),
                                              _("Condition"))
        self._outstanding_now()

    @store_work("load")
    def _outstanding_now(self) -> None:
        reply(self, self.Outstanding(desk.overdue(), desk.outstanding_copies(),
                                     desk.open_readings(), clock.today().isoformat()))

    @on(Outstanding)
    def _outstanding(self, message: Outstanding) -> None:
        """Each item counted once: a copy past its date is among the copies (said overdue
        there), not among the overdue loans too, so one return changes one count by one."""
        copies, reading = message.copies, message.reading
        overdue = [loan for loan in message.overdue if loan.mode != "copy"]
        late = [c for c in copies if c.due_on and c.due_on < message.today]
        copies_said = (ngettext("{n} copy not recovered, {k} of them overdue",
                                "{n} copies not recovered, {k} of them overdue",
                                len(copies)).format(n=len(copies), k=len(late)) if late else
                       ngettext("{n} copy not recovered", "{n} copies not recovered",
                                len(copies)).format(n=len(copies)))
        said = _("Still out: {counts}").format(counts=glyphs.SEP.join((
            ngettext("{n} loan overdue", "{n} loans overdue", len(overdue)).format(
                n=len(overdue)),
            copies_said,
            ngettext("{n} reading open", "{n} readings open", len(reading)).format(
                n=len(reading)))))
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
        self.scans.take(partial(self.take_back, session, number, condition, note))

    @store_work("return")
    def take_back(self, session: Any, number: str, condition: str, note: str) -> None:
        reply(self, self.Back(desk.return_item(session, number, condition, note)))

    @on(Back)
    def _back(self, message: Back) -> None:
        self.scans.done()
        back = message.back
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

    def show_refusal(self, refusal: FieldError | RuleRefused) -> None:
        """A return refused: said on the message line, the cursor in the field it names."""
        if self.failed_group == "return":
            self._refused(str(refusal), refusal.field)
        else:
            super().show_refusal(refusal)

    def show_trouble(self, line: str) -> None:
        if self.failed_group == "return":
            self._refused(line, "item")
        else:
            super().show_trouble(line)

    def _refused(self, text: str, field: str) -> None:
        self.scans.done()
        self.query_one("#desk-message", Static).update(Text(glyphs.BAD + " " + text))
        fields = {control.id for control in self.query(Input)}
        self.query_one(f"#{field}" if field in fields else "#item", Input).focus()
