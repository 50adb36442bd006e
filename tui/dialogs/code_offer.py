"""The 2026 code tables offered: every entry they add, rename, move or retire, then yes or no.
Answers True to adopt them (the caller does the work)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from store.cards.code_admin import Offer
from store.i18n import N_, _, ngettext
from tui.keys import key_of


class CodeOfferDialog(ModalScreen[bool]):
    """What adopting the 2026 tables changes, table by table; Enter or y adopts them."""

    DEFAULT_CSS = """
    CodeOfferDialog { align: center middle; }
    CodeOfferDialog > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $warning; padding: 0 1; background: $surface;
    }
    CodeOfferDialog #offer-list { height: auto; max-height: 14; }
    CodeOfferDialog .offer-table { text-style: bold; }
    CodeOfferDialog .confirm-keys { margin-top: 1; text-style: bold; }
    """
    BINDINGS = [Binding("enter", "answer(True)", N_("Adopt"), id="offer-enter"),
                Binding("y", "answer(True)", N_("Adopt"), id="offer-yes"),
                Binding("escape", "answer(False)", N_("Not now"), id="offer-escape"),
                Binding("n", "answer(False)", N_("Not now"), id="offer-no")]

    def __init__(self, offers: list[Offer], tables: dict[str, str]) -> None:
        """`tables`: each code table's kind and its name (a catalog message), in order."""
        super().__init__()
        self.offers, self.tables = offers, tables

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(ngettext(
                "The 2026 code tables: adopting them changes {n} entry. Cards keep their "
                "codes; entries your office added stay as they are.",
                "The 2026 code tables: adopting them changes {n} entries. Cards keep their "
                "codes; entries your office added stay as they are.",
                len(self.offers)).format(n=len(self.offers)))
            with VerticalScroll(id="offer-list"):
                for kind, label in self.tables.items():
                    lines = [o.describe() for o in self.offers if o.kind == kind]
                    if lines:  # names come from the store: never markup
                        yield Static(_(label), classes="offer-table")
                        yield Static(Text("\n".join(lines)))
            yield Static(_("Enter / {yes}: adopt them | Esc / {no}: not now").format(
                yes=key_of(self, "offer-yes"), no=key_of(self, "offer-no")),
                classes="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
