"""This month's deadlines of the office (RULES.md) with the days left and their state."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from store import clock
from store.i18n import N_, _, ngettext
from store.report import deadlines
from tui import glyphs
from tui.keys import key_of
from tui.panels.base import Panel
from tui.widgets import Table

MARKS = {"done": glyphs.OK, "due": glyphs.TODO, "overdue": glyphs.BAD, "note": glyphs.NONE}


def days_left_text(days: int) -> str:
    """Said in words, so the state never depends on colour."""
    if days == 0:
        return _("TODAY")
    if days == 1:
        return _("tomorrow")
    if days == -1:
        return _("yesterday")
    if days < 0:
        return ngettext("{n} day ago", "{n} days ago", -days).format(n=-days)
    return ngettext("in {n} day", "in {n} days", days).format(n=days)


def month_words(month: str) -> str:
    """A statistical month as a sentence names it: "2026-11", "2026 年 11 月"."""
    return _("{year}-{month}").format(year=month[:4], month=month[5:])


def what_text(item: deadlines.Deadline) -> str:
    """What is due, which month's work it wants (the briefings of the 2nd want the month
    before's report), and its rule."""
    what = _(item.what).format(name=item.name)
    said = _("{what} ({month}; {rule})").format(what=what, month=month_words(item.month),
                                                  rule=item.rule) if item.month \
        else _("{what} ({rule})").format(what=what, rule=item.rule)
    if item.moved and item.nominal is not None:
        said += glyphs.SEP + _("moved from {day}: holiday or weekend").format(
            day=item.nominal.strftime("%m-%d"))
    return said


class DeadlinesPanel(Panel):
    TITLE = N_("Deadlines: this month and the next ten days")

    def fetch(self) -> deadlines.Calendar:
        return deadlines.upcoming(clock.today())

    def render_data(self, data: deadlines.Calendar) -> RenderableType:
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
        table.add_column(_("Date"), no_wrap=True)
        table.add_column(_("Left"), no_wrap=True)
        table.add_column(_("State"), no_wrap=True)
        table.add_column(_("What"), ratio=1)
        for item in data.deadlines:
            style = "dim" if item.state in ("done", "note") else (
                "bold" if item.state == "overdue" or item.days_left <= 2 else "")
            said = what_text(item)
            if item.key == "cards" and item.state != "done" and data.missing_departments:
                # the way to clear it, while a department has neither cards nor a zero return
                said += glyphs.SEP + _("{key}: a department with no cases says so (零报)").format(
                    key=key_of(self.screen, "home-zero"))
            table.add_row(item.day.strftime("%m-%d"), days_left_text(item.days_left),
                          f"{MARKS[item.state]} {_(deadlines.STATES[item.state])}",
                          Text(said), style=style)
        parts: list[RenderableType] = []
        if data.missing_years:
            parts.append(Text(glyphs.WARN + " " + _(
                "No holidays entered for {years}: these deadlines are computed without them "
                "(Settings, {key}).").format(
                years=", ".join(map(str, data.missing_years)),
                key=key_of(self.app, "go-settings")), style="bold"))
        parts.append(table)
        for nil in data.zero_returns:
            if nil.contradicted:
                parts.append(Text(glyphs.WARN + " " + ngettext(
                    "{department} said it had no cases in {month} ({name}, {day}), but {n} card "
                    "has been entered since: check with the department",
                    "{department} said it had no cases in {month} ({name}, {day}), but {n} cards "
                    "have been entered since: check with the department", nil.cards).format(
                    department=nil.department, month=nil.month, name=nil.confirmed_by,
                    day=nil.confirmed_on, n=nil.cards), style="bold"))
        parts.append(Text(_("{key}: mark a deadline done that statdesk cannot see itself").format(
            key=key_of(self.screen, "home-deadline")), style="dim"))
        return Group(*parts)
