"""The audit log: paged from the store newest first, filtered, opened, verified (the chain, or
deeply: every audited row replayed against the log)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, ProgressBar, Select, Static

from store import operators
from store.audit import paging, replay
from store.audit.log import ACTIONS, AuditRecord, VerifyResult
from store.audit.paging import AuditFilter, AuditPage
from store.dates import parse_date
from store.errors import InvalidInput
from store.i18n import N_, _
from store.vault.policy import RECOVERY_ACTOR
from tui import glyphs
from tui.dialogs.audit_entry import AuditEntryDialog, operator_label, record_label
from tui.keys import key_of
from tui.screens.base import BaseScreen
from tui.widgets import Choice
from tui.widgets.fit_table import FitTable
from tui.workers import Reply, reply, store_work

if TYPE_CHECKING:
    from store.vault.session import Session

PAGE = 100
SHOWN_FINDINGS = 12
"""Rows the deep check names on screen; the rest are counted (`audit verify --deep` lists
them all)."""


def _when(ts: str) -> str:
    return ts[:16].replace("T", " ")


class AuditScreen(BaseScreen):
    TITLE_TEXT = N_("Audit log")
    DEFAULT_CSS = """
    AuditScreen #audit-filters { height: 1; margin: 0 1; }
    AuditScreen #audit-filters > Select { width: 1fr; margin-right: 1; }
    AuditScreen #audit-filters > Input { width: 16; margin-right: 1; }
    AuditScreen #audit-filter-error { color: $error; height: auto; padding: 0 1; }
    AuditScreen #audit-table { height: 1fr; }
    AuditScreen #audit-status, AuditScreen #audit-verify { height: auto; padding: 0 1; }
    AuditScreen #audit-progress { padding: 0 1; }
    """
    BINDINGS = [
        # n and p are named in the status line beside the entries, when they apply
        Binding("n", "older", N_("Older page"), id="audit-older", show=False),
        Binding("p", "newer", N_("Newer page"), id="audit-newer", show=False),
        Binding("enter", "open", N_("Open"), id="audit-open", show=False),
        Binding("f", "filters", N_("Filter"), id="audit-filter"),
        Binding("v", "verify", N_("Verify chain"), id="audit-verify"),
        Binding("d", "deep", N_("Deep check"), id="audit-deep"),
    ]

    class Operators(Reply):
        """Every operator's login name and full name, for the filter."""

        def __init__(self, names: list[tuple[str, str]]) -> None:
            super().__init__()
            self.names = names

    class Page(Reply):
        """A page of entries, newest first, under the filter it was read with."""

        def __init__(self, page: AuditPage, wanted: AuditFilter, names: dict[str, str]) -> None:
            super().__init__()
            self.page = page
            self.wanted = wanted
            self.names = names
            """Operators' full names by login: the entries name people by their names."""

    class Progress(Reply):
        """How far a verification has got."""

        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done = done
            self.total = total

    class Verified(Reply):
        """The chain was verified, entry by entry."""

        def __init__(self, result: VerifyResult) -> None:
            super().__init__()
            self.result = result

    class DeepChecked(Reply):
        """The chain, each entry's rows and every audited row against the log were checked."""

        def __init__(self, result: replay.DeepResult) -> None:
            super().__init__()
            self.result = result

    def __init__(self) -> None:
        super().__init__()
        self.filter = AuditFilter()
        self.current: AuditPage | None = None
        self.entries: dict[int, AuditRecord] = {}
        self.names: dict[str, str] = {}
        """Operators' full names by login, read with the page shown."""
        self.verifying = False
        """A verification runs: its trouble is said on its own line."""

    def body(self) -> ComposeResult:
        actions = [(_(label), code) for code, label in ACTIONS.items()]
        with Horizontal(id="audit-filters"):
            yield Choice([], prompt=_("all operators"), id="filter-operator", compact=True)
            yield Choice(actions, prompt=_("all actions"), id="filter-action", compact=True)
            yield Input(placeholder=_("from 20260101"), id="filter-from", compact=True)
            yield Input(placeholder=_("to 20261231"), id="filter-to", compact=True)
        yield Static("", id="audit-filter-error")
        yield FitTable(id="audit-table", cursor_type="row", zebra_stripes=True,
                       give_way=("action", "record", "note"))
        yield Static("", id="audit-status")
        yield ProgressBar(id="audit-progress", show_eta=False, total=1)
        yield Static("", id="audit-verify")

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one(DataTable)
        table.add_column("#", key="id")
        table.add_column(_("Time"), key="ts")
        table.add_column(_("Operator"), key="operator")
        table.add_column(_("Action"), key="action")
        table.add_column(_("Record"), key="record")
        table.add_column(_("Note"), key="note")
        self.query_one("#audit-progress", ProgressBar).display = False
        self.query_one("#audit-filter-error", Static).display = False
        self.read_operators()
        self.load()

    @store_work("operators")
    def read_operators(self) -> None:
        reply(self, self.Operators([(r.name, r.display_name)
                                    for r in operators.list_operators()]))

    @on(Operators)
    def show_operators(self, message: Operators) -> None:
        names = dict(message.names)
        choices = [(Text(operator_label(login, names, login=True)), login)
                   for login in [*names, RECOVERY_ACTOR]]
        self.query_one("#filter-operator", Select).set_options(choices)

    # --- paging -------------------------------------------------------------------------

    def load(self, older_than: int | None = None, newer_than: int | None = None) -> None:
        self.read_page(self.filter, older_than, newer_than)

    @store_work("page")
    def read_page(self, wanted: AuditFilter, older_than: int | None,
                  newer_than: int | None) -> None:
        reply(self, self.Page(paging.page(wanted, older_than=older_than, newer_than=newer_than,
                                         limit=PAGE), wanted, operators.display_names()))

    @on(Page)
    def show(self, message: Page) -> None:
        result = message.page
        self.current = result
        self.entries = {e.id: e for e in result.entries}
        self.names = message.names
        table = self.query_one(DataTable)
        table.clear()
        for e in result.entries:
            label = _(ACTIONS[e.action]) if e.action in ACTIONS else e.action
            record = record_label(e)
            table.add_row(str(e.id), _when(e.ts), Text(operator_label(e.operator, self.names)),
                          label,
                          Text(glyphs.cut(record, 24)),
                          Text(_(e.note) if e.note else ""), key=str(e.id))
        status = self.query_one("#audit-status", Static)
        if not result.entries:
            status.update(_("No entries match."))
        else:
            parts = [_("Entries #{last}-#{first}").format(first=result.entries[0].id,
                                                          last=result.entries[-1].id),
                     _("{key}: older page").format(key=key_of(self, "audit-older"))
                     if result.has_older else _("no older entries")]
            if result.has_newer:
                parts.append(_("{key}: newer page").format(key=key_of(self, "audit-newer")))
            status.update(glyphs.SEP.join(parts))
        if self.focused is None:
            table.focus()

    def action_older(self) -> None:
        if self.current and self.current.has_older and self.current.entries:
            self.load(older_than=self.current.entries[-1].id)

    def action_newer(self) -> None:
        if self.current and self.current.has_newer and self.current.entries:
            self.load(newer_than=self.current.entries[0].id)

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self.app.push_screen(AuditEntryDialog(self.entries[int(str(key))], self.names))

    @on(DataTable.RowSelected)
    def row_selected(self) -> None:
        self.action_open()

    # --- filters ------------------------------------------------------------------------

    def action_filters(self) -> None:
        self.query_one("#filter-operator", Select).focus()

    def _date(self, widget_id: str) -> date | None:
        text = self.query_one(widget_id, Input).value.strip()
        return parse_date(text) if text else None

    @on(Select.Changed)
    @on(Input.Submitted, "#filter-from, #filter-to")
    def apply_filters(self) -> None:
        error = self.query_one("#audit-filter-error", Static)
        try:
            first, last = self._date("#filter-from"), self._date("#filter-to")
        except InvalidInput as exc:
            self._filter_error(f"{glyphs.BAD} {exc}")
            return
        if first and last and first > last:
            self._filter_error(glyphs.BAD + " " + _("the first date is after the last"))
            return
        error.display = False
        operator = self.query_one("#filter-operator", Select)
        action = self.query_one("#filter-action", Select)
        self.filter = AuditFilter(
            operator=None if operator.is_blank() else str(operator.value),
            action=None if action.is_blank() else str(action.value),
            date_from=first, date_to=last)
        self.load()

    def _filter_error(self, text: str) -> None:
        error = self.query_one("#audit-filter-error", Static)
        error.update(text)
        error.display = True

    # --- verification -------------------------------------------------------------------

    def _start_verifying(self, doing: str) -> None:
        self.verifying = True
        bar = self.query_one("#audit-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.query_one("#audit-verify", Static).update(doing)

    def action_verify(self) -> None:
        session = self.desk.session
        if session is not None:
            self._start_verifying(_("verifying the audit chain..."))
            self.verify(session)

    def action_deep(self) -> None:
        """The chain, each entry's rows, and every audited row against the log, in a worker."""
        session = self.desk.session
        if session is not None:
            self._start_verifying(_("replaying the audit log against every table..."))
            self.deep_check(session)

    def _progress(self, done: int, total: int) -> None:
        """In the worker: say how far it has got."""
        reply(self, self.Progress(done, total))

    @store_work("verify")
    def verify(self, session: Session) -> None:
        reply(self, self.Verified(session.audit.verify(self._progress)))

    @store_work("verify")
    def deep_check(self, session: Session) -> None:
        reply(self, self.DeepChecked(replay.verify_deep(session.audit, self._progress)))

    @on(Progress)
    def show_progress(self, message: Progress) -> None:
        self.query_one("#audit-progress", ProgressBar).update(total=max(message.total, 1),
                                                              progress=message.done)

    @on(DeepChecked)
    def deep_checked(self, message: DeepChecked) -> None:
        result = message.result
        mark = glyphs.OK if result.ok else glyphs.BAD
        self._said(Text(f"{mark} " + "\n".join(result.lines(SHOWN_FINDINGS))))

    @on(Verified)
    def verified(self, message: Verified) -> None:
        mark = glyphs.OK if message.result.ok else glyphs.BAD
        self._said(f"{mark} {message.result.describe()}")

    def _said(self, verdict: str | Text) -> None:
        self.verifying = False
        self.query_one("#audit-progress", ProgressBar).display = False
        self.query_one("#audit-verify", Static).update(verdict)

    def show_trouble(self, line: str) -> None:
        """A verification that could not run to its end is said on its line."""
        if self.verifying:
            self._said(Text(f"{glyphs.BAD} {line}"))
        else:
            super().show_trouble(line)
