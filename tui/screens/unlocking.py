"""What the login, recovery and lock screens share: the unlock, off the UI thread, and the
growing wait after failed attempts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

from store.errors import StoreError
from store.i18n import _
from store.vault.policy import RECOVERY_ACTOR
from tui import glyphs
from tui.screens.base import BaseScreen
from tui.workers import Reply, reply, store_work

if TYPE_CHECKING:
    from store.settings import Settings
    from store.vault.session import Session


class WaitCountdown:
    """Shows the growing delay after failed attempts, counting down each second."""

    def __init__(self, screen: BaseScreen, message: Static, name: str) -> None:
        self.screen, self.message, self.name = screen, message, name
        self.counting = False

    def start(self) -> bool:
        """True while the operator must still wait (the message counts down, then clears)."""
        left = self.screen.desk.folder.failures.seconds_left(self.name)
        if left <= 0:
            if self.counting:
                self.message.update(_("You may try again now."))
            self.counting = False
            return False
        self.counting = True
        self.message.update(glyphs.BAD + " " + _("too many failed attempts: wait {s} s").format(
            s=int(left) + 1))
        self.screen.set_timer(min(1.0, left), self.start)
        return True


class UnlockScreen(BaseScreen):
    """A screen that unlocks the store: with an operator's password, or the recovery code
    (the operator named `RECOVERY_ACTOR`). A refusal (a wrong password, a wait) comes back as
    the screen's trouble (`show_trouble`)."""

    class Unlocked(Reply):
        """The store is open."""

        def __init__(self, session: Session, settings: Settings) -> None:
            super().__init__()
            self.session = session
            """The new session."""
            self.settings = settings
            """The store's settings, read with the session (language, idle lock)."""

    def unlock(self, name: str, secret: str) -> None:
        """Unlock once the session being closed (a lock, a logout) is closed; one unlock at a
        time (a second Enter must not leave the first one's session open behind it)."""
        if not any(worker.node is self and worker.group == "unlock" and not worker.is_finished
                   for worker in self.workers):
            self.desk.closer.when_closed(lambda: self.open_store(name, secret))

    @store_work("unlock", write=True)
    def open_store(self, name: str, secret: str) -> None:
        from store import settings  # the database layer loads with the first unlock

        folder = self.desk.folder
        session = folder.recover(secret) if name == RECOVERY_ACTOR else \
            folder.unlock(name, secret)
        try:
            found = settings.current()
        except StoreError:  # said where the setting is used (and fixed on the settings screen)
            found = settings.Settings()
        reply(self, self.Unlocked(session, found))
