"""First run: no store here yet. Create one, then show the recovery code once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from store.errors import InvalidInput
from store.i18n import N_, _
from store.vault import policy
from tui.screens.base import BaseScreen
from tui.widgets import Field, SecretInput
from tui.workers import Reply, reply, store_work

if TYPE_CHECKING:
    from store.settings import Settings
    from store.vault.session import NewStore

FIELDS = ("unit", "admin", "display", "password", "confirm")


class FirstRunScreen(BaseScreen):
    TITLE_TEXT = N_("New store")
    ROOT = True
    DEFAULT_CSS = "FirstRunScreen .form-scroll { align: center top; height: 1fr; }"
    DEFAULT_CLASSES = "form-screen"

    class Created(Reply):
        """The store is made, its first session open."""

        def __init__(self, new: NewStore, settings: Settings) -> None:
            super().__init__()
            self.new = new
            """The session, and the recovery code to show once."""
            self.settings = settings

    def body(self) -> ComposeResult:
        with VerticalScroll(classes="form-scroll"), Vertical(classes="form-box"):
            yield Static(_("Welcome to statdesk: create this office's store"),
                         classes="form-title")
            yield Static(_("Data directory: {root}").format(root=self.desk.folder.paths.root))
            yield Field(_("Unit name (e.g. 某某县人民检察院)"), Input(id="unit"), id="unit-field")
            yield Field(_("Administrator's login name"), Input(id="admin"), id="admin-field")
            yield Field(_("Administrator's full name"), Input(id="display"), id="display-field")
            yield Field(_("Password (at least 10 characters)"),
                        SecretInput(id="password"), id="password-field")
            yield Field(_("Password again"), SecretInput(id="confirm"),
                        id="confirm-field")
            yield Static(_("Enter: next field | Enter on the last field: create the store"),
                         classes="form-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#unit", Input).focus()

    def _values(self) -> dict[str, str]:
        return {name: self.query_one(f"#{name}", Input).value for name in FIELDS}

    def _problem(self, values: dict[str, str]) -> tuple[str, str] | None:
        """The first field with something wrong, and what is wrong with it."""
        if not values["unit"].strip():
            return "unit", _("type the unit's name")
        checks: list[tuple[str, Callable[[], object]]] = [
                  ("admin", lambda: policy.check_name(values["admin"])),
                  ("password", lambda: policy.check_password(values["password"])),
                  ("confirm", lambda: policy.check_confirmation(values["password"],
                                                                values["confirm"]))]
        for field, check in checks:
            try:
                check()
            except InvalidInput as exc:
                return field, str(exc)
        return None

    @on(Input.Submitted)
    def next_or_create(self, event: Input.Submitted) -> None:
        current = event.input.id or ""
        if current != FIELDS[-1]:
            self.query_one(f"#{FIELDS[FIELDS.index(current) + 1]}", Input).focus()
            return
        values = self._values()
        for name in FIELDS:
            self.query_one(f"#{name}-field", Field).clear_error()
        problem = self._problem(values)
        if problem is not None:
            self.refuse(*problem)
            return
        if not any(worker.node is self and not worker.is_finished for worker in self.workers):
            self.create(values)  # once: a second Enter waits for the store being made

    def refuse(self, field: str, message: str) -> None:
        """What is wrong, beside the field; the cursor goes there with its text selected, so
        typing replaces it. Two passwords that differ are both emptied and typed again from
        the first: each shows only as stars, so the clerk cannot tell which one slipped
        (retyping the confirmation alone could keep a mistyped password)."""
        if field == "confirm":
            for name in ("password", "confirm"):
                self.query_one(f"#{name}", Input).value = ""
            field, message = "password", _("the two passwords differ: type both again")
        self.query_one(f"#{field}-field", Field).show_error(message)

    @store_work("create", write=True)
    def create(self, values: dict[str, str]) -> None:
        from store import settings  # the database layer loads with the new store

        new = self.desk.folder.init(values["admin"], values["password"], values["unit"],
                                    values["display"])
        reply(self, self.Created(new, settings.current()))

    def on_first_run_screen_created(self, message: Created) -> None:
        from tui.screens.recovery_code import RecoveryCodeScreen

        self.app.switch_screen(RecoveryCodeScreen(message.new, message.settings))

    def show_trouble(self, line: str) -> None:
        """The store could not be made (a folder, a disk): said under the first field."""
        self.query_one("#unit-field", Field).show_error(line)
