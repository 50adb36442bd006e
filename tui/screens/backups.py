"""Backups (C8): make one now or onto removable media, verify, restore (administrators)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, ProgressBar, Static

from store.backups import make as backups
from store.backups.make import BackupInfo
from store.backups.verify import VerifyReport, from_keys, verify
from store.i18n import N_, _
from tui import glyphs
from tui.dialogs.backup import FolderDialog, RestoreDialog
from tui.keys import key_of
from tui.screens.base import BaseScreen
from tui.workers import Reply, fault_said, reply, store_work

STATUS = {"kept": N_("kept"), "removed": N_("removed")}
KINDS = {"monthly": N_("monthly"), "safety": N_("safety copy")}


class BackupsScreen(BaseScreen):
    TITLE_TEXT = N_("Backups")
    DEFAULT_CSS = """
    BackupsScreen .intro { padding: 0 1; }
    BackupsScreen #backups { height: 1fr; }
    BackupsScreen #backup-progress { padding: 0 1; }
    BackupsScreen #backup-status { height: auto; max-height: 10; padding: 0 1; }
    """
    BINDINGS = [
        Binding("b", "backup", N_("Back up now"), id="backup-now"),
        Binding("t", "backup_to", N_("To a folder"), id="backup-to"),
        Binding("v", "verify", N_("Verify"), id="backup-verify"),
        Binding("r", "restore", N_("Restore"), id="backup-restore"),
    ]

    class Listed(Reply):
        """Every backup on record, newest first."""

        def __init__(self, rows: list[BackupInfo]) -> None:
            super().__init__()
            self.rows = rows

    def __init__(self, start_backup: bool = False) -> None:
        super().__init__()
        self.start_backup = start_backup
        self.rows: dict[str, BackupInfo] = {}
        self.busy = False

    def body(self) -> ComposeResult:
        yield Static(_("Monthly backups of the statistical data and case information (rule C8)."),
                     classes="intro")
        yield DataTable(id="backups", cursor_type="row", zebra_stripes=True)
        yield ProgressBar(id="backup-progress", total=100, show_eta=False)
        yield Static("", id="backup-status")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#backup-progress", ProgressBar).display = False
        self.query_one(DataTable).add_columns(_("Taken"), _("By"), _("Kind"), _("Where"),
                                              _("Size"), _("Status"), _("File"))
        self.reload()
        if self.start_backup:
            self.action_backup()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "restore":
            session = self.desk.session
            return session is not None and session.actor.is_admin
        return super().check_action(action, parameters)

    @store_work("list")
    def reload(self) -> None:
        reply(self, self.Listed(backups.list_backups()))

    @on(Listed)
    def show(self, message: Listed) -> None:
        rows = message.rows
        table = self.query_one(DataTable)
        table.clear()
        self.rows = {str(r.id): r for r in rows}
        for r in rows:
            table.add_row(r.taken_at[:16].replace("T", " "), r.taken_by,
                          _(KINDS.get(r.kind, r.kind)),
                          _("removable media") if r.external else _("backups folder"),
                          f"{r.size / 1048576:.1f} MB", _(STATUS.get(r.status, r.status)),
                          r.file_name, key=str(r.id))
        if not rows:
            self._say(_("No backup yet: press {key} to make this month's.").format(
                key=key_of(self, "backup-now")))
        table.focus()

    def _selected(self) -> BackupInfo | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(str(key))

    def _say(self, text: str) -> None:
        self.query_one("#backup-status", Static).update(text)

    # --- long work with a progress bar --------------------------------------------------

    def _progress(self, what: str, share: float) -> None:
        if not self.is_mounted:  # the clerk left the screen: the work goes on regardless
            return
        bar = self.query_one("#backup-progress", ProgressBar)
        bar.display = True
        bar.update(progress=round(share * 100))
        self._say(f"{what}{glyphs.MORE}")

    def _run(self, job: Callable[[Callable[[str, float], None]], Any],
             done: Callable[[Any], None]) -> None:
        """Run on the app, not this screen: leaving the screen must not stop a backup (nor
        end its worker before the store is closed behind it), and its end is said wherever
        the clerk then is."""
        app = self.app

        def report(what: str, share: float) -> None:
            app.call_from_thread(self._progress, what, share)

        def run() -> None:
            try:
                result = job(report)
            except Exception as exc:  # said in one line (a full disk as such), the app goes on
                app.call_from_thread(self._finished, f"{glyphs.BAD} {fault_said(app, exc)}")
                return
            app.call_from_thread(done, result)

        app.run_worker(run, thread=True, group="backup", exit_on_error=False)

    def _finished(self, text: str) -> None:
        self.busy = False
        if not self.is_mounted:
            self.app.notify(text.split("\n")[0], timeout=15)
            return
        self.query_one("#backup-progress", ProgressBar).display = False
        self._say(text)
        self.reload()

    def _start(self, job: Callable[[Callable[[str, float], None]], Any],
               done: Callable[[Any], None]) -> None:
        if self.busy:
            self.app.notify(_("a backup task is already running"), severity="warning")
            return
        self.busy = True
        self._run(job, done)

    # --- actions ------------------------------------------------------------------------

    def action_backup(self, folder: Path | None = None) -> None:
        session = self.desk.session
        if session is None:
            return
        self._start(lambda report: backups.make(session, folder, progress=report),
                    lambda info: self._finished(
                        glyphs.OK + " " + _("Backup written and verified: {file}").format(
                            file=info.file_name)))

    def action_backup_to(self) -> None:
        dialog = FolderDialog()

        def chosen(ok: bool | None) -> None:
            if ok and dialog.folder is not None:
                self.action_backup(dialog.folder)

        self.app.push_screen(dialog, chosen)

    def action_verify(self) -> None:
        session, chosen = self.desk.session, self._selected()
        if session is None or chosen is None:
            return
        source = from_keys(*session.key_material(), session.store_id, session.actor.name)

        def job(report: Callable[[str, float], None]) -> VerifyReport:
            result = verify(chosen.path, source, lambda s: report(_("verifying"), s),
                            expected_sha256=chosen.sha256, work_root=session.paths.root)
            backups.record_verify(session, chosen.path, result.ok, result.failure)
            return result

        self._start(job, self._verified)

    def _verified(self, report: VerifyReport) -> None:
        lines = [c.line() for c in report.checks]
        verdict = glyphs.OK + " " + _("the backup is complete and sound") if report.ok else \
            glyphs.BAD + " " + _("verification FAILED: {what}").format(what=report.failure)
        self._finished("\n".join([verdict, *lines]))

    def action_restore(self) -> None:
        session, chosen = self.desk.session, self._selected()
        if session is None or chosen is None or not session.actor.is_admin:
            return

        def confirmed(ok: bool | None) -> None:
            if not ok:
                return
            from store.backups.restore import restore

            source = from_keys(*session.key_material(), session.store_id, session.actor.name)
            self._start(lambda report: restore(self.desk.folder, chosen.path, source,
                                               session.actor.name, session, progress=report),
                        self._restored)

        self.app.push_screen(RestoreDialog(chosen), confirmed)

    def _restored(self, result: Any) -> None:
        self.busy = False
        self.desk.after_restore(_("Restored {file}. The store as it was is kept as {copy}. "
                                  "Log in again.").format(file=result.backup,
                                                          copy=result.safety_copy))
