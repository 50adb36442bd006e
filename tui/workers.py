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

import logging
from collections.abc import Callable
from typing import Any, TypeVar

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
T = TypeVar("T")


def store_work(group: str) -> Callable[[F], F]:
    """Run the method in a worker thread: exclusive in `group` (a newer call supersedes an
    older one, whose reply is then dropped); a failure goes to the node's `StoreRoute`."""
    return work(thread=True, exclusive=True, exit_on_error=False, group=group)  # type: ignore


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


class StoreRoute(DOMNode):
    """The one route for a failed store worker, mixed into screens, dialogs and panels.

    Override `show_refusal` (a refusal naming a field) and `show_trouble` (one line) where
    the class has a better place for them than a notification.
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, FieldError | RuleRefused):
            self.show_refusal(error)
        elif isinstance(error, StoreError):
            self.show_trouble(str(error))
        elif error is not None:
            line = fault_line(self.app, error)
            if failure_words.explain(error, None) is None:  # not a disk's or a file's fault
                LOG.error("%s", line, exc_info=error)
            self.show_trouble(line)

    def show_refusal(self, refusal: FieldError | RuleRefused) -> None:
        """A refusal that names a field; where the class shows no fields, one line."""
        self.show_trouble(str(refusal))

    def show_trouble(self, line: str) -> None:
        self.app.notify(line, severity="error", timeout=10)


def call_store(node: DOMNode, job: Callable[[], T], done: Callable[[T], Any],
               failed: Callable[[str], Any] | None = None, *, group: str = "store") -> None:
    """The older callback form, kept while screens move to `store_work` and `Reply`."""
    app = node.app

    def report(message: str) -> None:
        if failed is not None:
            failed(message)
        else:
            app.notify(message, severity="error", timeout=10)

    def run() -> None:
        try:
            result = job()
        except Exception as exc:  # said in one line; an unexpected fault keeps the app running
            if not isinstance(exc, StoreError):
                LOG.error("%s", exc, exc_info=exc)
            app.call_from_thread(report, fault_line(app, exc))
            return
        app.call_from_thread(done, result)

    node.run_worker(run, thread=True, group=group, exit_on_error=False)
