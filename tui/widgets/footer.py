"""The footer, with every key's description in the current language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from store.i18n import N_, _

N_("palette")  # Textual's own label of the command palette key, for the catalog


class AppFooter(Footer):
    """Bindings are declared with `N_()` at import; they are translated here, when shown."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.description:
                widget.description = _(widget.description)
            yield widget
