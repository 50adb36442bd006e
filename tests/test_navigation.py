"""Every destination of the keys and the palette opens a screen of its own, reached by keys
read from the bindings."""

from __future__ import annotations

from textual.screen import Screen

from store.vault.folder import StoreDir
from tests.conftest import Store
from tui import navigation, ways
from tui.app import build_app


def test_every_destination_names_a_screen_class() -> None:
    assert set(ways.SCREENS) == set(navigation.DESTINATIONS)
    for where in ways.SCREENS:
        assert issubclass(ways.screen_class(where), Screen), where


def test_every_destination_is_reached_by_keys_of_the_bindings(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        ways_in = {where: ways.keys_to(app, where) for where in ways.SCREENS}
    assert ways_in["audit"] == ["F3"] and ways_in["card_list"] == ["F9"]
    assert ways_in["holds"] == ["F12", "e", "h"] and ways_in["codes"] == ["F5", "Ctrl+T"]
    assert ways_in["analysis"] == ["F10", "a"]
