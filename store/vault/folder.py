"""A data directory opened by this process: its lock, its failed-unlock log, its checks.

Light on purpose: the database layer is imported only when the store is
created or unlocked (see `store.opening`), so the app draws its login first.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from store.backups import leftovers
from store.errors import DataDirError, KeyslotError, NotAStore, StoreExists, UnlockDelayed
from store.i18n import _
from store.vault import keyslots, swap
from store.vault.dirlock import DirLock
from store.vault.failures import FailureLog
from store.vault.paths import SQLITE_HEADER, DataPaths

if TYPE_CHECKING:
    from store.vault.session import NewStore, Session


_notice: Callable[[str], None] | None = None


def on_notice(say: Callable[[str], None] | None) -> None:
    """Where a data folder says, once, what it changed on opening (the command line: stderr)."""
    global _notice
    _notice = say


def _tighten(root: Path) -> bool:
    """A folder others may read or enter is closed to them (0700); True if it was open."""
    if os.name != "posix":  # pragma: no cover - Windows folders have no such mode bits
        return False
    try:
        mode = stat.S_IMODE(os.stat(root).st_mode)
        if not mode & 0o077:
            return False
        os.chmod(root, 0o700)
    except OSError:  # not ours to change: opening goes on, the lock still protects the store
        return False
    return True


def _check_dir(root: Path, *, create: bool) -> None:
    if root.exists() and not root.is_dir():
        raise DataDirError(_("the data directory {root} is a file, not a folder").format(root=root))
    if not root.exists():
        if not create:
            raise DataDirError(_("no statdesk store at {root} (the folder does not exist); create "
                                 "one with `statdesk init --admin NAME`").format(root=root))
        try:
            root.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise DataDirError(_("cannot create the data directory {root}: {why}")
                               .format(root=root, why=exc.strerror)) from exc
    if not os.access(root, os.R_OK | os.W_OK | os.X_OK):
        raise DataDirError(_("cannot read and write the data directory {root}: permission denied")
                           .format(root=root))


class StoreDir:
    """A data directory opened by this process (holding its lock)."""

    tightened: bool
    """The folder was open to other users and was closed to them (0700) on opening."""
    leftovers_removed: list[str]
    """What a killed backup, verification or restore had left, removed on opening."""

    def __init__(self, paths: DataPaths, *, create: bool = False) -> None:
        _check_dir(paths.root, create=create)
        self.paths = paths
        self.failures = FailureLog(paths.failures)
        self._lock = DirLock(paths.lock)
        self._lock.acquire()
        try:
            self.tightened = _tighten(paths.root)
            swap.finish(paths)  # a restore a crash interrupted is completed first
            # An edited checksum file stops the tidying, not the opening: it is named when
            # its slot is used.
            with contextlib.suppress(KeyslotError):
                keyslots.tidy(paths.keys)
            self.leftovers_removed = leftovers.remove(paths)
        except BaseException:
            self._lock.release()
            raise
        if self.tightened and _notice is not None:
            _notice(_("the data directory {root} was open to other users; it is now closed to "
                      "them (mode 0700)").format(root=paths.root))

    def __enter__(self) -> StoreDir:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        import sys

        database = sys.modules.get("store.vault.database")
        if database is not None and not database.db.deferred:
            database.db.forget()
        self._lock.release()

    @property
    def has_store(self) -> bool:
        return self.paths.db.exists()

    def store_id_file(self) -> Path:
        return self.paths.keys / "store.id"

    # --- creating -------------------------------------------------------------------------

    def ensure_empty(self) -> None:
        """Refuse to create a store where one already is."""
        if self.has_store or self.paths.keys.exists():
            raise StoreExists(_("a statdesk store already exists at {root}; nothing was changed")
                              .format(root=self.paths.root))


    # --- creating and unlocking (in store.opening, loaded on first use) ------------------

    def init(self, admin: str, password: str, unit_name: str = "", display_name: str = "",
             announce: Callable[[str], None] | None = None) -> NewStore:
        """Create a new store with its first administrator and a recovery keyslot.

        `announce(code)` shows the recovery code before anything is committed: if it
        fails (say the terminal is gone), no store is left whose code nobody saw.
        """
        from store.vault import opening

        return opening.init(self, admin, password, unit_name, display_name, announce)

    def unlock(self, name: str, password: str) -> Session:
        """Open the store with an operator's password."""
        from store.vault import opening

        return opening.unlock(self, name, password)

    def recover(self, code: str) -> Session:
        """Open the store with the recovery code (acts as an administrator)."""
        from store.vault import opening

        return opening.recover(self, code)

    # --- checks -------------------------------------------------------------------------

    def require_store(self) -> None:
        if not self.has_store:
            raise DataDirError(_("no statdesk store at {root}; create one with "
                                 "`statdesk init --admin NAME`").format(root=self.paths.root))
        try:
            with open(self.paths.db, "rb") as handle:
                header = handle.read(16)
        except OSError as exc:
            raise DataDirError(_("cannot read {path}: {why}").format(
                path=self.paths.db, why=exc.strerror)) from exc
        if header == SQLITE_HEADER:
            raise NotAStore(_("{path} is an unencrypted SQLite file, not a statdesk store")
                            .format(path=self.paths.db))

    def wait_check(self, name: str) -> None:
        left = self.failures.seconds_left(name)
        if left > 0:
            raise UnlockDelayed(_("too many failed attempts: wait {s} s before trying again")
                                .format(s=int(left + 0.999)), left)

    def fail(self, name: str, error: Exception) -> Exception:
        self.failures.record(name)
        return error
