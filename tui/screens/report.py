"""The monthly statistical report (F10): month, year to date, by department, reconciliation;
drill down to the cards behind any figure; confirm, submit, revise; Word export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Sparkline, Static
from textual.worker import Worker, WorkerState

from store import clock
from store.cards import codes
from store.cards.listing import CardFilter
from store.errors import InvalidInput
from store.i18n import N_, _, language, ngettext
from store.report import figures as report
from store.report import submission
from store.report.figures import Change, Line
from store.report.submission import Overview
from tui import glyphs
from tui.keys import key_of
from tui.screens.base import BaseScreen
from tui.workers import Reply, reply, store_work

VIEWS = {"month": N_("this month"), "ytd": N_("year to date"),
         "department": N_("by department"), "reconcile": N_("reconciliation")}


def percent_text(change: Change) -> str:
    """同比 in %, or — when a year earlier had nothing to compare with."""
    return glyphs.NONE if change.percent is None else f"{change.percent:+.1f}%"


def line_label(line: Line | None) -> Text:
    """A type's total in bold; its outcomes indented beneath it (full-width spaces)."""
    if line is None:
        return Text(_("Total"), style="bold")
    name = line.label_en if language() == "en" else line.label_zh
    if line.outcome is None:
        return Text(name, style="bold")
    return Text("\u3000" + name)


