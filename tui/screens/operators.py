"""Operators (administrators only): list, add, change a password, disable, rotate the key."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from store import operators
from store.i18n import N_, _
from store.operators import OperatorInfo
from tui import glyphs
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.operators import AddOperatorDialog, DisableDialog, PasswordDialog
from tui.dialogs.rotation import open_rotation
from tui.screens.base import BaseScreen
from tui.workers import Reply, reply, store_work

ROLES = {"admin": N_("administrator"), "clerk": N_("clerk")}
STATUSES = {"active": N_("active"), "disabled": N_("DISABLED")}


class OperatorsScreen(BaseScreen):
    TITLE_TEXT = N_("Operators")
    BINDINGS = [
        Binding("a", "add", N_("Add"), id="operator-add"),
        Binding("p", "password", N_("Password"), id="operator-password"),
        Binding("d", "disable", N_("Disable"), id="operator-disable"),
        Binding("k", "rotate", N_("Rotate key"), id="operator-rotate"),
    ]

    class Listed(Reply):
        """Every operator on record."""

        def __init__(self, rows: list[OperatorInfo]) -> None:
            super().__init__()
            self.rows = rows

    def body(self) -> ComposeResult:
        yield Static(_("Statistics staff who may use this computer (rule A6)."), classes="intro")
        yield DataTable(id="operators", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one(DataTable)
        table.add_columns(_("Login"), _("Name"), _("Role"), _("Status"), _("Last login"))
        self.reload()

    @store_work("list")
    def reload(self) -> None:
        reply(self, self.Listed(operators.list_operators()))

    @on(Listed)
    def show(self, message: Listed) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for op in message.rows:
            table.add_row(op.name, Text(op.display_name), _(ROLES[op.role]), _(STATUSES[op.status]),
                          (op.last_login_at or glyphs.NONE)[:16].replace("T", " "), key=op.name)
        table.focus()

    def _selected(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _after(self, saved: bool | None) -> None:
        if saved:
            self.app.notify(_("Saved."))
            self.reload()

    def action_add(self) -> None:
        if self.desk.session:
            self.app.push_screen(AddOperatorDialog(self.desk.session), self._after)

    def action_password(self) -> None:
        name = self._selected()
        if name and self.desk.session:
            self.app.push_screen(PasswordDialog(self.desk.session, name), self._after)

    def action_disable(self) -> None:
        name = self._selected()
        if name and self.desk.session:
            self.app.push_screen(DisableDialog(self.desk.session, name), self._disabled)

    def _disabled(self, saved: bool | None) -> None:
        """Disabled: offer the rotation at once (a backup may still hold their keyslot)."""
        if not saved:
            return
        self._after(saved)
        self.app.push_screen(ConfirmDialog(_("Rotate the master key now? A disabled operator "
                                             "may still hold it in a backup.")), self._rotate_now)

    def _rotate_now(self, rotate: bool | None) -> None:
        if rotate:
            self.action_rotate()

    def action_rotate(self) -> None:
        open_rotation(self.desk)
