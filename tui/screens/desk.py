"""The borrow desk (F11): pick the borrower, scan items, and the screen asks for exactly what
the rules require (B1–B5, A3, D7), refusing what they forbid; Ctrl+R takes returns."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Select, Static

from exports import loan_files
from store.custody import desk, items, people
from store.custody.desk import Request
from store.custody.items import Item
from store.custody.people import Person
from store.errors import FieldError, RuleRefused
from store.i18n import N_, _, ngettext
from tui import glyphs
from tui.keys import key_of
from tui.screens.base import BaseScreen
from tui.screens.turns import FailedGroup, Turns
from tui.widgets import Choice
from tui.widgets.person_picker import PersonPicker
from tui.workers import Reply, reply, store_work

PERSON_FIELDS = {"borrower": (), "head": ("head", "leader"), "approver": ("leader",),
                 "secrecy": ("secrecy",)}
ROWS = [("borrower", N_("Borrower")), ("mode", N_("Mode")), ("slip_no", N_("Slip no.")),
        ("head", N_("Signed by (head)")), ("letter_no", N_("Letter no.")),
        ("issuing_organ", N_("Issued by")), ("approver", N_("Deputy chief")),
        ("secrecy", N_("Secrecy office")), ("due_on", N_("Back by")),
        ("item", N_("Item number"))]


class DeskScreen(FailedGroup, BaseScreen):
    """Store work: the people on record (a notification if it fails); each scan, one after
    another, and the loan (a refusal or a failure is said on the message line, the cursor
    on the row to fix); the borrow slip (a notification)."""

    TITLE_TEXT = N_("Borrow desk")
    AUTO_FOCUS = "#borrower"
    BINDINGS = [
        Binding("ctrl+s", "record", N_("Record loan"), id="desk-record"),
        Binding("ctrl+r", "returns", N_("Returns"), id="desk-returns"),
        Binding("ctrl+o", "drop", N_("Drop last"), id="desk-drop"),  # ctrl+x is the field's cut
    ]

    class PeopleLoaded(Reply):
        """Everyone on record (the screen keeps the active ones)."""

        def __init__(self, found: list[Person]) -> None:
            super().__init__()
            self.found = found

    class Scanned(Reply):
        """A scanned item may go to the counter."""

        def __init__(self, item: Item) -> None:
            super().__init__()
            self.item = item

    class Recorded(Reply):
        """The loan is recorded: one loan id per item, and the copies it registered."""

        def __init__(self, loans: list[int], copies: list[desk.CopyMade]) -> None:
            super().__init__()
            self.loans, self.copies = loans, copies

    class SlipWritten(Reply):
        """The borrow slip to sign was written to `path`."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(self) -> None:
        super().__init__()
        self.people: list[Person] = []
        self.basket: list[Item] = []
        self.recording = False
        """A loan is being recorded: a second Ctrl+S waits for it."""
        self.scans = Turns()
        """Numbers scanned, each looked up after the one before."""

    def body(self) -> ComposeResult:
        modes = [(_(label), mode) for mode, label in desk.MODES.items()]
        for name, label in ROWS:
            with Horizontal(id=f"row-{name}", classes="desk-row"):
                yield Label(_(label), classes="desk-label")
                if name == "mode":
                    yield Choice(modes, value="read", allow_blank=False, compact=True,
                                 id="mode")
                elif name in PERSON_FIELDS:
                    yield PersonPicker(id=name, roles=PERSON_FIELDS[name], compact=True)
                else:
                    yield Input(id=name, compact=True)
                yield Static("", id=f"note-{name}", classes="desk-note")
        yield DataTable(id="basket", cursor_type="row", zebra_stripes=True,
                        classes="desk-table")
        yield Static("", id="desk-message", classes="desk-message")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#basket", DataTable).add_columns(
            _("Number"), _("Title"), _("Classification"), _("Pages"))
        self.load_people()
        self._arrange()

    @store_work("people")
    def load_people(self) -> None:
        reply(self, self.PeopleLoaded(people.everyone()))

    @on(PeopleLoaded)
    def people_loaded(self, message: PeopleLoaded) -> None:
        self.people = [p for p in message.found if p.status == "active"]

    # --- who: pick by short code or name ------------------------------------------------

    def _match(self, field: str, typed: str) -> Person | None:
        """The person the store will take for what is typed in a person's field, if one."""
        roles = PERSON_FIELDS[field]
        return people.resolved([p for p in self.people if not roles or p.role in roles], typed)

    def borrower(self) -> Person | None:
        return self._match("borrower", self.query_one("#borrower", Input).value)

    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        if field in PERSON_FIELDS:
            found = self._match(field, event.value)
            note = (found.label() + glyphs.SEP + _(people.ROLES[found.role])) if found else (
                _("no match") if event.value.strip() and not people.ranked(
                    self.people, event.value, 1) else "")
            self.query_one(f"#note-{field}", Static).update(Text(note))
            if field == "borrower":
                self._arrange()
                self._suggest_head()

    def _suggest_head(self) -> None:
        """The signer's field offers the head of the borrower's own department (B1): Enter on
        the empty field takes them; the note names every head who may sign."""
        borrower, picker = self.borrower(), self.query_one("#head", PersonPicker)
        heads = [p for p in self.people if borrower is not None and not borrower.external
                 and borrower.department and p.role == "head"
                 and p.department == borrower.department]
        if heads:
            picker.suggest(heads[0].name if len([p for p in self.people
                                                  if p.name == heads[0].name]) == 1
                           else heads[0].code, heads[0].name)
        else:
            picker.suggest("")
        if not picker.value.strip():
            self.query_one("#note-head", Static).update(Text(_("may sign: {names}").format(
                names="、".join(h.name for h in heads)) if heads else ""))

    @on(Select.Changed, "#mode")
    def mode_changed(self) -> None:
        self._arrange()

    def _arrange(self) -> None:
        """Only the rows the rules ask for, for this borrower and mode."""
        borrower, mode = self.borrower(), str(self.query_one("#mode", Select).value)
        external = borrower is not None and borrower.external
        wanted = {"borrower", "mode", "item"}
        wanted |= {"letter_no", "issuing_organ", "approver"} if external else {"slip_no", "head"}
        if mode in ("lend", "copy"):
            wanted |= {"approver", "due_on"}
        if mode == "copy":
            wanted.add("secrecy")
        for name, _label in ROWS:
            self.query_one(f"#row-{name}").display = name in wanted

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        field = event.input.id or ""
        if field == "item":
            self._scan(event.value)
            return
        self.focus_next()

    # --- items: a scanner types the number and Enter ----------------------------------------

    def _scan(self, number: str) -> None:
        if number.strip():
            self.scans.take(partial(self.look_up, number))

    @store_work("scan")
    def look_up(self, number: str) -> None:
        reply(self, self.Scanned(desk.available(number)))

    @on(Scanned)
    def scanned(self, message: Scanned) -> None:
        self.scans.done()
        item = message.item
        if any(i.id == item.id for i in self.basket):
            self._say(glyphs.BAD + " " + _("an item is scanned twice"), "item")
            return
        self.basket.append(item)
        self.query_one("#basket", DataTable).add_row(
            item.reg_no, Text(item.title), _(items.LEVELS[item.classification]),
            str(item.pages), key=str(item.id))
        n = len(self.basket)
        self._say(ngettext("{n} item at the counter | {key} records",
                           "{n} items at the counter | {key} records", n).format(
            n=n, key=key_of(self, "desk-record")))
        self.query_one("#item", Input).value = ""

    def action_drop(self) -> None:
        if self.basket:
            item = self.basket.pop()
            self.query_one("#basket", DataTable).remove_row(str(item.id))

    def _say(self, text: str, field: str = "") -> None:
        self.query_one("#desk-message", Static).update(Text(text))
        for name, _label in ROWS:
            self.query_one(f"#row-{name}").set_class(name == field, "-invalid")
        if field:
            control = self.query_one(f"#{field}")
            control.focus()

    # --- recording ------------------------------------------------------------------------

    def request(self) -> Request:
        def value(name: str) -> str:
            control = self.query_one(f"#row-{name}")
            return str(self.query_one(f"#{name}", Input).value) if control.display else ""

        return Request(value("borrower"), [i.reg_no for i in self.basket],
                       str(self.query_one("#mode", Select).value), value("slip_no"),
                       value("head"), value("letter_no"), value("issuing_organ"),
                       value("approver"), value("secrecy"), value("due_on"))

    def action_record(self) -> None:
        session, request = self.desk.session, self.request()
        if session is None or self.recording:
            return
        self.recording = True
        self.record(session, request)

    @store_work("record", write=True)
    def record(self, session: Any, request: Request) -> None:
        loans = desk.record(session, request)
        reply(self, self.Recorded(loans, desk.copies_made(loans)))

    @on(Recorded)
    def recorded(self, message: Recorded) -> None:
        self.recording = False
        borrower, n = self.borrower(), len(message.loans)
        who = borrower.name if borrower else ""
        said = ngettext("{n} item recorded for {who}.", "{n} items recorded for {who}.",
                        n).format(n=n, who=who)
        if message.copies:  # D7: each copy is an item of its own, with its new number
            said = ngettext("{n} copy registered for {who}: {copies}.",
                            "{n} copies registered for {who}: {copies}.",
                            len(message.copies)).format(
                n=len(message.copies), who=who, copies="、".join(
                    _("{copy} (copy of {original})").format(copy=c.copy, original=c.original)
                    for c in message.copies))
        self.app.notify(said, timeout=15)
        if self.desk.session is not None:  # the slip to sign goes to the printer from exports/
            self.write_slip(self.desk.session, message.loans)
        self.basket = []
        self.query_one("#basket", DataTable).clear()
        for name, _label in ROWS:
            if name != "mode":
                self.query_one(f"#{name}", Input).value = ""
        self.query_one("#mode", Select).value = "read"  # reading in the room: the default
        self._say(said + " " + _("Next borrower.") if message.copies
                  else _("Recorded. Next borrower."))
        self.query_one("#borrower", Input).focus()

    @store_work("slip", write=True)
    def write_slip(self, session: Any, loans: list[int]) -> None:
        reply(self, self.SlipWritten(loan_files.slip(session, loans)))

    @on(SlipWritten)
    def slip_written(self, message: SlipWritten) -> None:
        self.app.notify(_("Borrow slip written: {path}").format(path=message.path), timeout=15)

    def show_refusal(self, refusal: FieldError | RuleRefused) -> None:
        """A scan or the loan refused: beside the row it names (else the item's row)."""
        if self._counter_failed():
            field = refusal.field if refusal.field in dict(ROWS) else "item"
            self._say(glyphs.BAD + " " + str(refusal), field)
        else:
            super().show_refusal(refusal)

    def show_trouble(self, line: str) -> None:
        if self._counter_failed():
            self._say(glyphs.BAD + " " + line, "item")
        else:
            super().show_trouble(line)

    def _counter_failed(self) -> bool:
        """Whether the failure said now is a scan's or the loan's (said on the message line);
        that work is over: the next scan goes, Ctrl+S records again."""
        if self.failed_group == "scan":
            self.scans.done()
            return True
        if self.failed_group == "record":
            self.recording = False
            return True
        return False

    def action_returns(self) -> None:
        from tui.screens.returns import ReturnsScreen

        self.app.push_screen(ReturnsScreen())
