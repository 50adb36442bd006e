"""This month's deadlines of the office (RULES.md) with the days left."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table

from statdesk.i18n import N_, _
from store import clock, deadlines
from tui.panels.base import Panel


def days_left_text(days: int) -> str:
    """Said in words, so the state never depends on colour."""
    if days == 0:
        return _("TODAY")
    if days == 1:
        return _("tomorrow")
    if days == -1:
        return _("yesterday")
    if days < 0:
        return _("{n} days ago").format(n=-days)
    return _("in {n} days").format(n=days)


class DeadlinesPanel(Panel):
    TITLE = N_("Deadlines this month")

    def fetch(self) -> list[deadlines.Deadline]:
        return deadlines.of_month(clock.today())

    def render_data(self, data: list[deadlines.Deadline]) -> RenderableType:
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
        table.add_column(_("Date"), no_wrap=True)
        table.add_column(_("Left"), no_wrap=True)
        table.add_column(_("What"), ratio=1)
        table.add_column(_("Rule"), no_wrap=True)
        for item in data:
            style = "dim" if item.days_left < 0 else ("bold" if item.days_left <= 2 else "")
            table.add_row(item.day.strftime("%m-%d"), days_left_text(item.days_left),
                          _(item.what).format(name=item.name), item.rule, style=style)
        return table
