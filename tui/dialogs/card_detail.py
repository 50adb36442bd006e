"""One case, whole: its life (受理, 退查, 重报, extensions, 审结), its persons, its problems
(each rule's code and text), its values, the time limit of 审查起诉, and its history (every
change, who, when, why). Stored values are said by their labels (a code with its name, the
major-case flag and the status in words), never raw. Keys here conclude the case, record an
event, or void one recorded by mistake."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from store import clock
from store.cards import codes
from store.cards import entry as cards
from store.cards import events as case_events
from store.cards import persons as case_persons
from store.cards import review as card_review
from store.cards.events import EventRecord
from store.cards.persons import PersonRecord
from store.cards.review import CardRecord, HistoryEntry
from store.cards.rules import MAJOR_NAMES, Violation
from store.i18n import N_, _, ngettext
from tui import glyphs
from tui.dialogs.case_event import EVENT_NAMES, EventDialog, VoidEventDialog
from tui.dialogs.conclude import ConcludeDialog
from tui.keys import key_of
from tui.widgets import Table
from tui.widgets.card_fields import describe
from tui.workers import Reply, StoreRoute, reply, store_work

if TYPE_CHECKING:
    from tui.app import StatdeskApp

STATUS = {"draft": N_("draft"), "submitted": N_("entered"), "returned": N_("returned"),
          "accepted": N_("accepted"), "reported": N_("reported"), "void": N_("void")}
ACTIONS = {"add": N_("entered"), "update": N_("changed"), "correct": N_("corrected"),
           "accept": N_("accepted"), "returned": N_("returned"), "void": N_("voided"),
           "report": N_("reported (month submitted)"), "conclude": N_("concluded"),
           "event": N_("event recorded"), "event_void": N_("event voided"),
           "migrate": N_("migrated")}
VALUES = [  # what a card holds, as the card view lists it: field, label, code table
    ("department", N_("Department"), "department"),
    ("business_type", N_("Business type"), "business_type"),
    ("case_no", N_("Case number"), ""),
    ("unified_no", N_("Unified case no."), ""),
    ("case_name", N_("Case name"), ""),
    ("charge", N_("Charge"), "charge"),
    ("persons", N_("Persons"), ""),
    ("accepted_on", N_("Accepted on"), ""),
    ("month", N_("Statistical month"), ""),
    ("concluded_on", N_("Concluded on"), ""),
    ("concluded_month", N_("Concluded in month"), ""),
    ("outcome", N_("Outcome"), "outcome"),
    ("outcome_persons", N_("Persons (outcome)"), ""),
    ("plea_persons", N_("Persons with guilty plea"), ""),
    ("amount", N_("Amount (yuan)"), ""),
    ("rank", N_("Rank"), "rank"),
    ("major", N_("Major case"), "major"),
    ("major_override", N_("Override reason"), ""),
    ("remarks", N_("Remarks"), ""),
]
OTHER_FIELDS = {  # what else a card's history names, and how
    "status": (N_("Status"), "status"), "return_reason": (N_("Returned because"), ""),
    "acknowledged": (N_("Warnings acknowledged"), ""), "people": (N_("Persons of the case"), ""),
    "custody": (N_("Custody"), "custody"), "minor": (N_("Minor"), "yes_no"),
    "plea": (N_("Guilty plea"), "yes_no"), "outcome_kind": (N_("Outcome kind"), "outcome_kind"),
    "mixed": (N_("Persons with another outcome"), "yes_no"), "event": (N_("Event"), ""),
    "kind": (N_("Event"), "event"), "on_day": (N_("Day"), ""), "days": (N_("Days"), ""),
    "note": (N_("Note"), ""), "problems": (N_("Problems found"), "problems"),
}
FIELDS = {name: (label, table) for name, label, table in VALUES} | OTHER_FIELDS
"""Every field a card's view or history names: its label and how its value is said."""


@dataclass(frozen=True)
class CaseView:
    """A case as the card view shows it."""

    card: CardRecord
    history: list[HistoryEntry]
    names: dict[str, str]
    """"kind:code" -> the code's name, retired codes too."""
    people: list[PersonRecord]
    events: list[EventRecord]
    """The case's life, received and concluded included, in date order."""
    time_limit: tuple[date, int] | None
    """审查起诉's due day and the days left (negative: overdue); None for others."""
    problems: list[Violation]
    """What the rules find in the card as it stands."""


def read_case(card_id: int) -> CaseView:
    """Everything the card view shows (store reads: run in a worker)."""
    card = card_review.get(card_id)
    names = {f"{c.kind}:{c.code}": c.name for kind in codes.KINDS
             for c in codes.all_codes(kind, include_retired=True)}
    names.update({f"custody:{c.code}": c.name for c in case_persons.custody_codes()})
    names.update({f"outcome_kind:{c.code}": c.name for outcome in case_persons.OUTCOME_KINDS
                  for c in case_persons.outcome_kind_codes(outcome)})
    return CaseView(card, card_review.history(card_id), names, case_persons.people(card_id),
                    case_events.events(card_id), case_events.time_limit(card, clock.today()),
                    cards.validate(card.as_input(), card.id).problems)


