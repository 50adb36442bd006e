"""The monthly statistical report (F10): per business type 旧存, 新收, 受理, 审结 by outcome, 未结,
退查 and 重报, this month and the year to date in 件 and 人 with 同比, the rates with their
formulas and what the checks found under the table; by department, the departments'
confirmations, twelve months; Enter on a figure or a finding: the cards behind it; confirm,
submit, revise; Word files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from exports import report_rows
from store import clock
from store.cards import codes
from store.errors import InvalidInput
from store.i18n import N_, _, ngettext
from store.report import deadlines, submission
from store.report import figures as report
from store.report.submission import Overview
from tui import glyphs
from tui.keys import key_of
from tui.screens import report_table
from tui.screens.base import BaseScreen
from tui.screens.report_table import VIEWS, console
from tui.workers import Reply, reply, store_work


class ReportScreen(BaseScreen):
    """The month's figures in four views. A month that cannot be shown is said in the state
    line above the table; what else fails (Word files) is said in a notification."""

    class Loaded(Reply):
        """The month's report with its state, and the departments' names by code."""

        def __init__(self, overview: Overview, names: dict[str, str]) -> None:
            super().__init__()
            self.overview, self.names = overview, names

    class ReportWritten(Reply):
        """The report, and each submitted revision, were written as Word files."""

        def __init__(self, paths: list[Path]) -> None:
            super().__init__()
            self.paths = paths

    class BriefingsWritten(Reply):
        """Both leaders' briefings were written as Word files."""

        def __init__(self, paths: list[Path]) -> None:
            super().__init__()
            self.paths = paths

    DEFAULT_CSS = """
    ReportScreen #report-bar { height: auto; margin: 0 1; }
    ReportScreen #report-bar > Label { width: auto; margin-right: 1; }
    ReportScreen #report-month { width: 10; margin-right: 1; }
    ReportScreen #report-state { width: 1fr; height: auto; }
    ReportScreen #report-table { height: 1fr; margin: 0 1; }
    ReportScreen #report-checks { height: auto; max-height: 3; margin: 0 1; border: none;
                                  padding: 0; }
    ReportScreen #report-under { height: auto; max-height: 30%; }
    ReportScreen #report-rates { height: auto; padding: 0 1; color: $text-muted; }
    ReportScreen #report-note { height: auto; max-height: 4; padding: 0 1; }
    """
    AUTO_FOCUS = "#report-table"
    TITLE_TEXT = N_("Monthly report")
    BINDINGS = [
        Binding("v", "next_view", N_("View"), id="report-view"),
        # Said in the note under the table, so the footer keeps room at 80 columns.
        Binding("p", "month(-1)", N_("Previous month"), show=False, id="report-previous"),
        Binding("n", "month(1)", N_("Next month"), show=False, id="report-next"),
        Binding("c", "confirm", N_("Confirm"), id="report-confirm"),
        Binding("s", "submit", N_("Submit"), id="report-submit"),
        Binding("r", "revise", N_("Revise"), id="report-revise"),
        Binding("w", "word", N_("Word"), id="report-word"),
        Binding("b", "briefing", N_("Brief"), id="report-briefings"),
        Binding("a", "analysis", N_("Analysis"), show=False, id="report-analysis"),
    ]

    def __init__(self, month: str | None = None) -> None:
        super().__init__()
        self.month = month or ""
        """The month shown; '' until the first load finds the month due next
        (`deadlines.report_month`: the month before until it is submitted)."""
        self.view = "report"
        self.data: Overview | None = None
        self.names: dict[str, str] = {}
        self.failed = ""
        """The group of the last worker that failed: where `show_trouble` says it."""

    def body(self) -> ComposeResult:
        with Horizontal(id="report-bar"):
            yield Label(_("Month"))
            yield Input(self.month, id="report-month", compact=True)
            yield Static("", id="report-state")
        yield DataTable(id="report-table", cursor_type="cell", zebra_stripes=True,
                        fixed_columns=1, header_height=2)
        yield OptionList(id="report-checks", compact=True)
        with VerticalScroll(id="report-under"):
            yield Static("", id="report-rates")
        yield Static("", id="report-note")

    def on_mount(self) -> None:
        super().on_mount()
        self.load()

    def on_screen_resume(self) -> None:
        if self.data is not None:
            self.load()

    def load(self) -> None:
        self.read_month(self.month)

    @store_work("report-load")
    def read_month(self, month: str) -> None:
        names = {c.code: c.name for c in codes.all_codes("department", True)}
        wanted = month or deadlines.report_month(clock.today())
        reply(self, self.Loaded(submission.overview(wanted), names))

    @on(Loaded)
    def loaded(self, message: Loaded) -> None:
        self.data, self.names = message.overview, message.names
        if not self.month:  # opened on the month due next
            self.month = message.overview.report.month
            self.query_one("#report-month", Input).value = self.month
        self.show()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Which work failed, for `show_trouble` (which the base route, `StoreRoute`, calls
        after this handler)."""
        if event.state is WorkerState.ERROR:
            self.failed = event.worker.group

    def show_trouble(self, line: str) -> None:
        if self.failed == "report-load":
            self.refused(line)
        else:
            super().show_trouble(line)

    def refused(self, text: str) -> None:
        self.query_one("#report-state", Static).update(glyphs.BAD + " " + text)

    @on(Input.Submitted, "#report-month")
    def month_typed(self, event: Input.Submitted) -> None:
        try:
            self.month = report.check_month(event.value)
        except InvalidInput as exc:
            self.refused(str(exc))
            return
        self.load()
        self.query_one(DataTable).focus()

    def action_month(self, step: int) -> None:
        if not self.month:
            return
        year, month = int(self.month[:4]), int(self.month[5:]) + step
        year, month = (year - 1, 12) if month == 0 else (year + 1, 1) if month == 13 else (
            year, month)
        self.month = f"{year:04d}-{month:02d}"
        self.query_one("#report-month", Input).value = self.month
        self.load()

    def action_next_view(self) -> None:
        views = list(VIEWS)
        self.view = views[(views.index(self.view) + 1) % len(views)]
        if self.data is not None:
            self.show()

    # --- showing ------------------------------------------------------------------------

    def show(self) -> None:
        """The month's figures in the current view."""
        data = self.data
        if data is None or data.report.month != self.month:
            return
        table = self.query_one(DataTable)
        table.clear(columns=True)
        width = self.app.size.width
        if self.view == "report":
            report_table.fill_report(table, data.report, width)
        elif self.view == "department":
            report_table.fill_departments(table, data.report, width)
        elif self.view == "reconcile":
            report_table.fill_reconcile(table, data, self.names)
        else:
            report_table.fill_trend(table, data.report)
        self._show_rates_and_checks(data)
        self.sub_title = f"{_(self.TITLE_TEXT)}{glyphs.DASH}{_(VIEWS[self.view])}"
        self.query_one("#report-state", Static).update(self._state(data))
        self.query_one("#report-note", Static).update(self._note(data))
        if self.focused is None or self.focused is table:
            table.focus()

    def _show_rates_and_checks(self, data: Overview) -> None:
        """Under the table of the month: the stocks' dates, the rates with their formulas,
        and what the checks found (Enter on one: its cases)."""
        built, shown = data.report, self.view == "report"
        self.query_one("#report-under").display = shown
        rates = self.query_one("#report-rates", Static)
        lines = [] if built.checks else [glyphs.OK + " " + report_rows.checks_passed(built)]
        lines += [report_rows.stocks_note(built), *report_rows.rate_lines(
            built, none=glyphs.NONE, divide="/", detail=False)]
        rates.update(console("\n".join(lines)))
        checks = self.query_one("#report-checks", OptionList)
        checks.clear_options()
        checks.add_options([Option(console(glyphs.BAD + " " + report_rows.check_line(found)),
                                   id=str(n)) for n, found in enumerate(built.checks)])
        checks.display = shown and bool(built.checks)

    def _state(self, data: Overview) -> str:
        if not data.revisions:
            state = _("still open: not submitted")
        else:
            last = data.revisions[-1]
            state = _("submitted to {to} on {day} by {who}, revision {n}").format(
                to=data.revisions[0].submitted_to, day=data.revisions[0].at[:10],
                who=data.revisions[0].by_name, n=last.revision)
        empty = glyphs.SEP + _("no cases received, concluded or open this month") \
            if data.report.empty else ""
        return f"{state}{empty}"

    def _note(self, data: Overview) -> str:
        notes = []
        if data.pending:
            last, lines = data.revisions[-1].revision, len(data.pending)
            notes.append(glyphs.WARN + " " + ngettext(
                "figures changed since revision {n} ({k} line): {key} makes revision {m}",
                "figures changed since revision {n} ({k} lines): {key} makes revision {m}",
                lines).format(n=last, k=lines, m=last + 1, key=key_of(self, "report-revise")))
        if data.swings and not data.revisions:
            said = [f"{submission.swing_name(s, data.names)} {s.before}{glyphs.TO}{s.now}"
                    for s in data.swings]
            if len(said) > 2:
                moved = _("moved more than the limit from last month: {which} and {n} more "
                          "({key} lists them) (a note is needed to submit)").format(
                    which=", ".join(said[:2]), n=len(said) - 2,
                    key=key_of(self, "report-submit"))
            else:
                moved = _("moved more than the limit from last month: {which} "
                          "(a note is needed to submit)").format(which=", ".join(said))
            notes.append(glyphs.WARN + " " + moved)
        unconfirmed = [d.department for d in data.departments if not d.current]
        if unconfirmed and not data.revisions:
            notes.append(_("not yet confirmed: {departments} ({key})").format(
                departments=", ".join(unconfirmed), key=key_of(self, "report-confirm")))
        notes.append(_("{view}: view | Enter: cards behind a figure or finding | "
                       "{previous}/{next}: month | {analysis}: analysis").format(
            view=key_of(self, "report-view"), previous=key_of(self, "report-previous"),
            next=key_of(self, "report-next"), analysis=key_of(self, "report-analysis")))
        return console("\n".join(notes))

    # --- drill down ---------------------------------------------------------------------

    @on(DataTable.CellSelected)
    def drill(self, event: DataTable.CellSelected) -> None:
        """Enter on a figure: the card list of exactly the cards behind it."""
        from tui.screens.card_list import CardListScreen

        if self.data is None:
            return
        if self.view == "reconcile":
            self.action_confirm()
            return
        found = report_table.behind(self.data.report, self.view,
                                    str(event.cell_key.row_key.value),
                                    str(event.cell_key.column_key.value), self.names)
        if found is not None:
            self.app.push_screen(CardListScreen(found.preset, _("cards behind {what}").format(
                what=console(found.what))))

    @on(OptionList.OptionSelected, "#report-checks")
    def to_check(self, event: OptionList.OptionSelected) -> None:
        """Enter on what a check found: the cases behind it."""
        from tui.screens.card_list import CardListScreen

        if self.data is None or event.option.id is None:
            return
        found = self.data.report.checks[int(event.option.id)]
        self.app.push_screen(CardListScreen(report.check_filter(found), console(
            _("cards behind {what}").format(what=report_rows.check_line(found)))))

    # --- reconciliation, submission, revisions, Word ---------------------------------------

    def _session_and_data(self) -> tuple[object, Overview] | None:
        if self.desk.session is None or self.data is None:
            return None
        return self.desk.session, self.data

    def _after(self, done: bool | None) -> None:
        if done:
            self.app.notify(_("Saved."))
            self.load()

    def action_confirm(self) -> None:
        from tui.dialogs.report import ConfirmFiguresDialog

        found = self._session_and_data()
        if found is None:
            return
        session, data = found
        chosen = None
        if self.view == "reconcile":
            table = self.query_one(DataTable)
            if table.row_count:
                key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
                chosen = str(key).removeprefix("dept:")
        self.app.push_screen(ConfirmFiguresDialog(session, data, self.names, chosen),
                             self._after)

    def action_submit(self) -> None:
        from tui.dialogs.report import SubmitDialog

        found = self._session_and_data()
        if found is not None:
            self.app.push_screen(SubmitDialog(found[0], found[1]), self._after)

    def action_revise(self) -> None:
        from tui.dialogs.report import ReviseDialog

        found = self._session_and_data()
        if found is not None:
            self.app.push_screen(ReviseDialog(found[0], found[1]), self._after)

    def action_analysis(self) -> None:
        from tui.screens.analysis import AnalysisScreen

        self.app.push_screen(AnalysisScreen())

    def action_briefing(self) -> None:
        """Both leaders' briefings of the month (C12: by the 2nd and by the 6th)."""
        if self.desk.session is not None and self.month:
            self.write_briefings(self.desk.session, self.month)

    @store_work("report-briefings", write=True)
    def write_briefings(self, session: Any, month: str) -> None:
        from exports import report_files  # Word's libraries load when a file is made

        reply(self, self.BriefingsWritten([report_files.briefing_main(session, month),
                                           report_files.briefing_tables(session, month)]))

    @on(BriefingsWritten)
    def briefings_written(self, message: BriefingsWritten) -> None:
        self.app.notify(_("Briefings written: {paths}").format(
            paths=", ".join(map(str, message.paths))), timeout=15)

    def action_word(self) -> None:
        if self.desk.session is not None and self.month:
            self.write_report(self.desk.session, self.month)

    @store_work("report-word", write=True)
    def write_report(self, session: Any, month: str) -> None:
        """The report as it stands, and each submitted revision as it was sent."""
        from exports import report_files  # Word's libraries load when a file is made

        done = [r.revision for r in submission.revisions(month)]
        reply(self, self.ReportWritten([report_files.monthly(session, month),
                                        *(report_files.revision(session, month, n)
                                          for n in done)]))

    @on(ReportWritten)
    def report_written(self, message: ReportWritten) -> None:
        self.app.notify(_("Report written: {path}").format(
            path=", ".join(map(str, message.paths))), timeout=15)
