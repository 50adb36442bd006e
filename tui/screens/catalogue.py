"""The item catalogue (F12): register, find and filter items; open one for its chain of
custody; the people on record (m)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import DataTable, Input, Select, Static

from store.custody import items, people
from store.custody.items import Item
from store.custody.people import Person
from store.i18n import N_, _, ngettext
from tui import glyphs
from tui.dialogs.form import FormDialog
from tui.keys import key_of
from tui.screens.base import BaseScreen
from tui.screens.item_chain import ChainOfCustody
from tui.widgets import Choice
from tui.widgets.fit_table import FitTable
from tui.workers import Reply, reply, store_work


class ItemDialog(FormDialog):
    TITLE_TEXT = N_("Register an item")

    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session

    def intro(self) -> str:
        return _("The registration number comes from the pattern in Settings unless typed.")

    def fields(self) -> list[tuple[str, str, Widget]]:
        kinds = [(_(label), kind) for kind, label in items.KINDS.items() if kind != "copy"]
        levels = [(_(label), level) for level, label in items.LEVELS.items()]
        return [("title", _("Title"), Input()),
                ("kind", _("Kind"), Choice(kinds, value="report", allow_blank=False)),
                ("classification", _("Classification"),
                 Choice(levels, value="internal", allow_blank=False)),
                ("copy_no", _("Copy number"), Input("1")),
                ("copies", _("Number of copies"), Input("1")),
                ("pages", _("Pages"), Input("0")),
                ("location", _("Location (cabinet/shelf)"), Input()),
                ("custodian", _("Custodian"), Input()),
                ("reg_no", _("Registration number (empty: the next one)"), Input())]

    def checks(self) -> list[tuple[str, Callable[[], object]]]:
        def title() -> None:
            if not self.value("title").strip():
                from store.errors import InvalidInput
                raise InvalidInput(_("give the item's title"))
        return [("title", title)]

    def save(self, values: dict[str, str]) -> object:
        return items.register(self.session, values["title"], values["kind"],
                              values["classification"], values["copy_no"], values["copies"],
                              values["pages"], values["location"], values["custodian"],
                              values["reg_no"])


class CatalogueScreen(ChainOfCustody, BaseScreen):
    TITLE_TEXT = N_("Item catalogue")
    DEFAULT_CSS = """
    CatalogueScreen #item-filters { height: 1; margin: 0 1; }
    CatalogueScreen #item-filters > Input { width: 2fr; margin-right: 1; }
    CatalogueScreen #item-filters > Select { width: 1fr; margin-right: 1; }
    CatalogueScreen #items { height: 1fr; margin: 0 1; }
    CatalogueScreen #items-status { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("a", "add", N_("Register"), id="items-add"),
        Binding("f", "filters", N_("Filter"), id="items-filter"),
        Binding("n", "more", N_("Next page"), id="items-next"),
        Binding("m", "people", N_("People"), id="items-people"),
        Binding("l", "ledger", N_("Loan ledger"), id="items-ledger"),
        Binding("o", "overdue", N_("Overdue list"), id="items-overdue"),
        Binding("x", "missing", N_("Report missing"), id="items-missing"),
        Binding("i", "incidents", N_("Incidents"), id="items-incidents"),
        Binding("r", "register", N_("Secrecy register"), id="items-register"),
        Binding("k", "checks", N_("Checklists"), id="items-checks"),
        Binding("e", "destruction", N_("Destruction"), id="items-destruction"),
    ]
    AUTO_FOCUS = "#items"

    class Found(Reply):
        """A page of items matching the filters; `more` puts it below the rows shown."""

        def __init__(self, found: list[Item], more: bool) -> None:
            super().__init__()
            self.found, self.more = found, more

    class Reported(Reply):
        """An item was reported missing (an incident opened)."""

    class Written(Reply):
        """The overdue list was written to `path`."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[Item] = []
        self.keep: tuple[int | None, int] = (None, 0)
        """The item the cursor was on before a reload, and its row."""

    def body(self) -> ComposeResult:
        with Horizontal(id="item-filters"):
            yield Input(placeholder=_("number, title, place, custodian"), id="item-search",
                        compact=True)
            yield Choice([(_(v), k) for k, v in items.KINDS.items()], prompt=_("any kind"),
                         id="item-kind", compact=True)
            yield Choice([(_(v), k) for k, v in items.LEVELS.items()],
                         prompt=_("any classification"), id="item-level", compact=True)
            yield Choice([(_(v), k) for k, v in items.STATUSES.items()],
                         prompt=_("any status"), id="item-status", compact=True)
        yield FitTable(id="items", cursor_type="row", zebra_stripes=True,
                       give_way=("title", "location"), give_way_floor=16)
        yield Static("", id="items-status")

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one(DataTable)
        for key, title in (("reg_no", N_("Number")), ("title", N_("Title")),
                           ("classification", N_("Classification")), ("status", N_("Status")),
                           ("location", N_("Location"))):
            table.add_column(_(title), key=key)
        self.load()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.load()

    def _filter(self) -> dict[str, str]:
        def chosen(selector: str) -> str:
            control = self.query_one(selector, Select)
            return "" if control.is_blank() else str(control.value)

        return {"text": self.query_one("#item-search", Input).value,
                "kind": chosen("#item-kind"), "classification": chosen("#item-level"),
                "status": chosen("#item-status")}

    @on(Input.Changed, "#item-search")
    @on(Select.Changed)
    def filters_changed(self) -> None:
        self.load(stay=False)

    def load(self, more: bool = False, stay: bool = True) -> None:
        """The first page for the filters (a newer load supersedes an older one), or the
        next page below the rows shown. `stay`: the cursor stays on the item it was on (after
        a dialog, a report, coming back), or on the same row when the item left the list; new
        filters start at the top."""
        if not more:
            self.keep = (self._selected_id(), self.query_one(DataTable).cursor_row) if stay \
                else (None, 0)
        after = self.shown[-1].id if more and self.shown else None
        self.search(self._filter(), after, more)

    def _selected_id(self) -> int | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return int(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    @store_work("load")
    def search(self, wanted: dict[str, str], after: int | None, more: bool) -> None:
        reply(self, self.Found(items.search(wanted["text"], wanted["kind"],
                                            wanted["classification"], wanted["status"],
                                            after=after), more))

    @on(Found)
    def show(self, message: Found) -> None:
        table = self.query_one(DataTable)
        if not message.more:
            table.clear()
            self.shown = []
        self.shown += message.found
        for i in message.found:
            table.add_row(i.reg_no, Text(i.title), _(items.LEVELS[i.classification]),
                          _(items.STATUSES[i.status]), Text(i.location), key=str(i.id))
        if not message.more and table.row_count:
            item_id, was_at = self.keep
            at = next((n for n, i in enumerate(self.shown) if i.id == item_id),
                      min(was_at, table.row_count - 1))
            table.move_cursor(row=at)
        n = len(self.shown)
        self.query_one("#items-status", Static).update(ngettext(
            "{n} item shown | Enter: chain of custody | {add}: register | {people}: people | "
            "{register}: secrecy register | {checks}: checklists | {destruction}: destruction",
            "{n} items shown | Enter: chain of custody | {add}: register | {people}: people | "
            "{register}: secrecy register | {checks}: checklists | {destruction}: destruction",
            n).format(n=n, add=key_of(self, "items-add"), people=key_of(self, "items-people"),
                      register=key_of(self, "items-register"),
                      checks=key_of(self, "items-checks"),
                      destruction=key_of(self, "items-destruction")))

    def action_more(self) -> None:
        self.load(more=True)

    def action_filters(self) -> None:
        self.query_one("#item-search", Input).focus()

    def action_add(self) -> None:
        if self.desk.session is not None:
            self.app.push_screen(ItemDialog(self.desk.session), self._reload)

    def _reload(self, done: bool | None) -> None:
        if done:
            self.load()

    @on(DataTable.RowSelected)
    def open_item(self, event: DataTable.RowSelected) -> None:
        self.open_chain(int(str(event.row_key.value)))

    def action_people(self) -> None:
        self.app.push_screen(PeopleScreen())

    def action_incidents(self) -> None:
        from tui.screens.incidents import IncidentsScreen

        self.app.push_screen(IncidentsScreen())

    def action_register(self) -> None:
        from tui.screens.register import RegisterScreen

        self.app.push_screen(RegisterScreen())

    def action_checks(self) -> None:
        from tui.screens.checks import ChecksScreen

        self.app.push_screen(ChecksScreen())

    def action_destruction(self) -> None:
        from tui.screens.destruction import DestructionScreen

        self.app.push_screen(DestructionScreen())

    def action_missing(self) -> None:
        """The highlighted item cannot be found: report it (an incident; kept, not deleted)."""
        from tui.dialogs.reason import ReasonDialog

        session, item_id = self.desk.session, self._selected_id()
        if session is None or item_id is None:
            return
        number = next(i.reg_no for i in self.shown if i.id == item_id)
        dialog = ReasonDialog(_("Report {number} missing").format(number=number),
                              _("Any open loan is closed and an incident opened for the "
                                "secrecy officer."))

        def reported(ok: bool | None) -> None:
            if ok:
                self.report_missing(session, number, dialog.reason)

        self.app.push_screen(dialog, reported)

    @store_work("write", write=True)
    def report_missing(self, session: Any, number: str, reason: str) -> None:
        items.report_missing(session, number, reason)
        reply(self, self.Reported())

    @on(Reported)
    def missing_reported(self) -> None:
        self.load()

    def action_ledger(self) -> None:
        if self.desk.session is not None:
            from store import clock
            from tui.dialogs.period import PeriodFileDialog

            self.app.push_screen(PeriodFileDialog(
                self.desk.session, N_("Loan ledger (C11)"), _("From (20260101 or 2026-01-01)"),
                clock.today().replace(day=1), "loan_files.ledger",
                _("Loan ledger written: {path}")))

    def action_overdue(self) -> None:
        if self.desk.session is not None:
            self.write_overdue(self.desk.session)

    @store_work("file", write=True)
    def write_overdue(self, session: Any) -> None:
        from exports import loan_files

        reply(self, self.Written(loan_files.overdue_list(session)))

    @on(Written)
    def written(self, message: Written) -> None:
        self.app.notify(_("Overdue list written: {path}").format(path=message.path),
                        timeout=15)


class PersonDialog(FormDialog):
    TITLE_TEXT = N_("Put a person on record")

    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session

    def fields(self) -> list[tuple[str, str, Widget]]:
        roles = [(_(label), role) for role, label in people.ROLES.items()]
        return [("code", _("Short code (pinyin initials)"), Input()),
                ("name", _("Name"), Input()),
                ("role", _("Role"), Choice(roles, value="staff", allow_blank=False)),
                ("department", _("Department (internal)"), Input()),
                ("unit", _("Unit (external)"), Input()),
                ("county", _("External unit at county level or above"),
                 Choice([(_("yes"), "yes"), (_("no"), "no")], value="no",
                        allow_blank=False))]

    def save(self, values: dict[str, str]) -> object:
        return people.add(self.session, values["code"], values["name"], values["role"],
                          values["department"], values["unit"], values["county"] == "yes")


class PeopleScreen(BaseScreen):
    TITLE_TEXT = N_("People on record")
    BINDINGS = [Binding("a", "add", N_("Add"), id="people-add")]

    class Loaded(Reply):
        """Everyone on record."""

        def __init__(self, found: list[Person]) -> None:
            super().__init__()
            self.found = found

    def body(self) -> ComposeResult:
        yield FitTable(id="people", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DataTable).add_columns(_("Code"), _("Name"), _("Role"),
                                              _("Department or unit"), _("County or above"))
        self.load()

    @store_work("load")
    def load(self) -> None:
        reply(self, self.Loaded(people.everyone()))

    @on(Loaded)
    def show(self, message: Loaded) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for p in message.found:
            table.add_row(p.code, Text(p.name), _(people.ROLES[p.role]),
                          Text(p.unit if p.external else p.department),
                          (glyphs.OK if p.county_or_above else glyphs.BAD) if p.external else "")
        table.focus()

    def action_add(self) -> None:
        if self.desk.session is not None:
            self.app.push_screen(PersonDialog(self.desk.session), self._reload)

    def _reload(self, done: bool | None) -> None:
        if done:
            self.load()
