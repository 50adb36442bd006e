"""The keys a screen's footer has no room for (at 80 columns, say), listed over it: Enter or
the key itself does what it says, Esc closes the list."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store.i18n import N_, _
from tui.widgets.footer import FooterEntry, fit, footer_entries


def keys_for(screen: Screen[Any]) -> list[FooterEntry]:
    """The keys of `screen` its footer leaves out at the app's width; all of its keys when
    the footer shows every one."""
    hidden = fit(screen, screen.app.size.width).hidden
    return hidden or footer_entries(screen)[0]


class MoreKeysDialog(ModalScreen[FooterEntry | None]):
    """A short list of keys over the screen that has them; dismisses with the key chosen."""

    DEFAULT_CSS = """
    MoreKeysDialog { align: right bottom; }
    MoreKeysDialog > Vertical {
        width: auto; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1; margin-bottom: 1;
    }
    MoreKeysDialog .dialog-title { text-style: bold; }
    MoreKeysDialog OptionList, MoreKeysDialog OptionList:focus {
        width: auto; height: auto; max-height: 18; border: none; padding: 0;
    }
    """
    BINDINGS = [Binding("escape,ctrl+g", "dismiss", N_("Close"), id="more-keys-close")]

    def __init__(self, entries: list[FooterEntry]) -> None:
        super().__init__()
        self.entries = entries

    def compose(self) -> ComposeResult:
        wide = max((cell_len(e.shown) for e in self.entries), default=0)
        with Vertical():
            yield Static(_("More keys of this screen"), classes="dialog-title")
            yield OptionList(*[
                Option(Text.assemble((e.shown + " " * (wide - cell_len(e.shown)), "bold"),
                                     "  ", e.description, style="" if e.enabled else "dim"),
                       id=str(n), disabled=not e.enabled)
                for n, e in enumerate(self.entries)])

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.entries[int(str(event.option.id))])

    def on_key(self, event: events.Key) -> None:
        """A listed key does what it does on its screen (Esc, Enter and arrows are the list's)."""
        if event.key in ("escape", "enter", "up", "down", "pageup", "pagedown", "home", "end"):
            return
        for entry in self.entries:
            if entry.enabled and event.key in [k.strip() for k in entry.key.split(",")]:
                event.stop()
                self.dismiss(entry)
                return


def show_more_keys(screen: Screen[Any]) -> None:
    """List the keys of `screen` that its footer has no room for; run the one chosen."""
    def chosen(entry: FooterEntry | None) -> None:
        if entry is not None:
            screen.app.call_later(screen.app.run_action, entry.action, entry.node)

    screen.app.push_screen(MoreKeysDialog(keys_for(screen)), chosen)
