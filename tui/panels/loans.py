"""What is out of the room: overdue loans, copies not recovered, readings not closed (B3, D7)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.text import Text

from store.custody import desk
from store.custody.desk import OpenLoan
from store.i18n import N_, _, ngettext
from tui import glyphs
from tui.keys import key_of
from tui.panels.base import Panel
from tui.ways import keys_to
from tui.widgets import Table

SHOWN = 5


@dataclass(frozen=True)
class Outstanding:
    overdue: list[OpenLoan]
    copies: list[OpenLoan]
    reading: list[OpenLoan]
    incidents: int
    incident_keys: list[str]
    """The keys to the incidents (their screen is loaded here, off the UI thread)."""


class LoansPanel(Panel):
    TITLE = N_("Out of the room")

    def fetch(self) -> Outstanding:
        return Outstanding(desk.overdue(), desk.outstanding_copies(), desk.still_reading(),
                           desk.open_incidents(), keys_to(self.app, "incidents"))

    def render_data(self, data: Outstanding) -> RenderableType:
        found = self._loans(data)
        if not data.incidents:
            return found
        said = Text(glyphs.WARN + " " + ngettext(
            "{n} incident open for the secrecy officer ({keys})",
            "{n} incidents open for the secrecy officer ({keys})", data.incidents).format(
            n=data.incidents, keys=", ".join(data.incident_keys)), style="bold")
        return Group(said, found)

    def _loans(self, data: Outstanding) -> RenderableType:
        desk_key = key_of(self.app, "go-desk")
        if not (data.overdue or data.copies or data.reading):
            return Text(glyphs.OK + " " + _(
                "Nothing overdue, every copy recovered, no reading left open from an earlier day "
                "({key}: desk).").format(key=desk_key))
        counts = glyphs.SEP.join((
            _("{n} overdue").format(n=len(data.overdue)),
            ngettext("{n} copy not recovered", "{n} copies not recovered",
                     len(data.copies)).format(n=len(data.copies)),
            ngettext("{n} reading left open", "{n} readings left open",
                     len(data.reading)).format(n=len(data.reading)),
            _("{key}: desk").format(key=desk_key)))
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False,
                      title=Text(counts, style="bold"), title_justify="left")
        for title in (_("What"), _("Number"), _("Who"), _("Due")):
            table.add_column(title, no_wrap=True)
        for what, found in ((glyphs.BAD + " " + _("overdue"), data.overdue),
                            (glyphs.WARN + " " + _("copy out"), data.copies),
                            (glyphs.WARN + " " + _("still reading"), data.reading)):
            for loan in found[:SHOWN]:
                table.add_row(what, loan.reg_no, Text(loan.borrower),
                              loan.due_on or loan.opened_at[:10])
            if len(found) > SHOWN:
                table.add_row("", _("... and {n} more").format(n=len(found) - SHOWN), "", "")
        return table
