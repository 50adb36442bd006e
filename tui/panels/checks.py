"""Secure storage and checks: the quarter's check-in (D5), the next holiday eve (A2, D11),
and any checklist run left open, with its progress."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.text import Text

from store import clock
from store.i18n import N_, _, ngettext
from store.secrecy import checks
from store.secrecy import register as secrecy
from tui import glyphs
from tui.panels.base import Panel
from tui.ways import key_on, keys_to


@dataclass(frozen=True)
class Checks:
    overview: checks.Overview
    out: int
    runs: str
    """The keys to the checklist runs, e.g. "F12 k" (their screen is loaded here, off the UI
    thread)."""
    holiday: str
    """The key there that starts a holiday-eve run."""
    quarter: str
    """The key there that starts a quarter's check-in."""


class ChecksPanel(Panel):
    TITLE = N_("Secure storage and checks")

    def fetch(self) -> Checks:
        return Checks(checks.overview(clock.today()), secrecy.out_now(),
                      " ".join(keys_to(self.app, "checks")), key_on("checks", "runs-holiday"),
                      key_on("checks", "runs-quarter"))

    def render_data(self, data: Checks) -> RenderableType:
        seen = data.overview
        said: list[Text] = []
        for run in seen.open_runs:  # the quarter or the holiday it is for, not its number
            said.append(Text(glyphs.MORE + " "
                             + _("{run}: {done}/{total} resolved, open ({keys})")
                             .format(run=run.name(), done=run.resolved,
                                     total=run.total, keys=data.runs)))
        if seen.holiday is not None and not seen.holiday_done:
            eve, name, first = seen.holiday
            said.append(Text(glyphs.WARN + " " + _(
                "{name} from {first}: the secure-storage checklist is due on the eve, {eve} "
                "(A2; {keys})").format(
                name=name, first=first.strftime("%m-%d"), eve=eve.strftime("%m-%d"),
                keys=f"{data.runs} {data.holiday}"), style="bold"))
        quarter = checks.quarter_words(seen.quarter)
        if seen.quarter_done:
            said.append(Text(glyphs.OK + " " + _("{quarter} check-in done (D5)").format(
                quarter=quarter), style="dim"))
        elif not any(r.kind == "quarter" for r in seen.open_runs):
            said.append(Text(glyphs.TODO + " " + ngettext(
                "{quarter} check-in due {day}: {n} copy distributed (D5; {keys})",
                "{quarter} check-in due {day}: {n} copies distributed (D5; {keys})",
                data.out).format(quarter=quarter, day=seen.quarter_due.strftime("%m-%d"),
                                 n=data.out, keys=f"{data.runs} {data.quarter}")))
        return Group(*said)
