"""One line on the dashboard while the 2026 code tables are offered and not adopted: a store
made before them keeps its codes until an administrator adopts the new ones."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import RenderableType
from rich.text import Text

from store.cards import code_admin
from store.i18n import N_, ngettext
from tui import glyphs
from tui.panels.base import Panel
from tui.ways import key_on, keys_to


@dataclass(frozen=True)
class Offered:
    """How many entries adopting would change (0: nothing offered), and the keys to them."""

    changes: int
    keys: str


class CodesOfferNotice(Panel):
    """Hidden while nothing is offered; the dashboard reloads it like its panels."""

    DEFAULT_CSS = """
    CodesOfferNotice { border: none; padding: 0 1; height: auto; display: none; }
    """
    TITLE = N_("Code tables")

    def fetch(self) -> Offered:
        changes = len(code_admin.offered())
        keys = " ".join([*keys_to(self.app, "codes"), key_on("codes", "codes-offered")]) \
            if changes else ""
        return Offered(changes, keys)

    def render_data(self, data: Offered) -> RenderableType:
        self.display = bool(data.changes)
        if not data.changes:
            return Text()
        session = self.app.session  # type: ignore[attr-defined]
        if session is not None and session.actor.is_admin:
            said = ngettext("The 2026 code tables are offered ({n} change; cards keep their "
                            "codes): {keys} to see and adopt them.",
                            "The 2026 code tables are offered ({n} changes; cards keep their "
                            "codes): {keys} to see and adopt them.", data.changes)
        else:
            said = ngettext("The 2026 code tables are offered ({n} change); an administrator "
                            "adopts them.",
                            "The 2026 code tables are offered ({n} changes); an administrator "
                            "adopts them.", data.changes)
        return Text(glyphs.WARN + " " + said.format(n=data.changes, keys=data.keys),
                    style="bold")
