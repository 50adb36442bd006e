"""Store work off the UI thread, and how its results and failures come back.

A screen, dialog or panel runs store services in a method decorated with `@store_work(group)`
(Textual's `@work` on a thread, exclusive in its group, never ending the app on an error).
The method returns nothing: it posts a typed `Reply` (a `Message` nested in the class that
handles it) with `reply(self, ...)`, and an `@on` handler owns every change of state.

- A reply from a worker that was cancelled or superseded by a newer one of its group is
  never handled (it may already be queued when the newer one starts).
- A worker that raises is handled once, by its node's class (`StoreRoute`): a refusal
  (`FieldError`, `RuleRefused`) goes beside the field it names; any other `StoreError` is
  its one line; anything else is logged with its traceback and said in one line.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual import work
from textual.dom import DOMNode
from textual.message import Message
from textual.worker import NoActiveWorker, Worker, WorkerState, get_current_worker

from store.errors import FieldError, RuleRefused, StoreError
from store.i18n import _
from store.vault import failure_words

LOG = logging.getLogger("statdesk.tui")
"""Unexpected faults, with their tracebacks (the command line prints them when the app ends)."""

DEBOUNCE = 0.3
"""Seconds a live check waits after the last key before it asks the store. Tests set it to 0
and wait for the worker instead of the clock."""

F = TypeVar("F", bound=Callable[..., Any])


def store_work(group: str, *, write: bool = False) -> Callable[[F], F]:
    """Run the method in a worker thread; a failure goes to the node's `StoreRoute`.

    A read is exclusive in `group`: a newer call supersedes an older one, whose reply is then
    dropped. A write (`write=True`) is never superseded: while one of its group runs on the
    node, a second call (a key pressed twice) does nothing, so every write's outcome is seen.
    Every run is counted until its thread ends (`wait_idle`), superseded ones too.
    """

    def decorate(method: F) -> F:
        @functools.wraps(method)
        def counted(*args: Any, **kwargs: Any) -> Any:
            with _running:
                return method(*args, **kwargs)

        start = work(thread=True, exclusive=not write, exit_on_error=False,
                     group=group)(counted)
        if not write:
            return start  # type: ignore[return-value]

        @functools.wraps(method)
        def once(node: DOMNode, *args: Any, **kwargs: Any) -> Any:
            if any(w.node is node and w.group == group and w.is_running
                   for w in node.app.workers):
                return None
            return start(node, *args, **kwargs)

        return once  # type: ignore[return-value]

    return decorate


class _Running:
    """How many store workers' threads are still running, cancelled ones included: Textual
    forgets a cancelled thread worker at once, but its thread finishes what it started."""

    def __init__(self) -> None:
        self.count = 0
        self.idle = threading.Condition()

    def __enter__(self) -> None:
        with self.idle:
            self.count += 1

    def __exit__(self, *exc: object) -> None:
        with self.idle:
            self.count -= 1
            self.idle.notify_all()


_running = _Running()


def wait_idle(timeout: float | None = None) -> bool:
    """Block until no store worker's thread runs (the store is closed only then)."""
    with _running.idle:
        return _running.idle.wait_for(lambda: _running.count == 0, timeout)


def _stale(message: Reply) -> bool:
    return message.worker is not None and message.worker.is_cancelled


class Reply(Message):
    """What a store worker found, posted to the node that ran it; subclasses carry the data.

    Textual skips a message whose `no_dispatch` is true: for a reply, that is a reply from a
    cancelled or superseded worker, checked when the reply is about to be handled.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        setattr(cls, "no_dispatch", property(_stale))  # noqa: B010 (Message sets a bool)

    def __init__(self) -> None:
        super().__init__()
        try:
            self.worker: Worker[Any] | None = get_current_worker()
        except NoActiveWorker:
            self.worker = None


setattr(Reply, "no_dispatch", property(_stale))  # noqa: B010


def reply(node: Any, message: Reply) -> None:
    """Post `message` to `node` from a worker thread, unless the worker is no longer wanted."""
    if not _stale(message):
        node.post_message(message)


def fault_line(app: object, exc: BaseException) -> str:
    """The one line to show for an error a store call raised in a worker.

    A full disk, a read-only or damaged store file is said as such (the damaged store names
    its newest backup); anything else unknown is an unexpected fault, said with its kind.
    """
    paths = getattr(getattr(app, "folder", None), "paths", None)
    try:
        explained = failure_words.explain(exc, paths)
    except Exception:  # the explanation must never hide the fault itself
        explained = exc if isinstance(exc, StoreError) else None
    if explained is not None:
        return str(explained)
    return _("unexpected error ({kind}): {what}").format(kind=type(exc).__name__, what=exc)


def fault_said(app: object, error: BaseException) -> str:
    """The one line for an error that is no StoreError, logged with its traceback unless it is
    a disk's or a file's fault (which the line says as such)."""
    line = fault_line(app, error)
    if failure_words.explain(error, None) is None:
        LOG.error("%s", line, exc_info=error)
    return line


if TYPE_CHECKING:
    _Mixin = DOMNode
else:  # a plain mixin: Textual takes a node's CSS type names from its first DOMNode base
    _Mixin = object


class StoreRoute(_Mixin):
    """The one route for a failed store worker, mixed into screens, dialogs and panels
    (first among the bases; the widget or screen class after it keeps its CSS).

    Override `show_refusal` (a refusal naming a field) and `show_trouble` (one line) where
    the class has a better place for them than a notification.
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR or event.worker.is_cancelled:
            return  # a superseded worker's failure is said by the newer one, if it fails too
        error = event.worker.error
        if isinstance(error, FieldError | RuleRefused):
            self.show_refusal(error)
        elif isinstance(error, StoreError):  # a damaged store also names its newest backup
            self.show_trouble(fault_line(self.app, error))
        elif error is not None:
            self.show_trouble(fault_said(self.app, error))

    def show_refusal(self, refusal: FieldError | RuleRefused) -> None:
        """A refusal that names a field; where the class shows no fields, one line."""
        self.show_trouble(str(refusal))

    def show_trouble(self, line: str) -> None:
        self.app.notify(line, severity="error", timeout=10)
