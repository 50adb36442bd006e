"""One checklist run, walked cabinet by cabinet: scan a number (or move to a line and press a
key) to resolve it; Esc pauses (the run stays open); c closes it with the names of the
checker and the supervisor."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static

from store.custody import items
from store.i18n import N_, _, ngettext
from store.secrecy import checks, closing
from store.secrecy.checks import Line, Run
from tui import glyphs
from tui.dialogs.form import FormDialog
from tui.keys import key_of
from tui.screens.base import BaseScreen
from tui.screens.turns import FailedGroup, Turns
from tui.ways import keys_to
from tui.widgets.fit_table import FitTable
from tui.widgets.person_picker import PersonPicker
from tui.workers import Reply, reply, store_work

MARKS = {"": glyphs.TODO, "present": glyphs.OK, "accounted": glyphs.TO, "returned": glyphs.OK,
         "kept": glyphs.ON, "missing": glyphs.BAD, "damaged": glyphs.BAD}
SHORT = {"present": N_("present"), "accounted": N_("elsewhere"), "missing": N_("MISSING"),
         "damaged": N_("DAMAGED"), "returned": N_("checked in"),
         "kept": N_("kept by the custodian")}
"""The list's words for a result: short, so the holder beside them stays in view."""


WAS = {"lent": N_("lent"), "copy": N_("copy out"), "distributed": N_("distributed")}


def run_title(run: Run) -> str:
    """"#3 check-in of 2026 Q4": the run, as its list and its own screen head it (a spot
    check with its seed)."""
    said = f"#{run.id} " + run.name()
    return f"{said}{glyphs.SEP}{run.describe()}" if run.kind == "spot" else said


def expected_text(line: Line) -> str:
    """Short, so that the result beside it fits at 80 columns."""
    if line.expected == "storage":
        return _("in storage")
    said = _(WAS[line.was]) if line.was in WAS else _(items.STATUSES.get(line.was, line.was))
    return f"{said} {glyphs.TO} {line.holder} {line.since[5:]}".strip() if line.holder else said


def result_text(line: Line, with_note: bool = True) -> str:
    words = checks.RESULTS if with_note else SHORT
    said = MARKS[line.result] + " " + (_(words[line.result]) if line.result else
                                       _("to check"))
    return f"{said} ({line.note})" if line.note and with_note else said


class CloseRunDialog(FormDialog):
    TITLE_TEXT = N_("Close the run")

    def __init__(self, session: Any, run: Run) -> None:
        super().__init__()
        self.session, self.run = session, run

    def intro(self) -> str:
        return _("Every line is resolved. The checker and the supervisor sign the printed "
                 "checklist (w). The supervisor is someone else: a supervisor, the secrecy "
                 "committee office, a leader or a department head. Closing applies the "
                 "results: a missing or damaged item opens an incident for the secrecy "
                 "officer.")

    def fields(self) -> list[tuple[str, str, Widget]]:
        return [("checker", _("Checker (name or short code)"), PersonPicker()),
                ("supervisor", _("Supervisor (name or short code)"),
                 PersonPicker(roles=checks.SUPERVISORS))]

    def save(self, values: dict[str, str]) -> object:
        return closing.close(self.session, self.run.id, values["checker"], values["supervisor"])


