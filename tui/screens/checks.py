"""Checklist runs (F12, k): the holiday-eve secure-storage check, the quarterly check-in,
the full inventory and the spot check. Start one, open one to walk it, print it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from store.i18n import N_, _
from store.secrecy import checks
from store.secrecy.checks import Run
from tui import glyphs
from tui.screens.base import BaseScreen
from tui.workers import call_store


def run_state(run: Run) -> str:
    if run.status == "closed":
        return glyphs.OK + " " + _("closed {day}").format(day=run.closed_at[:10])
    return glyphs.MORE + " " + _("{done}/{total} resolved").format(done=run.resolved,
                                                                   total=run.total)


def run_title(run: Run) -> str:
    said = f"#{run.id} " + _(checks.KINDS[run.kind])
    return f"{said}{glyphs.SEP}{run.describe()}" if run.describe() else said


class ChecksScreen(BaseScreen):
    TITLE_TEXT = N_("Checklist runs")
    AUTO_FOCUS = "#runs"
    DEFAULT_CSS = """
    ChecksScreen #runs { height: 1fr; margin: 0 1; }
    ChecksScreen #runs-hint { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("h", "start('holiday')", N_("Holiday eve"), id="runs-holiday"),
        Binding("q", "start('quarter')", N_("Check-in"), id="runs-quarter"),
        Binding("v", "start('inventory')", N_("Inventory"), id="runs-inventory"),
        Binding("s", "start('spot')", N_("Spot check"), id="runs-spot"),
        Binding("w", "word", N_("Word"), id="runs-word"),
        Binding("c", "checkin_report", N_("Check-in report"), id="runs-checkin-report"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.shown: dict[str, Run] = {}

    def body(self) -> ComposeResult:
        yield DataTable(id="runs", cursor_type="row", zebra_stripes=True)
        yield Static(_("Enter: open the run | start one: h holiday eve (A2) | q quarterly "
                       "check-in (D5) | v full inventory | s spot check | w: its checklist "
                       "(Word) | c: a check-in's report"),
                     id="runs-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DataTable).add_columns(_("Run"), _("State"), _("Signed"), _("Started"))
        self.load()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.load()

    def load(self) -> None:
        call_store(self, checks.runs, self.show)

    def show(self, found: list[Run]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.shown = {str(r.id): r for r in found}
        for r in found:
            signed = f"{r.checker} / {r.supervisor}" if r.status == "closed" else glyphs.NONE
            table.add_row(Text(run_title(r)), run_state(r), Text(signed),
                          f"{r.started_at[:10]} {r.started_by}", key=str(r.id))
        if not found:
            table.add_row(_("No runs yet: h, q, v or s starts one."), "", "", "")

    def _highlighted(self) -> Run | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return self.shown.get(str(table.coordinate_to_cell_key(
            table.cursor_coordinate).row_key.value))

    def action_start(self, kind: str) -> None:
        from tui.dialogs.confirm import ConfirmDialog

        session = self.desk.session
        if session is None:
            return
        question = {
            "holiday": _("Start the holiday-eve secure-storage checklist? It lists every item "
                         "that should be in storage and every item accounted for elsewhere, "
                         "cabinet by cabinet."),
            "quarter": _("Start this quarter's check-in? It lists every distributed copy, "
                         "custodian by custodian."),
            "inventory": _("Start a full inventory of every item?"),
            "spot": _("Start a spot check of a random share of the items (the share is in "
                      "Settings; the seed is kept with the run)?"),
        }[kind]

        def answered(yes: bool | None) -> None:
            if yes:
                call_store(self, lambda: checks.start(session, kind), self.open_run)

        self.app.push_screen(ConfirmDialog(question), answered)

    def open_run(self, run: Run) -> None:
        from tui.screens.checklist import ChecklistScreen

        self.app.push_screen(ChecklistScreen(run.id))

    @on(DataTable.RowSelected)
    def selected(self, event: DataTable.RowSelected) -> None:
        run = self.shown.get(str(event.row_key.value))
        if run is not None:
            self.open_run(run)

    def action_word(self) -> None:
        from exports import check_files

        run, session = self._highlighted(), self.desk.session
        if run is not None and session is not None:
            call_store(self, lambda: check_files.checklist(session, run.id),
                       lambda path: self.app.notify(_("Checklist written: {path}").format(
                           path=path), timeout=15))

    def action_checkin_report(self) -> None:
        from exports import check_files

        run, session = self._highlighted(), self.desk.session
        if run is None or session is None:
            return
        if run.kind != "quarter":
            self.app.notify(_("The report is for a quarterly check-in: choose one."),
                            severity="warning")
            return
        call_store(self, lambda: check_files.checkin_report(session, run.id),
                   lambda path: self.app.notify(_("Check-in report written: {path}").format(
                       path=path), timeout=15))
