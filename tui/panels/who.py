"""Who is working, for which unit, on which day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.console import RenderableType
from rich.text import Text

from store import clock, settings
from store.i18n import N_, _
from store.vault.policy import RECOVERY_ACTOR
from tui import glyphs
from tui.keys import key_of
from tui.panels.base import Panel

WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
            N_("Saturday"), N_("Sunday"))
ROLES = {"admin": N_("administrator"), "clerk": N_("clerk")}


@dataclass(frozen=True)
class Who:
    unit: str
    name: str
    display_name: str
    role: str
    today: date


class WhoPanel(Panel):
    TITLE = N_("Today")

    def fetch(self) -> Who:
        session = self.app.session  # type: ignore[attr-defined]
        actor = session.actor
        return Who(settings.current().unit_name, actor.name, actor.display_name, actor.role,
                   clock.today())

    def render_data(self, data: Who) -> RenderableType:
        text = Text()
        text.append(data.unit or _("(unit name not set: Settings, {key})").format(
            key=key_of(self.app, "go-settings")), style="bold")
        text.append("\n")
        if data.name == RECOVERY_ACTOR:
            text.append(_("Unlocked with the recovery code (as an administrator)"))
        else:
            text.append(_("Operator: {name}, {role}").format(
                name=data.display_name or data.name, role=_(ROLES.get(data.role, data.role))))
            text.append(glyphs.SEP + _("{password}: my password | {lock}: lock").format(
                password=key_of(self.screen, "home-password"),
                lock=key_of(self.screen, "home-lock")), style="dim")
        text.append("\n")
        text.append(_("Today: {day}, {weekday}").format(
            day=data.today.isoformat(), weekday=_(WEEKDAYS[data.today.weekday()])))
        text.append(glyphs.SEP + _("{desk}: borrow desk | {catalogue}: item catalogue").format(
            desk=key_of(self.app, "go-desk"), catalogue=key_of(self.app, "go-catalogue")),
            style="dim")
        return text
