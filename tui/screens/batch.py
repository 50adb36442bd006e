"""One destruction batch: scan items onto it with their reason, approve and arrange it (p),
print the manifest for signing (w), record it carried out (e), its certificate (c)."""

from __future__ import annotations

import re
import unicodedata
from functools import partial
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import DataTable, Input, Select, Static

from store.custody import items
from store.custody.people import Person
from store.destruction import batches as destruction
from store.destruction import rules as destruction_rules
from store.destruction.batches import Arrangements, Batch, Execution, Line, Supervisor
from store.i18n import N_, _, ngettext
from tui import glyphs
from tui.dialogs.form import FormDialog
from tui.keys import key_of
from tui.screens.base import BaseScreen
from tui.screens.item_chain import ChainOfCustody
from tui.screens.turns import FailedGroup, Turns
from tui.widgets import Choice
from tui.widgets.fit_table import FitTable
from tui.widgets.kept_row import KeptRow
from tui.widgets.person_picker import PersonPicker
from tui.workers import Reply, reply, store_work


class ArrangeDialog(FormDialog):
    TITLE_TEXT = N_("Approval and arrangements (A7, D9)")

    def __init__(self, session: Any, batch: Batch) -> None:
        super().__init__()
        self.session, self.record = session, batch

    def intro(self) -> str:
        return _("A leader approves; two or more supervisors (监销人), not the approving "
                 "leader, watch it done at the designated place. The list is fixed from now.")

    def fields(self) -> list[tuple[str, str, Widget]]:
        from store import clock

        today = clock.today().isoformat()
        methods = [(_(label), key) for key, label in destruction.METHODS.items()]
        return [("approver", _("Approving leader"), PersonPicker(roles=("leader",))),
                ("approved_on", _("Approved on"), Input(today)),
                ("reference", _("Approval reference"), Input()),
                ("place", _("Designated place"), Input()),
                ("method", _("Method"), Choice(methods, value="shred", allow_blank=False)),
                ("planned_on", _("Planned for"), Input(today)),
                ("handler", _("Handled by"), PersonPicker(roles=destruction_rules.INSIDE)),
                ("supervisors", _("Supervisors (two or more, separated by commas)"),
                 PersonPicker(several=True, roles=destruction_rules.INSIDE))]

    def save(self, values: dict[str, str]) -> object:
        return destruction.approve(self.session, self.record.id, Arrangements(
            values["approver"], values["approved_on"], values["reference"], values["place"],
            values["method"], values["planned_on"], values["handler"], values["supervisors"]))


def kept_back(text: str) -> dict[str, str]:
    """"统-2026-0001 still needed; 统-2026-0002：…" → {number: why} (full-width spaces,
    colons and semicolons read as their plain forms)."""
    kept: dict[str, str] = {}
    for part in unicodedata.normalize("NFKC", text).split(";"):
        number, *why = re.split(r"[\s:]+", part.strip(), maxsplit=1)
        if number:
            kept[number] = " ".join(why).strip()
    return kept


class NamedPicker(PersonPicker):
    """The supervisors present: candidates only from those named for the batch."""

    def __init__(self, named: list[Supervisor]) -> None:
        super().__init__(several=True)
        self.named = [person for person, _here in named]

    def pool(self) -> list[Person]:
        return self.named


class ExecuteDialog(FormDialog):
    TITLE_TEXT = N_("Record the destruction carried out")

    def __init__(self, session: Any, batch: Batch, named: list[Supervisor]) -> None:
        super().__init__()
        self.session, self.record, self.named = session, batch, named

    def intro(self) -> str:
        return _("Each item becomes destroyed, its record and chain of custody kept. Named "
                 "supervisors: {names}. Type the batch number {number} to confirm.").format(
            names="、".join(p.name for p, _here in self.named),
            number=self.record.number)

    def fields(self) -> list[tuple[str, str, Widget]]:
        return [("done_on", _("Destroyed on"), Input(self.record.planned_on)),
                ("present", _("Supervisors present (separated by commas)"),
                 NamedPicker(self.named)),
                ("kept", _("Not destroyed: number and why; separate with ;"), Input()),
                ("confirm", _("Batch number, to confirm"), Input())]

    def save(self, values: dict[str, str]) -> object:
        return destruction.execute_batch(self.session, self.record.id, Execution(
            values["done_on"], values["present"], kept_back(values["kept"]),
            values["confirm"]))


