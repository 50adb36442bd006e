"""Which screen each destination is, and the keys that reach it, read from the bindings.

A destination has a key of the app's ("go-<destination>") or is opened by a key of another
screen (`WAYS`). Screens are imported only when asked for: this module imports none, so the
dashboard's panels and the palette can name the way to a screen without loading it first.
"""

from __future__ import annotations

import importlib
from typing import Any

from textual.dom import DOMNode
from textual.screen import Screen

from tui.keys import key_in, key_of

SCREENS: dict[str, str] = {
    "dashboard": "dashboard.DashboardScreen", "audit": "audit.AuditScreen",
    "operators": "operators.OperatorsScreen", "settings": "settings.SettingsScreen",
    "backups": "backups.BackupsScreen", "cards": "card_entry.CardEntryScreen",
    "card_list": "card_list.CardListScreen", "codes": "codes.CodesScreen",
    "report": "report.ReportScreen", "analysis": "analysis.AnalysisScreen",
    "desk": "desk.DeskScreen", "catalogue": "catalogue.CatalogueScreen",
    "incidents": "incidents.IncidentsScreen", "register": "register.RegisterScreen",
    "checks": "checks.ChecksScreen", "destruction": "destruction.DestructionScreen",
    "holds": "holds.HoldsScreen"}
"""Each destination's screen, as module.Class under tui.screens: only the one opened is
imported (importing all of them on the first key held the first screen back)."""

WAYS: dict[str, tuple[str, str]] = {
    "register": ("catalogue", "items-register"), "checks": ("catalogue", "items-checks"),
    "destruction": ("catalogue", "items-destruction"),
    "incidents": ("catalogue", "items-incidents"), "holds": ("destruction", "batches-holds"),
    "analysis": ("report", "report-analysis"), "codes": ("settings", "settings-codes")}
"""A destination without a key of the app's: the screen it is opened from, and the id of
that screen's binding that opens it."""


def screen_class(where: str) -> type[Screen[Any]]:
    """The destination's screen class (its module imported now, if it was not yet)."""
    module, name = SCREENS[where].split(".")
    found: type[Screen[Any]] = getattr(importlib.import_module(f"tui.screens.{module}"), name)
    return found


def keys_to(app: DOMNode, where: str) -> list[str]:
    """The keys that open the destination from anywhere, e.g. ["F12", "k"] for the checklist
    runs (the app's key for the item catalogue, then the catalogue's)."""
    if where in WAYS:
        via, binding_id = WAYS[where]
        return [*keys_to(app, via), key_in(screen_class(via), binding_id)]
    return [key_of(app, "go-" + where.replace("_", "-"))]


def key_on(where: str, binding_id: str) -> str:
    """The key of a binding of the destination's screen, e.g. "h" on the checklist runs."""
    return key_in(screen_class(where), binding_id)
