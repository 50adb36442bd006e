"""Putting a restored store in place so that a crash at any moment is finished at next open.

The verified snapshot and (for another store's backup) its keyslots are staged
beside the live ones; an intent file says a swap is under way; each step is a
rename, and `finish()` — run whenever the data folder is opened — completes
whatever a crash left. The replaced keyslots are kept, never deleted.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from store import clock
from store.vault.files import fsync_dir
from store.vault.paths import DataPaths


def staged_db(paths: DataPaths) -> Path:
    return paths.root / "statdesk.db.restoring"


def staged_keys(paths: DataPaths) -> Path:
    return paths.root / "statdesk.db.restoring.keys"


def intent(paths: DataPaths) -> Path:
    return paths.root / "restore-pending.json"



def begin(paths: DataPaths, replace_keys: bool, store_id: str, *,
          destroy_old_keys: bool = False) -> None:
    """The staged files are complete: record the intent, then finish the swap.

    `destroy_old_keys` (a key rotation): the replaced keyslots are overwritten and removed
    instead of kept, since they hold the master key being retired.
    """
    if replace_keys:
        (staged_keys(paths) / "store.id").write_text(store_id + "\n")
        for staged in staged_keys(paths).iterdir():
            with open(staged, "rb+") as handle:
                os.fsync(handle.fileno())
        fsync_dir(staged_keys(paths))
    with open(staged_db(paths), "rb+") as handle:
        os.fsync(handle.fileno())
    marker = intent(paths)
    marker.write_text(json.dumps({"replace_keys": replace_keys, "store_id": store_id,
                                  "destroy_old_keys": destroy_old_keys}))
    with open(marker, "rb+") as handle:
        os.fsync(handle.fileno())
    fsync_dir(paths.root)
    finish(paths)


def finish(paths: DataPaths) -> bool:
    """Complete a swap a crash interrupted (or the one just begun); True if one was done."""
    marker = intent(paths)
    if not marker.exists():
        return False
    try:
        plan = json.loads(marker.read_text())
        replace_keys = bool(plan.get("replace_keys"))
        destroy = bool(plan.get("destroy_old_keys"))
    except (OSError, ValueError, AttributeError):
        # The intent is written (and synced) only once everything is staged: a damaged one
        # was cut short while being written, before anything was swapped.
        marker.unlink()
        fsync_dir(paths.root)
        return False
    retired = paths.root / "keys.retired"
    if staged_db(paths).exists():
        for stale in (Path(f"{paths.db}-wal"), Path(f"{paths.db}-shm")):
            stale.unlink(missing_ok=True)
        os.replace(staged_db(paths), paths.db)
    if replace_keys and staged_keys(paths).exists():
        if paths.keys.exists():
            kept = retired if destroy else _free(
                paths.root / f"keys.before-restore-{clock.now().strftime('%Y%m%dT%H%M%S')}")
            os.replace(paths.keys, kept)
        os.replace(staged_keys(paths), paths.keys)
    fsync_dir(paths.root)
    if destroy and retired.exists():
        _destroy(retired)
    marker.unlink()
    fsync_dir(paths.root)
    return True


def _free(path: Path) -> Path:
    """`path`, or `path-2`, `path-3`, … if taken (two restores within one second)."""
    candidate, counter = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}-{counter}")
        counter += 1
    return candidate


def _destroy(folder: Path) -> None:
    """Overwrite every file of a retired keys folder, then remove it."""
    from store.vault.keyslots import shred

    for child in folder.iterdir():
        shred(child)
    folder.rmdir()
