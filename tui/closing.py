"""Closing a session safely: the store is closed only once no worker is using it.

A worker thread may be in the middle of a query (verifying a long audit log,
taking a backup); closing its connection under it would crash SQLite. So the
screen is covered at once, and the database is closed when the workers are done.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.worker import WorkerCancelled, WorkerFailed

from tui import workers

if TYPE_CHECKING:
    from store.vault.session import Session
    from tui.app import StatdeskApp


class Closer:
    """Ends sessions in the background; anything that must wait for that asks `when_closed`."""

    def __init__(self, app: StatdeskApp) -> None:
        self.app = app
        self.task: asyncio.Task[None] | None = None

    @property
    def pending(self) -> bool:
        return self.task is not None and not self.task.done()

    def close(self, session: Session, action: str) -> None:
        """Record `action` (lock or logout) and close the store, after the running workers."""
        previous = self.task
        self.task = asyncio.create_task(self._close(session, action, previous))

    async def _close(self, session: Session, action: str,
                     previous: asyncio.Task[None] | None) -> None:
        if previous is not None:
            await previous
        for worker in list(self.app.workers):
            if worker.is_running:
                with contextlib.suppress(WorkerCancelled, WorkerFailed):
                    await worker.wait()
        await asyncio.to_thread(workers.wait_idle, 60)  # superseded threads finish too
        await asyncio.to_thread(session.end, action)

    async def wait(self) -> None:
        if self.task is not None:
            await self.task

    def when_closed(self, then: Callable[[], None]) -> None:
        """Run `then` now, or as soon as the session being closed is closed."""
        if self.pending and self.task is not None:
            self.task.add_done_callback(lambda _task: then())
        else:
            then()
