"""Dialogs of the report screen: a department confirms its figures, submit, revise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widget import Widget
from textual.widgets import Input, Select

from store import clock
from store.dates import parse_date
from store.errors import InvalidInput
from store.i18n import N_, _, ngettext
from store.report import submission
from store.report.submission import Difference, Overview
from tui import glyphs
from tui.dialogs.form import FormDialog
from tui.widgets import Choice


def pair(values: tuple[int, int]) -> str:
    """A figure's (cases, persons) as "5/7"; "5" on a 合计 (persons -1: never added across
    business types)."""
    return "/".join(str(v) for v in values if v >= 0)


def difference_text(change: Difference, names: dict[str, str]) -> str:
    where = _("total") if change.where == "total" else names.get(change.where, change.where)
    line = names.get(change.line, change.line)
    return _("{where} {line}: {before} -> {after} (cases/persons)").format(
        where=where, line=line, before=pair(change.before), after=pair(change.after))


class ConfirmFiguresDialog(FormDialog):
    TITLE_TEXT = N_("A department confirms its figures")

    def __init__(self, session: Any, data: Overview, names: dict[str, str],
                 chosen: str | None = None) -> None:
        super().__init__()
        self.session, self.data, self.names, self.chosen = session, data, names, chosen

    def intro(self) -> str:
        return _("Statistical month {month}: the figures as they are now are kept with the "
                 "confirmation (C5).").format(month=self.data.report.month)

    def fields(self) -> list[tuple[str, str, Widget]]:
        states = self.data.departments
        choices = [(f"{s.department} {self.names.get(s.department, '')}{glyphs.SEP}"
                    + ngettext("{n} case", "{n} cases", s.cases).format(n=s.cases), s.department)
                   for s in states]
        first = self.chosen or next((s.department for s in states if not s.current),
                                    states[0].department if states else Select.BLANK)
        return [("department", _("Department"),
                 Choice(choices, value=first, allow_blank=not choices)),
                ("who", _("Confirmed by (the department's person)"), Input()),
                ("day", _("On (20261126 or 2026-11-26)"),
                 Input(clock.today().isoformat()))]

    def on_mount(self) -> None:
        self.query_one("#who", Input).focus()

    def checks(self) -> list[tuple[str, Callable[[], object]]]:
        def who() -> None:
            if not self.value("who").strip():
                raise InvalidInput(_("name the department's person who confirmed the figures"))

        def department() -> None:
            if not self.data.departments:
                raise InvalidInput(_("no department has accepted cards this month"))

        return [("department", department), ("who", who),
                ("day", lambda: parse_date(self.value("day")))]

    def save(self, values: dict[str, str]) -> object:
        submission.confirm(self.session, self.data.report.month, values["department"],
                           values["who"], values["day"])
        return None

    def error_field(self) -> str:
        return "who"


class SubmitDialog(FormDialog):
    TITLE_TEXT = N_("Submit the monthly report")

    def __init__(self, session: Any, data: Overview) -> None:
        super().__init__()
        self.session, self.data = session, data

    def intro(self) -> str:
        built = self.data.report
        said = [_("Statistical month {month}: {new} cases received, {concluded} concluded, "
                  "{open} open at its end (all business types). Submitting locks the month: "
                  "later changes are corrections and revisions.").format(
            month=built.month, new=built.count("month", "all:new").cases,
            concluded=built.count("month", "all:concluded").cases,
            open=built.count("month", "all:open").cases)]
        missing = [d.department for d in self.data.departments if not d.current]
        if missing:
            said.append(glyphs.BAD + " " + _(
                "not yet confirmed with the department (or changed since): "
                "{departments}").format(departments=", ".join(missing)))
        for swing in self.data.swings:
            said.append(glyphs.WARN + " "
                        + _("{which}: {before} last month, {now} now ({percent:+.0f}%)").format(
                            which=submission.swing_name(swing, self.data.names),
                            before=swing.before, now=swing.now, percent=swing.percent))
        return "\n".join(said)

    def fields(self) -> list[tuple[str, str, Widget]]:
        found: list[tuple[str, str, Widget]] = [
            ("to", _("Submitted to (e.g. 市人民检察院)"), Input()),
            ("note", _("Note (optional)"), Input())]
        if self.data.swings:
            found.append(("swing", _("Why the totals moved (required)"), Input()))
        return found

    def save(self, values: dict[str, str]) -> object:
        return submission.submit(self.session, self.data.report.month, values["to"],
                                 values["note"], values.get("swing", ""))


class ReviseDialog(FormDialog):
    TITLE_TEXT = N_("Revise the submitted report")

    def __init__(self, session: Any, data: Overview) -> None:
        super().__init__()
        self.session, self.data = session, data

    def intro(self) -> str:
        if not self.data.revisions:
            return _("{month} is not submitted yet").format(month=self.data.report.month)
        last = self.data.revisions[-1].revision
        if not self.data.pending:
            return _("nothing changed since revision {n}").format(n=last)
        lines = [difference_text(d, self.data.names) for d in self.data.pending]
        shown = lines[:8] + ([_("... and {n} more").format(n=len(lines) - 8)] if len(lines) > 8
                             else [])
        return "\n".join([_("Revision {n} lists these differences:").format(n=last + 1),
                          *shown])

    def fields(self) -> list[tuple[str, str, Widget]]:
        to = self.data.revisions[-1].submitted_to if self.data.revisions else ""
        return [("note", _("Why the report is revised"), Input()),
                ("to", _("Submitted to"), Input(to))]

    def save(self, values: dict[str, str]) -> object:
        return submission.revise(self.session, self.data.report.month, values["note"],
                                 values["to"])
