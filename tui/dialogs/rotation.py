"""Rotating the master key (密钥更换): who keeps a password, the work, what is shown once.

The administrator types their own password and, for each operator present, theirs; every
other operator gets a one-time password. The rotation runs in a worker while a modal holds
the desk (the store is closed and reopened under the new key meanwhile). Before anything is
put in place, the new recovery code and the one-time passwords are shown once, to be written
on paper: cancelling there, or a lock or quit before it is confirmed, leaves the old key.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, ProgressBar, Static
from textual.worker import WorkerCancelled, WorkerFailed, get_current_worker

from store.errors import FieldError, InvalidInput, RuleRefused, StoreError
from store.i18n import N_, _
from store.keys import rotation
from store.keys.rotation import ActiveOperator, Rotated
from store.settings import Settings
from store.vault.session import NewStore
from tui import glyphs
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.exclusive import Exclusive
from tui.dialogs.form import FormDialog
from tui.screens.recovery_code import RecoveryCodeScreen
from tui.widgets import Field, SecretInput
from tui.workers import Reply, fault_said, reply, store_work

if TYPE_CHECKING:
    from store.vault.folder import StoreDir
    from store.vault.session import Session
    from tui.app import StatdeskApp

ROLES = {"admin": N_("administrator"), "clerk": N_("clerk")}

Outcome = Rotated | StoreError | None
"""What a rotation came to: done, refused or failed, or cancelled (None). The rotation runs on
the app, not on a screen (it goes on whatever screen is shown), so its end comes back as a
value to whichever screen is still there to say it."""


class RotationCancelled(Exception):
    """The new code was not confirmed: the rotation stops before anything is put in place."""


def open_rotation(app: StatdeskApp) -> None:
    """Open the rotation dialog (administrators); it reads the active operators itself."""
    session = app.session
    if session is None:
        return
    if not session.actor.is_admin:
        app.notify(_("only an administrator may do this"), severity="warning")
        return
    dialog = RotationDialog(session.actor.name)
    app.push_screen(dialog, partial(_closed, app, dialog))


def _closed(app: StatdeskApp, dialog: RotationDialog, done: bool | None) -> None:
    if done:
        _say_rotated(app, dialog.rotated)


def _say_rotated(app: StatdeskApp, done: Rotated | None) -> None:
    if done is not None:
        app.notify(glyphs.OK + " " + _("The master key is rotated ({seconds} s).").format(
            seconds=f"{done.seconds:.1f}"), timeout=20)


class RotationDialog(FormDialog):
    """A password field for each active operator: the acting administrator's own first."""

    DEFAULT_CSS = "RotationDialog Field .field-label { width: 1fr; }"  # long names wrap
    TITLE_TEXT = N_("Rotate the master key")

    class Loaded(Reply):
        """The active operators were read."""

        def __init__(self, active: list[ActiveOperator]) -> None:
            super().__init__()
            self.active = active

    def __init__(self, actor: str) -> None:
        super().__init__()
        self.actor = actor
        self.operators: list[ActiveOperator] = []
        """The active operators, the acting administrator first (read when the dialog opens)."""
        self.loaded = False
        self.rotated: Rotated | None = None

    def on_mount(self) -> None:
        self.load()

    @store_work("load")
    def load(self) -> None:
        reply(self, self.Loaded(rotation.active_operators()))

    async def on_rotation_dialog_loaded(self, message: Loaded) -> None:
        """A password field for each of them, the acting administrator's own first."""
        self.operators = [op for op in message.active if op.name == self.actor] + \
            [op for op in message.active if op.name != self.actor]
        self.loaded = True
        await self.recompose()
        if self.field_ids:
            self.query_one(f"#{self.field_ids[0]}").focus()

    @property
    def desk(self) -> StatdeskApp:
        return cast("StatdeskApp", self.app)

    def intro(self) -> str:
        return "\n".join((
            _("A new master key: the old keyslots and the old backups no longer open the live "
              "store."),
            _("Operators left empty get a one-time password to hand over on paper; a new "
              "recovery code is shown once.")))

    def fields(self) -> list[tuple[str, str, Widget]]:
        found: list[tuple[str, str, Widget]] = []
        for index, (name, role) in enumerate(self.operators):
            label = _("{name} ({role}, you): your password - required") if name == self.actor \
                else _("{name} ({role}): leave empty: a one-time password is issued")
            found.append((f"password-{index}", label.format(name=name, role=_(ROLES.get(
                role, role))), SecretInput()))
        return found

    def checks(self) -> list[tuple[str, Callable[[], object]]]:
        def own() -> None:
            if not self.value("password-0"):
                raise InvalidInput(_("type your own password: your new keyslot is made with it"))

        return [("password-0", own)] if self.operators and self.operators[0][0] == self.actor \
            else []

    def action_submit(self) -> None:
        if not self.loaded or not self.checks_pass():
            return
        session = self.desk.session
        if session is None:
            return
        typed = {name: self.value(f"password-{index}")
                 for index, (name, _role) in enumerate(self.operators)}
        self.app.push_screen(RotatingScreen(session, self.desk.folder,
                                            {name: pw for name, pw in typed.items() if pw}),
                             self.finished)

    def finished(self, outcome: Outcome) -> None:
        if isinstance(outcome, Rotated):
            self.rotated = outcome
            self.dismiss(True)
        elif outcome is None:
            self.refused(_("The rotation was cancelled: the store keeps its old key."))
        elif isinstance(outcome, FieldError | RuleRefused):
            self.show_refusal(outcome)
        else:
            self.show_trouble(str(outcome))

    def show_refusal(self, refusal: FieldError | RuleRefused) -> None:
        """A password refused is said beside its operator's field (the store names the
        operator); anything else at the top."""
        names = [op.name for op in self.operators]
        if refusal.field in names:
            index = names.index(refusal.field)
            self.query_one(f"#password-{index}-field", Field).show_error(str(refusal))
        else:
            self.refused(str(refusal))

    def show_trouble(self, line: str) -> None:
        if self.field_ids:
            self.refused(line)
        else:  # the operators could not be read: there is nothing to rotate with
            self.app.notify(line, severity="error", timeout=10)
            self.dismiss(False)


