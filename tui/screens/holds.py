"""Holds (F12, e, h): items, or a kind of item registered in a period, kept from
destruction while a case is open or an inspection pending; placed (a) and lifted (l)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static

from store.custody import items
from store.destruction import holds
from store.destruction.holds import Hold
from store.i18n import N_, _
from tui import glyphs
from tui.dialogs.form import FormDialog
from tui.keys import key_of
from tui.screens.base import BaseScreen
from tui.widgets import Choice
from tui.widgets.fit_table import FitTable
from tui.widgets.kept_row import KeptRow
from tui.workers import Reply, reply, store_work


def held_what(hold: Hold) -> str:
    if hold.reg_no:
        return hold.reg_no
    period = (f"{hold.first_day or glyphs.MORE}{glyphs.SPAN}{hold.last_day or glyphs.MORE}")
    return _("every {kind} registered {period}").format(kind=_(items.KINDS[hold.kind]),
                                                        period=period)


class HoldDialog(FormDialog):
    TITLE_TEXT = N_("Put on hold (A7)")

    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session

    def intro(self) -> str:
        return _("One item by its number, or every item of a kind registered in a period "
                 "(either day may be left empty).")

    def fields(self) -> list[tuple[str, str, Widget]]:
        kinds = [(_(label), kind) for kind, label in items.KINDS.items()]
        return [("number", _("Item number (or leave empty and choose a kind)"), Input()),
                ("kind", _("Kind"), Choice(kinds, prompt=_("- one item -"))),
                ("first", _("Registered from"), Input()),
                ("last", _("Registered to"), Input()),
                ("reason", _("Reason (e.g. the case is still open)"), Input())]

    def save(self, values: dict[str, str]) -> object:
        return holds.place(self.session, values["reason"], values["number"], values["kind"],
                           values["first"], values["last"])


class HoldsScreen(BaseScreen):
    TITLE_TEXT = N_("Holds")
    AUTO_FOCUS = "#holds"
    DEFAULT_CSS = """
    HoldsScreen #holds { height: 1fr; margin: 0 1; }
    HoldsScreen #holds-hint { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [Binding("a", "place", N_("Hold"), id="holds-place"),
                Binding("l", "lift", N_("Lift"), id="holds-lift")]

    class Loaded(Reply):
        """Every hold, on and lifted."""

        def __init__(self, found: list[Hold]) -> None:
            super().__init__()
            self.found = found

    class Lifted(Reply):
        """A hold was lifted."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: dict[str, Hold] = {}
        self.keep = KeptRow()
        """The hold the cursor was on before a reload (after a dialog, a lift)."""
        self.placed = False
        """A hold was just placed: the cursor goes to it (the newest) once listed."""

    def body(self) -> ComposeResult:
        yield FitTable(id="holds", cursor_type="row", zebra_stripes=True,
                       give_way=(2, 3))
        yield Static(_("{place}: put an item or a kind on hold | {lift}: lift the highlighted "
                       "hold").format(place=key_of(self, "holds-place"),
                                      lift=key_of(self, "holds-lift")),
                     id="holds-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DataTable).add_columns("#", _("State"), _("Held"), _("Reason"),
                                              _("Placed"))
        self.load()

    def load(self) -> None:
        """Every hold again, the cursor staying on the hold it was on."""
        self.keep.remember(self.query_one(DataTable))
        self.read_holds()

    @store_work("load")
    def read_holds(self) -> None:
        reply(self, self.Loaded(holds.listing()))

    @on(Loaded)
    def show(self, message: Loaded) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.shown = {str(h.id): h for h in message.found}
        for h in message.found:
            state = (glyphs.ON + " " + _("on")) if h.status == "on" else (
                glyphs.OFF + " " + _("lifted {day}: {why}").format(day=h.lifted_at[:10],
                                                                    why=h.lift_reason))
            table.add_row(str(h.id), Text(state), Text(held_what(h)), Text(h.reason),
                          f"{h.placed_at[:10]} {h.placed_by}", key=str(h.id))
        if not message.found:
            table.add_row("", "", Text(_("No holds: {place} puts one on.").format(
                place=key_of(self, "holds-place"))), "", "")
        if self.placed and message.found:
            self.placed = False
            self.keep.go_to(str(max(h.id for h in message.found)))
        self.keep.restore(table)

    def action_place(self) -> None:
        if self.desk.session is not None:
            self.app.push_screen(HoldDialog(self.desk.session), self._reload)

    def _reload(self, done: bool | None) -> None:
        if done:
            self.placed = True
            self.load()

    def highlighted(self) -> Hold | None:
        """The hold under the cursor, if any."""
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return self.shown.get(str(table.coordinate_to_cell_key(
            table.cursor_coordinate).row_key.value))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Lifting is offered on a hold that is on (a lifted one shows no such key)."""
        if action == "lift" and self.is_mounted:
            hold = self.highlighted()
            return hold is not None and hold.status == "on"
        return super().check_action(action, parameters)

    @on(DataTable.RowHighlighted)
    def moved(self) -> None:
        self.refresh_bindings()

    def action_lift(self) -> None:
        from tui.dialogs.reason import ReasonDialog

        hold, session = self.highlighted(), self.desk.session
        if session is None or hold is None or hold.status != "on":
            return
        dialog = ReasonDialog(_("Lift hold #{id}: {what}").format(id=hold.id,
                                                                  what=held_what(hold)),
                              _("Say why; the hold stays on record, lifted."))

        def answered(ok: bool | None) -> None:
            if ok:
                self.lift(session, hold.id, dialog.reason)

        self.app.push_screen(dialog, answered)

    @store_work("lift", write=True)
    def lift(self, session: Any, hold_id: int, reason: str) -> None:
        holds.lift(session, hold_id, reason)
        reply(self, self.Lifted())

    @on(Lifted)
    def lifted(self) -> None:
        self.load()
