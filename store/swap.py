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
from store.files import fsync_dir
from store.paths import DataPaths


def staged_db(paths: DataPaths) -> Path:
    return paths.root / "statdesk.db.restoring"


def staged_keys(paths: DataPaths) -> Path:
    return paths.root / "statdesk.db.restoring.keys"


def intent(paths: DataPaths) -> Path:
    return paths.root / "restore-pending.json"



def begin(paths: DataPaths, replace_keys: bool, store_id: str) -> None:
    """The staged files are complete: record the intent, then finish the swap."""
    if replace_keys:
        (staged_keys(paths) / "store.id").write_text(store_id + "\n")
    with open(staged_db(paths), "rb+") as handle:
        os.fsync(handle.fileno())
    marker = intent(paths)
    marker.write_text(json.dumps({"replace_keys": replace_keys, "store_id": store_id}))
    fsync_dir(paths.root)
    finish(paths)


def finish(paths: DataPaths) -> bool:
    """Complete a swap a crash interrupted (or the one just begun); True if one was done."""
    marker = intent(paths)
    if not marker.exists():
        return False
    replace_keys = bool(json.loads(marker.read_text()).get("replace_keys"))
    if staged_db(paths).exists():
        for stale in (Path(f"{paths.db}-wal"), Path(f"{paths.db}-shm")):
            stale.unlink(missing_ok=True)
        os.replace(staged_db(paths), paths.db)
    if replace_keys and staged_keys(paths).exists():
        if paths.keys.exists():
            kept = paths.root / f"keys.before-restore-{clock.now().strftime('%Y%m%dT%H%M%S')}"
            os.replace(paths.keys, kept)
        os.replace(staged_keys(paths), paths.keys)
    fsync_dir(paths.root)
    marker.unlink()
    fsync_dir(paths.root)
    return True
