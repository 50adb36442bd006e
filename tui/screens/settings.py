"""Settings (administrators): unit, idle lock, language, cut-off day, holidays by year."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Select, Static

from store import clock, holidays, settings
from store.errors import InvalidInput
from store.holidays import HolidayDay
from store.i18n import N_, _
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.holiday import KINDS, HolidayDialog
from tui.panels.who import WEEKDAYS
from tui.screens.base import BaseScreen
from tui.widgets import Choice, Field
from tui.workers import call_store

FIELDS: list[tuple[str, str]] = [
    ("unit_name", N_("Unit name")),
    ("idle_minutes", N_("Idle lock (minutes, 1-240)")),
    ("language", N_("Language")),
    ("cutoff_day", N_("Cut-off day (1-28)")),
    ("major_amount", N_("Major case (大案) from (yuan)")),
    ("key_ranks", N_("Key case (要案) ranks, e.g. R3,R4")),
    ("swing_percent", N_("Swing needing a note (%)")),
    ("item_number_pattern", N_("Item numbers, e.g. 统-{year}-{n:04d}")),
    ("loan_max_days", N_("Longest loan (days)")),
    ("spot_check_percent", N_("Spot check share (%)")),
]


class SettingsScreen(BaseScreen):
    CSS_PATH = "settings.tcss"
    TITLE_TEXT = N_("Settings")
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save settings"), id="settings-save"),
        Binding("ctrl+n", "new_day", N_("New day"), id="holiday-new"),
        Binding("ctrl+r", "remove_day", N_("Remove day"), id="holiday-remove"),
        Binding("ctrl+t", "codes", N_("Code tables"), id="settings-codes"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[str, str] = {}
        self.days: dict[str, HolidayDay] = {}

    def body(self) -> ComposeResult:
        languages = [("中文 (zh)", "zh"), ("English (en)", "en")]
        year = clock.today().year
        with Vertical(id="settings-form"):
            for key, label in FIELDS:
                control = (Choice(languages, allow_blank=False, compact=True)
                           if key == "language" else Input(compact=True))
                control.id = key
                yield Field(_(label), control, id=f"{key}-field", inline=True)
        with Horizontal(id="holiday-bar"):
            yield Label(_("Holidays and make-up working days of"))
            yield Choice([(str(y), y) for y in (year, year + 1)], value=year, allow_blank=False,
                         compact=True, id="holiday-year")
        yield DataTable(id="holidays", cursor_type="row", zebra_stripes=True)
        yield Static("", id="holiday-note")

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#holidays", DataTable)
        table.add_columns(_("Date"), _("Weekday"), _("Kind"), _("Name"))
        call_store(self, settings.all_values, self.fill)
        self.load_year()

    def fill(self, values: dict[str, str]) -> None:
        self.saved = values
        for key, _label in FIELDS:
            control = self.query_one(f"#{key}")
            if isinstance(control, Select | Input):
                control.value = values[key]
        if self.focused is None:
            self.query_one("#unit_name", Input).focus()

    # --- settings form ------------------------------------------------------------------

    def _current(self) -> dict[str, str]:
        values = {}
        for key, _label in FIELDS:
            control = self.query_one(f"#{key}")
            values[key] = str(getattr(control, "value", ""))
        return values

    def action_save(self) -> None:
        session = self.desk.session
        if session is None:
            return
        changes = {k: v for k, v in self._current().items() if v != self.saved.get(k)}
        for key, _label in FIELDS:
            self.query_one(f"#{key}-field", Field).clear_error()
        for key, value in changes.items():
            try:
                settings.check(key, value)
            except InvalidInput as exc:
                self.query_one(f"#{key}-field", Field).show_error(str(exc))
                return
        if not changes:
            self.app.notify(_("Nothing changed."))
            return
        call_store(self, lambda: settings.set_values(session, changes), self.stored)

    def stored(self, changes: dict[str, str]) -> None:
        self.saved.update(changes)
        if "idle_minutes" in changes and self.desk.idle_override is None:
            self.desk.idle_limit = float(changes["idle_minutes"]) * 60
        self.app.notify(_("Settings saved."))
        if "language" in changes and not self.desk.fixed_lang:
            self.desk.set_language(changes["language"])

    @on(Input.Submitted, "#settings-form Input")
    def next_field(self) -> None:
        self.focus_next()

    def action_codes(self) -> None:
        """The code tables open above the settings, so Esc comes back here."""
        from tui.screens.codes import CodesScreen

        self.app.push_screen(CodesScreen())

    # --- holidays -----------------------------------------------------------------------

    @on(Select.Changed, "#holiday-year")
    def load_year(self) -> None:
        year = int(str(self.query_one("#holiday-year", Select).value))
        call_store(self, lambda: holidays.list_year(year), self.show_year)

    def show_year(self, days: list[HolidayDay]) -> None:
        table = self.query_one("#holidays", DataTable)
        table.clear()
        self.days = {d.day.isoformat(): d for d in days}
        for d in days:
            table.add_row(d.day.isoformat(), _(WEEKDAYS[d.day.weekday()]), _(KINDS[d.kind]),
                          Text(d.name), key=d.day.isoformat())
        note = self.query_one("#holiday-note", Static)
        note.update(_("No days entered for this year yet: add them from the State Council's "
                      "notice (Ctrl+N).") if not days else
                    _("{n} days | Enter: edit | Ctrl+N: new | Ctrl+R: remove").format(n=len(days)))

    def _selected(self) -> HolidayDay | None:
        table = self.query_one("#holidays", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.days.get(str(key))

    def _after(self, saved: bool | None) -> None:
        if saved:
            self.load_year()

    def action_new_day(self) -> None:
        if self.desk.session:
            self.app.push_screen(HolidayDialog(self.desk.session), self._after)

    def action_edit_day(self) -> None:
        day = self._selected()
        if day and self.desk.session:
            self.app.push_screen(HolidayDialog(self.desk.session, day), self._after)

    @on(DataTable.RowSelected, "#holidays")
    def row_selected(self) -> None:
        self.action_edit_day()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove_day":  # only the highlighted row of a focused table
            return self.is_mounted and self.focused is self.query_one("#holidays", DataTable)
        return super().check_action(action, parameters)

    @on(DataTable.RowHighlighted, "#holidays")
    @on(DataTable.RowSelected, "#holidays")
    def _table_focus_changed(self) -> None:
        self.refresh_bindings()

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_remove_day(self) -> None:
        day, session = self._selected(), self.desk.session
        if day is None or session is None:
            return

        def confirmed(ok: bool | None) -> None:
            if ok:
                call_store(self, lambda: holidays.remove_day(session, day.day.isoformat()),
                           lambda _r: self.removed(day))

        self.app.push_screen(ConfirmDialog(
            _("Remove {day} ({name}, {kind}) from the list?").format(
                day=day.day.isoformat(), name=day.name, kind=_(KINDS[day.kind]))), confirmed)

    def removed(self, day: HolidayDay) -> None:
        self.app.notify(_("Removed {day} {name} (kept in the audit log).").format(
            day=day.day.isoformat(), name=day.name))
        self.load_year()