class BatchScreen(FailedGroup, ChainOfCustody, BaseScreen):
    """Store work: the batch and its lines, the supervisors named for it, cancelling it, an
    item's chain (a notification if one fails); items put on or taken off, one after
    another, and the manifest and the certificate (a refusal or a failure is said on the
    screen's line)."""

    TITLE_TEXT = N_("Destruction batch")
    AUTO_FOCUS = "#batch-scan"
    DEFAULT_CSS = """
    BatchScreen #batch-head { height: auto; padding: 0 1; }
    BatchScreen #batch-bar { height: 1; margin: 0 1; }
    BatchScreen #batch-bar > Input { width: 2fr; margin-right: 1; }
    BatchScreen #batch-bar > Select { width: 1fr; margin-right: 1; }
    BatchScreen #batch-said { height: auto; padding: 0 1; }
    BatchScreen #batch-items { height: 1fr; margin: 0 1; }
    BatchScreen #batch-hint { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("x", "remove", N_("Take off"), id="batch-remove"),
        Binding("p", "arrange", N_("Approve"), id="batch-approve"),
        Binding("w", "manifest", N_("Manifest"), id="batch-manifest"),
        Binding("e", "execute", N_("Destroyed"), id="batch-execute"),
        Binding("c", "certificate", N_("Certificate"), id="batch-certificate"),
        Binding("z", "cancel_batch", N_("Cancel batch"), id="batch-cancel"),
    ]
    ACTIONS_BY_STATE = {"remove": ("draft",), "arrange": ("draft",),
                        "manifest": ("approved", "printed", "executed"), "execute": ("printed",),
                        "certificate": ("executed",),
                        "cancel_batch": ("draft", "approved", "printed")}

    class Loaded(Reply):
        """The batch and its lines."""

        def __init__(self, batch: Batch, found: list[Line]) -> None:
            super().__init__()
            self.batch, self.found = batch, found

    class Added(Reply):
        """An item was put on the batch."""

        def __init__(self, line: Line) -> None:
            super().__init__()
            self.line = line

    class Removed(Reply):
        """The item numbered `number` was taken off the batch."""

        def __init__(self, number: str) -> None:
            super().__init__()
            self.number = number

    class Named(Reply):
        """The supervisors named for the batch, to record it carried out."""

        def __init__(self, batch: Batch, named: list[Supervisor]) -> None:
            super().__init__()
            self.batch, self.named = batch, named

    class Written(Reply):
        """A Word file was written to `path`; `said` is the sentence to say it with;
        `reload`: the batch moved on (a manifest printed)."""

        def __init__(self, path: Path, said: str, reload: bool) -> None:
            super().__init__()
            self.path, self.said, self.reload = path, said, reload

    class Cancelled(Reply):
        """The batch was cancelled."""

    def __init__(self, batch_id: int) -> None:
        super().__init__()
        self.batch_id = batch_id
        self.record: Batch | None = None
        self.shown: dict[str, Line] = {}
        self.keep = KeptRow()
        """The line the cursor was on before a reload (after a dialog or an action)."""
        self.lines = Turns()
        """Items put on or taken off, each after the one before."""

    def body(self) -> ComposeResult:
        yield Static("", id="batch-head")
        with Horizontal(id="batch-bar"):
            yield Input(placeholder=_("scan or type an item's number, Enter"), id="batch-scan",
                        compact=True)
            yield Choice([(_(label), key) for key, label in destruction.REASONS.items()],
                         value="expired", allow_blank=False, id="batch-reason", compact=True)
            yield Input(placeholder=_("note"), id="batch-note", compact=True)
        yield Static("", id="batch-said")
        yield FitTable(id="batch-items", cursor_type="row", zebra_stripes=True,
                       give_way=(3, 5))
        yield Static("", id="batch-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DataTable).add_columns(_("No."), _("Number"), _("State"), _("Reason"),
                                              _("Classification"), _("Title"))
        self.load()

    def load(self) -> None:
        """The batch and its lines again, the cursor staying on the line it was on (or the
        next, when that line was taken off)."""
        self.keep.remember(self.query_one(DataTable))
        self.read_batch()

    @store_work("load")
    def read_batch(self) -> None:
        reply(self, self.Loaded(destruction.get(self.batch_id), destruction.lines(self.batch_id)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        states = self.ACTIONS_BY_STATE.get(action)
        if action == "remove" and not self.shown:
            return False  # nothing listed to take off
        if states is not None and self.record is not None:
            return self.record.status in states
        return super().check_action(action, parameters)

    @on(Loaded)
    def show(self, message: Loaded) -> None:
        batch, found = message.batch, message.found
        changed = self.record is None or self.record.status != batch.status
        self.record = batch
        if changed:
            self.refresh_bindings()
            bar = self.query_one("#batch-bar")
            bar.display = batch.status == "draft"
            if batch.status != "draft":
                self.query_one(DataTable).focus()
        table = self.query_one(DataTable)
        table.clear()
        self.shown = {}
        for n, line in enumerate(found, 1):
            self.shown[str(line.item_id)] = line
            reason = _(destruction.REASONS[line.reason])
            if line.note:
                reason = _("{reason}: {note}").format(reason=reason, note=line.note)
            state = (_("destroyed") if line.state == "destroyed" else
                     _("kept: {why}").format(why=line.outcome_note) if line.state == "kept"
                     else _("released") if line.state == "released"
                     else _(items.STATUSES[line.status]))
            table.add_row(str(n), line.reg_no, Text(state), Text(reason),
                          _(items.LEVELS[line.classification]), Text(line.title),
                          key=str(line.item_id))
        self.keep.restore(table)
        self.refresh_bindings()  # take off: only with a line to take off
        self.query_one("#batch-head", Static).update(Text(self.head_text(batch)))
        self.query_one("#batch-hint", Static).update(self.hint(batch))

    def head_text(self, b: Batch) -> str:
        said = f"{b.number}{glyphs.SEP}{_(destruction.STATES[b.status])}{glyphs.SEP}" + ngettext(
            "{n} item", "{n} items", b.count).format(n=b.count)
        if b.status == "executed":
            said += glyphs.SEP + _("carried out {day}").format(day=b.executed_on)
        if b.approver:
            said += "\n" + _("Approved by {leader} on {day} ({ref}) | {place} | {method}").format(
                leader=b.approver, day=b.approved_on, ref=b.approval_ref, place=b.place,
                method=_(destruction.METHODS.get(b.method, b.method)))
            said += "\n" + _("Handled by {handler} | planned {day}").format(
                handler=b.handler, day=b.planned_on)
        if b.list_sha256:
            said += "\n" + _("SHA-256 of the list: {sha}").format(sha=b.list_sha256)
        return said

    def hint(self, b: Batch) -> str:
        if b.status == "cancelled":
            return _("Cancelled: {why}").format(why=b.cancel_reason)
        keys = {name: key_of(self, f"batch-{name}")
                for name in ("remove", "approve", "manifest", "execute", "certificate",
                             "cancel")}
        return {
            "draft": _("Scan items with the reason chosen beside | Tab to the list, then: "
                       "{remove} take off | {approve} approve and arrange | {cancel} cancel"),
            "approved": _("{manifest}: print the manifest for signing | {cancel}: cancel"),
            "printed": _("{manifest}: print again | {execute}: record the destruction carried "
                         "out | {cancel}: cancel"),
            "executed": _("Enter: an item's chain of custody | {certificate}: the destruction "
                          "certificate | {manifest}: the manifest again"),
        }[b.status].format(**keys)

    def say(self, text: str, bad: bool = False) -> None:
        self.query_one("#batch-said", Static).update(Text(text, style="bold" if bad else ""))
        if bad:
            self.app.bell()

    @on(Input.Submitted, "#batch-scan")
    def scanned(self, event: Input.Submitted) -> None:
        number, session = event.value.strip(), self.desk.session
        event.input.value = ""
        if not number or session is None:
            return
        reason = str(self.query_one("#batch-reason", Select).value)
        note = self.query_one("#batch-note", Input).value
        self.lines.take(partial(self.add_line, session, number, reason, note))

    @store_work("line")
    def add_line(self, session: Any, number: str, reason: str, note: str) -> None:
        reply(self, self.Added(destruction.add(session, self.batch_id, number, reason, note)))

    @on(Added)
    def added(self, message: Added) -> None:
        self.lines.done()
        line = message.line
        self.say(f"{glyphs.OK} {line.reg_no}: {_(destruction.REASONS[line.reason])}")
        self.query_one("#batch-note", Input).value = ""  # a note is one item's
        self.keep.go_to(str(line.item_id))  # the list's cursor on the line just added
        self.load()

    @on(Input.Submitted, "#batch-note")
    def note_done(self) -> None:
        self.query_one("#batch-scan", Input).focus()

    def said_and_load(self, text: str) -> None:
        self.say(text)
        self.load()

    def _highlighted(self) -> Line | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return self.shown.get(str(table.coordinate_to_cell_key(
            table.cursor_coordinate).row_key.value))

    def action_remove(self) -> None:
        line, session = self._highlighted(), self.desk.session
        if line is not None and session is not None:
            self.lines.take(partial(self.remove_line, session, line.reg_no))

    @store_work("line")
    def remove_line(self, session: Any, number: str) -> None:
        destruction.remove(session, self.batch_id, number)
        reply(self, self.Removed(number))

    @on(Removed)
    def removed(self, message: Removed) -> None:
        self.lines.done()
        self.said_and_load(f"{glyphs.UNDONE} {message.number}")

    def _then_load(self, done: bool | None) -> None:
        if done:
            self.say("")  # what was said before the batch moved on is stale now
            self.load()

    def action_arrange(self) -> None:
        if self.desk.session is not None and self.record is not None:
            self.app.push_screen(ArrangeDialog(self.desk.session, self.record), self._then_load)

    def action_execute(self) -> None:
        if self.desk.session is not None and self.record is not None:
            self.read_supervisors(self.record)

    @store_work("supervisors")
    def read_supervisors(self, batch: Batch) -> None:
        reply(self, self.Named(batch, destruction.supervisors(batch.id)))

    @on(Named)
    def execute_named(self, message: Named) -> None:
        if self.desk.session is not None:
            self.app.push_screen(ExecuteDialog(self.desk.session, message.batch, message.named),
                                 self._then_load)

    def action_manifest(self) -> None:
        if self.desk.session is not None:
            self.write_manifest(self.desk.session, _("Manifest written: {path}"))

    def action_certificate(self) -> None:
        if self.desk.session is not None:
            self.write_certificate(self.desk.session, _("Certificate written: {path}"))

    @store_work("file", write=True)
    def write_manifest(self, session: Any, said: str) -> None:
        from exports import destruction_files

        reply(self, self.Written(destruction_files.manifest(session, self.batch_id), said,
                                 reload=True))

    @store_work("file", write=True)
    def write_certificate(self, session: Any, said: str) -> None:
        from exports import destruction_files

        reply(self, self.Written(destruction_files.certificate(session, self.batch_id), said,
                                 reload=False))

    @on(Written)
    def written(self, message: Written) -> None:
        said = glyphs.OK + " " + message.said.format(path=message.path)
        if message.reload:
            self.said_and_load(said)
        else:
            self.say(said)

    def action_cancel_batch(self) -> None:
        from tui.dialogs.reason import ReasonDialog

        session, batch = self.desk.session, self.record
        if session is None or batch is None:
            return
        dialog = ReasonDialog(_("Cancel batch {number}").format(number=batch.number),
                              _("Its items are free again; the batch stays on record."))

        def answered(ok: bool | None) -> None:
            if ok:
                self.cancel(session, batch.id, dialog.reason)

        self.app.push_screen(dialog, answered)

    @store_work("cancel", write=True)
    def cancel(self, session: Any, batch_id: int, reason: str) -> None:
        destruction.cancel(session, batch_id, reason)
        reply(self, self.Cancelled())

    @on(Cancelled)
    def cancelled(self) -> None:
        self.load()

    def show_trouble(self, line: str) -> None:
        """An item put on or taken off, or a file, failed: said on the screen's line."""
        if self.failed_group == "line":
            self.lines.done()
        if self.failed_group in ("line", "file"):
            self.say(glyphs.BAD + " " + line, bad=True)
        else:
            super().show_trouble(line)

    @on(DataTable.RowSelected)
    def open_item(self, event: DataTable.RowSelected) -> None:
        self.open_chain(int(str(event.row_key.value)))