class RotatingScreen(ModalScreen[Outcome], Exclusive):
    """The rotation at work: a progress bar; nothing else runs meanwhile."""

    DEFAULT_CSS = """
    RotatingScreen { align: center middle; }
    RotatingScreen > Vertical {
        width: 64; max-width: 100%; height: auto; border: round $warning;
        padding: 0 1; background: $surface;
    }
    RotatingScreen .dialog-title { text-style: bold; margin-bottom: 1; }
    RotatingScreen .form-hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, session: Session, folder: StoreDir, passwords: dict[str, str]) -> None:
        super().__init__()
        self.session, self.folder, self.passwords = session, folder, passwords
        self.outcome: Outcome = None
        self.done = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("Rotating the master key"), classes="dialog-title")
            yield ProgressBar(id="rotation-progress", total=100, show_eta=False)
            yield Static(_("waiting for other work to finish") + glyphs.MORE,
                         id="rotation-status")
            yield Static(_("The store is closed until the rotation is done: keep statdesk "
                           "running."), classes="form-hint")

    def on_mount(self) -> None:
        self.run_worker(self._start(), group="rotation-start", exit_on_error=False)

    async def _start(self) -> None:
        """Let running store work end first (the rotation closes the store), then rotate."""
        this = get_current_worker()
        for worker in list(self.app.workers):
            if worker is not this and worker.is_running:
                with contextlib.suppress(WorkerCancelled, WorkerFailed):
                    await worker.wait()
        # On the app: the rotation goes on to its end whatever screen is shown.
        self.app.run_worker(self._rotate, thread=True, group="rotation", exit_on_error=False)

    @property
    def desk(self) -> StatdeskApp:
        return cast("StatdeskApp", self.app)

    def _progress(self, what: str, share: float) -> None:
        if self.is_mounted:
            self.query_one("#rotation-progress", ProgressBar).update(progress=round(share * 100))
            self.query_one("#rotation-status", Static).update(f"{what}{glyphs.MORE}")

    def _rotate(self) -> None:
        """In a worker thread."""
        app = self.app
        outcome: Outcome
        try:
            outcome = rotation.rotate(
                self.folder, self.session, self.passwords, announce=self._announce,
                progress=lambda what, share: app.call_from_thread(self._progress, what, share))
        except StoreError as refused:  # said beside its field, or at the top of the dialog
            outcome = refused
        except RotationCancelled:
            outcome = None
        except Exception as exc:  # one line; the store has put its old key back if it could
            outcome = StoreError(fault_said(app, exc))
        app.call_from_thread(self.finish, outcome)

    def _announce(self, result: Rotated) -> None:
        """In the worker, before anything is put in place: show the code and the one-time
        passwords, and wait until the administrator confirms having written them down."""
        app = self.desk
        answered = threading.Event()
        shown: list[RotationCodeScreen] = []

        def show() -> None:
            if app.session is not self.session:  # locked or quitting: nobody is there to read
                answered.set()
                return
            screen = RotationCodeScreen(self.session, result)
            shown.append(screen)
            app.push_screen(screen, lambda _ok: answered.set())

        app.call_from_thread(show)
        while not answered.wait(0.1):
            if app.session is not self.session:  # the desk was locked or left meanwhile
                break
        if not (shown and shown[0].accepted):
            if shown:
                app.call_from_thread(shown[0].withdraw)
            raise RotationCancelled

    def finish(self, outcome: Outcome) -> None:
        self.outcome, self.done = outcome, True
        if self not in self.app.screen_stack:  # the desk moved on (another operator)
            if isinstance(outcome, Rotated):
                _say_rotated(self.desk, outcome)
            else:
                self.app.notify(str(outcome) if outcome is not None else _(
                    "The rotation was cancelled: the store keeps its old key."),
                    severity="warning", timeout=20)
            return
        if self.app.screen is self:
            self.dismiss(outcome)

    def on_screen_resume(self) -> None:
        """Back from the lock screen after the work ended: say how it ended."""
        if self.done:
            self.dismiss(self.outcome)


class RotationCodeScreen(RecoveryCodeScreen, Exclusive, ModalScreen[bool]):
    """The first run's recovery-code screen, for the rotation: with the one-time passwords,
    and a way to cancel (the store then keeps its old key and code)."""

    DEFAULT_CSS = """
    RotationCodeScreen { background: $background; }
    RotationCodeScreen .rotation-scroll { align: center top; height: 1fr; }
    RotationCodeScreen .form-box .one-time-heading { margin-top: 1; }
    RotationCodeScreen .form-box #one-time-passwords { text-style: bold; padding: 0 2; }
    RotationCodeScreen .form-box #confirm-code-field { margin-top: 1; }
    RotationCodeScreen .form-box .field-label { width: 1fr; }
    """
    TITLE_TEXT = N_("Rotate the master key")
    BINDINGS = [Binding("escape", "cancel_rotation", N_("Cancel the rotation"),
                        id="rotation-cancel")]

    def __init__(self, session: Session, result: Rotated) -> None:
        # No session starts here: the settings the first run's screen passes on are not used.
        super().__init__(NewStore(session, result.recovery_code), Settings())
        self.one_time = dict(result.one_time)
        self.accepted = False
        self.withdrawn = False

    def body(self) -> ComposeResult:
        with VerticalScroll(classes="rotation-scroll"), Vertical(classes="form-box"):
            yield Static(_("New master key: write down what follows"), classes="form-title")
            yield Static(_("RECOVERY CODE - shown only this once. Write it down on paper and "
                           "seal it in the safe; it unlocks the store if every password is "
                           "lost."))
            yield Static(self.new.recovery_code, id="recovery-code")
            if self.one_time:
                yield Static(_("ONE-TIME PASSWORDS - shown only this once. Hand each to its "
                               "operator on paper; they choose their own at their next "
                               "login:"), classes="one-time-heading")
                yield Static(Text("\n".join(f"{name}: {password}" for name, password
                                            in sorted(self.one_time.items()))),
                             id="one-time-passwords")
            yield Field(_("To confirm you have written it down, type its last five characters"),
                        Input(id="confirm-code"), id="confirm-code-field")

    def confirmed(self) -> None:
        self.accepted = True
        self.dismiss(True)

    def action_cancel_rotation(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes and self.app.screen is self:
                self.dismiss(False)

        self.app.push_screen(ConfirmDialog(_("Cancel the rotation? The store keeps its old key; "
                                             "the code and passwords shown are void.")),
                             answered)

    def withdraw(self) -> None:
        """The rotation stopped while this was up (a lock, a quit): what it shows is void and
        leaves the screen (now, or when the lock screen above it goes)."""
        if self not in self.app.screen_stack:
            return
        self.withdrawn = True
        for shown in self.query("#recovery-code, #one-time-passwords"):
            shown.remove()
        if self.app.screen is self:
            self.dismiss(False)

    def on_screen_resume(self) -> None:
        if self.withdrawn:
            self.dismiss(False)
