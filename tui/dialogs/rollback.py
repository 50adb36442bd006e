"""Acknowledging a rollback (administrators): the reason goes into the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.i18n import N_, _
from store.keys import rollback
from tui.dialogs.reason import ReasonDialog

if TYPE_CHECKING:
    from store.keys.rollback import Rollback
    from store.vault.session import Session


class AcknowledgeRollbackDialog(ReasonDialog):
    TITLE_TEXT = N_("Acknowledge the rollback")

    def __init__(self, session: Session, found: Rollback) -> None:
        super().__init__(found.describe(), _("Say what was found and what was entered again; "
                                             "it goes into the audit log."))
        self.session = session

    def save(self, values: dict[str, str]) -> object:
        rollback.acknowledge(self.session, values["reason"])
        return None
