"""Restore a backup (administrators): verify, keep a safety copy, swap atomically, record it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from store import clock, migrations
from store.backups import make as backups
from store.backups.file import BackupError
from store.backups.models import Backup
from store.backups.verify import KeySource, verify
from store.errors import NotAllowed
from store.i18n import _
from store.vault import cipher, swap, upgrade
from store.vault.database import db, execute
from store.vault.policy import RECOVERY_ACTOR
from store.vault.session import Actor, Session

if TYPE_CHECKING:
    from store.vault.folder import StoreDir


@dataclass(frozen=True)
class Restored:
    backup: str
    taken_at: str
    safety_copy: str | None
    store_id: str


def _operator_is_admin(snapshot: Path, key: bytes, salt: bytes, name: str) -> bool:
    conn = cipher.connect_raw(str(snapshot), key, salt)
    try:
        found = conn.execute("SELECT role, status FROM operator WHERE name = ?",
                             (name,)).fetchone()
    finally:
        conn.close()
    if found is None:
        return False
    role, status = found
    return bool(role == "admin" and status == "active")


def restore(folder: StoreDir, path: Path, key_source: KeySource, actor: str,
            session: Session | None, other_store: bool = False,
            progress: Callable[[str, float], None] | None = None) -> Restored:
    """Replace the store in `folder` with the backup at `path`.

    With an open `session` (an administrator of the current store), the current
    database is first kept as a safety backup; without one, the folder must hold
    no store, and `actor` must be an administrator in the backup itself.
    """
    report = progress or (lambda _what, _share: None)
    if session is not None:
        session.require_admin()
    elif folder.has_store:
        raise NotAllowed(_("log in as an administrator of the current store to replace it"))
    incoming, incoming_keys = swap.staged_db(folder.paths), swap.staged_keys(folder.paths)
    incoming.unlink(missing_ok=True)
    shutil.rmtree(incoming_keys, ignore_errors=True)
    report(_("verifying the backup"), 0.05)
    checked = verify(path, key_source, lambda share: report(_("verifying the backup"),
                                                              0.05 + 0.45 * share), incoming,
                     work_root=folder.paths.root)
    if not checked.ok:
        raise BackupError(_("the backup failed verification, nothing was changed: {what}")
                          .format(what=checked.failure))
    manifest = checked.manifest
    store_id = str(manifest.get("store_id", ""))
    try:
        assert checked.facts is not None
        upgrade.refuse_newer_backup(path.name, checked.facts.schema, checked.facts.version
                                    or str(manifest.get("statdesk", "")))
        same_store = session is not None and store_id == session.store_id
        if session is not None and not same_store and not other_store:
            raise BackupError(_("{file} is a backup of another store; nothing was changed (to "
                                "replace this store with it, say so explicitly)").format(
                                    file=path.name))
        assert checked.key_material is not None
        key, salt = checked.key_material
        if session is None and actor != RECOVERY_ACTOR and \
                not _operator_is_admin(incoming, key, salt, actor):
            raise NotAllowed(_("{name} is not an active administrator in that backup").format(
                name=actor))
        safety = None
        if session is not None:
            report(_("keeping the current store as a safety copy"), 0.5)
            safety = backups.make(session, kind="safety",
                                  progress=lambda _w, s: report(
                                      _("keeping the current store as a safety copy"),
                                      0.5 + 0.3 * s))
            session.close()
        report(_("putting the backup in place"), 0.85)
        swap.begin(folder.paths, replace_keys=not same_store, store_id=store_id)
    finally:
        if not swap.intent(folder.paths).exists():  # a begun swap is finished, never undone
            incoming.unlink(missing_ok=True)
            shutil.rmtree(incoming_keys, ignore_errors=True)
    _record(folder, key, salt, store_id, actor, path, manifest, safety)
    report(_("done"), 1.0)
    return Restored(path.name, str(manifest.get("taken_at", "")),
                    safety.file_name if safety else None, store_id)


def _list_restored_backup(path: Path, manifest: dict[str, object], actor: str,
                          backups_dir: Path) -> None:
    """The restored snapshot predates its own backup's record: list that backup again."""
    import hashlib

    if Backup.get_or_none(Backup.file_name == path.name) is not None:
        return
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    Backup.insert(file_name=path.name, folder=str(path.parent.absolute()),
                  kind=str(manifest.get("kind", "monthly")),
                  external=int(path.parent.absolute() != backups_dir.absolute()),
                  taken_at=str(manifest.get("taken_at", "")),
                  taken_by=str(manifest.get("taken_by", "")), size=path.stat().st_size,
                  sha256=digest.hexdigest(), audit_head=int(str(manifest.get("audit_head", 0))),
                  verified_at=clock.stamp(), verified_by=actor, status="kept").execute()


def _record(folder: StoreDir, key: bytes, salt: bytes, store_id: str, actor: str, path: Path,
            manifest: dict[str, object], safety: backups.BackupInfo | None) -> None:
    """Open the restored store and write who restored what, when, and the safety copy kept."""
    db.open_with(str(folder.paths.db), key, salt)
    session = Session(folder.paths, store_id, Actor(actor, "admin", actor), key, salt)
    try:
        with db.atomic():
            pending = migrations.pending()
            if pending:  # an older snapshot: the backup restored holds it as it was
                upgrade.migrate(session, upgrade.Plan(upgrade.recorded_version(),
                                                      migrations.store_schema(), pending, None),
                                path.name)
            _list_restored_backup(path, manifest, actor, folder.paths.backups)
            if safety is not None:
                Backup.insert(file_name=safety.file_name, folder=safety.folder, kind="safety",
                              external=0, taken_at=safety.taken_at, taken_by=safety.taken_by,
                              size=safety.size, sha256=safety.sha256,
                              audit_head=safety.audit_head, verified_at=safety.verified_at,
                              verified_by=actor, status="kept").execute()
            session.audit.append(actor, "store.restore", "backup", path.name, new={
                "backup": path.name, "taken_at": manifest.get("taken_at"),
                "taken_by": manifest.get("taken_by"), "audit_head": manifest.get("audit_head"),
                "safety_copy": safety.file_name if safety else None,
                "replaced_head": safety.audit_head if safety else None,
                "restored_at": clock.stamp()})
        execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        session.close()
