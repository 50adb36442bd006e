"""The way screens reach the store: replies from superseded reads are dropped, a write pressed
twice runs once, and the store is closed only after every worker thread has ended."""

from __future__ import annotations

import threading

from textual import on
from textual.app import App

from tests.tui_support import settle
from tui import workers
from tui.workers import Reply, StoreRoute, reply, store_work


class Probe(StoreRoute, App[None]):
    class Found(Reply):
        def __init__(self, value: int) -> None:
            super().__init__()
            self.value = value

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.shown: list[int] = []
        self.writes: list[int] = []

    @store_work("read")
    def read(self, value: int, wait: bool) -> None:
        if wait:
            self.gate.wait(10)
        reply(self, self.Found(value))

    @store_work("write", write=True)
    def write(self, value: int) -> None:
        self.gate.wait(10)
        self.writes.append(value)
        reply(self, self.Found(value))

    @on(Found)
    def found(self, message: Found) -> None:
        self.shown.append(message.value)


async def test_a_superseded_read_is_never_shown_and_its_thread_is_waited_for() -> None:
    app = Probe()
    async with app.run_test() as pilot:
        app.read(1, True)  # held until the gate opens
        await pilot.pause()
        second = app.read(2, False)
        await second.wait()
        await pilot.pause()
        assert app.shown == [2]
        assert not workers.wait_idle(0.05)  # the first read's thread still runs
        app.gate.set()
        await settle(pilot)
        assert workers.wait_idle(1)
        assert app.shown == [2]  # its late answer was dropped


async def test_a_write_pressed_twice_runs_once_and_is_seen() -> None:
    app = Probe()
    async with app.run_test() as pilot:
        app.write(1)
        await pilot.pause()
        app.write(2)  # while the first is running: nothing
        app.gate.set()
        await settle(pilot)
        assert app.writes == [1]
        assert app.shown == [1]
        app.write(3)  # once it is done, the next runs
        await settle(pilot)
        assert app.writes == [1, 3] and app.shown == [1, 3]
