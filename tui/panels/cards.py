"""This month's cards by department (C4): entered, accepted, returned; days left to the cut-off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.console import RenderableType
from rich.text import Text

from store import clock, settings
from store.cards import codes
from store.cards import listing as card_list
from store.cards.listing import DepartmentCount
from store.cards.rules import statistical_month
from store.i18n import N_, _, ngettext
from store.report import analysis, deadlines
from tui import glyphs
from tui.keys import key_of
from tui.panels.base import Panel
from tui.ways import keys_to
from tui.widgets import Table


@dataclass(frozen=True)
class CardsState:
    month: str
    cutoff: date
    today: date
    counts: list[DepartmentCount]
    names: dict[str, str]
    missing: list[str]
    analyses: int
    analysis_keys: list[str]
    """The keys to the analysis reports (their screen is loaded here, off the UI thread)."""


class CardsPanel(Panel):
    TITLE = N_("Cards this month")

    def fetch(self) -> CardsState:
        today = clock.today()
        setting = settings.current()
        month = statistical_month(today, setting.cutoff_day)
        names = {c.code: c.name for c in codes.all_codes("department")}
        return CardsState(month, setting.cutoff_date(month), today,
                          card_list.month_by_department(month), names,
                          deadlines.missing_departments(month), analysis.count(today.year),
                          keys_to(self.app, "analysis"))

    def render_data(self, data: CardsState) -> RenderableType:
        left = (data.cutoff - data.today).days
        head = Text(ngettext("Statistical month {month}: cards due by {day} ({left} day left)",
                             "Statistical month {month}: cards due by {day} ({left} days left)",
                             left).format(month=data.month, day=data.cutoff.strftime("%m-%d"),
                                          left=left))
        mark = glyphs.OK if data.analyses >= analysis.A_YEAR else glyphs.TODO
        head.append("\n" + mark + " " + _(
            "Analysis reports this year: {n} of at least {need} (C14; {keys})").format(
            n=data.analyses, need=analysis.A_YEAR, keys=" ".join(data.analysis_keys)))
        if data.missing and data.counts:
            head.append("\n" + glyphs.WARN + " " + _("No cards yet from: {departments}").format(
                departments="、".join(data.names.get(d, d) for d in data.missing)))
        if not data.counts:
            head.append("\n" + _("No cards entered yet for this month ({key}).").format(
                key=key_of(self.app, "go-cards")))
            return head
        table = Table(box=None, expand=True, pad_edge=False, title=head, title_justify="left")
        for title in (_("Department"), _("Entered"), _("Accepted"), _("Returned")):
            table.add_column(title)
        for row in data.counts:
            table.add_row(Text(data.names.get(row.department, row.department)), str(row.entered),
                          str(row.accepted), str(row.returned))
        return table
