"""Helpers for the app's Pilot tests: a frozen clock, logging in, reading the screen."""

from __future__ import annotations

import contextlib
import os
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from store import clock

FROZEN = datetime(2026, 11, 30, 9, 0, 0, tzinfo=timezone(timedelta(hours=8)))


def freeze(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same day, time and store id every run, so snapshots compare."""
    monkeypatch.setattr(clock, "now", lambda: FROZEN)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=0x5D5D))


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until every worker has finished and every message it posted was handled: tests
    wait for work, never for time (the live checks' debounce is 0 under test, see conftest).
    A superseded worker's thread is waited for too (`workers.wait_idle`)."""
    import asyncio

    from textual.worker import WorkerCancelled, WorkerFailed

    from tui import workers

    for _ in range(2):
        with contextlib.suppress(WorkerCancelled, WorkerFailed):
            await pilot.app.workers.wait_for_complete()
        await asyncio.to_thread(workers.wait_idle, 30)
        await pilot.pause()


async def type_into(pilot: Pilot[Any], selector: str, text: str, enter: bool = True) -> None:
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.pause()
    widget.value = text  # type: ignore[attr-defined]
    if enter:
        await pilot.press("enter")
    await settle(pilot)


async def login(pilot: Pilot[Any], name: str, password: str) -> None:
    await type_into(pilot, "#operator", name)
    await type_into(pilot, "#password", password)


def screen_text(pilot: Pilot[Any]) -> str:
    """Everything the current screen shows in Static widgets and tables, as one string."""
    from rich.console import Console

    parts: list[str] = []
    for widget in pilot.app.screen.query(Static):
        console = Console(width=200, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
        console.print(widget.content)
        parts.append(console.export_text())
    for table in pilot.app.screen.query(DataTable):
        for row in range(table.row_count):
            parts.append(" ".join(str(c) for c in table.get_row_at(row)))
    return "\n".join(parts)