class ChecklistScreen(FailedGroup, BaseScreen):
    """Store work: the page of lines (a notification if it fails); each line marked or
    undone, one after another (a refusal or a failure is said on the screen's line); closing
    (not yet closable: said, and the list goes to the first line still open)."""

    TITLE_TEXT = N_("Checklist")
    AUTO_FOCUS = "#scan"
    DEFAULT_CSS = """
    ChecklistScreen #run-head { height: auto; padding: 0 1; text-style: bold; }
    ChecklistScreen #scan { margin: 0 1; }
    ChecklistScreen #run-said { height: auto; padding: 0 1; }
    ChecklistScreen #lines { height: 1fr; margin: 0 1; }
    ChecklistScreen #run-hint { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("p", "mark('present')", N_("Present"), id="line-present"),
        Binding("a", "mark('accounted')", N_("Elsewhere"), id="line-accounted"),
        Binding("r", "mark('returned')", N_("Checked in"), id="line-returned"),
        Binding("k", "mark('kept')", N_("Kept"), id="line-kept"),
        Binding("x", "mark('missing')", N_("Missing"), id="line-missing"),
        Binding("d", "mark('damaged')", N_("Damaged"), id="line-damaged"),
        Binding("u", "undo", N_("Undo"), id="line-undo"),
        Binding("j", "next_open", N_("Next to check"), id="line-next-open"),
        Binding("n", "page(1)", N_("Next page"), show=False, id="line-next"),
        Binding("b", "page(-1)", N_("Previous page"), show=False, id="line-previous"),
        Binding("c", "close_run", N_("Close run"), id="run-close"),
        Binding("w", "word", N_("Word"), id="run-word"),
    ]

    class FirstOpen(Reply):
        """The number of the first line still to check (the last line when all are)."""

        def __init__(self, seq: int) -> None:
            super().__init__()
            self.seq = seq

    class Loaded(Reply):
        """The run and a page of its lines from `from_seq`; the cursor goes to `cursor_seq`."""

        def __init__(self, run: Run, found: list[Line], from_seq: int,
                     cursor_seq: int | None) -> None:
            super().__init__()
            self.run, self.found = run, found
            self.from_seq, self.cursor_seq = from_seq, cursor_seq

    class Marked(Reply):
        """A line was resolved (`advance`: the cursor moves on); the run as it is now."""

        def __init__(self, line: Line, run: Run, advance: bool) -> None:
            super().__init__()
            self.line, self.run, self.advance = line, run, advance

    class Unmarked(Reply):
        """A line's result was undone; the run as it is now."""

        def __init__(self, line: Line, run: Run) -> None:
            super().__init__()
            self.line, self.run = line, run

    class NextOpen(Reply):
        """The next line still to check after the cursor (None: every line is resolved)."""

        def __init__(self, seq: int | None) -> None:
            super().__init__()
            self.seq = seq

    class Closable(Reply):
        """Every line is resolved: the run may be closed."""

        def __init__(self, run: Run) -> None:
            super().__init__()
            self.run = run

    class Tallied(Reply):
        """The closed run's results, counted."""

        def __init__(self, counts: dict[str, int]) -> None:
            super().__init__()
            self.counts = counts

    class Written(Reply):
        """The checklist was written to `path`."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(self, run_id: int) -> None:
        super().__init__()
        self.run_id = run_id
        self.run: Run | None = None
        self.page: dict[str, Line] = {}
        self.from_seq = 1
        self.marks = Turns()
        """Lines marked or undone, each after the one before."""

    def body(self) -> ComposeResult:
        yield Static("", id="run-head")
        yield Input(placeholder=_("scan or type a registration number, Enter"), id="scan",
                    compact=True)
        yield Static("", id="run-said")
        yield FitTable(id="lines", cursor_type="row", zebra_stripes=True,
                       give_way=("expected", "note", "title"))
        yield Static("", id="run-hint")

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one(DataTable)
        table.add_column(_("No."), key="seq")
        table.add_column(_("Location"), key="location")
        table.add_column(_("Number"), key="number")
        table.add_column(_("Result"), key="result")
        table.add_column(_("Expected"), key="expected")
        table.add_column(_("Note"), key="note")
        table.add_column(_("Title"), key="title")
        self.first_open()

    @store_work("load")
    def first_open(self) -> None:
        """The page with the first line still to check, the cursor on it."""
        reply(self, self.FirstOpen(checks.first_open(self.run_id)))

    @on(FirstOpen)
    def to_first_open(self, message: FirstOpen) -> None:
        seq = message.seq
        self.load((seq - 1) // checks.PAGE * checks.PAGE + 1, seq)

    @store_work("load")
    def load(self, from_seq: int, cursor_seq: int | None = None) -> None:
        reply(self, self.Loaded(checks.get(self.run_id), checks.lines(self.run_id, from_seq),
                                from_seq, cursor_seq))

    @on(Loaded)
    def show(self, message: Loaded) -> None:
        found, from_seq, cursor_seq = message.found, message.from_seq, message.cursor_seq
        self.from_seq = from_seq  # the run itself is taken in show_head
        table = self.query_one(DataTable)
        table.clear()
        self.page = {}
        for line in found:
            self.page[str(line.id)] = line
            table.add_row(str(line.seq), Text(line.location), line.reg_no,
                          Text(result_text(line, False)), Text(expected_text(line)),
                          Text(line.note), Text(line.title),
                          key=str(line.id))
        if cursor_seq is not None and found:
            table.move_cursor(row=max(0, min(cursor_seq - from_seq, len(found) - 1)))
        self.show_head(message.run)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the results this kind of run takes are offered (and shown in the footer)."""
        if action in ("mark", "undo", "close_run", "next_open") and self.run is not None and (
                self.run.status != "open"):
            return False  # a closed run is read, not marked
        if action == "mark" and self.run is not None:
            return any(parameters[0] in checks.allowed(self.run.kind, expected)
                       for expected in ("storage", "elsewhere"))
        return super().check_action(action, parameters)

    def show_head(self, run: Run) -> None:
        if self.run is None or (self.run.kind, self.run.status) != (run.kind, run.status):
            self.run = run
            self.refresh_bindings()
            scan = self.query_one("#scan", Input)
            scan.disabled = run.status != "open"
            if scan.disabled:
                self.query_one(DataTable).focus()
        self.run = run
        self.query_one("#run-head", Static).update(Text(
            f"{run_title(run)}{glyphs.SEP}" + (_("{done}/{total} resolved").format(
                done=run.resolved, total=run.total) if run.status == "open" else
                _("closed {day}: {checker} / {supervisor}").format(
                    day=run.closed_at[:10], checker=run.checker, supervisor=run.supervisor))))
        last = min(run.total, self.from_seq + checks.PAGE - 1)
        named = self._keys()
        if run.status != "open":
            self.query_one("#run-hint", Static).update(_(
                "Lines {first}-{last} of {total} ({next}/{previous}: page) | closed: read "
                "only | {word}: the signed checklist in Word").format(
                first=self.from_seq, last=last, total=run.total, **named))
            return
        keys = (_("Tab: the list | {returned} checked in | {kept} kept | {missing} missing | "
                  "{damaged} damaged") if run.kind == "quarter" else
                _("Tab: the list | {present} present | {accounted} accounted for elsewhere | "
                  "{missing} missing | {damaged} damaged")).format(**named)
        self.query_one("#run-hint", Static).update(
            _("Lines {first}-{last} of {total} ({next}/{previous}: page) | {keys} | {undo} "
              "undo | {next_open}: next to check | {close} close | Esc: pause").format(
                first=self.from_seq, last=last, total=run.total, keys=keys, **named))

    def _keys(self) -> dict[str, str]:
        """The keys the hints name, from the bindings."""
        ids = {"present": "line-present", "accounted": "line-accounted",
               "returned": "line-returned", "kept": "line-kept", "missing": "line-missing",
               "damaged": "line-damaged", "undo": "line-undo", "next": "line-next",
               "previous": "line-previous", "close": "run-close", "word": "run-word",
               "next_open": "line-next-open"}
        return {name: key_of(self, binding) for name, binding in ids.items()}

    def say(self, text: str, bad: bool = False) -> None:
        self.query_one("#run-said", Static).update(Text(text, style="bold" if bad else ""))
        if bad:
            self.app.bell()

    def _session(self) -> Any:
        session = self.desk.session
        if session is None or self.run is None:
            return None
        if self.run.status != "open":
            self.say(glyphs.BAD + " " + _("run #{id} is closed").format(id=self.run.id), bad=True)
            return None
        return session

    @on(Input.Submitted, "#scan")
    def scanned(self, event: Input.Submitted) -> None:
        number = event.value.strip()
        event.input.value = ""
        session = self._session()
        if session is not None and number:
            self._mark(session, number, "", "")

    def _mark(self, session: Any, number: str, result: str, note: str,
              advance: bool = False) -> None:
        self.marks.take(partial(self.mark, session, number, result, note, advance))

    @store_work("line")
    def mark(self, session: Any, number: str, result: str, note: str, advance: bool) -> None:
        line = checks.mark(session, self.run_id, number, result, note)
        reply(self, self.Marked(line, checks.get(self.run_id), advance))

    @on(Marked)
    def marked(self, message: Marked) -> None:
        self.marks.done()
        line = message.line
        if line.result == "present" and line.marked_was in closing.RETURNED_AT_CLOSE:
            self.say(glyphs.WARN + " " + _(
                "{number}: present, though recorded as {status} ({holder}). Closing the run "
                "will record it returned; {undo} undoes the mark if it is not here.").format(
                number=line.reg_no, status=_(items.STATUSES[line.marked_was]),
                holder=line.holder or glyphs.NONE, undo=key_of(self, "line-undo")))
        else:
            self.say(f"{glyphs.OK} {line.reg_no}: {result_text(line)}")
        self.update_line(line)
        self.show_head(message.run)
        table = self.query_one(DataTable)
        if message.advance and table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def update_line(self, line: Line) -> None:
        table = self.query_one(DataTable)
        if str(line.id) in self.page:
            self.page[str(line.id)] = line
            table.update_cell(str(line.id), "result", Text(result_text(line, False)),
                              update_width=True)
            table.update_cell(str(line.id), "note", Text(line.note), update_width=True)
            table.update_cell(str(line.id), "expected", Text(expected_text(line)),
                              update_width=True)  # it may have moved since the run began
            if not table.has_focus:
                table.move_cursor(row=table.get_row_index(str(line.id)))

    def _highlighted(self) -> Line | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return self.page.get(str(table.coordinate_to_cell_key(
            table.cursor_coordinate).row_key.value))

    def action_mark(self, result: str) -> None:
        from tui.dialogs.reason import ReasonDialog

        line, session = self._highlighted(), self._session()
        if line is None or session is None or self.run is None:
            return
        if result not in ("missing", "kept", "damaged"):  # the store says if it fits
            self._mark(session, line.reg_no, result, "", advance=True)
            return
        dialog = ReasonDialog(
            f"{line.reg_no}: {_(checks.RESULTS[result])}",
            {"kept": _("Say why the custodian keeps it."),
             "damaged": _("Say what the damage is. The incident opens when the run closes."),
             }.get(result, _("Say what is known: where it was last seen. The incident opens "
                             "when the run closes.")))

        def answered(ok: bool | None) -> None:
            if ok:
                self._mark(session, line.reg_no, result, dialog.reason, advance=True)

        self.app.push_screen(dialog, answered)

    def action_undo(self) -> None:
        line, session = self._highlighted(), self._session()
        if line is None or session is None:
            return
        self.marks.take(partial(self.unmark, session, line.reg_no))

    @store_work("line")
    def unmark(self, session: Any, number: str) -> None:
        line = checks.clear(session, self.run_id, number)
        reply(self, self.Unmarked(line, checks.get(self.run_id)))

    @on(Unmarked)
    def unmarked(self, message: Unmarked) -> None:
        self.marks.done()
        line = message.line
        self.say(f"{glyphs.UNDONE} {line.reg_no}: {result_text(line)}")
        self.update_line(line)
        self.show_head(message.run)

    def action_page(self, step: int) -> None:
        if self.run is None:
            return
        start = self.from_seq + step * checks.PAGE
        if 1 <= start <= self.run.total:
            self.load(start, start)

    def action_next_open(self) -> None:
        """The cursor to the next line still to check (from the top again past the last)."""
        line = self._highlighted()
        self.next_open(line.seq if line else 0)

    @store_work("load")
    def next_open(self, after_seq: int) -> None:
        reply(self, self.NextOpen(closing.next_open(self.run_id, after_seq)))

    @on(NextOpen)
    def to_next_open(self, message: NextOpen) -> None:
        seq = message.seq
        if seq is None:
            self.say(glyphs.OK + " " + _("Every line is resolved: {close} closes the run.").format(
                close=key_of(self, "run-close")))
            return
        table = self.query_one(DataTable)
        if self.from_seq <= seq < self.from_seq + table.row_count:
            table.move_cursor(row=seq - self.from_seq)
            table.focus()
        else:
            self.load((seq - 1) // checks.PAGE * checks.PAGE + 1, seq)
            table.focus()

    def action_close_run(self) -> None:
        if self._session() is not None:
            self.closable()

    @store_work("closable")
    def closable(self) -> None:
        reply(self, self.Closable(closing.closable(self.run_id)))

    @on(Closable)
    def ask_to_close(self, message: Closable) -> None:
        if self.desk.session is not None:
            self.app.push_screen(CloseRunDialog(self.desk.session, message.run), self.closed)

    def closed(self, done: bool | None) -> None:
        if done:
            self.tally()

    @store_work("tally")
    def tally(self) -> None:
        reply(self, self.Tallied(checks.tally(self.run_id)))

    @on(Tallied)
    def said_closed(self, message: Tallied) -> None:
        counts = message.counts
        opened = counts.get("missing", 0) + counts.get("damaged", 0)
        self.app.notify(ngettext(
            "Run #{id} closed. {n} missing or damaged: see the incidents ({keys}).",
            "Run #{id} closed. {n} missing or damaged: see the incidents ({keys}).",
            opened).format(id=self.run_id, n=opened,
                           keys=", ".join(keys_to(self.app, "incidents"))) if opened else
            _("Run #{id} closed. Nothing missing or damaged.").format(id=self.run_id),
            timeout=10)
        self.load(self.from_seq)

    def show_trouble(self, line: str) -> None:
        """A mark or an undo failed: said on the screen's line. Not closable yet: said, and
        the list goes to the first line still to check."""
        if self.failed_group == "line":
            self.marks.done()
            self.say(glyphs.BAD + " " + line, bad=True)
        elif self.failed_group == "closable":
            self.say(glyphs.BAD + " " + line, bad=True)
            self.first_open()
        else:
            super().show_trouble(line)

    def action_word(self) -> None:
        if self.desk.session is not None:
            self.write_checklist(self.desk.session)

    @store_work("file", write=True)
    def write_checklist(self, session: Any) -> None:
        from exports import check_files

        reply(self, self.Written(check_files.checklist(session, self.run_id)))

    @on(Written)
    def written(self, message: Written) -> None:
        self.say(glyphs.OK + " " + _("Checklist written: {path}").format(path=message.path))