def said(view: CaseView, field: str, value: object) -> str:
    """A stored value as the clerk reads it: a code with its name, the major-case flag, a
    status, a yes/no or an event in words; a list of persons counted; blank as NONE."""
    table = FIELDS.get(field, ("", ""))[1]
    if table == "problems" and isinstance(value, list):  # those a card was returned with
        return ", ".join(str(p.get("code", "")) for p in value if isinstance(p, dict)) \
            or glyphs.NONE
    if isinstance(value, list):
        return ngettext("{n} person", "{n} persons", len(value)).format(n=len(value))
    if table == "major":
        return _(MAJOR_NAMES.get(str(value or ""), str(value)))
    if value in ("", None):
        return glyphs.NONE
    if table == "status":
        return _(STATUS.get(str(value), str(value)))
    if table == "yes_no":
        return _("yes") if str(value) in ("1", "True", "true") else _("no")
    if table == "event":
        return _(EVENT_NAMES.get(str(value), str(value)))
    name = view.names.get(f"{table}:{value}") if table else None
    return f"{value} {name}" if name else str(value)


def limit_line(limit: tuple[date, int] | None) -> str:
    """The time limit of 审查起诉 in one line, overdue marked."""
    if limit is None:
        return ""
    due, left = limit
    if left < 0:
        return glyphs.BAD + " " + ngettext(
            "Time limit {due}: overdue by {n} day", "Time limit {due}: overdue by {n} days",
            -left).format(due=due.isoformat(), n=-left)
    return ngettext("Time limit {due}: {n} day left", "Time limit {due}: {n} days left",
                    left).format(due=due.isoformat(), n=left)


NOTE_CELLS = 22
"""The note's width in the case's life (the table fits 80 columns without scrolling)."""


def fit(text: str, cells: int) -> str:
    """`text` in at most `cells` columns of the screen (a Chinese character takes two),
    ending in MORE when cut."""
    if cell_len(text) <= cells:
        return text
    while text and cell_len(text) > cells - len(glyphs.MORE):
        text = text[:-1]
    return text + glyphs.MORE


