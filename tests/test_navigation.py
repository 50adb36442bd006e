"""Every destination of the keys and the palette opens a screen of its own."""

from __future__ import annotations

import importlib

from textual.screen import Screen

from tui import navigation


def test_every_destination_names_a_screen_class() -> None:
    assert set(navigation.SCREENS) == set(navigation.DESTINATIONS)
    for where, path in navigation.SCREENS.items():
        module, name = path.split(".")
        found = getattr(importlib.import_module(f"tui.screens.{module}"), name)
        assert issubclass(found, Screen), where
