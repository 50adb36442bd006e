"""Add or change one code-table entry (administrators)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.widget import Widget
from textual.widgets import Input, Select

from store.cards import code_admin
from store.cards.codes import Code
from store.i18n import N_, _
from tui.dialogs.form import FormDialog
from tui.widgets import Choice

if TYPE_CHECKING:
    from store.vault.session import Session


class CodeDialog(FormDialog):
    TITLE_TEXT = N_("Code-table entry")

    def __init__(self, session: Session, kind: str, kind_label: str,
                 business_types: list[Code], editing: Code | None = None) -> None:
        super().__init__()
        self.session, self.kind, self.kind_label = session, kind, kind_label
        self.business_types, self.editing = business_types, editing

    def intro(self) -> str:
        if self.editing is None:
            return _("A new entry of the table \"{table}\".").format(table=self.kind_label)
        return _("The code stays as it is: cards keep it. To replace an entry, retire it and "
                 "add a new one.")

    def fields(self) -> list[tuple[str, str, Widget]]:
        e = self.editing
        found: list[tuple[str, str, Widget]] = [
            ("code", _("Code (letters and digits, e.g. D07)"),
             Input(e.code if e else "", disabled=e is not None)),
            ("name_zh", _("Chinese name"), Input(e.name_zh if e else "")),
            ("name_en", _("English name"), Input(e.name_en if e else "")),
            ("short", _("Short code for typing (pinyin initials, e.g. dyjcb)"),
             Input(e.short if e else ""))]
        if self.kind == "outcome":
            choices = [(f"{c.code} {c.name}", c.code) for c in self.business_types]
            parent = Choice(choices, prompt=_("choose a business type"),
                            value=e.parent if e else Select.NULL, disabled=e is not None)
            found.append(("parent", _("Business type it belongs to"), parent))
        return found

    def on_mount(self) -> None:
        self.query_one("#name_zh" if self.editing else "#code", Input).focus()

    def checks(self) -> list[tuple[str, Callable[[], object]]]:
        found: list[tuple[str, Callable[[], object]]] = [
            ("name_zh", lambda: code_admin.check_name(self.value("name_zh"), "name_zh")),
            ("name_en", lambda: code_admin.check_name(self.value("name_en"), "name_en")),
            ("short", lambda: code_admin.check_short(self.value("short")))]
        if self.editing is None:
            found.insert(0, ("code", lambda: code_admin.check_code(self.value("code"))))
            if self.kind == "outcome":
                found.append(("parent", lambda: code_admin.check_parent(
                    "outcome", self.value("parent"))))
        return found

    def save(self, values: dict[str, str]) -> object:
        if self.editing is not None:
            return code_admin.change(self.session, self.kind, self.editing.code,
                                     values["name_zh"], values["name_en"], values["short"])
        return code_admin.add(self.session, self.kind, values["code"], values["name_zh"],
                              values["name_en"], values["short"], values.get("parent", ""))

    def error_field(self) -> str:
        return "name_zh" if self.editing else "code"
