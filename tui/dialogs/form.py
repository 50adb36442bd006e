"""A modal form: fields with messages beside them; Enter moves on, the last Enter submits.

Enter on a choice list moves on too (tui/widgets/choice.py). Esc on a form whose values changed
since it was shown asks first (keep editing, or discard); an unchanged form closes at once.
A refusal puts the cursor on the field to fix with its text selected: typing replaces it.
"""

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
from tui.dialogs.unsaved import close_or_ask
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
    shown_values: dict[str, str] | None = None
    """The values as the form showed them (after any prefill): Esc asks only if they changed."""

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
        """The first field takes the keys (a subclass's own on_mount runs before this one);
        the values are remembered once what the subclass put in them is shown."""
        controls = [c for c in self.query("Input, Select") if not c.disabled]
        if controls:
            controls[0].focus()
        self.call_after_refresh(self.remember)

    def remember(self) -> None:
        """Take the values now shown as the form's own: Esc then closes at once unless one
        changes. A form that fills its fields later (from the store) calls this again."""
        self.shown_values = self.values()

    def changed(self) -> bool:
        """Whether a value differs from what the form showed (a field added since counts
        only once something is in it)."""
        shown = self.shown_values or {}
        return any(value != shown.get(field_id, "") for field_id, value in self.values().items())

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
        self.move_on(event.input)

    def open_controls(self) -> list[Widget]:
        """The form's fields that take keys now (shown and not disabled), in order."""
        shown = [f.control for f in self.query(Field) if f.display and f.control.display]
        return [c for c in shown if c.id in self.field_ids and not c.disabled and c.focusable]

    def move_on(self, control: Widget) -> None:
        """Enter on `control` (an input or a choice list): the next field, or on the last
        one, save."""
        controls = self.open_controls()
        if control not in controls:
            self.focus_next()
        elif control is controls[-1]:
            self.action_submit()
        else:
            controls[controls.index(control) + 1].focus()

    def checks_pass(self) -> bool:
        """Run the form's checks; the first refusal is shown beside its field."""
        for field in self.query(Field):
            field.clear_error()
        for field_id, check in self.checks():
            try:
                check()
            except InvalidInput as exc:
                self.refuse_field(field_id, str(exc))
                return False
        return True

    def refuse_field(self, field_id: str, message: str) -> None:
        """Say beside the field what is wrong; the cursor goes there with its text selected
        (a subclass may send it to another field, e.g. a password typed twice)."""
        self.query_one(f"#{field_id}-field", Field).show_error(message)

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
            self.refuse_field(refusal.field, str(refusal))  # the cursor goes where the fix is
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
        """Esc: an unchanged form closes; a changed one asks (keep editing or discard)."""
        close_or_ask(self, self.changed(), False)