class CardDetailDialog(StoreRoute, ModalScreen[None]):
    class Reloaded(Reply):
        """The case as it stands after a change made from the view."""

        def __init__(self, view: CaseView) -> None:
            super().__init__()
            self.view = view

    DEFAULT_CSS = """
    CardDetailDialog { align: center middle; }
    CardDetailDialog > VerticalScroll {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    CardDetailDialog #case-events { height: auto; }
    CardDetailDialog .case-part { text-style: bold; margin-top: 1; }
    CardDetailDialog #case-said { height: auto; }
    """
    BINDINGS = [
        Binding("escape,enter", "dismiss", N_("Close"), id="card-close"),
        Binding("c", "conclude", N_("Conclude"), id="case-conclude"),
        Binding("t", "event('returned')", N_("Sent back"), id="case-returned"),
        Binding("r", "event('resent')", N_("Re-sent"), id="case-resent"),
        Binding("l", "event('extended')", N_("Extend"), id="case-extended"),
        Binding("v", "void_event", N_("Void event"), id="case-void-event"),
    ]

    def __init__(self, view: CaseView) -> None:
        super().__init__()
        self.view = view

    @property
    def session(self) -> Any:
        desk: StatdeskApp = self.app  # type: ignore[assignment]
        return desk.session

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = (_("Card #{id}").format(id=self.view.card.id) + glyphs.DASH
                                + _("Esc to close"))
            yield Static("", id="case-limit")
            yield Static(_("Life of the case"), classes="case-part")
            yield DataTable(id="case-events", cursor_type="row", show_cursor=True)
            yield Static("", id="case-said")
            yield Static(_("Persons of the case"), classes="case-part")
            yield Static("", id="case-persons")
            yield Static(_("Problems"), classes="case-part")
            yield Static("", id="case-problems")
            yield Static(_("Card"), classes="case-part")
            yield Static("", id="case-values")
            yield Static(_("History"), classes="case-part history-title")
            yield Static("", id="card-history")

    def on_mount(self) -> None:
        table = self.query_one("#case-events", DataTable)
        for title in (_("Day"), _("Event"), _("Month"), _("Persons"), _("Days"), _("Note")):
            table.add_column(title)
        self.show()
        table.focus()

    def show(self) -> None:
        view, card = self.view, self.view.card
        line = limit_line(view.time_limit)
        self.query_one("#case-limit", Static).update(line)
        self.query_one("#case-limit", Static).display = bool(line)
        table = self.query_one("#case-events", DataTable)
        table.clear()
        for index, event in enumerate(view.events):
            kind = _(EVENT_NAMES.get(event.kind, event.kind))
            note = event.note
            if event.status == "void":
                kind = f"{glyphs.BAD} {kind}"
                note = _("void: {reason}").format(reason=event.void_reason)
            table.add_row(event.on_day, kind, event.month, str(event.persons),
                          str(event.days) if event.days else "", Text(fit(note, NOTE_CELLS)),
                          key=str(index))
        self.query_one("#case-persons", Static).update(self._persons())
        self.query_one("#case-problems", Static).update(self._problems())
        self.query_one("#case-values", Static).update(self._values())
        self.query_one("#card-history", Static).update(self._history())
        self.query_one("#case-said", Static).update(self._keys_hint(card))

    def _keys_hint(self, card: CardRecord) -> str:
        if card.status not in ("accepted", "reported"):
            return ""
        return _("{conclude}: conclude | {returned}: sent back | {resent}: re-sent | "
                 "{extended}: extend | {void}: void the event").format(
            conclude=key_of(self, "case-conclude"), returned=key_of(self, "case-returned"),
            resent=key_of(self, "case-resent"), extended=key_of(self, "case-extended"),
            void=key_of(self, "case-void-event"))

    def _named(self, table: str, value: str) -> str:
        name = self.view.names.get(f"{table}:{value}")
        return f"{value} {name}" if name and value else value or glyphs.NONE

    def _persons(self) -> Table:
        people = Table(box=None, expand=True, pad_edge=False)
        for title in ("#", _("Name or no."), _("Minor"), _("Charge"), _("Custody"),
                      _("Outcome"), _("Kind"), _("Plea")):
            people.add_column(title)
        yes = _("yes")
        for person in self.view.people:
            people.add_row(str(person.seq), Text(person.name or glyphs.NONE),
                           yes if person.minor else glyphs.NONE,
                           Text(self._named("charge", person.charge)),
                           Text(self.view.names.get(f"custody:{person.custody}", person.custody)
                                or glyphs.NONE),
                           Text(self._named("outcome", person.outcome)),
                           Text(self.view.names.get(f"outcome_kind:{person.outcome_kind}",
                                                    person.outcome_kind) or glyphs.NONE),
                           yes if person.plea else glyphs.NONE)
        return people

    def _problems(self) -> Text:
        """Each problem the rules find, with its code and text; or that there is none."""
        if not self.view.problems:
            return Text(glyphs.OK + " " + _("no problems found"))
        return Text("\n".join(describe(p) for p in self.view.problems))

    def _values(self) -> Table:
        card = self.view.card
        values = Table(box=None, show_header=False, expand=True, pad_edge=False)
        values.add_column(no_wrap=True, style="bold")
        values.add_column(ratio=1)
        values.add_row(_("Status"), _(STATUS.get(card.status, card.status)))
        for name, label, _table in VALUES:
            shown = said(self.view, name, getattr(card, name, ""))
            values.add_row(_(label), Text(shown))  # typed text is never markup
        if card.return_reason:
            values.add_row(_("Returned because"), Text(card.return_reason))
        return values

    def _history(self) -> Table:
        changes = Table(box=None, expand=True, pad_edge=False)
        for title in (_("When"), _("Who"), _("What"), _("Changes"), _("Why")):
            changes.add_column(title)
        for entry in self.view.history:
            what = ", ".join(
                f"{self._label(k)}: {said(self.view, k, (entry.old or {}).get(k))} "
                f"{glyphs.TO} {said(self.view, k, v)}"
                for k, v in (entry.new or {}).items()) if entry.old else ""
            changes.add_row(entry.at[:16].replace("T", " "), entry.by,
                            _(ACTIONS.get(entry.action, entry.action)), Text(what),
                            Text(entry.reason))
        return changes

    @staticmethod
    def _label(field: str) -> str:
        label = FIELDS.get(field, ("", ""))[0]
        return _(label) if label else field

    # --- conclude, record an event, void one ----------------------------------------------

    def action_conclude(self) -> None:
        if self.session is not None:
            self.app.push_screen(ConcludeDialog(self.session, self.view.card.id), self._changed)

    def action_event(self, kind: str) -> None:
        if self.session is not None:
            self.app.push_screen(EventDialog(self.session, self.view.card.id, kind),
                                 self._changed)

    def action_void_event(self) -> None:
        table = self.query_one("#case-events", DataTable)
        if self.session is None or not table.row_count:
            return
        event = self.view.events[table.cursor_row]
        if event.kind not in ("returned", "resent", "extended"):
            self.say(glyphs.BAD + " " + _("only a sent back, re-sent or extension event can be "
                                          "voided: move to one"))
        elif event.status == "void":
            self.say(glyphs.BAD + " " + _("this event is void already"))
        else:
            self.app.push_screen(VoidEventDialog(self.session, event), self._changed)

    def say(self, line: str) -> None:
        self.query_one("#case-said", Static).update(Text(line))

    def _changed(self, done: bool | None) -> None:
        if done:
            self.reload(self.view.card.id)

    @store_work("case-view")
    def reload(self, card_id: int) -> None:
        reply(self, self.Reloaded(read_case(card_id)))

    @on(Reloaded)
    def reloaded(self, message: Reloaded) -> None:
        self.view = message.view
        self.show()
        self.say(glyphs.OK + " " + _("Saved."))

    def show_trouble(self, line: str) -> None:
        self.say(glyphs.BAD + " " + line)
