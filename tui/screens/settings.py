"""Settings (administrators): unit, idle lock, language, cut-off day (or the end of the month),
sub-units, holidays by year."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Select, Static

from store import clock, holidays, settings
from store.errors import FieldError, RuleRefused
from store.holidays import HolidayDay
from store.i18n import N_, _, ngettext
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.holiday import KINDS, HolidayDialog
from tui.keys import key_of
from tui.panels.who import WEEKDAYS
from tui.screens.base import BaseScreen
from tui.widgets import Choice, Field
from tui.workers import Reply, reply, store_work

if TYPE_CHECKING:
    from store.settings import Settings
    from store.vault.session import Session


PLACEHOLDERS = {"cutoff_day": N_("1-28, or 月末 for the end of the month")}
"""What a field holds, shown while it is empty."""


class SettingsScreen(BaseScreen):
    TITLE_TEXT = N_("Settings")
    DEFAULT_CSS = """
    SettingsScreen #settings-form { height: auto; padding: 0 1; }
    SettingsScreen #holiday-bar { height: 1; margin: 1 1 0 1; }
    SettingsScreen #holiday-bar > Label { width: auto; margin-right: 1; }
    SettingsScreen #holiday-bar > Select { width: 14; }
    SettingsScreen #holidays { height: 1fr; margin: 0 1; }
    SettingsScreen #holiday-note { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save settings"), id="settings-save"),
        Binding("ctrl+n", "new_day", N_("New day"), id="holiday-new"),
        Binding("ctrl+r", "remove_day", N_("Remove day"), id="holiday-remove"),
        Binding("ctrl+t", "codes", N_("Code tables"), id="settings-codes"),
    ]

    class Loaded(Reply):
        """The settings as stored, to edit."""

        def __init__(self, texts: dict[str, str]) -> None:
            super().__init__()
            self.texts = texts
            """Each setting's stored text, by key."""

    class Saved(Reply):
        """The changed settings were stored (and audited)."""

        def __init__(self, changed: dict[str, str], now: Settings) -> None:
            super().__init__()
            self.changed = changed
            """The texts stored, by key."""
            self.now = now
            """Every setting as it now stands."""

    class Year(Reply):
        """A year's holidays and make-up working days."""

        def __init__(self, days: list[HolidayDay]) -> None:
            super().__init__()
            self.days = days

    class Removed(Reply):
        """A day was taken off the list (kept in the audit log)."""

        def __init__(self, day: HolidayDay) -> None:
            super().__init__()
            self.day = day

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[str, str] = {}
        self.days: dict[str, HolidayDay] = {}

    def body(self) -> ComposeResult:
        choices = {"language": [("中文", "zh"), ("English", "en")],
                   "has_subunits": [(_("no: a county-level unit"), "no"),
                                    (_("yes: it aggregates sub-units' reports"), "yes")]}
        year = clock.today().year
        with Vertical(id="settings-form"):  # as loaded (composed again in another language)
            for key, label in settings.on_screen():
                shown = self.saved.get(key, "")
                control: Choice[str] | Input = (
                    Choice(choices[key], value=shown or choices[key][0][1], allow_blank=False,
                           compact=True)
                    if key in choices else Input(shown, compact=True, placeholder=(
                        _(PLACEHOLDERS[key]) if key in PLACEHOLDERS else "")))
                control.id = key
                yield Field(_(label), control, id=f"{key}-field", inline=True)
        with Horizontal(id="holiday-bar"):
            yield Label(_("Holidays and make-up working days of"))
            yield Choice([(str(y), y) for y in (year, year + 1)], value=year, allow_blank=False,
                         compact=True, id="holiday-year")
        table: DataTable[str | Text] = DataTable(id="holidays", cursor_type="row",
                                                 zebra_stripes=True)
        table.add_columns(_("Date"), _("Weekday"), _("Kind"), _("Name"))
        yield table
        yield Static("", id="holiday-note")

    def on_mount(self) -> None:
        super().on_mount()
        self.load()
        self.load_year()

    @store_work("load")
    def load(self) -> None:
        reply(self, self.Loaded(settings.texts()))

    @on(Loaded)
    def fill(self, message: Loaded) -> None:
        self.saved = message.texts
        for key, _label in settings.on_screen():
            control = self.query_one(f"#{key}")
            if isinstance(control, Select | Input):
                control.value = message.texts[key]
        if self.focused is None:
            self.query_one("#unit_name", Input).focus()

    # --- settings form ------------------------------------------------------------------

    def _typed(self) -> dict[str, str]:
        return {key: str(getattr(self.query_one(f"#{key}"), "value", ""))
                for key, _label in settings.on_screen()}

    def action_save(self) -> None:
        session = self.desk.session
        if session is None:
            return
        for key, _label in settings.on_screen():
            self.query_one(f"#{key}-field", Field).clear_error()
        changes = {k: v for k, v in self._typed().items() if v != self.saved.get(k)}
        if not changes:
            self.app.notify(_("Nothing changed."))
            return
        self.save(session, changes)

    @store_work("save", write=True)
    def save(self, session: Session, changes: dict[str, str]) -> None:
        changed = settings.set_values(session, changes)
        reply(self, self.Saved(changed, settings.current()))

    @on(Saved)
    def stored(self, message: Saved) -> None:
        self.saved.update(message.changed)
        if "idle_minutes" in message.changed and self.desk.idle_override is None:
            self.desk.idle_limit = message.now.idle_minutes * 60.0
        self.app.notify(_("Settings saved."))
        if "language" in message.changed and not self.desk.fixed_lang:
            self.desk.set_language(message.now.language)

    def show_refusal(self, refusal: FieldError | RuleRefused) -> None:
        """A value refused is said beside its setting (and the cursor goes there)."""
        if refusal.field in self.saved:
            self.query_one(f"#{refusal.field}-field", Field).show_error(str(refusal))
        else:
            super().show_refusal(refusal)

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
        self.read_year(int(str(self.query_one("#holiday-year", Select).value)))

    @store_work("holidays")
    def read_year(self, year: int) -> None:
        reply(self, self.Year(holidays.list_year(year)))

    @on(Year)
    def show_year(self, message: Year) -> None:
        days = message.days
        table = self.query_one("#holidays", DataTable)
        table.clear()
        self.days = {d.day.isoformat(): d for d in days}
        for d in days:
            table.add_row(d.day.isoformat(), _(WEEKDAYS[d.day.weekday()]), _(KINDS[d.kind]),
                          Text(d.name), key=d.day.isoformat())
        note = self.query_one("#holiday-note", Static)
        new, remove = key_of(self, "holiday-new"), key_of(self, "holiday-remove")
        note.update(_("No days entered for this year yet: add them from the State Council's "
                      "notice ({key}).").format(key=new) if not days else
                    ngettext("{n} day | Enter: edit | {new}: new | {remove}: remove",
                             "{n} days | Enter: edit | {new}: new | {remove}: remove",
                             len(days)).format(n=len(days), new=new, remove=remove))

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
        self.app.push_screen(ConfirmDialog(
            _("Remove {day} ({name}, {kind}) from the list?").format(
                day=day.day.isoformat(), name=day.name, kind=_(KINDS[day.kind]))),
            lambda ok: self.remove_day(session, day) if ok else None)

    @store_work("remove", write=True)
    def remove_day(self, session: Session, day: HolidayDay) -> None:
        holidays.remove_day(session, day.day.isoformat())
        reply(self, self.Removed(day))

    @on(Removed)
    def removed(self, message: Removed) -> None:
        self.app.notify(_("Removed {day} {name} (kept in the audit log).").format(
            day=message.day.day.isoformat(), name=message.day.name))
        self.load_year()