def figure(value: str) -> Text:
    """A number, right-aligned in its column."""
    return Text(value, justify="right")


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
    ReportScreen #report-bar { height: 1; margin: 0 1; }
    ReportScreen #report-bar > Label { width: auto; margin-right: 1; }
    ReportScreen #report-month { width: 10; margin-right: 1; }
    ReportScreen #report-state { width: 1fr; }
    ReportScreen #report-table { height: 1fr; margin: 0 1; }
    ReportScreen #report-trend { height: 2; margin: 0 1; }
    ReportScreen #trend-line { width: 14; height: 2; margin-right: 1; }
    ReportScreen #trend-numbers { width: 1fr; color: $text-muted; }
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
        self.month = month or clock.today().strftime("%Y-%m")
        self.view = "month"
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
                        fixed_columns=1)
        with Horizontal(id="report-trend"):
            yield Sparkline([], id="trend-line")
            yield Static("", id="trend-numbers")
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
        reply(self, self.Loaded(submission.overview(month), names))

    @on(Loaded)
    def loaded(self, message: Loaded) -> None:
        self.data, self.names = message.overview, message.names
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
        {"month": self._figures, "ytd": self._figures, "department": self._by_department,
         "reconcile": self._reconcile}[self.view](table, data)
        self.query_one("#report-state", Static).update(self._state(data))
        self.query_one("#report-note", Static).update(self._note(data))
        self.query_one(Sparkline).data = [float(c.cases) for _m, c in data.trend]
        self.query_one("#trend-numbers", Static).update(
            _("cases by month, {first} to {last}: {numbers}").format(
                first=data.trend[0][0], last=data.trend[-1][0],
                numbers=" ".join(str(c.cases) for _m, c in data.trend)))
        if self.focused is None or self.focused is table:
            table.focus()

    def _state(self, data: Overview) -> str:
        view = _(VIEWS[self.view])
        if not data.revisions:
            state = _("still open: not submitted")
        else:
            last = data.revisions[-1]
            state = _("submitted to {to} on {day} by {who}, revision {n}").format(
                to=data.revisions[0].submitted_to, day=data.revisions[0].at[:10],
                who=data.revisions[0].by, n=last.revision)
        empty = glyphs.SEP + _("no accepted cards this month") if data.report.empty else ""
        return f"{view}{glyphs.SEP}{state}{empty}"

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
        notes.append(_("{view}: view | Enter: the cards behind a figure | {previous}/{next}: "
                       "month | {analysis}: analysis reports").format(
            view=key_of(self, "report-view"), previous=key_of(self, "report-previous"),
            next=key_of(self, "report-next"), analysis=key_of(self, "report-analysis")))
        return "\n".join(notes)

    def _rows(self, data: Overview) -> list[Line | None]:
        return [*data.report.lines, None]

    def _item_column(self, table: DataTable[object], data: Overview) -> None:
        """The labels' column: as wide as the longest label, but narrower on a small
        terminal so that the figures stay in view."""
        longest = max(cell_len(line_label(line).plain) for line in self._rows(data))
        table.add_column(_("Item"), key="item",
                         width=min(longest, max(16, self.app.size.width - 48)))

    def _figures(self, table: DataTable[object], data: Overview) -> None:
        period = self.view
        self._item_column(table, data)
        for key, title in (("cases", _("Cases")), ("persons", _("Persons")),
                           ("cases_ly", _("Last year")), ("diff", _("YoY")),
                           ("percent", _("YoY %"))):
            table.add_column(title, key=key)
        for line in self._rows(data):
            kind = None if line is None else line.business_type
            outcome = None if line is None else line.outcome
            count = data.report.count(period, None, kind, outcome)
            change = data.report.change(period, None, kind, outcome)
            table.add_row(line_label(line), *map(figure, (
                str(count.cases), str(count.persons), str(change.before), f"{change.diff:+d}",
                percent_text(change))), key=self._row_key(line))

    def _by_department(self, table: DataTable[object], data: Overview) -> None:
        self._item_column(table, data)
        for code in data.report.departments:
            table.add_column(_("{department} Cases").format(department=code),
                             key=f"{code}:cases")
            table.add_column(_("Persons"), key=f"{code}:persons")
        table.add_column(_("Total"), key="cases")
        table.add_column(_("Persons"), key="persons")
        for line in self._rows(data):
            kind = None if line is None else line.business_type
            outcome = None if line is None else line.outcome
            cells: list[object] = [line_label(line)]
            for department in [*data.report.departments, None]:
                count = data.report.count("month", department, kind, outcome)
                cells += [figure(str(count.cases)), figure(str(count.persons))]
            table.add_row(*cells, key=self._row_key(line))

    def _reconcile(self, table: DataTable[object], data: Overview) -> None:
        for key, title in (("item", _("Department")), ("cases", _("Cases")),
                           ("by", _("Confirmed by")), ("on", _("On")), ("state", _("State"))):
            table.add_column(title, key=key)
        for state in data.departments:
            mark = (glyphs.OK + " " + _("confirmed") if state.current else
                    glyphs.WARN + " " + _("changed since") if state.confirmed_by else
                    glyphs.BAD + " " + _("not yet"))
            table.add_row(Text(self.names.get(state.department, state.department)),
                          figure(str(state.cases)), Text(state.confirmed_by or glyphs.NONE),
                          state.confirmed_on or glyphs.NONE, mark,
                          key=f"dept:{state.department}")

    @staticmethod
    def _row_key(line: Line | None) -> str:
        if line is None:
            return "|"
        return f"{line.business_type}|{'-' if line.outcome is None else line.outcome}"

    # --- drill down ---------------------------------------------------------------------

    @on(DataTable.CellSelected)
    def drill(self, event: DataTable.CellSelected) -> None:
        """Enter on a figure: the card list of exactly the cards behind it."""
        from tui.screens.card_list import CardListScreen

        row, column = str(event.cell_key.row_key.value), str(event.cell_key.column_key.value)
        if self.view == "reconcile" or column == "item" or self.data is None:
            if self.view == "reconcile":
                self.action_confirm()
            return
        kind, _sep, outcome = row.partition("|")
        department, _c, measure = column.rpartition(":")
        month = self.data.report.month
        period = "ytd" if self.view == "ytd" else "month"
        if measure in ("cases_ly", "diff", "percent"):
            month = f"{int(month[:4]) - 1}{month[4:]}"
        first = f"{month[:4]}-01" if period == "ytd" else month
        # "type|-": a type's total; "type|CODE": an outcome; "type|": not concluded; "|": all
        wanted = None if outcome == "-" or not kind else outcome
        preset = CardFilter(department=department, business_type=kind, months=(first, month),
                            outcome=wanted, counted_only=True)
        span = first if first == month else f"{first}{glyphs.SPAN}{month}"
        what = " ".join(p for p in (span, department,
                                    kind, outcome.strip("-")) if p)
        self.app.push_screen(CardListScreen(preset, _("cards behind {what}").format(what=what)))

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
        if self.desk.session is not None:
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
        if self.desk.session is not None:
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
