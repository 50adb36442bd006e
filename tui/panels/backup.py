"""This month's backup (C8): the last one, and a reminder until this month's is done."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import RenderableType
from rich.text import Text

from store import operators
from store.backups import make as backups
from store.backups.make import BackupStatus
from store.i18n import N_, _
from tui import glyphs
from tui.keys import key_of
from tui.panels.base import Panel


@dataclass(frozen=True)
class Backups:
    status: BackupStatus
    taken_by: str
    """The full name of the operator who made the last backup ('' if none)."""


class BackupPanel(Panel):
    TITLE = N_("Monthly backup")

    def fetch(self) -> Backups:
        status = backups.status()
        return Backups(status, operators.display_name(status.last.taken_by)
                       if status.last is not None else "")

    def render_data(self, found: Backups) -> RenderableType:
        text, data = Text(), found.status
        if data.last is None:
            text.append(_("No backup yet."))
        else:
            last = data.last
            place = _("removable media") if last.external else _("backups folder")
            text.append(_("Last: {when} by {who}, {place}").format(
                when=last.taken_at[:16].replace("T", " "), who=found.taken_by, place=place))
        text.append("\n")
        if data.this_month_done:
            text.append(glyphs.OK + " " + _("This month's backup is done."))
        elif data.remind:
            text.append(glyphs.BAD + " " + _("This month's backup is NOT done yet: press {key} to "
                                              "make it now.").format(
                key=key_of(self.screen, "home-backup-now")), style="bold")
        else:
            text.append(_("This month's backup is due from {day}.").format(
                day=data.remind_from.isoformat()))
        return text
