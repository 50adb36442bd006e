"""Incidents (D12) for the secrecy officer: open ones first; close one with what was done;
an item reported missing that turns up is taken back (both events stay in its chain)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from store.custody import incidents
from store.custody.incidents import Incident
from store.i18n import N_, _
from tui import glyphs
from tui.dialogs.reason import ReasonDialog
from tui.keys import key_of
from tui.screens.base import BaseScreen
from tui.workers import Reply, reply, store_work


class IncidentsScreen(BaseScreen):
    TITLE_TEXT = N_("Incidents")
    AUTO_FOCUS = "#incidents"
    DEFAULT_CSS = """
    IncidentsScreen #incidents { height: 1fr; margin: 0 1; }
    IncidentsScreen #incidents-note { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("c", "close_incident", N_("Close"), id="incidents-close"),
        Binding("g", "found", N_("Found again"), id="incidents-found"),
    ]

    class Loaded(Reply):
        """Every incident, open ones first."""

        def __init__(self, found: list[Incident]) -> None:
            super().__init__()
            self.found = found

    class Changed(Reply):
        """An incident was closed, or a missing item taken back."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: dict[str, Incident] = {}

    def body(self) -> ComposeResult:
        yield DataTable(id="incidents", cursor_type="row", zebra_stripes=True)
        yield Static(_("{close}: close with what was done | {found}: a missing item found "
                       "again").format(close=key_of(self, "incidents-close"),
                                       found=key_of(self, "incidents-found")),
                     id="incidents-note")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DataTable).add_columns(_("Reported"), _("By"), _("Number"), _("What"),
                                              _("Note"), _("State"))
        self.load()

    @store_work("load")
    def load(self) -> None:
        reply(self, self.Loaded(incidents.listing()))

    @on(Loaded)
    def show(self, message: Loaded) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.shown = {str(i.id): i for i in message.found}
        for i in message.found:
            state = (glyphs.WARN + " " + _("open")) if i.status == "open" else (
                glyphs.OK + " " + _("closed: {what}").format(what=i.action))
            table.add_row(i.opened_at[:10], i.opened_by, i.reg_no,
                          _(incidents.KINDS.get(i.kind, i.kind)),
                          Text(i.note), Text(state), key=str(i.id))

    def _selected(self) -> Incident | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return self.shown.get(str(table.coordinate_to_cell_key(
            table.cursor_coordinate).row_key.value))

    def _ask(self, heading: str, explanation: str, job: Callable[[str], object]) -> None:
        """Ask for the reason, then run `job(reason)` (a store call)."""
        dialog = ReasonDialog(heading, explanation)

        def answered(ok: bool | None) -> None:
            if ok:
                self.change(job, dialog.reason)

        self.app.push_screen(dialog, answered)

    @store_work("change", write=True)
    def change(self, job: Callable[[str], object], reason: str) -> None:
        job(reason)
        reply(self, self.Changed())

    @on(Changed)
    def changed(self) -> None:
        self.load()

    def action_close_incident(self) -> None:
        incident, session = self._selected(), self.desk.session
        if incident is not None and session is not None:
            self._ask(_("Close incident #{id} ({number})").format(id=incident.id,
                                                                number=incident.reg_no),
                      _("Say what was done (repaired, reported to the secrecy committee, "
                        "found...). It stays on record."),
                      lambda why: incidents.close(session, incident.id, why))

    def action_found(self) -> None:
        incident, session = self._selected(), self.desk.session
        if incident is not None and session is not None:
            self._ask(_("{number} found again").format(number=incident.reg_no),
                      _("Say where it was found; it goes back into custody."),
                      lambda where: incidents.found_again(session, incident.reg_no, where))
