"""Checklist runs (F12, k): the holiday-eve secure-storage check, the quarterly check-in,
the full inventory and the spot check. Start one, open one to walk it, print it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from store.i18n import N_, _, ngettext
from store.secrecy import checks
from store.secrecy.checks import Run
from tui import glyphs
from tui.dialogs.confirm import ConfirmDialog
from tui.keys import key_of
from tui.screens.base import BaseScreen
from tui.screens.checklist import ChecklistScreen, run_title
from tui.ways import keys_to
from tui.widgets.fit_table import FitTable
from tui.workers import Reply, reply, store_work


def run_state(run: Run) -> str:
    if run.status == "closed":
        return glyphs.OK + " " + _("closed {day}").format(day=run.closed_at[:10])
    return glyphs.MORE + " " + _("{done}/{total} resolved").format(done=run.resolved,
                                                                   total=run.total)


def start_question(seen: checks.Preview, settings_keys: str) -> str:
    """The start's confirmation: the run (its quarter or holiday), the share, the lines."""
    lines = ngettext("{n} line", "{n} lines", seen.lines).format(n=seen.lines)
    if seen.kind == "holiday" and seen.no_holiday:
        return _("No holiday is entered for the next 30 days, so this check names no holiday. "
                 "Holidays are entered in Settings ({keys}, administrators): enter them first "
                 "and start again, or start a secure-storage check for today now: every item "
                 "that should be in storage and every item accounted for elsewhere, {lines}. "
                 "Start it now?").format(keys=settings_keys, lines=lines)
    if seen.kind == "spot":
        return _("Start the {run}: a random sample of {share}% of the items (the share is in "
                 "Settings; the seed is kept with the run), {lines}?").format(
            run=seen.name, share=seen.share, lines=lines)
    if seen.kind == "quarter":
        return _("Start the {run}: every distributed copy, custodian by custodian, "
                 "{lines}?").format(run=seen.name, lines=lines)
    if seen.kind == "holiday":
        return _("Start the {run}: every item that should be in storage and every item "
                 "accounted for elsewhere, cabinet by cabinet, {lines}?").format(
            run=seen.name, lines=lines)
    return _("Start a full inventory of all the items, {lines}?").format(lines=lines)


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

    class Loaded(Reply):
        """Every run, newest first."""

        def __init__(self, found: list[Run]) -> None:
            super().__init__()
            self.found = found

    class Previewed(Reply):
        """What a run of a kind started now would be, to confirm it."""

        def __init__(self, preview: checks.Preview) -> None:
            super().__init__()
            self.preview = preview

    class Started(Reply):
        """A run was started: it opens."""

        def __init__(self, run: Run) -> None:
            super().__init__()
            self.run = run

    class Written(Reply):
        """A Word file was written to `path`; `said` is the sentence to say it with."""

        def __init__(self, path: Path, said: str) -> None:
            super().__init__()
            self.path, self.said = path, said

    def __init__(self) -> None:
        super().__init__()
        self.shown: dict[str, Run] = {}
        self.keep: tuple[int | None, int] = (None, 0)
        """The run the cursor was on before a reload, and its row."""

    def body(self) -> ComposeResult:
        yield FitTable(id="runs", cursor_type="row", zebra_stripes=True,
                       give_way=(0,))
        yield Static(_("Enter: open the run | start one: {holiday} holiday eve (A2) | "
                       "{quarter} quarterly check-in (D5) | {inventory} full inventory | "
                       "{spot} spot check | {word}: its checklist (Word) | {report}: a "
                       "check-in's report").format(**self._keys()),
                     id="runs-hint")

    def _keys(self) -> dict[str, str]:
        """The keys the hints name, from the bindings."""
        ids = {"holiday": "runs-holiday", "quarter": "runs-quarter",
               "inventory": "runs-inventory", "spot": "runs-spot", "word": "runs-word",
               "report": "runs-checkin-report"}
        return {name: key_of(self, binding) for name, binding in ids.items()}

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DataTable).add_columns(_("Run"), _("State"), _("Signed"), _("Started"))
        self.load()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.load()

    def load(self) -> None:
        """Every run again, the cursor staying on the run it was on (or on its row)."""
        run = self._highlighted()
        self.keep = (run.id if run else None, self.query_one(DataTable).cursor_row)
        self.fetch()

    @store_work("load")
    def fetch(self) -> None:
        reply(self, self.Loaded(checks.runs()))

    @on(Loaded)
    def show(self, message: Loaded) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.shown = {str(r.id): r for r in message.found}
        for r in message.found:
            signed = f"{r.checker} / {r.supervisor}" if r.status == "closed" else glyphs.NONE
            table.add_row(Text(run_title(r)), run_state(r), Text(signed),
                          f"{r.started_at[:10]} {r.started_by}", key=str(r.id))
        if message.found:
            run_id, was_at = self.keep
            table.move_cursor(row=next((n for n, r in enumerate(message.found) if r.id == run_id),
                                       min(was_at, table.row_count - 1)))
        else:
            table.add_row(_("No runs yet: {holiday}, {quarter}, {inventory} or {spot} starts "
                            "one.").format(**self._keys()), "", "", "")

    def _highlighted(self) -> Run | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return self.shown.get(str(table.coordinate_to_cell_key(
            table.cursor_coordinate).row_key.value))

    def action_start(self, kind: str) -> None:
        if self.desk.session is not None:
            self.preview(kind)

    @store_work("preview")
    def preview(self, kind: str) -> None:
        reply(self, self.Previewed(checks.preview(kind)))

    @on(Previewed)
    def ask_to_start(self, message: Previewed) -> None:
        """The confirmation says which quarter or holiday, what share and how many lines."""
        seen, session = message.preview, self.desk.session
        if not seen.lines and session is not None:
            self.start(session, seen.kind)  # nothing to check: the store says so
            return
        if seen.already:
            self.app.notify(_("Run #{id} of this kind is still open: finish it first (Enter "
                              "opens it).").format(id=seen.already), severity="warning")
            return
        self.app.push_screen(ConfirmDialog(start_question(seen, self._settings_keys())),
                             lambda yes: self._start_answered(seen.kind, yes))

    def _settings_keys(self) -> str:
        return " ".join(keys_to(self.app, "settings"))

    def _start_answered(self, kind: str, yes: bool | None) -> None:
        session = self.desk.session
        if yes and session is not None:
            self.start(session, kind)

    @store_work("start", write=True)
    def start(self, session: Any, kind: str) -> None:
        reply(self, self.Started(checks.start(session, kind)))

    @on(Started)
    def started(self, message: Started) -> None:
        self.open_run(message.run)

    def open_run(self, run: Run) -> None:
        self.app.push_screen(ChecklistScreen(run.id))

    @on(DataTable.RowSelected)
    def selected(self, event: DataTable.RowSelected) -> None:
        run = self.shown.get(str(event.row_key.value))
        if run is not None:
            self.open_run(run)

    def action_word(self) -> None:
        run, session = self._highlighted(), self.desk.session
        if run is not None and session is not None:
            self.write_checklist(session, run.id, _("Checklist written: {path}"))

    def action_checkin_report(self) -> None:
        run, session = self._highlighted(), self.desk.session
        if run is None or session is None:
            return
        if run.kind != "quarter":
            self.app.notify(_("The report is for a quarterly check-in: choose one."),
                            severity="warning")
            return
        self.write_checkin_report(session, run.id, _("Check-in report written: {path}"))

    @store_work("file", write=True)
    def write_checklist(self, session: Any, run_id: int, said: str) -> None:
        from exports import check_files

        reply(self, self.Written(check_files.checklist(session, run_id), said))

    @store_work("report", write=True)
    def write_checkin_report(self, session: Any, run_id: int, said: str) -> None:
        from exports import check_files

        reply(self, self.Written(check_files.checkin_report(session, run_id), said))

    @on(Written)
    def written(self, message: Written) -> None:
        self.app.notify(message.said.format(path=message.path), timeout=15)
