"""Backup retention (C8): twelve months and the last thirty days kept, older ones removed and
audited; never another data folder's backups, an external medium's or a safety copy."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from store import settings
from store.backups import make as backups
from store.backups.restore import restore
from store.backups.verify import from_password
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from tests.conftest import ADMIN_PW, Store


def test_retention_keeps_twelve_months_and_thirty_days(admin_dir: StoreDir,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from store import clock

    session = admin_dir.session  # type: ignore[attr-defined]
    start = datetime(2025, 1, 10, 9, 0).astimezone()
    moments = [start + timedelta(days=d) for d in range(0, 700, 20)]
    for moment in moments:
        monkeypatch.setattr(clock, "now", lambda m=moment: m)
        backups.make(session)
    kept = [b for b in backups.list_backups() if b.status == "kept"]
    removed = [b for b in backups.list_backups() if b.status == "removed"]
    today = moments[-1].date()
    assert removed and all(not b.path.exists() for b in removed)
    assert all(b.path.exists() for b in kept)
    months = {b.taken_at[:7] for b in kept}
    assert len(months) == 12
    recent = [b for b in backups.list_backups()
              if (today - datetime.fromisoformat(b.taken_at).date()).days <= 30]
    assert all(b.status == "kept" for b in recent)
    from store.audit import log as audit

    assert any(e.action == "backup.remove" for e in audit.recent(100))


def test_retention_never_touches_another_data_folders_backups(store: Store,
                                                             tmp_path: Path) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        originals = [backups.make(session) for _ in range(3)]
        session.close()
    fresh = DataPaths(tmp_path / "drill")
    with StoreDir(fresh, create=True) as folder:
        restore(folder, originals[-1].path, from_password("admin", ADMIN_PW), "admin", None)
        session = folder.unlock("admin", ADMIN_PW)
        session_settings = settings
        session_settings.set_value(session, "backup_keep_days", "1")
        session_settings.set_value(session, "backup_keep_months", "1")
        for _ in range(3):
            backups.make(session)
        session.close()
    assert all(info.path.exists() for info in originals)


def test_retention_spares_external_media_and_safety_copies(admin_dir: StoreDir, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from store import clock

    session = admin_dir.session  # type: ignore[attr-defined]
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 1, 5, 9).astimezone())
    external = backups.make(session, usb)
    safety = backups.make(session, kind="safety")
    for day in range(0, 800, 30):
        moment = datetime(2024, 2, 1, 9).astimezone() + timedelta(days=day)
        monkeypatch.setattr(clock, "now", lambda m=moment: m)
        backups.make(session)
    assert external.path.exists() and safety.path.exists()
    kinds = {b.file_name: b.status for b in backups.list_backups(500)}
    assert kinds[external.file_name] == "kept" and kinds[safety.file_name] == "kept"
