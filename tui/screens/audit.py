"""The audit log: paged from the store newest first, filtered, opened, verified (the chain, or
deeply: every audited row replayed against the log)."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, ProgressBar, Select, Static

from store import operators
from store.audit import log as audit
from store.audit import replay
from store.audit.log import ACTIONS, AuditFilter, AuditPage, AuditRecord, VerifyResult
from store.dates import parse_date
from store.errors import InvalidInput
from store.i18n import N_, _
from tui import glyphs
from tui.dialogs.audit_entry import AuditEntryDialog, operator_label, record_label
from tui.screens.base import BaseScreen
from tui.widgets import Choice
from tui.workers import call_store

PAGE = 100
SHOWN_FINDINGS = 12
"""Rows the deep check names on screen; the rest are counted (`audit verify --deep` lists
them all)."""


def _when(ts: str) -> str:
    return ts[:16].replace("T", " ")


class AuditScreen(BaseScreen):
    CSS_PATH = "audit.tcss"
    TITLE_TEXT = N_("Audit log")
    BINDINGS = [
        # n and p are named in the status line beside the entries, when they apply
        Binding("n", "older", N_("Older page"), id="audit-older", show=False),
        Binding("p", "newer", N_("Newer page"), id="audit-newer", show=False),
        Binding("enter", "open", N_("Open"), id="audit-open", show=False),
        Binding("f", "filters", N_("Filter"), id="audit-filter"),
        Binding("v", "verify", N_("Verify chain"), id="audit-verify"),
        Binding("d", "deep", N_("Deep check"), id="audit-deep"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = AuditFilter()
        self.current: AuditPage | None = None
        self.entries: dict[int, AuditRecord] = {}

    def body(self) -> ComposeResult:
        actions = [(_(label), code) for code, label in ACTIONS.items()]
        with Horizontal(id="audit-filters"):
            yield Choice([], prompt=_("all operators"), id="filter-operator", compact=True)
            yield Choice(actions, prompt=_("all actions"), id="filter-action", compact=True)
            yield Input(placeholder=_("from 20260101"), id="filter-from", compact=True)
            yield Input(placeholder=_("to 20261231"), id="filter-to", compact=True)
        yield Static("", id="audit-filter-error")
        yield DataTable(id="audit-table", cursor_type="row", zebra_stripes=True)
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
        call_store(self, operators.list_operators, self._operators)
        self.load()

    def _operators(self, rows: list[operators.OperatorInfo]) -> None:
        names = [r.name for r in rows] + ["(recovery)"]
        self.query_one("#filter-operator", Select).set_options((n, n) for n in names)

    # --- paging -------------------------------------------------------------------------

    def load(self, older_than: int | None = None, newer_than: int | None = None) -> None:
        flt = self.filter
        call_store(self, lambda: audit.page(flt, older_than=older_than, newer_than=newer_than,
                                            limit=PAGE), self.show)

    def show(self, result: AuditPage) -> None:
        self.current = result
        self.entries = {e.id: e for e in result.entries}
        table = self.query_one(DataTable)
        table.clear()
        for e in result.entries:
            label = _(ACTIONS[e.action]) if e.action in ACTIONS else e.action
            record = record_label(e)
            table.add_row(str(e.id), _when(e.ts), operator_label(e.operator), label,
                          Text(glyphs.cut(record, 24)),
                          Text(_(e.note) if e.note else ""), key=str(e.id))
        status = self.query_one("#audit-status", Static)
        if not result.entries:
            status.update(_("No entries match."))
        else:
            status.update(_("Entries #{last}-#{first}{older}{newer}").format(
                first=result.entries[0].id, last=result.entries[-1].id,
                older=_(" | n: older page") if result.has_older else _(" | no older entries"),
                newer=_(" | p: newer page") if result.has_newer else ""))
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
            self.app.push_screen(AuditEntryDialog(self.entries[int(str(key))]))

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

    def action_verify(self) -> None:
        session = self.desk.session
        if session is None:
            return
        bar = self.query_one("#audit-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.query_one("#audit-verify", Static).update(_("verifying the audit chain..."))

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, total=max(total, 1), progress=done)

        call_store(self, lambda: session.audit.verify(progress), self.verified, self.verify_failed,
                   group="verify")

    def action_deep(self) -> None:
        """The chain, each entry's rows, and every audited row against the log, in a worker."""
        session = self.desk.session
        if session is None:
            return
        bar = self.query_one("#audit-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.query_one("#audit-verify", Static).update(
            _("replaying the audit log against every table..."))

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, total=max(total, 1), progress=done)

        call_store(self, lambda: replay.verify_deep(session.audit, progress), self.deep_checked,
                   self.verify_failed, group="verify")

    def deep_checked(self, result: replay.DeepResult) -> None:
        self.query_one("#audit-progress", ProgressBar).display = False
        mark = glyphs.OK if result.ok else glyphs.BAD
        self.query_one("#audit-verify", Static).update(
            Text(f"{mark} " + "\n".join(result.lines(SHOWN_FINDINGS))))

    def verified(self, result: VerifyResult) -> None:
        self.query_one("#audit-progress", ProgressBar).display = False
        mark = glyphs.OK if result.ok else glyphs.BAD
        self.query_one("#audit-verify", Static).update(f"{mark} {result.describe()}")

    def verify_failed(self, text: str) -> None:
        self.query_one("#audit-progress", ProgressBar).display = False
        self.query_one("#audit-verify", Static).update(f"{glyphs.BAD} {text}")
