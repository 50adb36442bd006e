"""The item catalogue (F12): register, find and filter items; open one for its chain of
custody; the people on record (m)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import DataTable, Input, Select, Static

from store.custody import items, people
from store.custody.items import Event, Item
from store.custody.people import Person
from store.i18n import N_, _
from tui import glyphs
from tui.dialogs.form import FormDialog
from tui.screens.base import BaseScreen
from tui.widgets import Choice, Table
from tui.workers import call_store


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



class ChainDialog(ModalScreen[None]):
    """One item, whole, with every custody event: what, who, when, approved by, reference."""

    DEFAULT_CSS = """
    ChainDialog { align: center middle; }
    ChainDialog > VerticalScroll {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    """
    BINDINGS = [Binding("escape", "dismiss", N_("Close"), id="chain-close")]

    def __init__(self, item: Item, events: list[Event]) -> None:
        super().__init__()
        self.item, self.events = item, events

    def compose(self) -> ComposeResult:
        i = self.item
        facts = Table(box=None, show_header=False, expand=True, pad_edge=False)
        facts.add_column(no_wrap=True, style="bold")
        facts.add_column(ratio=1)
        for label, value in [(_("Title"), i.title), (_("Kind"), _(items.KINDS[i.kind])),
                             (_("Classification"), _(items.LEVELS[i.classification])),
                             (_("Copy"), f"{i.copy_no}/{i.copies}"), (_("Pages"), str(i.pages)),
                             (_("Location"), i.location or glyphs.NONE),
                             (_("Custodian"), i.custodian or glyphs.NONE),
                             (_("Status"), _(items.STATUSES[i.status]))]:
            facts.add_row(label, Text(value))
        chain = Table(box=None, expand=True, pad_edge=False)
        for title in (_("When"), _("What"), _("Who"), _("Approved by"), _("Reference"),
                      _("Operator")):
            chain.add_column(title)
        for e in self.events:
            chain.add_row(e.at[:16].replace("T", " "), _(items.EVENTS.get(e.kind, e.kind)),
                          Text(e.person or glyphs.NONE), Text(e.approved_by or glyphs.NONE),
                          Text(e.reference or e.note or glyphs.NONE), e.by)
        with VerticalScroll() as box:
            box.border_title = f"{i.reg_no}{glyphs.DASH}Esc " + _("to close")
            yield Static(facts)
            yield Static(_("Chain of custody"), classes="history-title")
            yield Static(chain)


class CatalogueScreen(BaseScreen):
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

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[Item] = []

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
        yield DataTable(id="items", cursor_type="row", zebra_stripes=True)
        yield Static("", id="items-status")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DataTable).add_columns(_("Number"), _("Title"), _("Classification"),
                                              _("Status"), _("Location"))
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
        self.load()

    def load(self, more: bool = False) -> None:
        wanted = self._filter()
        after = self.shown[-1].id if more and self.shown else None
        call_store(self, lambda: items.search(wanted["text"], wanted["kind"],
                                              wanted["classification"], wanted["status"],
                                              after=after),
                   lambda found: self.show(found, more))

    def show(self, found: list[Item], more: bool) -> None:
        table = self.query_one(DataTable)
        if not more:
            table.clear()
            self.shown = []
        self.shown += found
        for i in found:
            table.add_row(i.reg_no, Text(i.title), _(items.LEVELS[i.classification]),
                          _(items.STATUSES[i.status]), Text(i.location), key=str(i.id))
        self.query_one("#items-status", Static).update(
            _("{n} items shown | Enter: chain of custody | a: register | m: people | "
              "r: secrecy register | k: checklists | e: destruction").format(
                n=len(self.shown)))

    def action_more(self) -> None:
        self.load(more=True)

    def action_filters(self) -> None:
        self.query_one("#item-search", Input).focus()

    def action_add(self) -> None:
        if self.desk.session is not None:
            self.app.push_screen(ItemDialog(self.desk.session),
                                 lambda done: self.load() if done else None)

    @on(DataTable.RowSelected)
    def open_item(self, event: DataTable.RowSelected) -> None:
        item_id = int(str(event.row_key.value))
        call_store(self, lambda: (items.get(item_id), items.chain(item_id)),
                   lambda found: self.app.push_screen(ChainDialog(*found)))

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

        table, session = self.query_one(DataTable), self.desk.session
        if session is None or not table.row_count:
            return
        item_id = int(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))
        number = next(i.reg_no for i in self.shown if i.id == item_id)
        dialog = ReasonDialog(_("Report {number} missing").format(number=number),
                              _("Any open loan is closed and an incident opened for the "
                                "secrecy officer."))

        def reported(ok: bool | None) -> None:
            if ok:
                call_store(self, lambda: items.report_missing(session, number, dialog.reason),
                           lambda _i: self.load())

        self.app.push_screen(dialog, reported)

    def action_ledger(self) -> None:
        if self.desk.session is not None:
            from store import clock
            from tui.dialogs.period import PeriodFileDialog

            self.app.push_screen(PeriodFileDialog(
                self.desk.session, N_("Loan ledger (C11)"), _("From (20260101 or 2026-01-01)"),
                clock.today().replace(day=1), "loan_files.ledger",
                _("Loan ledger written: {path}")))

    def action_overdue(self) -> None:
        from exports import loan_files

        session = self.desk.session
        if session is not None:
            call_store(self, lambda: loan_files.overdue_list(session),
                       lambda path: self.app.notify(_("Overdue list written: {path}").format(
                           path=path), timeout=15))


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

    def body(self) -> ComposeResult:
        yield DataTable(id="people", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DataTable).add_columns(_("Code"), _("Name"), _("Role"),
                                              _("Department or unit"), _("County or above"))
        self.load()

    def load(self) -> None:
        call_store(self, people.everyone, self.show)

    def show(self, found: list[Person]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for p in found:
            table.add_row(p.code, Text(p.name), _(people.ROLES[p.role]),
                          Text(p.unit if p.external else p.department),
                          (glyphs.OK if p.county_or_above else glyphs.BAD) if p.external else "")
        table.focus()

    def action_add(self) -> None:
        if self.desk.session is not None:
            self.app.push_screen(PersonDialog(self.desk.session),
                                 lambda done: self.load() if done else None)
