"""A Word file for a period: two dates asked, the file written, where it went said."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from textual import on
from textual.widget import Widget
from textual.widgets import Input

from store.i18n import _
from tui.dialogs.form import FormDialog


class PeriodFileDialog(FormDialog):
    """`writer`, e.g. "loan_files.ledger", names the exports/ function that makes the file from
    (session, first, last); it is imported in the worker, with Word's libraries. `written` is
    the message with {path}. The first day defaults to `first`, the last to today."""

    def __init__(self, session: Any, title: str, first_label: str, first: date,
                 writer: str, written: str) -> None:
        super().__init__()
        self.TITLE_TEXT = title
        self.session, self.first_label, self.first = session, first_label, first
        self.writer, self.written = writer, written

    def fields(self) -> list[tuple[str, str, Widget]]:
        from store import clock

        return [("first", self.first_label, Input(self.first.isoformat())),
                ("last", _("To"), Input(clock.today().isoformat()))]

    def save(self, values: dict[str, str]) -> object:
        import importlib

        module, name = self.writer.split(".")
        write: Callable[[Any, str, str], Path] = getattr(
            importlib.import_module(f"exports.{module}"), name)
        return write(self.session, values["first"], values["last"])

    @on(FormDialog.Saved)
    def said_where(self, message: FormDialog.Saved) -> None:
        """Where the file went (the form then closes)."""
        self.app.notify(self.written.format(path=message.result), timeout=15)
