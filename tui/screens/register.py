"""The secrecy register (F12, r): classified documents received and their copies, who holds
each, totals by classification; receive a document (a), distribute a copy (d), the register
in Word (w)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import DataTable, Input, Select, Static

from store.custody import items
from store.i18n import N_, _
from store.secrecy import register as secrecy
from store.secrecy.register import Copy, Filter, Listed
from tui import glyphs
from tui.dialogs.form import FormDialog
from tui.keys import key_of
from tui.screens.base import BaseScreen
from tui.screens.item_chain import ChainOfCustody
from tui.widgets import Choice
from tui.widgets.fit_table import FitTable
from tui.widgets.person_picker import PersonPicker
from tui.workers import Reply, reply, store_work

CUSTODIANS: tuple[str, ...] = ()
"""Whose names a custodian field offers: anyone on record (the store refuses an external
unit and anyone not on the document's list, with the rule)."""


class ReceiveDialog(FormDialog):
    TITLE_TEXT = N_("Receive a classified document (D4)")

    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session

    def intro(self) -> str:
        return _("Each copy becomes an item with its own registration number. The "
                 "distribution list names the custodians who may sign for a copy.")

    def fields(self) -> list[tuple[str, str, Widget]]:
        from store import clock

        levels = [(_(items.LEVELS[k]), k) for k in secrecy.CLASSIFIED]
        yes_no = [(_("yes"), "yes"), (_("no"), "no")]
        return [("sender", _("Sending organ"), Input()),
                ("doc_no", _("Document number (文号)"), Input()),
                ("title", _("Title"), Input()),
                ("received_on", _("Received on"), Input(clock.today().isoformat())),
                ("classification", _("Classification"),
                 Choice(levels, value="secret", allow_blank=False)),
                ("copies", _("Copies of the document"),
                 Input(placeholder=_("how many were printed, e.g. 5"))),
                ("copy_numbers", _("Copy numbers received (empty: all; e.g. 1-5, 7)"),
                 Input()),
                ("pages", _("Pages"), Input(placeholder=_("pages of one copy, e.g. 12"))),
                ("sealed", _("Envelope sealed and intact"),
                 Choice(yes_no, value="yes", allow_blank=False)),
                ("note", _("Receipt note (required if the seal was not intact)"), Input()),
                ("recipients", _("Distribution list: names or short codes, separated by 、"),
                 PersonPicker(several=True)),
                ("location", _("Location (cabinet/shelf)"),
                 Input(placeholder=_("required, e.g. 保密柜-1层")))]

    def save(self, values: dict[str, str]) -> object:
        return secrecy.receive(self.session, secrecy.Receipt(
            values["sender"], values["doc_no"], values["title"], values["received_on"],
            values["classification"], values["copies"], values["copy_numbers"],
            values["pages"], values["sealed"] == "yes", values["note"], values["recipients"],
            values["location"]))


def listed_text(listed: list[Listed]) -> str:
    """The distribution list as the dialogs show it: code, name, who approved an addition."""
    return "、".join(f"{p.code} {p.name}" + (f"（{_('approved by {name}').format(name=a)}）"
                                            if a else "") for p, a in listed)


class DistributeDialog(FormDialog):
    TITLE_TEXT = N_("Distribute a copy against signature (D4)")

    def __init__(self, session: Any, number: str = "",
                 listed: list[Listed] | None = None) -> None:
        super().__init__()
        self.session, self.number, self.listed = session, number, listed or []

    def intro(self) -> str:
        said = _("The custodian signs for the copy now. Only people on the document's "
                 "distribution list; passing a copy on needs an approver.")
        if self.listed:
            said += "\n" + _("Distribution list: {names}").format(
                names=listed_text(self.listed))
        return said

    def fields(self) -> list[tuple[str, str, Widget]]:
        return [("number", _("Copy (registration number)"), Input(self.number)),
                ("recipient", _("Custodian (name or short code)"),
                 PersonPicker(roles=CUSTODIANS)),
                ("approver", _("Approver (to pass a copy on): name or short code"),
                 PersonPicker(roles=secrecy.APPROVERS))]

    def on_mount(self) -> None:
        """The copy is the highlighted one: start at the custodian (after the form's own
        first-field focus, which runs after this handler)."""
        if self.number:
            self.call_after_refresh(self.query_one("#recipient", Input).focus)

    def save(self, values: dict[str, str]) -> object:
        return secrecy.distribute(self.session, values["number"], values["recipient"],
                                  values["approver"])


class WidenDialog(FormDialog):
    TITLE_TEXT = N_("Add to the distribution list (D4, D7)")

    def __init__(self, session: Any, copy: Copy, listed: list[Listed]) -> None:
        super().__init__()
        self.session, self.copy, self.listed = session, copy, listed

    def intro(self) -> str:
        return _("{doc}: circulation is never widened without the approval of the secrecy "
                 "committee office or a leader.").format(doc=self.copy.doc_no) + "\n" + _(
            "Distribution list: {names}").format(names=listed_text(self.listed))

    def fields(self) -> list[tuple[str, str, Widget]]:
        return [("recipients", _("Custodian (name or short code)"),
                 PersonPicker(roles=CUSTODIANS)),
                ("approver", _("Approver (name or short code)"),
                 PersonPicker(roles=secrecy.APPROVERS))]

    def save(self, values: dict[str, str]) -> object:
        return secrecy.add_recipient(self.session, self.copy.document_id,
                                     values["recipients"], values["approver"])


class TakeBackDialog(FormDialog):
    TITLE_TEXT = N_("Take a copy back before the check-in (D5)")

    def __init__(self, session: Any, number: str) -> None:
        super().__init__()
        self.session, self.number = session, number

    def fields(self) -> list[tuple[str, str, Widget]]:
        return [("number", _("Copy (registration number)"), Input(self.number)),
                ("note", _("Note (e.g. the matter is closed)"), Input())]

    def on_mount(self) -> None:
        if self.number:
            self.call_after_refresh(self.query_one("#note", Input).focus)

    def save(self, values: dict[str, str]) -> object:
        return secrecy.take_back(self.session, values["number"], values["note"])


class RegisterScreen(ChainOfCustody, BaseScreen):
    TITLE_TEXT = N_("Secrecy register")
    AUTO_FOCUS = "#copies"
    DEFAULT_CSS = """
    RegisterScreen #copy-filters { height: 1; margin: 0 1; }
    RegisterScreen #copy-filters > Input { width: 2fr; margin-right: 1; }
    RegisterScreen #copy-filters > Select { width: 1fr; margin-right: 1; }
    RegisterScreen #copies { height: 1fr; margin: 0 1; }
    RegisterScreen #copies-totals, RegisterScreen #copies-hint { height: auto; padding: 0 1; }
    RegisterScreen #copies-hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("a", "receive", N_("Receive"), id="register-receive"),
        Binding("d", "distribute", N_("Distribute"), id="register-distribute"),
        Binding("t", "take_back", N_("Take back"), id="register-take-back"),
        Binding("l", "widen", N_("Widen list"), id="register-widen"),
        Binding("f", "filters", N_("Filter"), id="register-filter"),
        Binding("n", "more", N_("Next page"), id="register-next"),
        Binding("w", "word", N_("Word"), id="register-word"),
    ]

    class Found(Reply):
        """A page of copies and the totals by classification; `more` puts the page below the
        rows shown."""

        def __init__(self, found: list[Copy], totals: dict[str, int], more: bool) -> None:
            super().__init__()
            self.found, self.totals, self.more = found, totals, more

    class ListRead(Reply):
        """A copy's distribution list, to distribute it or (`widen`) to add to the list."""

        def __init__(self, copy: Copy, listed: list[Listed], widen: bool) -> None:
            super().__init__()
            self.copy, self.listed, self.widen = copy, listed, widen

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[Copy] = []
        self.keep: tuple[int | None, int] = (None, 0)
        """The copy the cursor was on before a reload, and its row."""
        self.to_top = False
        """Copies were received: the reloads after the dialog start at the top (the newest)."""

    def body(self) -> ComposeResult:
        with Horizontal(id="copy-filters"):
            yield Input(placeholder=_("number, 文号, title, sender, custodian"),
                        id="copy-search", compact=True)
            yield Choice([(_(items.LEVELS[k]), k) for k in secrecy.CLASSIFIED],
                         prompt=_("any classification"), id="copy-level", compact=True)
            yield Choice([(_(items.STATUSES[k]), k) for k in
                          ("in", "distributed", "lent", "reading", "missing", "destroyed")],
                         prompt=_("any status"), id="copy-status", compact=True)
        yield FitTable(id="copies", cursor_type="row", zebra_stripes=True,
                       give_way=(1, 5))
        yield Static("", id="copies-totals")
        yield Static(_("Enter: chain of custody | {receive} receive | {distribute} distribute | "
                       "{take_back} take back | {widen} widen the list | {word} Word").format(
            receive=key_of(self, "register-receive"),
            distribute=key_of(self, "register-distribute"),
            take_back=key_of(self, "register-take-back"),
            widen=key_of(self, "register-widen"), word=key_of(self, "register-word")),
            id="copies-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DataTable).add_columns(_("Number"), _("Document"), _("Copy"),
                                              _("Held by"), _("Classification"), _("Title"))
        self.load()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.load()

    def _filter(self) -> Filter:
        def chosen(selector: str) -> str:
            control = self.query_one(selector, Select)
            return "" if control.is_blank() else str(control.value)

        return Filter(self.query_one("#copy-search", Input).value, chosen("#copy-level"),
                      chosen("#copy-status"))

    @on(Input.Changed, "#copy-search")
    @on(Select.Changed)
    def filters_changed(self) -> None:
        self.load(stay=False)

    def load(self, more: bool = False, stay: bool = True) -> None:
        """The first page for the filters (a newer load supersedes an older one), or the
        next page below the rows shown. `stay`: the cursor stays on the copy it was on,
        wherever it now is (after a dialog, a distribution, a take-back), or on the same row
        when the copy left the list (the next one); a new filter starts at the top."""
        if not more:
            chosen = self._highlighted()
            self.keep = ((chosen.id if chosen else None, self.query_one(DataTable).cursor_row)
                         if stay and not self.to_top else (None, 0))
        after = self.shown[-1].id if more and self.shown else None
        self.search(self._filter(), after, more)

    @store_work("load")
    def search(self, wanted: Filter, after: int | None, more: bool) -> None:
        reply(self, self.Found(secrecy.register(wanted, after), secrecy.totals(wanted), more))

    @on(Found)
    def show(self, message: Found) -> None:
        table, totals = self.query_one(DataTable), message.totals
        if not message.more:
            table.clear()
            self.shown = []
        self.shown += message.found
        for c in message.found:
            held = (f"{c.holder} {c.signed_at[5:10]}" if c.status == "distributed"
                    else _(items.STATUSES[c.status]))
            table.add_row(c.reg_no, Text(c.doc_no), f"{c.copy_no}/{c.copies}", Text(held),
                          _(items.LEVELS[c.classification]), Text(c.title),
                          key=str(c.id))
        if not message.more:
            self.to_top = False
        if not message.more and table.row_count:
            copy_id, was_at = self.keep
            table.move_cursor(row=next((n for n, c in enumerate(self.shown) if c.id == copy_id),
                                       min(was_at, table.row_count - 1)))
        said = glyphs.SEP.join(f"{_(items.LEVELS[k])} {totals[k]}" for k in secrecy.CLASSIFIED
                          if k in totals) or _("no copies")
        self.query_one("#copies-totals", Static).update(
            _("Copies: {totals} | {n} shown").format(totals=said, n=len(self.shown)))

    def _highlighted(self) -> Copy | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        return next((c for c in self.shown if str(c.id) == key), None)

    def action_more(self) -> None:
        self.load(more=True)

    def action_filters(self) -> None:
        self.query_one("#copy-search", Input).focus()

    def action_receive(self) -> None:
        if self.desk.session is not None:
            self.app.push_screen(ReceiveDialog(self.desk.session), self._received)

    def _received(self, done: bool | None) -> None:
        if done:  # the copies received are the newest: the cursor goes to them, at the top
            self.to_top = True
            self.load(stay=False)

    def _reload(self, done: bool | None) -> None:
        if done:
            self.load()

    def action_distribute(self) -> None:
        chosen, session = self._highlighted(), self.desk.session
        if session is None:
            return
        if chosen is None:
            self.app.push_screen(DistributeDialog(session), self._reload)
            return
        self.read_list(chosen, widen=False)

    def action_widen(self) -> None:
        chosen, session = self._highlighted(), self.desk.session
        if chosen is not None and session is not None:
            self.read_list(chosen, widen=True)

    @store_work("list")
    def read_list(self, chosen: Copy, widen: bool) -> None:
        reply(self, self.ListRead(chosen, secrecy.recipients(chosen.document_id), widen))

    @on(ListRead)
    def list_read(self, message: ListRead) -> None:
        session, chosen = self.desk.session, message.copy
        if session is None:
            return
        self.app.push_screen(WidenDialog(session, chosen, message.listed) if message.widen
                             else DistributeDialog(session, chosen.reg_no, message.listed),
                             self._reload)

    def action_take_back(self) -> None:
        chosen, session = self._highlighted(), self.desk.session
        if session is not None:
            self.app.push_screen(TakeBackDialog(session, chosen.reg_no if chosen else ""),
                                 self._reload)

    def action_word(self) -> None:
        if self.desk.session is not None:
            from store import clock
            from tui.dialogs.period import PeriodFileDialog

            self.app.push_screen(PeriodFileDialog(
                self.desk.session, N_("The secrecy register in Word"),
                _("Received from (20260101 or 2026-01-01)"),
                clock.today().replace(month=1, day=1), "check_files.register",
                _("Register written: {path}")))

    @on(DataTable.RowSelected)
    def open_copy(self, event: DataTable.RowSelected) -> None:
        self.open_chain(int(str(event.row_key.value)))
