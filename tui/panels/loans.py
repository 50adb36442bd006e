"""What is out of the room: overdue loans, copies not recovered, readings not closed (B3, D7).

The counts mean what they say on the day: every reading open now is counted, today's too,
and those left open from an earlier day (against B3: read in the room, the same day) are
said apart."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.text import Text

from store import clock
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
    """Every reading open now, today's too, oldest first."""
    today: str
    """Today's date (ISO): a reading opened before it was left open from an earlier day."""
    incidents: int
    incident_keys: list[str]
    """The keys to the incidents (their screen is loaded here, off the UI thread)."""


class LoansPanel(Panel):
    TITLE = N_("Out of the room")

    def fetch(self) -> Outstanding:
        return Outstanding(desk.overdue(), desk.outstanding_copies(), desk.open_readings(),
                           clock.today().isoformat(), desk.open_incidents(),
                           keys_to(self.app, "incidents"))

    def render_data(self, data: Outstanding) -> RenderableType:
        found = self._loans(data)
        if not data.incidents:
            return found
        said = Text(glyphs.WARN + " " + ngettext(
            "{n} incident open for the secrecy officer ({keys})",
            "{n} incidents open for the secrecy officer ({keys})", data.incidents).format(
            n=data.incidents, keys=" ".join(data.incident_keys)), style="bold")
        return Group(said, found)

    def _loans(self, data: Outstanding) -> RenderableType:
        desk_key = key_of(self.app, "go-desk")
        if not (data.overdue or data.copies or data.reading):
            return Text(glyphs.OK + " " + _(
                "Nothing overdue, every copy recovered, no reading open ({key}: desk).").format(
                key=desk_key))
        earlier = [loan for loan in data.reading if loan.opened_at[:10] < data.today]
        reading = ngettext("{n} reading open", "{n} readings open",
                           len(data.reading)).format(n=len(data.reading))
        if earlier:
            reading = ngettext("{n} reading open, {k} of them from an earlier day",
                               "{n} readings open, {k} of them from an earlier day",
                               len(data.reading)).format(n=len(data.reading), k=len(earlier))
        counts = glyphs.SEP.join((
            _("{n} overdue").format(n=len(data.overdue)),
            ngettext("{n} copy not recovered", "{n} copies not recovered",
                     len(data.copies)).format(n=len(data.copies)),
            reading, _("{key}: desk").format(key=desk_key)))
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False,
                      title=Text(counts, style="bold"), title_justify="left")
        for title in (_("What"), _("Number"), _("Who"), _("Due")):
            table.add_column(title, no_wrap=True)
        today = [loan for loan in data.reading if loan.opened_at[:10] >= data.today]
        for what, found in ((glyphs.BAD + " " + _("overdue"), data.overdue),
                            (glyphs.WARN + " " + _("copy out"), data.copies),
                            (glyphs.BAD + " " + _("left open from an earlier day"), earlier),
                            (glyphs.TODO + " " + _("reading in the room"), today)):
            for loan in found[:SHOWN]:
                table.add_row(what, loan.reg_no, Text(loan.borrower),
                              loan.due_on or loan.opened_at[:10])
            if len(found) > SHOWN:
                table.add_row("", _("... and {n} more").format(n=len(found) - SHOWN), "", "")
        return table
