"""One card, whole, with its history: every change, who, when, why."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from store.cards.review import CardRecord, HistoryEntry
from store.i18n import N_, _
from tui import glyphs
from tui.screens.card_entry import ROWS
from tui.widgets import Table

STATUS = {"draft": N_("draft"), "submitted": N_("entered"), "returned": N_("returned"),
          "accepted": N_("accepted"), "reported": N_("reported"), "void": N_("void")}
ACTIONS = {"add": N_("entered"), "update": N_("changed"), "correct": N_("corrected"),
           "accept": N_("accepted"), "returned": N_("returned"), "void": N_("voided"),
           "report": N_("reported (month submitted)")}


class CardDetailDialog(ModalScreen[None]):
    DEFAULT_CSS = """
    CardDetailDialog { align: center middle; }
    CardDetailDialog > VerticalScroll {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    """
    BINDINGS = [Binding("escape,enter", "dismiss", N_("Close"), id="card-close")]

    def __init__(self, card: CardRecord, history: list[HistoryEntry],
                 names: dict[str, str] | None = None) -> None:
        super().__init__()
        self.card, self.history, self.names = card, history, names or {}

    def compose(self) -> ComposeResult:
        values = Table(box=None, show_header=False, expand=True, pad_edge=False)
        values.add_column(no_wrap=True, style="bold")
        values.add_column(ratio=1)
        values.add_row(_("Status"), _(STATUS.get(self.card.status, self.card.status)))
        for name, label, table in ROWS:
            value = getattr(self.card, name)
            shown = glyphs.NONE if value in ("", None) else str(value)
            if table and f"{table}:{value}" in self.names:
                shown = f"{value} {self.names[f'{table}:{value}']}"
            values.add_row(_(label), Text(shown))  # typed text is never markup
        if self.card.return_reason:
            values.add_row(_("Returned because"), Text(self.card.return_reason))
        changes = Table(box=None, expand=True, pad_edge=False)
        for title in (_("When"), _("Who"), _("What"), _("Changes"), _("Why")):
            changes.add_column(title)
        for entry in self.history:
            what = ", ".join(f"{k}: {(entry.old or {}).get(k, glyphs.NONE)} {glyphs.TO} {v}"
                             for k, v in (entry.new or {}).items()) if entry.old else ""
            changes.add_row(entry.at[:16].replace("T", " "), entry.by,
                            _(ACTIONS.get(entry.action, entry.action)), Text(what),
                            Text(entry.reason))
        with VerticalScroll() as box:
            box.border_title = (_("Card #{id}").format(id=self.card.id) + glyphs.DASH
                                + _("Esc to close"))
            yield Static(values)
            yield Static(_("History"), classes="history-title")
            yield Static(changes, id="card-history")
