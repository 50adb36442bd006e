"""A modal that must be answered before anything else happens on the desk.

A modal screen already holds the app's keys (F2-F12, Ctrl+L) back, but the command palette
(Ctrl+P, a priority key) still opens over it, and its destinations close every screen down
to the dashboard: a forced password change would be skipped, a key rotation left half-shown.
While such a modal is up, the palette is off.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


class Exclusive(Screen[Any]):
    """Mixed in after the modal class: `class X(SomeDialog, Exclusive)` (CSS follows the first
    base, so the dialog keeps its own look)."""

    def on_mount(self) -> None:
        self.app.use_command_palette = False

    def on_unmount(self) -> None:
        others = [s for s in self.app.screen_stack if s is not self and isinstance(s, Exclusive)]
        self.app.use_command_palette = not others and self.app.ENABLE_COMMAND_PALETTE
