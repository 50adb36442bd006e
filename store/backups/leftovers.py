"""What a killed backup, verification or restore left in the data folder, removed at the next open.

Each of these is work in progress of a process that held the folder's lock; once the
lock is ours again, no one is using them. A finished backup (`*.sdbk`) is never touched,
nor a restore that an intent file says is under way (`store.swap` finishes that first).
Nothing here follows a symbolic link: a link planted under one of these names is itself
removed, never what it points to.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from store.vault import swap
from store.vault.paths import DataPaths

BACKUP_SUFFIX, PARTIAL = ".sdbk", ".part"
"""As in `store.backup_file` (not imported: opening a folder stays light)."""

WORK_FOLDERS = (".backup-*", ".verify-*")
"""Where a backup packs its parts and a verification unpacks them (`tempfile.mkdtemp`)."""

FAILURE_TEMPS = (".unlock-failures-*.tmp", "unlock-failures.json.tmp")


def _remove(path: Path) -> bool:
    with contextlib.suppress(OSError):
        if path.is_symlink() or not path.is_dir():
            path.unlink()
        else:
            shutil.rmtree(path)
        return True
    return False


def remove_partial_backups(folder: Path) -> list[str]:
    """`*.sdbk.part` files in `folder`: backups that never finished (the finished keep `.sdbk`)."""
    if not folder.is_dir():
        return []
    return [p.name for p in sorted(folder.glob(f"*{BACKUP_SUFFIX}{PARTIAL}"))
            if not p.is_dir() and _remove(p)]


def remove_work_folders(root: Path, patterns: tuple[str, ...] = WORK_FOLDERS) -> list[str]:
    """The work folders of backups and verifications in the data folder."""
    return [p.name for pattern in patterns for p in sorted(root.glob(pattern)) if _remove(p)]


def remove(paths: DataPaths) -> list[str]:
    """Remove every leftover of a killed process from the data folder; their names."""
    removed = [f"backups/{name}" for name in remove_partial_backups(paths.backups)]
    removed += remove_work_folders(paths.root)
    candidates = [p for pattern in FAILURE_TEMPS for p in sorted(paths.root.glob(pattern))]
    if not swap.intent(paths).exists():  # else a restore is under way: swap.finish owns them
        candidates += sorted(paths.root.glob(f"{swap.staged_db(paths).name}*"))
    removed += [p.name for p in candidates if _remove(p)]
    return removed
