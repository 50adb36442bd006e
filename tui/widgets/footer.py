"""The footer, with every key's description in the current language; what does not fit the
width is behind one key ("more keys", see `fit`), and under a dialog it shows the dialog's keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from store.i18n import N_, _

N_("palette")  # Textual's own label of the command palette key, for the catalog

MORE_KEYS = "more-keys"
"""The id of the app's binding that lists the keys the footer has no room for."""


@dataclass(frozen=True)
class FooterEntry:
    """One key as the footer shows it (or would, with the room)."""

    key: str
    """The binding's keys, as Textual names them ("ctrl+g", "f1,escape")."""
    shown: str
    """The key as the footer shows it ("^g", "f1")."""
    description: str
    """Translated."""
    action: str
    node: DOMNode
    enabled: bool = True
    tooltip: str = ""

    @property
    def width(self) -> int:
        """Cells it takes in a compact footer, with the space after it."""
        return cell_len(self.shown) + (1 + cell_len(self.description) if self.description
                                       else 0) + 1


@dataclass(frozen=True)
class FooterFit:
    """What a footer of some width shows, and what goes behind the "more keys" key."""

    shown: list[FooterEntry]
    hidden: list[FooterEntry]
    more: FooterEntry | None
    """The "more keys" key, when something is hidden."""
    palette: FooterEntry | None


def _entry(node: DOMNode, binding: Any, enabled: bool, tooltip: str = "") -> FooterEntry:
    return FooterEntry(binding.key, node.app.get_key_display(binding), _(binding.description),
                       binding.action, node, enabled, tooltip)


def footer_entries(screen: Screen[Any]) -> tuple[list[FooterEntry], FooterEntry | None,
                                                 FooterEntry | None]:
    """The keys `screen` shows in its footer (one per action), its command palette key and
    the app's "more keys" key, if any."""
    app = screen.app
    entries: list[FooterEntry] = []
    actions: set[str] = set()
    palette = more = None
    for node, binding, enabled, tooltip in screen.active_bindings.values():
        if binding.id == MORE_KEYS:
            more = _entry(node, binding, enabled)
        elif binding.key == app.COMMAND_PALETTE_BINDING and binding.action == "command_palette":
            if app.ENABLE_COMMAND_PALETTE:
                palette = _entry(node, binding, enabled)
        elif binding.show and binding.action not in actions:
            actions.add(binding.action)
            entries.append(_entry(node, binding, enabled, tooltip))
    return entries, palette, more


def fit(screen: Screen[Any], width: int) -> FooterFit:
    """The keys of `screen` a footer `width` cells wide shows, in their order, and those it
    has no room for (they are behind the "more keys" key, shown last when needed)."""
    entries, palette, more = footer_entries(screen)
    room = width - 1 - (palette.width if palette else 0)
    if sum(e.width for e in entries) <= room or more is None:
        return FooterFit(entries, [], None, palette)
    room -= more.width
    shown: list[FooterEntry] = []
    hidden: list[FooterEntry] = []
    for entry in entries:
        if entry.width <= room:
            shown.append(entry)
            room -= entry.width
        else:
            hidden.append(entry)
    return FooterFit(shown, hidden, more, palette)


class AppFooter(Footer):
    """Bindings are declared with `N_()` at import; they are translated here, when shown.

    The footer shows what fits its width and, when keys are left out, the key that lists
    them. Under a dialog (a modal screen over this one) it shows the dialog's keys: the keys
    of the screen behind do nothing there.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._source: Screen[Any] | None = None
        self._width = 0

    def source(self) -> Screen[Any]:
        """The screen whose keys are shown: the dialog over this footer's screen, if any."""
        stack = self.app.screen_stack
        if self.screen not in stack:
            return self.screen
        above = stack[stack.index(self.screen) + 1:]
        if above and all(isinstance(screen, ModalScreen) for screen in above):
            return above[-1]
        return self.screen

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        found = fit(self.source(), self._width or self.app.size.width)
        for entry in [*found.shown, *([found.more] if found.more else [])]:
            yield FooterKey(entry.key, entry.shown, entry.description, entry.action,
                            disabled=not entry.enabled, tooltip=entry.tooltip,
                            ).data_bind(compact=Footer.compact)
        if found.palette and self.show_command_palette:
            palette = found.palette
            yield FooterKey(palette.key, palette.shown, palette.description, palette.action,
                            classes="-command-palette", disabled=not palette.enabled)

    def on_mount(self) -> None:
        self.app.screen_change_signal.subscribe(self, self._screen_changed)
        self._source = self.screen  # Footer.on_mount follows its screen's bindings

    def on_unmount(self) -> None:
        self.app.screen_change_signal.unsubscribe(self)
        if self._source is not None:
            self._source.bindings_updated_signal.unsubscribe(self)

    def _follow(self, source: Screen[Any]) -> None:
        """Redraw when the bindings of `source` change (a dialog's focus moves, say)."""
        if source is not self._source:
            if self._source is not None:
                self._source.bindings_updated_signal.unsubscribe(self)
            self._source = source
            source.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def _screen_changed(self, screen: Screen[Any]) -> None:
        source = self.source()
        if source is not self._source:
            self._follow(source)
            self._redraw()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if screen.app.app_focus and screen is self._source:
            self._redraw()

    def _redraw(self) -> None:
        if self.is_attached:
            self.call_after_refresh(self._recompose)

    async def _recompose(self) -> None:
        await self.recompose()
        if self.is_attached and self.screen is not self.app.screen:
            # A screen under a dialog skips a layout asked for while the dialog is being
            # drawn: lay it out now, as Textual does when the terminal is resized.
            self.screen._refresh_layout(self.app.size)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            self._redraw()
