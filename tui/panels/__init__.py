"""Dashboard panels. Adding one is a small module with a `Panel` subclass, listed here."""

from __future__ import annotations

from tui.panels.backup import BackupPanel
from tui.panels.base import Panel
from tui.panels.cards import CardsPanel
from tui.panels.checks import ChecksPanel
from tui.panels.deadlines import DeadlinesPanel
from tui.panels.loans import LoansPanel
from tui.panels.who import WhoPanel

PANELS: list[type[Panel]] = [WhoPanel, BackupPanel, CardsPanel, LoansPanel, ChecksPanel,
                             DeadlinesPanel]
"""The dashboard shows these, in this order."""

__all__ = ["PANELS", "Panel"]
