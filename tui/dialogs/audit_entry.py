"""One audit entry, whole: who, when, what, the old and the new value."""

from __future__ import annotations

import json

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from store import settings
from store.audit.log import ACTIONS, ENTITIES, AuditRecord
from store.i18n import N_, _
from store.vault.policy import RECOVERY_ACTOR, UNKNOWN_NAME
from tui import glyphs
from tui.widgets import Table


def record_label(entry: AuditRecord) -> str:
    """The kind of record in the current language, and which one."""
    kind = _(ENTITIES[entry.entity]) if entry.entity in ENTITIES else entry.entity
    which = entry.entity_id
    named = settings.words(which) if entry.entity == "setting" else None
    if named is not None:
        which = _(named)
    return f"{kind} {which}".strip()


def operator_label(name: str, names: dict[str, str] | None = None, login: bool = False) -> str:
    """An operator's full name (from `names`, operators.display_names()), with the login name
    beside it when `login` (e.g. "王统计 (admin)"); the recovery code and unknown names said in
    words."""
    said = {RECOVERY_ACTOR: _("recovery code"), UNKNOWN_NAME: _("(unknown name)")}.get(name)
    if said is not None:
        return said
    full = (names or {}).get(name, name)
    return _("{name} ({login})").format(name=full, login=name) if login and full != name \
        else full


def pretty(value: str | None) -> str:
    if value is None:
        return glyphs.NONE
    try:
        return json.dumps(json.loads(value), ensure_ascii=False, indent=2)
    except ValueError:
        return value


class AuditEntryDialog(ModalScreen[None]):
    DEFAULT_CSS = """
    AuditEntryDialog { align: center middle; }
    AuditEntryDialog > VerticalScroll {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    """
    BINDINGS = [Binding("escape,enter", "dismiss", N_("Close"), id="close")]

    def __init__(self, entry: AuditRecord, names: dict[str, str] | None = None) -> None:
        super().__init__()
        self.entry = entry
        self.names = names or {}
        """Operators' full names by login (operators.display_names())."""

    def compose(self) -> ComposeResult:
        e = self.entry
        table = Table(box=None, show_header=False, expand=True, pad_edge=False)
        table.add_column(no_wrap=True, style="bold")
        table.add_column(ratio=1)
        label = _(ACTIONS[e.action]) if e.action in ACTIONS else e.action
        for name, value in [(_("Entry"), f"#{e.id}"), (_("Time"), e.ts),
                            (_("Operator"), operator_label(e.operator, self.names, login=True)),
                            (_("Action"), f"{label} ({e.action})"),
                            (_("Record"), record_label(e) or glyphs.NONE),
                            (_("Note"), _(e.note) if e.note else glyphs.NONE),
                            (_("Old value"), pretty(e.old)),
                            (_("New value"), pretty(e.new))]:
            table.add_row(name, Text(value))  # logged text is never markup
        with VerticalScroll() as box:
            box.border_title = (_("Audit entry #{id}").format(id=e.id) + glyphs.DASH
                                + _("Esc to close"))
            yield Static(table, id="audit-entry")
