"""What a failing disk or database file means, in one line the operator can act on.

SQLite and the operating system report a full disk, a read-only file or a damaged
database in their own words ("disk I/O error", "cannot rollback - no transaction is
active"); the command line and the app both turn them into a StoreError here.
"""

from __future__ import annotations

import errno
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

from store.errors import (
    DiskFull,
    NotAStore,
    StorageFault,
    StoreDamaged,
    StoreError,
    StoreReadOnly,
)
from store.i18n import _
from store.vault.paths import DataPaths

_FULL = ("database or disk is full",)
_IO = ("disk i/o error",)
_READ_ONLY = ("attempt to write a readonly database", "readonly database",
              "unable to open database file")
_DAMAGED = ("database disk image is malformed", "file is not a database",
            "file is encrypted or is not a database", "malformed database schema")
_BUSY = ("database is locked", "database table is locked")
_ROLLBACK = "cannot rollback"


def _database_error(exc: BaseException) -> bool:
    """Any driver's DatabaseError (sqlcipher3, peewee's wrapper, sqlite3), without loading one."""
    kinds = [sys.modules[name].DatabaseError for name in
             ("sqlcipher3.dbapi2", "peewee", "sqlite3") if name in sys.modules]
    return any(isinstance(exc, kind) for kind in kinds)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, then what caused it or was being handled when it happened."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(seen) < 20:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def newest_backup(paths: DataPaths) -> Path | None:
    """The newest finished backup file in the data folder's backups/ (by time written)."""
    try:
        found = [(p.stat().st_mtime, p) for p in paths.backups.glob("*.sdbk") if p.is_file()]
    except OSError:
        return None
    return max(found)[1] if found else None


def _restore_advice(paths: DataPaths) -> str:
    from store.vault import paths as where

    try:
        elsewhere = paths.root != where.resolve(None).root
    except Exception:  # no platform data folder here: always name the folder
        elsewhere = True
    data_dir = f" --data-dir {shlex.quote(str(paths.root))}" if elsewhere else ""
    backup = newest_backup(paths)
    if backup is None:
        return _("there is no backup in {folder}: keep statdesk.db aside (rename it), then "
                 "restore a backup kept elsewhere with `statdesk restore FILE{data_dir} --user "
                 "NAME`").format(folder=paths.backups, data_dir=data_dir)
    return _("the newest backup in backups/ is {file}: keep statdesk.db aside (rename it), "
             "then run `statdesk restore {path}{data_dir} --user NAME` as an administrator of "
             "that backup").format(file=backup.name, path=shlex.quote(str(backup)),
                              data_dir=data_dir)


def damaged(paths: DataPaths, why: str) -> StoreDamaged:
    """statdesk.db cannot be read as a database: name the newest backup and how to restore it."""
    return StoreDamaged(_("{db} is damaged ({why}); {advice}").format(
        db=paths.db, why=why, advice=_restore_advice(paths)))


def _where(exc: OSError, paths: DataPaths | None) -> str:
    if exc.filename:
        return str(exc.filename)
    return str(paths.root) if paths is not None else _("the data folder")


def _from_os_error(exc: OSError, paths: DataPaths | None) -> StoreError | None:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return DiskFull(_("cannot write {file}: the disk is full (or the file has reached its "
                          "size limit); free some space and try again").format(
                              file=_where(exc, paths)))
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StoreReadOnly(_("cannot use {file}: it is read-only or not yours ({why})")
                             .format(file=_where(exc, paths), why=exc.strerror or exc))
    if exc.errno == errno.EIO:
        return StorageFault(_("reading or writing {file} failed: the disk reports an error "
                              "(it may be failing)").format(file=_where(exc, paths)))
    return None


def _from_database_error(exc: BaseException, paths: DataPaths | None) -> StoreError | None:
    text = str(exc).lower()
    db = str(paths.db) if paths is not None else "statdesk.db"
    if any(words in text for words in _FULL):
        return DiskFull(_("cannot write {db}: the disk is full; the last change was not saved. "
                          "Free some space and try again").format(db=db))
    if any(words in text for words in _IO):
        return StorageFault(_("reading or writing {db} failed (disk I/O error): the disk may be "
                              "full, read-only or failing; the last change was not saved")
                            .format(db=db))
    if any(words in text for words in _READ_ONLY):
        return StoreReadOnly(_("cannot write {db}: the file or its folder is read-only; the last "
                               "change was not saved").format(db=db))
    if any(words in text for words in _DAMAGED):
        if paths is None:
            return StoreDamaged(_("{db} is damaged ({why}); restore the newest backup").format(
                db=db, why=exc))
        return damaged(paths, str(exc))
    if any(words in text for words in _BUSY):
        return StorageFault(_("{db} is held by another program; close it and try again")
                            .format(db=db))
    return None


def explain(exc: BaseException, paths: DataPaths | None = None) -> StoreError | None:
    """The StoreError to show for `exc`, or None when it is an unexpected fault (a bug).

    A StoreError is shown as it is, except that a damaged store also names the newest
    backup. The whole chain of a database error is read: "cannot rollback - no transaction
    is active" hides the failure that made SQLite give the transaction up (a full disk, say).
    """
    if isinstance(exc, StorageFault):
        return exc
    if isinstance(exc, NotAStore):
        if paths is None or not paths.db.exists():
            return exc
        return StoreDamaged(f"{exc}; {_restore_advice(paths)}")
    if isinstance(exc, StoreError):
        return exc
    rollback = False
    for fault in _chain(exc):
        found: StoreError | None = None
        if isinstance(fault, OSError):
            found = _from_os_error(fault, paths)
        elif _database_error(fault):
            rollback = rollback or _ROLLBACK in str(fault).lower()
            found = _from_database_error(fault, paths)
        if found is not None:
            return found
    if rollback:
        return StorageFault(_("the last change was not saved: the database gave it up "
                              "({why})").format(why=exc))
    return None
