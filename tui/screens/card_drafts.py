"""Esc on a changed card entry, and the card drafts: keep editing, discard, or (a new card)
keep the form as a draft, kept in the store per operator and taken up again with Ctrl+R
until it is saved or discarded. The card entry screen builds on this."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.widgets import Static

from store.cards import drafts
from store.cards.drafts import Draft
from store.cards.entry import CardInput
from store.cards.review import CardRecord
from store.i18n import _, ngettext
from tui import glyphs
from tui.dialogs.unsaved import UnsavedDialog
from tui.keys import key_of
from tui.screens.base import BaseScreen
from tui.widgets.card_fields import CodeFields
from tui.workers import Reply, reply, store_work


class DraftKeeping(CodeFields, BaseScreen):
    """A card form that asks before losing what was typed and keeps drafts. The screen gives
    `typed()` (the form as a card), `form_state()` (what Esc compares), `fill()` (a card on
    the form), `editing` (a stored card being changed: no drafts then) and a `#card-status`
    line; a binding to `take_draft` (id "card-drafts")."""

    class DraftsRead(Reply):
        """The operator's drafts still kept, newest first."""

        def __init__(self, kept: list[Draft]) -> None:
            super().__init__()
            self.kept = kept

    class DraftDone(Reply):
        """The form was kept as a draft (`kept`) or its draft discarded: the form closes."""

        def __init__(self, kept: bool) -> None:
            super().__init__()
            self.kept = kept

    editing: CardRecord | None = None
    """A stored card being changed (or, in a reported month, corrected with a reason)."""

    def __init__(self) -> None:
        super().__init__()
        self.kept: list[Draft] = []
        """The operator's drafts still kept (a new card only), newest first."""
        self.draft: Draft | None = None
        """The draft the form was taken up from (saved: it is used)."""
        self.clean: tuple[object, ...] = ()
        """The form as it was opened, taken up or saved: Esc asks only when it changed."""

    def typed(self) -> CardInput:
        raise NotImplementedError

    def form_state(self) -> tuple[object, ...]:
        raise NotImplementedError

    def fill(self, typed: CardInput) -> None:
        raise NotImplementedError

    def action_back(self) -> None:
        """Esc: an unchanged form closes; a changed one (or one taken up from a draft) asks
        whether to keep editing, discard, or (a new card) keep it as a draft."""
        if self.form_state() == self.clean and self.draft is None:
            super().action_back()
            return
        self.app.push_screen(UnsavedDialog(draft=self.editing is None), self._unsaved_answer)

    def _unsaved_answer(self, answer: str | None) -> None:
        session = self.desk.session
        if answer == "discard":
            if self.draft is not None and session is not None:
                self.close_draft(session, None, self.draft.id)
            else:
                super().action_back()
        elif answer == "draft" and session is not None:
            self.close_draft(session, self.typed(), self.draft.id if self.draft else None)

    @store_work("card-draft", write=True)
    def close_draft(self, session: Any, typed: CardInput | None, draft_id: int | None) -> None:
        """Keep the form as a draft (`typed`; replacing the draft it came from), or discard
        the draft it came from (`typed` None)."""
        if typed is None:
            assert draft_id is not None
            drafts.discard(session, draft_id)
        else:
            drafts.save(session, typed, replaces=draft_id)
        reply(self, self.DraftDone(typed is not None))

    @on(DraftDone)
    def draft_done(self, message: DraftDone) -> None:
        self.app.notify(_("The card entry is kept as a draft: {key} on the card entry takes "
                          "it up again.").format(key=key_of(self, "card-drafts"))
                        if message.kept else _("The draft is discarded."))
        self.app.pop_screen()

    @store_work("card-drafts")
    def read_drafts(self) -> None:
        session = self.desk.session
        if session is not None:
            reply(self, self.DraftsRead(drafts.kept(session)))

    @on(DraftsRead)
    def drafts_read(self, message: DraftsRead) -> None:
        self.kept = message.kept
        self.refresh_bindings()
        n = len(self.kept)
        if n and self.form_state() == self.clean:
            self.query_one("#card-status", Static).update(ngettext(
                "{n} card entry kept as a draft: {key} takes it up",
                "{n} card entries kept as drafts: {key} takes up the latest", n).format(
                    n=n, key=key_of(self, "card-drafts")))

    def action_take_draft(self) -> None:
        """The latest draft (pressed again: the one before) on the form, if the form has
        nothing of its own."""
        status = self.query_one("#card-status", Static)
        if not self.kept:
            return
        if self.form_state() != self.clean:
            status.update(glyphs.BAD + " " + _("save this card or press Esc before taking up "
                                               "a draft"))
            return
        ids = [d.id for d in self.kept]
        after = ids.index(self.draft.id) + 1 if self.draft and self.draft.id in ids else 0
        draft = self.kept[after % len(ids)]
        self.draft = draft
        self.fill(draft.typed)
        status.update(_("Draft of {at}: {name}").format(
            at=draft.saved_at[:16].replace("T", " "),
            name=draft.case_name or draft.case_no or glyphs.NONE))
