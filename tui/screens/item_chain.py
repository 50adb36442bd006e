"""One item's chain of custody (C11, D12): the dialog, and the store work that opens it from
any list of items (the catalogue, the secrecy register, a destruction batch)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from store.custody import items
from store.custody.items import Event, Item
from store.i18n import N_, _
from tui import glyphs
from tui.widgets import Table
from tui.workers import Reply, reply, store_work

if TYPE_CHECKING:
    _Mixin = DOMNode
else:  # a plain mixin, as `StoreRoute`: the screen class after it keeps its CSS type names
    _Mixin = object


class ChainDialog(ModalScreen[None]):
    """One item, whole, with every custody event: what, who, when, approved by, reference."""

    DEFAULT_CSS = """
    ChainDialog { align: center middle; }
    ChainDialog > VerticalScroll {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    """
    BINDINGS = [Binding("escape", "dismiss", N_("Close"), id="chain-close")]

    def __init__(self, item: Item, events: list[Event], original: str = "") -> None:
        super().__init__()
        self.item, self.events, self.original = item, events, original

    def compose(self) -> ComposeResult:
        i = self.item
        facts = Table(box=None, show_header=False, expand=True, pad_edge=False)
        facts.add_column(no_wrap=True, style="bold")
        facts.add_column(ratio=1)
        for label, value in [(_("Title"), i.title), (_("Kind"), _(items.KINDS[i.kind])),
                             (_("Classification"), _(items.LEVELS[i.classification])),
                             (_("Copy"), f"{i.copy_no}/{i.copies}"),
                             *([(_("Copy of"), self.original)] if self.original else []),
                             (_("Pages"), str(i.pages)),
                             (_("Location"), i.location or glyphs.NONE),
                             (_("Custodian"), i.custodian or glyphs.NONE),
                             (_("Status"), _(items.STATUSES[i.status]))]:
            facts.add_row(label, Text(value))
        chain = Table(box=None, expand=True, pad_edge=False)
        for title in (_("When"), _("What"), _("Who"), _("Approved by"), _("Reference"),
                      _("Note"), _("Operator")):
            chain.add_column(title)
        for e in self.events:  # in the order they happened (items.chain)
            chain.add_row(e.at[:16].replace("T", " "), _(items.EVENTS.get(e.kind, e.kind)),
                          Text(e.person or glyphs.NONE), Text(e.approved_by or glyphs.NONE),
                          Text(e.reference or glyphs.NONE), Text(e.note or glyphs.NONE), e.by)
        with VerticalScroll() as box:
            box.border_title = i.reg_no + glyphs.DASH + _("Esc to close")
            yield Static(facts)
            yield Static(_("Chain of custody"), classes="history-title")
            yield Static(chain)


class ChainOfCustody(_Mixin):
    """Mixed into a screen that lists items (before `BaseScreen`): `open_chain(item_id)`
    reads the item and its events off the UI thread, then shows them in a `ChainDialog`."""

    class ChainRead(Reply):
        """The item, its custody events in the order they happened, and the number of the
        original it is a copy of ("" for an original)."""

        def __init__(self, item: Item, events: list[Event], original: str) -> None:
            super().__init__()
            self.item, self.events, self.original = item, events, original

    @store_work("chain")
    def open_chain(self, item_id: int) -> None:
        item = items.get(item_id)
        reply(self, self.ChainRead(item, items.chain(item_id), items.number_of(item.original_id)))

    def on_chain_of_custody_chain_read(self, message: ChainRead) -> None:
        """Named, not `@on`: a plain mixin's decorated handlers are not collected."""
        self.app.push_screen(ChainDialog(message.item, message.events, message.original))
