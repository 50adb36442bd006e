"""Incidents (D12) for the secrecy officer: open ones first; close one with what was done;
an item reported missing that turns up is taken back (both events stay in its chain), and
its incident is offered to be closed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from store.custody import incidents
from store.custody.incidents import Incident
from store.i18n import N_, _
from tui import glyphs
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.reason import ReasonDialog
from tui.keys import key_of
from tui.screens.base import BaseScreen
from tui.widgets.fit_table import FitTable
from tui.workers import Reply, reply, store_work

if TYPE_CHECKING:
    from store.vault.session import Session


class IncidentsScreen(BaseScreen):
    TITLE_TEXT = N_("Incidents")
    AUTO_FOCUS = "#incidents"
    DEFAULT_CSS = """
    IncidentsScreen #incidents { height: 1fr; margin: 0 1; }
    IncidentsScreen #incidents-said { height: auto; padding: 0 1; }
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

    class Closed(Reply):
        """An incident was closed with what was done."""

        def __init__(self, incident: Incident, action: str) -> None:
            super().__init__()
            self.incident, self.action = incident, action

    class FoundAgain(Reply):
        """The missing item of an incident is back in custody (its incident still open)."""

        def __init__(self, incident: Incident, where: str) -> None:
            super().__init__()
            self.incident, self.where = incident, where

    def __init__(self) -> None:
        super().__init__()
        self.shown: dict[str, Incident] = {}
        self.keep: tuple[int | None, int] = (None, 0)
        """The incident the cursor was on before a reload, and its row."""

    def body(self) -> ComposeResult:
        yield FitTable(id="incidents", cursor_type="row", zebra_stripes=True,
                       give_way=(2, 4, 6))
        yield Static("", id="incidents-said")
        yield Static(_("{close}: close with what was done | {found}: a missing item found "
                       "again").format(close=key_of(self, "incidents-close"),
                                       found=key_of(self, "incidents-found")),
                     id="incidents-note")

    def on_mount(self) -> None:
        super().on_mount()
        # The state first and short: it stays in view at 80 columns; what was done is last.
        self.query_one(DataTable).add_columns(_("State"), _("Number"), _("What"),
                                              _("Reported"), _("Note"), _("By"),
                                              _("What was done"))
        self.load()

    def load(self, stay: bool = True) -> None:
        """Every incident again; `stay`: the cursor stays on the incident it was on, wherever
        it now is (or on the same row when it left the list)."""
        table = self.query_one(DataTable)
        self.keep = (self._selected_id(), table.cursor_row) if stay else (None, 0)
        self.fetch()

    @store_work("load")
    def fetch(self) -> None:
        reply(self, self.Loaded(incidents.listing()))

    @on(Loaded)
    def show(self, message: Loaded) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.shown = {str(i.id): i for i in message.found}
        for i in message.found:
            state = (glyphs.WARN + " " + _("open")) if i.status == "open" else (
                glyphs.OK + " " + _("closed"))
            table.add_row(Text(state), i.reg_no, _(incidents.KINDS.get(i.kind, i.kind)),
                          i.opened_at[:10], Text(i.note), i.opened_by, Text(i.action),
                          key=str(i.id))
        if table.row_count:
            incident_id, was_at = self.keep
            at = next((n for n, i in enumerate(message.found) if i.id == incident_id),
                      min(was_at, table.row_count - 1))
            table.move_cursor(row=at)

    def _selected_id(self) -> int | None:
        found = self._selected()
        return found.id if found else None

    def _selected(self) -> Incident | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return self.shown.get(str(table.coordinate_to_cell_key(
            table.cursor_coordinate).row_key.value))

    def say(self, text: str) -> None:
        self.query_one("#incidents-said", Static).update(Text(text))

    def action_close_incident(self) -> None:
        incident = self._selected()
        if incident is not None:
            self._ask_close(incident)

    def _ask_close(self, incident: Incident) -> None:
        dialog = ReasonDialog(
            _("Close incident #{id} ({number})").format(id=incident.id,
                                                        number=incident.reg_no),
            _("Say what was done (repaired, reported to the secrecy committee, found...). It "
              "stays on record."))
        self.app.push_screen(dialog, lambda ok: self._close_answered(incident, dialog, ok))

    def _close_answered(self, incident: Incident, dialog: ReasonDialog,
                        ok: bool | None) -> None:
        session = self.desk.session
        if ok and session is not None:
            self.close_incident(session, incident, dialog.reason)

    @store_work("change", write=True)
    def close_incident(self, session: Session, incident: Incident, action: str) -> None:
        incidents.close(session, incident.id, action)
        reply(self, self.Closed(incident, action))

    @on(Closed)
    def closed(self, message: Closed) -> None:
        self.say(glyphs.OK + " " + _("Incident #{id} ({number}) closed: {action}").format(
            id=message.incident.id, number=message.incident.reg_no, action=message.action))
        self.load()

    def action_found(self) -> None:
        incident = self._selected()
        if incident is None:
            return
        dialog = ReasonDialog(_("{number} found again").format(number=incident.reg_no),
                              _("Say where it was found; it goes back into custody."))
        self.app.push_screen(dialog, lambda ok: self._found_answered(incident, dialog, ok))

    def _found_answered(self, incident: Incident, dialog: ReasonDialog,
                        ok: bool | None) -> None:
        session = self.desk.session
        if ok and session is not None:
            self.found_again(session, incident, dialog.reason)

    @store_work("change", write=True)
    def found_again(self, session: Session, incident: Incident, where: str) -> None:
        incidents.found_again(session, incident.reg_no, where)
        reply(self, self.FoundAgain(incident, where))

    @on(FoundAgain)
    def back_in_custody(self, message: FoundAgain) -> None:
        """Say what happened; the incident stays open until it is closed with what was done:
        offered now, or later with the close key."""
        incident = message.incident
        self.say(glyphs.OK + " " + _(
            "{number} is back in custody (found: {where}). Incident #{id} is still open: "
            "{close} closes it with what was done.").format(
            number=incident.reg_no, where=message.where, id=incident.id,
            close=key_of(self, "incidents-close")))
        self.load()
        if incident.status == "open":
            self.app.push_screen(ConfirmDialog(_(
                "{number} is back in custody. Incident #{id} stays open until it is closed "
                "with what was done. Close it now?").format(number=incident.reg_no,
                                                           id=incident.id)),
                lambda yes: self._ask_close(incident) if yes else None)
