"""An unexpected fault in store work: one line where the work was shown, its traceback logged
(logger "statdesk.tui"), and printed by the command line once the app's screen is gone."""

from __future__ import annotations

import argparse
import logging

import pytest

from statdesk import commands
from store.custody import desk
from store.vault.folder import StoreDir
from tests.conftest import CLERK_PW, Store
from tests.tui_support import login, settle
from tui.app import build_app
from tui.panels.loans import LoansPanel
from tui.workers import LOG


def _broken() -> list[object]:
    raise RuntimeError("the loans query broke")


async def test_a_panel_whose_fetch_breaks_says_one_line_and_logs_the_traceback(
        store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(desk, "overdue", _broken)
    caplog.set_level(logging.ERROR, logger="statdesk.tui")
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "clerk", CLERK_PW)
            await settle(pilot)
            shown = str(app.screen.query_one(LoansPanel).content)
            assert shown == "X unexpected error (RuntimeError): the loans query broke"
            assert "Today" in str(app.screen.query_one("WhoPanel").border_title)  # the rest works
    faults = [r for r in caplog.records if r.name == "statdesk.tui"]
    assert faults and all(r.exc_info is not None for r in faults)  # once for each fetch
    assert "RuntimeError" in caplog.text and "_broken" in caplog.text  # the traceback


class _FaultyApp:
    """An app that meets an unexpected fault while it runs (logged as the TUI logs one)."""

    def run(self) -> None:
        try:
            _broken()
        except RuntimeError as exc:
            LOG.error("unexpected error (RuntimeError): %s", exc, exc_info=exc)


def test_the_command_line_prints_the_logged_tracebacks_after_the_app_ends(
        store: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import tui.app

    monkeypatch.setattr(tui.app, "build_app", lambda folder, lang=None: _FaultyApp())
    assert commands.run_app(store.paths, argparse.Namespace(lang="en")) == 0
    printed = capsys.readouterr().err
    assert "the app met 1 unexpected error; for whoever maintains it:" in printed
    assert "unexpected error (RuntimeError): the loans query broke" in printed
    assert "Traceback (most recent call last)" in printed and "in _broken" in printed
    assert not logging.getLogger("statdesk").handlers  # taken off again
