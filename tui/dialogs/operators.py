"""Dialogs of the operators screen: add, change a password (one's own, forced too), disable."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input

from store import operators
from store.errors import InvalidInput
from store.i18n import N_, _
from store.vault import policy
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.exclusive import Exclusive
from tui.dialogs.form import FormDialog
from tui.widgets import Choice, Field, SecretInput

if TYPE_CHECKING:
    from store.vault.session import Session


def _password_fields() -> list[tuple[str, str, Widget]]:
    return [("password", _("New password (at least 10 characters)"), SecretInput()),
            ("confirm", _("New password again"), SecretInput())]


class _SessionDialog(FormDialog):
    """A dialog that may stay open across a lock: the unlock at the lock screen made a new
    session and wiped the old one's keys (a keyslot written with them would open nothing), so
    the dialog takes up the new one when it shows again."""

    session: Session

    def on_screen_resume(self) -> None:
        live = getattr(self.app, "session", None)
        if live is not None and live.actor.name == self.session.actor.name:
            self.session = live

    def refuse_field(self, field_id: str, message: str) -> None:
        """Two passwords that differ are both typed again: each shows only as stars, so the
        clerk cannot tell which one slipped; the cursor goes to the first, emptied."""
        if field_id == "confirm" and self.value("password") != self.value("confirm"):
            for name in ("password", "confirm"):
                self.query_one(f"#{name}", Input).value = ""
            self.query_one("#password-field", Field).show_error(
                _("the two passwords differ: type both again"))
        else:
            super().refuse_field(field_id, message)


class AddOperatorDialog(_SessionDialog):
    TITLE_TEXT = N_("Add an operator")

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def fields(self) -> list[tuple[str, str, Widget]]:
        roles = [(_("clerk"), "clerk"), (_("administrator"), "admin")]
        return [("name", _("Login name"), Input()),
                ("display", _("Full name"), Input()),
                ("role", _("Role"), Choice(roles, value="clerk", allow_blank=False)),
                *_password_fields()]

    def checks(self) -> list[tuple[str, Callable[[], object]]]:
        def full_name() -> None:
            if not self.value("display").strip():
                raise InvalidInput(_("type the operator's full name"))

        return [("name", lambda: policy.check_name(self.value("name"))),
                ("display", full_name),
                ("password", lambda: policy.check_password(self.value("password"))),
                ("confirm", lambda: policy.check_confirmation(self.value("password"),
                                                              self.value("confirm")))]

    def save(self, values: dict[str, str]) -> object:
        operators.add(self.session, values["name"], values["role"], values["password"],
                      values["display"])
        return None


class PasswordDialog(_SessionDialog):
    TITLE_TEXT = N_("Change a password")

    def __init__(self, session: Session, name: str) -> None:
        super().__init__()
        self.session = session
        self.name_ = name

    def intro(self) -> str:
        return _("New password for {name}; the data stays readable.").format(name=self.name_)

    def fields(self) -> list[tuple[str, str, Widget]]:
        return _password_fields()

    def checks(self) -> list[tuple[str, Callable[[], object]]]:
        return [("password", lambda: policy.check_password(self.value("password"))),
                ("confirm", lambda: policy.check_confirmation(self.value("password"),
                                                              self.value("confirm")))]

    def save(self, values: dict[str, str]) -> object:
        operators.change_password(self.session, self.name_, values["password"])
        return None


class ForcedPasswordDialog(PasswordDialog, Exclusive):
    """After a login with a one-time password: choose one's own before any work.

    It cannot be skipped: Esc offers to log out instead. Nothing of the desk shows behind it.
    """

    DEFAULT_CSS = "ForcedPasswordDialog { background: $background; }"
    TITLE_TEXT = N_("Choose your own password")
    BINDINGS = [Binding("escape", "cancel", N_("Log out"), id="cancel")]

    def __init__(self, session: Session) -> None:
        super().__init__(session, session.actor.name)

    def intro(self) -> str:
        return _("{name}, you logged in with a one-time password. Choose your own password "
                 "now (typed twice); work starts once it is saved.").format(name=self.name_)

    def action_cancel(self) -> None:
        def answered(log_out: bool | None) -> None:
            if log_out:
                self.dismiss(False)

        self.app.push_screen(ConfirmDialog(_("Log out instead? Your one-time password stays "
                                             "valid until you choose your own.")), answered)


class DisableDialog(_SessionDialog):
    TITLE_TEXT = N_("Disable an operator")

    def __init__(self, session: Session, name: str) -> None:
        super().__init__()
        self.session = session
        self.name_ = name

    def intro(self) -> str:
        return _("{name} will no longer be able to unlock: their keyslot is destroyed. The record "
                 "and everything they did stay. This cannot be undone.").format(name=self.name_)

    def fields(self) -> list[tuple[str, str, Widget]]:
        return [("reason", _("Reason (e.g. transferred, retired)"), Input()),
                ("typed", _("Type the login name to confirm"), Input())]

    def checks(self) -> list[tuple[str, Callable[[], object]]]:
        def reason() -> None:
            if not self.value("reason").strip():
                raise InvalidInput(_("say why the operator is disabled"))

        def typed() -> None:
            if self.value("typed").strip() != self.name_:
                raise InvalidInput(_("type {name} exactly").format(name=self.name_))

        return [("reason", reason), ("typed", typed)]

    def save(self, values: dict[str, str]) -> object:
        operators.disable(self.session, self.name_, values["reason"].strip())
        return None
