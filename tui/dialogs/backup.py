"""Dialogs of the backup screen: a folder on removable media; confirming a restore."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from textual.widget import Widget
from textual.widgets import Input

from store.backups.make import BackupInfo
from store.errors import InvalidInput
from store.i18n import N_, _
from tui.dialogs.form import FormDialog


class FolderDialog(FormDialog):
    """Where to write a backup (a mounted USB drive or disk); nothing is written here."""

    TITLE_TEXT = N_("Back up to a folder")

    def __init__(self) -> None:
        super().__init__()
        self.folder: Path | None = None

    def intro(self) -> str:
        return _("Type the folder of the removable medium, e.g. /media/usb. The backup is "
                 "recorded with who made it, when, and where.")

    def fields(self) -> list[tuple[str, str, Widget]]:
        return [("folder", _("Folder"), Input())]

    def checks(self) -> list[tuple[str, Callable[[], object]]]:
        def folder() -> None:
            path = Path(self.value("folder").strip()).expanduser()
            if not self.value("folder").strip():
                raise InvalidInput(_("type a folder"))
            if not path.is_dir():
                raise InvalidInput(_("{folder} does not exist").format(folder=path))
            if not os.access(path, os.W_OK | os.X_OK):
                raise InvalidInput(_("cannot write to {folder}: it is read-only or not yours")
                                   .format(folder=path))
            self.folder = path.absolute()

        return [("folder", folder)]

    def save(self, values: dict[str, str]) -> object:
        return None


class RestoreDialog(FormDialog):
    """Restoring replaces the store: the administrator types the backup's date to confirm."""

    TITLE_TEXT = N_("Restore a backup")

    def __init__(self, backup: BackupInfo) -> None:
        super().__init__()
        self.backup = backup
        self.stamp = backup.taken_at[:10]

    def intro(self) -> str:
        return _("The store will be replaced by {file}, taken {when} by {who}. The store as it "
                 "is now is kept first as a safety backup; everyone is logged out afterwards.")\
            .format(file=self.backup.file_name, when=self.backup.taken_at[:16].replace("T", " "),
                    who=self.backup.taken_by)

    def fields(self) -> list[tuple[str, str, Widget]]:
        return [("confirm", _("Type the backup's date ({day}) to confirm").format(day=self.stamp),
                 Input())]

    def checks(self) -> list[tuple[str, Callable[[], object]]]:
        def confirm() -> None:
            if self.value("confirm").strip() != self.stamp:
                raise InvalidInput(_("type {day} exactly").format(day=self.stamp))

        return [("confirm", confirm)]

    def save(self, values: dict[str, str]) -> object:
        return None
