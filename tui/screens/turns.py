"""Store work the clerk starts faster than the store may answer (scans at the desk, lines
marked in a checklist, items put on a destruction batch), and which work failed.

Store work is exclusive in its group: a newer call supersedes an older one and its answer is
dropped, which is right for a reload and wrong for a scan. `Turns` runs such work one after
another, so every answer and every refusal is shown, in the order the clerk gave them.
`FailedGroup` tells a screen's `show_refusal` / `show_trouble` which group's work failed, for
screens that say a scan's refusal on their message line and a list's failed load as a
notification.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    _Mixin = DOMNode
else:  # a plain mixin, as `StoreRoute`: the screen class after it keeps its CSS type names
    _Mixin = object


class Turns:
    """A screen's queue of such work, on the UI thread: `take` starts the work now or after
    the turns before it; the screen calls `done` once the turn's reply (or its failure) is
    handled, and the next turn starts."""

    def __init__(self) -> None:
        self.waiting: list[Callable[[], object]] = []

    def take(self, work: Callable[[], object]) -> None:
        self.waiting.append(work)
        if len(self.waiting) == 1:
            work()

    def done(self) -> None:
        if self.waiting:
            self.waiting.pop(0)
        if self.waiting:
            self.waiting[0]()


class FailedGroup(_Mixin):
    """Mixed into a screen (before `BaseScreen`): `failed_group` is the group of the store
    work whose failure `show_refusal` / `show_trouble` is saying now."""

    failed_group = ""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Textual calls the handler of each class along the MRO, this one first: then
        `StoreRoute`'s (a base class of the screen), which calls those two methods."""
        if event.state is WorkerState.ERROR:
            self.failed_group = event.worker.group
