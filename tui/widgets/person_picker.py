"""The one field for a person (or several): a short code or any part of a name, with the
candidates shown under the field as it is typed.

`PersonPicker` is an `Input`: the value the store gets is its text, which the store reads
with `people.find` / `people.find_several` (a short code, a name, or a part of one name).
Leaving the field takes the one person a part of a name names.
While candidates show, Up and Down move among them and Enter takes the one marked (the field
then reads the person's name, or their short code when two people share the name); a field
for one person then submits as Enter does on any field. With nothing typed, Enter takes the
suggestion the screen gave (`suggest`), shown as the field's placeholder. Esc hides the list.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.geometry import Offset
from textual.widgets import Input, Static

from store.custody import people
from store.custody.people import Person
from store.i18n import _
from tui.workers import Reply, StoreRoute, reply, store_work

LIMIT = 8
"""How many candidates show at most."""


class PersonCandidates(Static):
    """The candidates under a `PersonPicker`, drawn above the screen (its own layer, so that
    the screen's layout and a dialog's centring do not move when it shows)."""

    DEFAULT_CSS = """
    PersonCandidates {
        layer: _loading; width: auto; max-width: 60; height: auto; display: none;
        background: $panel; color: $text; padding: 0 1; constrain: inside inflect;
    }
    PersonCandidates:ansi { background: ansi_bright_black; color: ansi_bright_white; }
    """


class PersonPicker(StoreRoute, Input):
    """A field for a person, or for several separated by 、，or a comma (`several=True`);
    `roles` limits the candidates (the store still judges what is typed)."""

    class Loaded(Reply, bubble=False):
        """The active people on record, for the candidates."""

        def __init__(self, found: list[Person]) -> None:
            super().__init__()
            self.found = found

    def __init__(self, value: str = "", *, several: bool = False,
                 roles: tuple[str, ...] = (), placeholder: str = "",
                 id: str | None = None, compact: bool = False) -> None:
        super().__init__(value, placeholder=placeholder, id=id, compact=compact)
        self.several, self.roles = several, roles
        self.everyone: list[Person] = []
        """Every active person (read once): names shared across roles use the code."""
        self.shown: list[Person] = []
        """The candidates on show, the marked one at `marked`."""
        self.marked = 0
        self.suggested = ""
        """What Enter takes on an empty field (the screen's suggestion), or ""."""
        self.plain_placeholder = placeholder
        self.list: PersonCandidates | None = None

    def on_mount(self) -> None:
        self.load()

    def on_unmount(self) -> None:
        if self.list is not None and self.list.is_attached:
            self.list.remove()

    @store_work("people")
    def load(self) -> None:
        reply(self, self.Loaded(people.active()))

    @on(Loaded)
    def loaded(self, message: Loaded) -> None:
        self.everyone = message.found
        if self.has_focus:
            self.refresh_candidates()

    # --- what the screen tells it ------------------------------------------------------------

    def suggest(self, text: str, shown: str = "") -> None:
        """Offer `text` (a name or code) for Enter on the empty field, shown as the
        placeholder (as `shown`, when given); "" withdraws the offer."""
        self.suggested = text
        self.placeholder = (_("Enter: {name}").format(name=shown or text) if text
                            else self.plain_placeholder)

    # --- candidates ---------------------------------------------------------------------------

    def pool(self) -> list[Person]:
        return [p for p in self.everyone if not self.roles or p.role in self.roles]

    def typed_part(self) -> str:
        """What is being typed: the whole text, or its last part when several are typed."""
        if not self.several:
            return self.value
        return people.SEPARATORS.split(self.value)[-1]

    def refresh_candidates(self) -> None:
        typed = self.typed_part().strip()
        found = people.ranked(self.pool(), typed, LIMIT) if typed else []
        settled = len(found) == 1 and typed in (found[0].name, found[0].code,
                                                 self.written(found[0]))
        self.shown = [] if settled else found
        self.marked = 0
        self.draw()

    def draw(self) -> None:
        if not self.shown or not self.has_focus or not self.is_attached:
            if self.list is not None:
                self.list.display = False
                self.list.update("")
            return
        if self.list is None or not self.list.is_attached:
            self.list = PersonCandidates()
            self.screen.mount(self.list)
        lines = Text()
        for n, person in enumerate(self.shown):
            if n:
                lines.append("\n")
            lines.append(person.described(), style="reverse" if n == self.marked else "")
        self.list.update(lines)
        # as wide as the longest candidate and its padding (wide characters counted as two)
        self.list.styles.width = max(cell_len(p.described()) for p in self.shown) + 2
        self.list.absolute_offset = Offset(self.region.x, self.region.bottom)
        self.list.display = True

    def hide(self) -> None:
        self.shown = []
        self.draw()

    def written(self, person: Person) -> str:
        """How a taken person reads in the field: the name, or the short code when another
        active person has the same name."""
        same = [p for p in self.everyone if p.name == person.name]
        return person.name if len(same) <= 1 else person.code

    def take(self, person: Person) -> None:
        """The marked candidate goes in the field (in place of the part being typed)."""
        text = self.written(person)
        if self.several:
            typed = self.typed_part()
            head = self.value[:len(self.value) - len(typed)]
            text = head + text
        self.value = text
        self.cursor_position = len(text)
        self.hide()

    # --- keys ---------------------------------------------------------------------------------

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        if event.input is self:
            self.refresh_candidates()

    def on_focus(self) -> None:
        self.refresh_candidates()

    def on_blur(self) -> None:
        """Leaving the field (Tab) takes the one person the part typed names, as the store
        would read it; otherwise the text stays as typed, for the store to judge."""
        one = people.resolved(self.pool(), self.typed_part())
        if one is not None and self.typed_part().strip() != self.written(one):
            self.take(one)
        self.hide()

    async def _on_key(self, event: events.Key) -> None:
        if self.shown and event.key in ("up", "down"):
            step = 1 if event.key == "down" else -1
            self.marked = (self.marked + step) % len(self.shown)
            self.draw()
            event.stop()
            event.prevent_default()
            return
        if self.shown and event.key == "escape":
            self.hide()
            event.stop()
            event.prevent_default()
        # other keys: Input's own handler runs next (Textual calls each class's in turn)

    async def action_submit(self) -> None:
        """Enter: take the marked candidate (a field for several stays for the next one),
        or the suggestion on an empty field; then submit as any field does."""
        if self.shown:
            self.take(self.shown[self.marked])
            if self.several:
                return
        elif not self.value.strip() and self.suggested:
            self.value = self.suggested
            self.cursor_position = len(self.value)
        await super().action_submit()

