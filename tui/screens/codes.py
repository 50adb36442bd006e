"""Code tables (administrators): departments, business types, outcomes, charges, ranks."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Select, Static

from store.cards import code_admin
from store.cards.code_admin import Offer
from store.cards.codes import Code
from store.i18n import N_, _, language, ngettext
from tui import glyphs
from tui.dialogs.code_entry import CodeDialog
from tui.dialogs.code_offer import CodeOfferDialog
from tui.dialogs.confirm import ConfirmDialog
from tui.keys import key_of
from tui.screens.base import BaseScreen
from tui.widgets import Choice
from tui.widgets.fit_table import FitTable
from tui.workers import Reply, reply, store_work

TABLES = {"department": N_("Departments"), "business_type": N_("Business types"),
          "outcome": N_("Outcomes"), "charge": N_("Charges"), "rank": N_("Official ranks")}


class CodesScreen(BaseScreen):
    """One code table at a time; entries are added, changed, retired, never deleted."""

    class Loaded(Reply):
        """The entries of table `kind`, and every business type (outcomes name theirs);
        `keep`: the entry the cursor goes back to."""

        def __init__(self, kind: str, entries: list[Code], types: list[Code],
                     keep: str | None) -> None:
            super().__init__()
            self.kind, self.entries, self.types, self.keep = kind, entries, types, keep

    class Retired(Reply):
        """Entry `code` was retired or brought back into use."""

        def __init__(self, code: str) -> None:
            super().__init__()
            self.code = code

    class Offered(Reply):
        """What adopting the 2026 tables would change ([]: nothing; `adopted`: when they
        were adopted, or None)."""

        def __init__(self, offers: list[Offer], adopted: str | None) -> None:
            super().__init__()
            self.offers, self.adopted = offers, adopted

    class Adopted(Reply):
        """The 2026 tables were adopted: `changed` entries."""

        def __init__(self, changed: int) -> None:
            super().__init__()
            self.changed = changed

    TITLE_TEXT = N_("Code tables")
    DEFAULT_CSS = """
    CodesScreen #code-bar { height: 1; margin: 0 1; }
    CodesScreen #code-kind { width: 24; }
    CodesScreen #codes { height: 1fr; margin: 0 1; }
    CodesScreen #code-note { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("t", "next_table", N_("Next table"), id="codes-table"),
        Binding("a", "add", N_("Add"), id="codes-add"),
        Binding("e", "change", N_("Change"), id="codes-change"),
        Binding("r", "retire", N_("Retire / back in use"), id="codes-retire"),
        Binding("o", "offered", N_("2026 tables"), id="codes-offered"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.kind = "department"
        self.entries: dict[str, Code] = {}
        self.business_types: list[Code] = []

    def body(self) -> ComposeResult:
        yield Choice([(_(label), kind) for kind, label in TABLES.items()], value=self.kind,
                     allow_blank=False, compact=True, id="code-kind")
        yield FitTable(id="codes", cursor_type="row", zebra_stripes=True)
        yield Static(_("{table}: next table | {add}: add | Enter or {change}: change | "
                       "{retire}: retire or bring back | {offered}: the 2026 tables. Entries "
                       "are never deleted: cards keep their codes.").format(
            table=key_of(self, "codes-table"), add=key_of(self, "codes-add"),
            change=key_of(self, "codes-change"), retire=key_of(self, "codes-retire"),
            offered=key_of(self, "codes-offered")),
            id="code-note")

    def on_mount(self) -> None:
        super().on_mount()
        self.load()

    @on(Select.Changed, "#code-kind")
    def kind_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.kind:
            self.kind = event.value
            self.load()

    def action_next_table(self) -> None:
        kinds = list(TABLES)
        self.query_one("#code-kind", Select).value = kinds[(kinds.index(self.kind) + 1)
                                                           % len(kinds)]

    def load(self, keep: str | None = None) -> None:
        self.read_table(self.kind, keep)

    @store_work("codes-load")
    def read_table(self, kind: str, keep: str | None) -> None:
        reply(self, self.Loaded(kind, code_admin.entries(kind),
                                code_admin.entries("business_type"), keep))

    @on(Loaded)
    def loaded(self, message: Loaded) -> None:
        if message.kind == self.kind:
            self.show(message.kind, message.entries, message.types, message.keep)

    def show(self, kind: str, entries: list[Code], types: list[Code], keep: str | None) -> None:
        self.entries = {e.code: e for e in entries}
        self.business_types = [t for t in types if t.status == "active"]
        type_names = {t.code: t.name for t in types}
        table = self.query_one("#codes", DataTable)
        table.clear(columns=True)
        columns = [_("Code"), _("Chinese name"), _("Short"), _("Status")]
        if kind == "outcome":
            columns.append(_("Business type"))
        english = language() == "en"  # the English name is shown beside English only
        table.add_columns(*columns, *([_("English name")] if english else []))  # long: last
        for e in entries:
            status = (glyphs.OK + " " + _("active") if e.status == "active"
                      else glyphs.BAD + " " + _("retired"))
            cells: list[object] = [e.code, Text(e.name_zh), e.short, status]
            if kind == "outcome":
                cells.append(Text(type_names.get(e.parent, e.parent)))
            table.add_row(*cells, *([Text(e.name_en)] if english else []), key=e.code)
        if keep in self.entries:
            table.move_cursor(row=table.get_row_index(keep))
        table.focus()

    def _selected(self) -> Code | None:
        table = self.query_one("#codes", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.entries.get(str(key))

    def _open(self, editing: Code | None) -> None:
        session = self.desk.session
        if session is None:
            return

        def saved(done: bool | None) -> None:
            if done:
                self.app.notify(_("Saved."))
                self.load(keep=editing.code if editing else None)

        self.app.push_screen(CodeDialog(session, self.kind, _(TABLES[self.kind]),
                                        self.business_types, editing), saved)

    def action_add(self) -> None:
        self._open(None)

    @on(DataTable.RowSelected, "#codes")
    def action_change(self) -> None:
        entry = self._selected()
        if entry is not None:
            self._open(entry)

    def action_retire(self) -> None:
        entry, session = self._selected(), self.desk.session
        if entry is None or session is None:
            return
        retiring = entry.status == "active"
        question = (_("Retire {code} {name}? New cards cannot use it; cards that have it keep "
                      "it.") if retiring else _("Bring {code} {name} back into use?"))

        def answered(ok: bool | None) -> None:
            if ok:
                self.set_retired(session, self.kind, entry.code, retiring)

        self.app.push_screen(ConfirmDialog(question.format(code=entry.code, name=entry.name)),
                             answered)

    @store_work("codes-retire", write=True)
    def set_retired(self, session: Any, kind: str, code: str, retiring: bool) -> None:
        code_admin.set_retired(session, kind, code, retiring)
        reply(self, self.Retired(code))

    @on(Retired)
    def retired(self, message: Retired) -> None:
        self.load(keep=message.code)

    def action_offered(self) -> None:
        """See what the 2026 tables change, and adopt them once confirmed."""
        if self.desk.session is not None:
            self.read_offered()

    @store_work("codes-offered")
    def read_offered(self) -> None:
        reply(self, self.Offered(code_admin.offered(), code_admin.adopted()))

    @on(Offered)
    def show_offered(self, message: Offered) -> None:
        if not message.offers:
            self.app.notify(_("The 2026 code tables are in use (adopted {when}).").format(
                when=message.adopted[:10]) if message.adopted else
                _("The code tables already agree with the 2026 tables."))
            return
        session = self.desk.session

        def answered(yes: bool | None) -> None:
            if yes and session is not None:
                self.adopt(session)

        self.app.push_screen(CodeOfferDialog(message.offers, TABLES), answered)

    @store_work("codes-adopt", write=True)
    def adopt(self, session: Any) -> None:
        reply(self, self.Adopted(code_admin.adopt_2026(session)))

    @on(Adopted)
    def adopted(self, message: Adopted) -> None:
        self.app.notify(ngettext("The 2026 code tables are adopted: {n} entry changed.",
                                 "The 2026 code tables are adopted: {n} entries changed.",
                                 message.changed).format(n=message.changed))
        self.load()
