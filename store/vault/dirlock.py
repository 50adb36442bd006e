"""One statdesk process per data directory: an OS lock on the folder and on `statdesk.lock`.

The operating system drops both locks when the process ends, even on SIGKILL,
so a crash never leaves the directory locked. The folder itself is locked
because a lock on a file can be deleted away: remove `statdesk.lock` and the
next process would lock a new file of the same name. A folder cannot be
removed while it holds the store. `statdesk.lock` is still locked too (older
statdesk versions look only there) and holds the pid shown to the next comer.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from store.errors import StoreBusy
from store.i18n import _

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt


def _same_file(fd: int, path: Path) -> bool:
    """Whether `path` still names the file (or folder) open as `fd`."""
    try:
        named = os.stat(path)
    except OSError:
        return False
    held = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def _try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class DirLock:
    """An exclusive lock held for the life of a store handle."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None
        self._folder_fd: int | None = None

    def _busy(self) -> StoreBusy:
        try:
            with open(self.path, encoding="utf-8", errors="replace") as handle:
                holder = handle.read(32).strip() or "?"
        except OSError:
            holder = "?"
        if not holder.isdigit():
            holder = "?"
        return StoreBusy(
            _("the data directory {root} is open in another statdesk process (pid {pid}); "
              "close that one first").format(root=self.path.parent, pid=holder))

    def _lock_folder(self) -> None:
        """Lock the folder itself: deleting or replacing `statdesk.lock` cannot undo this."""
        if fcntl is None:  # pragma: no cover - Windows: an open file cannot be deleted there
            return
        for _attempt in range(2):
            fd = os.open(self.path.parent, os.O_RDONLY | os.O_DIRECTORY)
            if not _try_flock(fd):
                os.close(fd)
                raise self._busy()
            if _same_file(fd, self.path.parent):
                self._folder_fd = fd
                return
            os.close(fd)  # the folder was swapped under us: lock the one the path names now
        raise self._busy()

    def _lock_file(self) -> IO[str]:
        for _attempt in range(2):
            handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
            try:
                if fcntl is not None:
                    locked = _try_flock(handle.fileno())
                else:  # pragma: no cover - Windows
                    try:
                        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
                        locked = True
                    except OSError:
                        locked = False
            except BaseException:
                handle.close()
                raise
            if not locked:
                handle.close()
                raise self._busy()
            if fcntl is None or _same_file(handle.fileno(), self.path):
                return handle
            handle.close()  # deleted or replaced between open and lock: lock what is there now
        raise self._busy()

    def acquire(self) -> None:
        self._lock_folder()
        try:
            handle = self._lock_file()
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
        except BaseException:
            self._release_folder()
            raise
        self._handle = handle

    def _release_folder(self) -> None:
        if self._folder_fd is not None:
            os.close(self._folder_fd)
            self._folder_fd = None

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        self._release_folder()

    @property
    def held(self) -> bool:
        return self._handle is not None
