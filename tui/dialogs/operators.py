"""Dialogs of the operators screen: add, change a password, disable."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.widget import Widget
from textual.widgets import Input

from store import operators, policy
from store.errors import InvalidInput
from store.i18n import N_, _
from tui.dialogs.form import FormDialog
from tui.widgets import Choice, SecretInput

if TYPE_CHECKING:
    from store.session import Session


def _password_fields() -> list[tuple[str, str, Widget]]:
    return [("password", _("New password (at least 10 characters)"), SecretInput()),
            ("confirm", _("New password again"), SecretInput())]


class AddOperatorDialog(FormDialog):
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


class PasswordDialog(FormDialog):
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


class DisableDialog(FormDialog):
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
