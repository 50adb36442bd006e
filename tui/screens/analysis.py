"""Analysis reports of the year (C14): at least eight; register each, void a mistaken one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static

from store import clock
from store.dates import parse_date
from store.errors import InvalidInput
from store.i18n import N_, _, ngettext
from store.report import analysis
from store.report.analysis import AnalysisReport
from tui import glyphs
from tui.dialogs.form import FormDialog
from tui.dialogs.reason import ReasonDialog
from tui.screens.base import BaseScreen
from tui.workers import Reply, reply, store_work


class AnalysisDialog(FormDialog):
    TITLE_TEXT = N_("Register an analysis report")

    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session

    def fields(self) -> list[tuple[str, str, Widget]]:
        return [("title", _("Title"), Input()), ("author", _("Author"), Input()),
                ("day", _("Written on (20261130 or 2026-11-30)"),
                 Input(clock.today().isoformat())),
                ("topic", _("Topic (optional)"), Input())]

    def checks(self) -> list[tuple[str, Callable[[], object]]]:
        def required(field: str, message: str) -> Callable[[], None]:
            def check() -> None:
                if not self.value(field).strip():
                    raise InvalidInput(message)
            return check

        return [("title", required("title", _("give the report's title"))),
                ("author", required("author", _("name the author"))),
                ("day", lambda: parse_date(self.value("day")))]

    def save(self, values: dict[str, str]) -> object:
        return analysis.add(self.session, values["title"], values["author"], values["day"],
                            values["topic"])


class AnalysisScreen(BaseScreen):
    """The year's analysis reports, voided ones too, against the year's minimum."""

    class Loaded(Reply):
        """The analysis reports of the year asked for."""

        def __init__(self, reports: list[AnalysisReport]) -> None:
            super().__init__()
            self.reports = reports

    class Voided(Reply):
        """An analysis report was voided."""

    TITLE_TEXT = N_("Analysis reports")
    DEFAULT_CSS = """
    AnalysisScreen #analysis-head { height: auto; padding: 0 1; }
    AnalysisScreen #analysis { height: 1fr; margin: 0 1; }
    """
    BINDINGS = [
        Binding("a", "add", N_("Register"), id="analysis-add"),
        Binding("delete", "void", N_("Void"), id="analysis-void"),
        Binding("p", "year(-1)", N_("Previous year"), id="analysis-previous"),
        Binding("n", "year(1)", N_("Next year"), id="analysis-next"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.year = clock.today().year
        self.reports: list[AnalysisReport] = []

    def body(self) -> ComposeResult:
        yield Static("", id="analysis-head")
        yield DataTable(id="analysis", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DataTable).add_columns(_("Written on"), _("Title"), _("Author"),
                                              _("Topic"), _("State"))
        self.load()

    def load(self) -> None:
        self.read_year(self.year)

    @store_work("analysis-load")
    def read_year(self, year: int) -> None:
        reply(self, self.Loaded(analysis.of_year(year)))

    @on(Loaded)
    def loaded(self, message: Loaded) -> None:
        self.show(message.reports)

    def show(self, reports: list[AnalysisReport]) -> None:
        self.reports = reports
        done = sum(r.status == "active" for r in reports)
        mark = glyphs.OK if done >= analysis.A_YEAR else glyphs.WARN
        self.query_one("#analysis-head", Static).update(Text(
            f"{mark} " + ngettext("{year}: {n} analysis report of at least {need} (C14)",
                                  "{year}: {n} analysis reports of at least {need} (C14)",
                                  done).format(
                year=self.year, n=done, need=analysis.A_YEAR)))
        table = self.query_one(DataTable)
        table.clear()
        for r in reports:
            state = _("in count") if r.status == "active" else _("void: {why}").format(
                why=r.void_reason)
            table.add_row(r.written_on, Text(r.title), Text(r.author), Text(r.topic),
                          Text(state), key=str(r.id))
        table.focus()

    def action_year(self, step: int) -> None:
        self.year += step
        self.load()

    def action_add(self) -> None:
        if self.desk.session is not None:
            self.app.push_screen(AnalysisDialog(self.desk.session),
                                 lambda done: self.load() if done else None)

    def action_void(self) -> None:
        session, table = self.desk.session, self.query_one(DataTable)
        if session is None or not table.row_count:
            return
        report_id = int(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))
        dialog = ReasonDialog(_("Void an analysis report"),
                              _("It stays on the list, marked void, and is no longer counted."))

        def answered(ok: bool | None) -> None:
            if ok:
                self.void_report(session, report_id, dialog.reason)

        self.app.push_screen(dialog, answered)

    @store_work("analysis-void", write=True)
    def void_report(self, session: Any, report_id: int, reason: str) -> None:
        analysis.void(session, report_id, reason)
        reply(self, self.Voided())

    @on(Voided)
    def voided(self, message: Voided) -> None:
        self.load()
