"""Store calls off the UI thread: the result comes back to a handler on the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode

from store.errors import StoreError
from store.i18n import _

T = TypeVar("T")


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
        except StoreError as exc:
            app.call_from_thread(report, str(exc))
            return
        except Exception as exc:  # an unexpected fault: say so, keep the app running
            app.call_from_thread(report, _("unexpected error ({kind}): {what}").format(
                kind=type(exc).__name__, what=exc))
            return
        app.call_from_thread(done, result)

    node.run_worker(run, thread=True, group=group, exit_on_error=False)
