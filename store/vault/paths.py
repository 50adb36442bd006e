"""Every path statdesk uses comes from here (one data directory, see DESIGN.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_DATA_DIR = "STATDESK_DATA_DIR"
SQLITE_HEADER = b"SQLite format 3\x00"
"""The first bytes of an unencrypted SQLite file (an encrypted one starts with its salt)."""


@dataclass(frozen=True)
class DataPaths:
    """The files and folders of one data directory."""

    root: Path

    @property
    def db(self) -> Path:
        return self.root / "statdesk.db"

    @property
    def keys(self) -> Path:
        return self.root / "keys"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def lock(self) -> Path:
        return self.root / "statdesk.lock"

    @property
    def failures(self) -> Path:
        """Failed unlocks waiting to be written to the audit log (no secrets)."""
        return self.root / "unlock-failures.json"

    @property
    def demo_marker(self) -> Path:
        """Present only in the demo store's folder."""
        return self.root / "DEMO-STORE.txt"

    def keyslot(self, label: str) -> Path:
        return self.keys / f"{label}.key"

    @property
    def recovery_slot(self) -> Path:
        return self.keys / "recovery.slot"


def default_root() -> Path:
    """The real store's folder: `STATDESK_DATA_DIR`, else the platform data folder."""
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    import appdirs  # only when needed: it costs a few ms at start

    return Path(appdirs.user_data_dir("statdesk", appauthor=False))


def demo_root() -> Path:
    """The demo store's folder: beside the real one, never the real one."""
    import appdirs

    return Path(appdirs.user_data_dir("statdesk-demo", appauthor=False))


def resolve(data_dir: str | os.PathLike[str] | None) -> DataPaths:
    """`--data-dir` wins over `STATDESK_DATA_DIR`, which wins over the default."""
    root = Path(data_dir).expanduser() if data_dir else default_root()
    return DataPaths(root.absolute())
