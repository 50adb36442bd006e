"""Store calls off the UI thread: the result comes back to a handler on the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode

from store import failure_words
from store.errors import StoreError
from store.i18n import _

T = TypeVar("T")


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


def call_store(node: DOMNode, job: Callable[[], T], done: Callable[[T], Any],
               failed: Callable[[str], Any] | None = None, *, group: str = "store") -> None:
    """Run `job` (store services only) in a worker thread; hand its result to `done`.

    A StoreError goes to `failed` (or a notification) as its one clear line; anything
    else is reported, never raised into the UI.
    """
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
            app.call_from_thread(report, fault_line(app, exc))
            return
        app.call_from_thread(done, result)

    node.run_worker(run, thread=True, group=group, exit_on_error=False)
