"""A modal form: fields with messages beside them; Enter moves on, the last Enter submits."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from store.errors import FieldError, InvalidInput, RuleRefused
from store.i18n import N_, _
from tui.keys import key_of
from tui.widgets import AppFooter, Field
from tui.workers import Reply, StoreRoute, reply, store_work


class FormDialog(StoreRoute, ModalScreen[bool]):
    """Subclasses list their fields and `save()` (a store call); dismisses True once saved.

    A refusal from the store is shown beside the field it names (or the form's first field).
    """

    class Saved(Reply):
        """`save` went through; `result` is what it returned."""

        def __init__(self, result: object) -> None:
            super().__init__()
            self.result = result

    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog > VerticalScroll { width: 68; max-width: 100%; height: auto; max-height: 100%; }
    FormDialog .dialog-box {
        height: auto; border: round $primary; padding: 0 1; background: $surface;
    }
    FormDialog .dialog-title { text-style: bold; margin-bottom: 1; }
    FormDialog .form-hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="cancel"),
                Binding("ctrl+s", "submit", N_("Save"), id="save")]
    TITLE_TEXT = N_("Form")
    field_ids: list[str]

    def fields(self) -> list[tuple[str, str, Widget]]:
        """(id, label, control) of each field, in order."""
        raise NotImplementedError

    def checks(self) -> list[tuple[str, Callable[[], object]]]:
        """(field id, check raising InvalidInput) run before anything is saved."""
        return []

    def save(self, values: dict[str, str]) -> object:
        """The store call, run in a worker thread on the values read before it started."""
        raise NotImplementedError

    def intro(self) -> str:
        return ""

    def compose(self) -> ComposeResult:
        with VerticalScroll(), Vertical(classes="dialog-box"):
            yield Static(_(self.TITLE_TEXT), classes="dialog-title")
            if self.intro():
                yield Static(self.intro(), markup=False)
            self.field_ids = []
            for field_id, label, control in self.fields():
                control.id = field_id
                self.field_ids.append(field_id)
                yield Field(label, control, id=f"{field_id}-field")
            hint = _("Enter: next field | {save}: save | {cancel}: cancel").format(
                save=key_of(self, "save"), cancel=key_of(self, "cancel"))
            yield Static(hint, classes="form-hint")
        yield AppFooter(compact=True)

    def on_mount(self) -> None:
        """The first field takes the keys (a subclass's own on_mount runs as well)."""
        controls = [c for c in self.query("Input, Select") if not c.disabled]
        if controls:
            controls[0].focus()

    def value(self, field_id: str) -> str:
        """What is in a field now (Input or Select); UI thread only."""
        control = self.query_one(f"#{field_id}")
        if isinstance(control, Select) and control.is_blank():
            return ""  # nothing chosen (its sentinel is no value)
        return str(getattr(control, "value", ""))

    def values(self) -> dict[str, str]:
        return {field_id: self.value(field_id) for field_id in self.field_ids}

    @on(Input.Submitted)
    def next_or_submit(self, event: Input.Submitted) -> None:
        """Enter moves to the next field (a choice list too); on the last field it saves."""
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_submit()
        else:
            self.focus_next()

    def checks_pass(self) -> bool:
        """Run the form's checks; the first refusal is shown beside its field."""
        for field in self.query(Field):
            field.clear_error()
        for field_id, check in self.checks():
            try:
                check()
            except InvalidInput as exc:
                self.query_one(f"#{field_id}-field", Field).show_error(str(exc))
                return False
        return True

    def action_submit(self) -> None:
        if not self.checks_pass():
            return
        self.submit(self.values())

    @store_work("form", write=True)
    def submit(self, values: dict[str, str]) -> None:
        reply(self, self.Saved(self.save(values)))

    @on(Saved)
    def saved(self, message: Saved) -> None:
        self.dismiss(True)

    def show_refusal(self, refusal: FieldError | RuleRefused) -> None:
        if f"{refusal.field}-field" in {f.id for f in self.query(Field)}:
            self.query_one(f"#{refusal.field}-field", Field).show_error(str(refusal))
            self.query_one(f"#{refusal.field}").focus()  # the cursor goes where the fix is
        else:
            self.refused(str(refusal))

    def show_trouble(self, line: str) -> None:
        self.refused(line)

    def error_field(self) -> str:
        """The field a refusal from the store is shown beside."""
        return self.field_ids[0]

    def refused(self, text: str) -> None:
        self.query_one(f"#{self.error_field()}-field", Field).show_error(text)

    def action_cancel(self) -> None:
        self.dismiss(False)
