"""One statdesk process per data directory: an OS lock on `statdesk.lock`.

The operating system drops the lock when the process ends, even on SIGKILL,
so a crash never leaves the directory locked.
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


class DirLock:
    """An exclusive lock held for the life of a store handle."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        try:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:  # pragma: no cover - Windows
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise StoreBusy(
                _("the data directory {root} is open in another statdesk process (pid {pid}); "
                  "close that one first").format(root=self.path.parent, pid=holder)
            ) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    @property
    def held(self) -> bool:
        return self._handle is not None
