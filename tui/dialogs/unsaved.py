"""Esc on a form with changes not saved: keep editing (the default), discard, or keep a draft."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from store.i18n import N_, _
from tui.keys import key_of
from tui.widgets import AppFooter

KEEP = "keep"
DISCARD = "discard"
DRAFT = "draft"


class UnsavedDialog(ModalScreen[str]):
    """Dismisses with "keep" (Enter or Esc: back to the form as it was), "discard", or
    "draft" (only offered with `draft=True`: the form is kept as a draft until saved)."""

    DEFAULT_CSS = """
    UnsavedDialog { align: center middle; }
    UnsavedDialog > Vertical {
        width: 60; max-width: 100%; height: auto; border: round $warning;
        padding: 0 1; background: $surface;
    }
    UnsavedDialog .unsaved-title { text-style: bold; }
    UnsavedDialog .unsaved-keys { margin-top: 1; text-style: bold; }
    """
    BINDINGS = [
        Binding("escape", "answer('keep')", N_("Keep editing"), id="unsaved-keep"),
        Binding("enter", "answer('keep')", N_("Keep editing"), show=False, id="unsaved-enter"),
        Binding("d", "answer('discard')", N_("Discard"), id="unsaved-discard"),
        Binding("s", "answer('draft')", N_("Keep as draft"), id="unsaved-draft"),
    ]

    def __init__(self, draft: bool = False) -> None:
        super().__init__()
        self.draft = draft

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("Changes not saved"), classes="unsaved-title")
            if self.draft:
                yield Static(_("What is typed here is not saved yet. A draft stays until it "
                               "is saved or discarded, after a lock or a restart too."))
                keys = _("Enter / Esc: keep editing | {draft}: keep as a draft | "
                         "{discard}: discard the changes").format(
                    draft=key_of(self, "unsaved-draft"), discard=key_of(self, "unsaved-discard"))
            else:
                yield Static(_("What is typed here is not saved yet."))
                keys = _("Enter / Esc: keep editing | {discard}: discard the changes").format(
                    discard=key_of(self, "unsaved-discard"))
            yield Static(keys, classes="unsaved-keys")
        yield AppFooter(compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer" and parameters == (DRAFT,):
            return self.draft  # no draft key where there is no draft
        return True

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)


def close_or_ask(form: ModalScreen[Any], changed: bool, closed: object) -> None:
    """Esc on a form: an unchanged one closes with `closed`; a changed one asks first, and
    closes with `closed` only when the clerk discards (keep editing is the default)."""
    def answered(answer: str | None) -> None:
        if answer == DISCARD:
            form.dismiss(closed)

    if changed:
        form.app.push_screen(UnsavedDialog(), answered)
    else:
        form.dismiss(closed)
