"""Errors a clerk can act on: each carries one clear, translated line."""

from __future__ import annotations

import unicodedata


class StoreError(Exception):
    """Base of every error the store reports to the operator."""

    def __init__(self, message: str) -> None:
        # One line, always: typed names and paths may carry newlines or undecodable bytes.
        message = "".join(ch if unicodedata.category(ch) not in ("Cc", "Cs") else "?"
                          for ch in message)
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DataDirError(StoreError):
    """The data directory is missing, unreadable or holds no store."""


class StoreExists(StoreError):
    """`init` was asked to create a store where one already is."""


class StoreBusy(StoreError):
    """Another statdesk process has this data directory open."""


class NotAStore(StoreError):
    """statdesk.db is not a statdesk store, or it is damaged."""


class UnknownOperator(StoreError):
    """No operator of that name."""


class WrongPassword(StoreError):
    """The password (or recovery code) does not unlock the keyslot."""


class OperatorDisabled(StoreError):
    """The operator was disabled and can no longer unlock."""


class UnlockDelayed(StoreError):
    """Too many failed unlocks: wait before the next attempt."""

    def __init__(self, message: str, seconds_left: float) -> None:
        super().__init__(message)
        self.seconds_left = seconds_left


class KeyslotError(StoreError):
    """A keyslot file is corrupt or belongs to another store."""


class InvalidInput(StoreError):
    """A value the operator typed cannot be accepted as it is."""


class NotAllowed(StoreError):
    """The acting operator's role does not allow this."""


class FieldError(InvalidInput):
    """Bad input whose message belongs beside one field of a form: `field` names it."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class RuleRefused(NotAllowed):
    """A rule of the office forbids it; the message starts with the rule, e.g. "B2: …"."""

    def __init__(self, rule: str, message: str, field: str = "") -> None:
        super().__init__(f"{rule}: {message}")
        self.rule, self.field = rule, field


class NewerStore(StoreError):
    """The store (or a backup) was written by a newer statdesk: never opened, never downgraded."""


class UpgradeFailed(StoreError):
    """An older store could not be upgraded (its safety backup failed): nothing was changed."""


class StorageFault(StoreError):
    """The disk or the database file failed under statdesk: full, read-only or damaged."""


class DiskFull(StorageFault):
    """No room left on the disk holding the data folder (or a file size limit was reached)."""


class StoreReadOnly(StorageFault):
    """The data folder or statdesk.db cannot be written."""


class StoreDamaged(StorageFault, NotAStore):
    """statdesk.db is damaged: the message names the newest backup and how to restore it."""
