"""Monthly backups (C8): make one while the app works, verify it, keep the right ones.

A snapshot is exported with `ATTACH … KEY` + `sqlcipher_export` on its own
connection (one read transaction: a consistent state while other work is
saved), checked, packed with the keyslots into a `.sdbk` under a `.part`
name, hashed again from the medium, and only then renamed.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from store import clock, operators, settings
from store.audit import log as audit
from store.backups import file as backup_file
from store.backups.file import BackupError
from store.backups.models import Backup
from store.backups.snapshots import SnapshotFacts, snapshot_facts
from store.i18n import N_, _
from store.vault import cipher
from store.vault.database import db
from store.vault.files import fsync_dir
from store.vault.session import Session
from store.versions import VERSION

Phase = Callable[[str, float], None]
"""Progress: what is being done, and the share of the whole done so far (0–1)."""

_NAME_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass(frozen=True)
class BackupInfo:
    id: int
    file_name: str
    folder: str
    kind: str
    external: bool
    taken_at: str
    taken_by: str
    size: int
    sha256: str
    audit_head: int
    verified_at: str | None
    status: str

    @property
    def path(self) -> Path:
        return Path(self.folder) / self.file_name


def _info(row: Backup) -> BackupInfo:
    return BackupInfo(row.id, row.file_name, row.folder, row.kind, bool(row.external),
                      row.taken_at, row.taken_by, row.size, row.sha256, row.audit_head,
                      row.verified_at, row.status)


def list_backups(limit: int = 200) -> list[BackupInfo]:
    """Backups recorded, newest first; `taken_by` is the operator's name, as shown."""
    names = operators.display_names()
    return [replace(_info(r), taken_by=operators.display_name(r.taken_by, names))
            for r in Backup.select().order_by(Backup.taken_at.desc()).limit(limit)]


@dataclass(frozen=True)
class BackupStatus:
    """For the dashboard: the last backup, and whether this month's is done (C8)."""

    last: BackupInfo | None
    this_month_done: bool
    remind_from: date
    remind: bool


def first_working_day(year: int, month: int) -> date:
    """The month's first working day, after holidays and with make-up working days."""
    from datetime import timedelta

    from store import holidays

    first = date(year, month, 1)
    listed = holidays.listed_between(first, first + timedelta(days=20))
    day = first
    while not holidays.is_working_day(day, listed):
        day += timedelta(days=1)
    return day


def status(today: date | None = None) -> BackupStatus:
    today = today or clock.today()
    kept = Backup.select().where((Backup.status == "kept") & (Backup.kind == "monthly"))
    last_row = kept.order_by(Backup.taken_at.desc()).first()
    month = today.strftime("%Y-%m")
    done = kept.where(Backup.taken_at.startswith(month)
                      & Backup.verified_at.is_null(False)).exists()
    start = first_working_day(today.year, today.month)
    return BackupStatus(_info(last_row) if last_row else None, done, start,
                        not done and today >= start)


def _safe(text: str) -> str:
    return _NAME_UNSAFE.sub("_", text.strip()).strip("._")


def file_name(unit: str, when: datetime, kind: str, upgrade_from: str | None = None,
              counter: int = 1) -> str:
    """`某某县人民检察院-2026-11-30T0915.sdbk` (safety copies say so in the name).

    The copy kept before an upgrade ends `-before-upgrade-<the version that wrote it>`.
    Labels and times already in `unit` are dropped, so names never grow from copy to copy.
    """
    stem = _safe(unit)
    while True:
        shorter = re.sub(r"(?:^|-)(?:before-restore|before-upgrade-[^-]*"
                         r"|\d{4}-\d\d-\d\dT\d{4}(?:-\d+)?)|\.sdbk$", "", stem,
                         flags=re.IGNORECASE)
        if shorter == stem:
            break
        stem = shorter
    stem = stem.strip("._-")[:60] or "statdesk"
    label = "-before-restore" if kind == "safety" and upgrade_from is None else ""
    again = f"-{counter}" if counter > 1 else ""
    tail = f"-before-upgrade-{_safe(upgrade_from)[:20] or 'unknown'}" \
        if upgrade_from is not None else ""
    return f"{stem}{label}-{when.strftime('%Y-%m-%dT%H%M')}{again}{tail}{backup_file.SUFFIX}"


def _check_target(folder: Path, default: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise BackupError(_("{folder} is a file, not a folder").format(folder=folder))
    if default:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _space_error(exc, folder) from exc
    if not folder.is_dir():
        raise BackupError(_("the backup folder {folder} does not exist").format(folder=folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BackupError(_("cannot write to {folder}: it is read-only or not yours").format(
            folder=folder))


def _tidy(folder: Path, data_root: Path) -> None:
    """Remove what a backup killed half-way left (never a finished `.sdbk`).

    The data folder is tidied whenever it is opened (`store.leftovers`); this also covers
    an outside folder given with `--to`. Safe: the data directory's lock means no other
    backup of this store is running. A link planted under such a name is itself removed.
    """
    from store.backups import leftovers

    leftovers.remove_partial_backups(folder)
    leftovers.remove_work_folders(data_root, (".backup-*",))


def _export(session: Session, target: Path) -> None:
    """A consistent encrypted snapshot of the database, on a connection of its own."""
    key, salt = session.key_material()
    conn = cipher.connect_raw(str(session.paths.db), key, salt)
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("ATTACH DATABASE ? AS bk KEY ?",
                     (str(target), cipher.raw_key_literal(key, salt)))
        conn.execute("SELECT sqlcipher_export('bk')")
        conn.execute("DETACH DATABASE bk")
    except cipher.DatabaseError as exc:
        raise BackupError(_("cannot take the snapshot in the data folder {folder} (is its disk "
                            "full?): {why}").format(folder=session.paths.root, why=exc)) from exc
    finally:
        conn.close()


def _space_error(exc: OSError, folder: Path) -> BackupError:
    if exc.errno in (28, 27, 122):  # ENOSPC, EFBIG, EDQUOT
        return BackupError(_("not enough space in {folder} for the backup; nothing was kept")
                           .format(folder=folder))
    return BackupError(_("cannot write the backup to {folder}: {why}").format(
        folder=folder, why=exc.strerror or exc))


@dataclass(frozen=True)
class Written:
    """A backup file written and read back as verified, not yet recorded in the store."""

    path: Path
    kind: str
    external: bool
    when: datetime
    audit_head: int
    sha256: str
    size: int


def make(session: Session, target_dir: Path | None = None, kind: str = "monthly",
         progress: Phase | None = None) -> BackupInfo:
    """Take, check, pack and verify a backup; record it; apply the keeping rules."""
    report = progress or (lambda _what, _share: None)
    written = write_verified(session, settings.current().unit_name, target_dir, kind, progress)
    info = _record(session, written)
    if not written.external and kind == "monthly":
        apply_retention(session)
    report(_("done"), 1.0)
    return info


def write_verified(session: Session, unit: str, target_dir: Path | None = None,
                   kind: str = "monthly", progress: Phase | None = None,
                   upgrade_from: str | None = None) -> Written:
    """Take, check, pack and verify a backup file; the store itself is only read.

    Reads no table through the models, so it serves a store whose schema is older
    than this statdesk's too (the copy kept before an upgrade names `upgrade_from`).
    """
    report = progress or (lambda _what, _share: None)
    default = target_dir is None
    folder = (session.paths.backups if default else Path(target_dir or "")).absolute()
    _check_target(folder, default)
    _tidy(folder, session.paths.root)
    when = clock.now()
    name = file_name(unit, when, kind, upgrade_from)
    counter = 2
    while (folder / name).exists():
        name = file_name(unit, when, kind, upgrade_from, counter)
        counter += 1
    final, part = folder / name, folder / (name + backup_file.PARTIAL)
    key, salt = session.key_material()
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=session.paths.root))
    try:
        report(_("taking the snapshot"), 0.05)
        snapshot = work / backup_file.SNAPSHOT
        _export(session, snapshot)
        keyfiles = sorted(p for p in session.paths.keys.iterdir()
                          if p.is_file() and not p.name.endswith((".new", ".tmp", ".seen")))
        total = sum(p.stat().st_size for p in [snapshot, *keyfiles])
        report(_("checking and writing the snapshot"), 0.35)
        with ThreadPoolExecutor(max_workers=1) as pool:  # checks run while the file is written
            checking = pool.submit(snapshot_facts, snapshot, key, salt)

            def manifest() -> dict[str, object]:
                facts = checking.result()
                if not facts.sound or facts.store_id != session.store_id:
                    found = facts.cipher_problems + facts.integrity_problems
                    raise BackupError(_("the snapshot failed its checks: {what}").format(
                        what="; ".join(found[:3]) or _("wrong store")))
                return {"store_id": session.store_id,
                        "taken_at": when.isoformat(timespec="seconds"),
                        "taken_by": session.actor.name, "statdesk": VERSION,
                        "counts": facts.counts, "audit_head": facts.audit_head, "kind": kind}

            try:
                file_sha = backup_file.write(
                    part, snapshot, keyfiles, manifest, key, salt,
                    lambda n: report(_("checking and writing the snapshot"),
                                     0.35 + 0.45 * min(n / total, 1.0)))
                head = checking.result().audit_head
                report(_("verifying what was written"), 0.8)
                written = backup_file.unpack(part, None,
                                             lambda n: report(_("verifying what was written"),
                                                              0.8 + 0.15 * min(n / total,
                                                                               1.0)))
            except OSError as exc:
                raise _space_error(exc, folder) from exc
        genuine = written.mac == backup_file.manifest_mac(key, written.manifest_bytes) and \
            (backup_file.peek(part, key, salt) or {}).get("store_id") == session.store_id
        if written.problems() or not genuine:
            raise BackupError(_("the backup did not read back as written: {what}").format(
                what="; ".join(written.problems()[:2]) or _("manifest")))
        os.replace(part, final)
        fsync_dir(folder)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Written(final, kind, not default, when, head, file_sha, final.stat().st_size)


def record_written(session: Session, written: Written) -> BackupInfo:
    """List a written backup in the backup table (the caller holds the transaction and
    writes the audit entry that names it)."""
    stamp = written.when.isoformat(timespec="seconds")
    row_id = Backup.insert(
        file_name=written.path.name, folder=str(written.path.parent), kind=written.kind,
        external=written.external, taken_at=stamp, taken_by=session.actor.name,
        size=written.size, sha256=written.sha256, audit_head=written.audit_head,
        verified_at=stamp, verified_by=session.actor.name, status="kept").execute()
    return _info(Backup.get_by_id(row_id))


def _record(session: Session, written: Written) -> BackupInfo:
    with db.atomic():
        info = record_written(session, written)
        session.audit.append(session.actor.name, "backup.make", "backup", written.path.name,
                             new={"folder": str(written.path.parent),
                                  "external": written.external, "kind": written.kind,
                                  "size": written.size, "sha256": written.sha256,
                                  "audit_head": written.audit_head})
    return info


@dataclass(frozen=True)
class NewerBackup:
    """A backup file holding audit entries the live store does not: it was rolled back."""

    path: Path
    taken_at: str
    audit_head: int
    """The audit head the backup's snapshot holds (the live store's is lower)."""
    kind: str


def newer_than_live(session: Session) -> list[NewerBackup]:
    """The `.sdbk` files in the data folder's `backups/` whose audit head is higher than the
    live store's (`meta.audit_head_id`), newest first.

    Each file's manifest is read with the session's master key (format 2 seals it):
    another store's backup, one made under an earlier master key (before a key
    rotation) and a file that cannot be read are skipped. The snapshots are not
    unpacked, so this is quick enough to run at unlock.
    """
    key, salt = session.key_material()
    live = audit.head().id
    found = []
    folder = session.paths.backups
    for path in sorted(folder.glob(f"*{backup_file.SUFFIX}")) if folder.is_dir() else []:
        said = backup_file.peek(path, key, salt)
        if said is None or said.get("store_id") != session.store_id:
            continue
        audit_head = said.get("audit_head")
        if isinstance(audit_head, int) and audit_head > live:
            found.append(NewerBackup(path, str(said.get("taken_at", "")), audit_head,
                                     str(said.get("kind", ""))))
    return sorted(found, key=lambda b: (b.taken_at, b.audit_head), reverse=True)


def recorded_sha256(path: Path) -> str | None:
    """The whole file's SHA-256 as recorded when this store made it (None: not ours)."""
    row = Backup.get_or_none((Backup.file_name == path.name)
                             & (Backup.folder == str(path.parent.absolute())))
    return str(row.sha256) if row is not None else None


def record_verify(session: Session, path: Path, ok: bool, detail: str) -> None:
    """A verification goes into the audit log and dates (or, failing, undates) the record."""
    with db.atomic():
        Backup.update(verified_at=clock.stamp() if ok else None,
                      verified_by=session.actor.name).where(
            (Backup.file_name == path.name)
            & (Backup.folder == str(path.parent.absolute()))).execute()
        session.audit.append(session.actor.name, "backup.verify", "backup", path.name,
                             new={"file": str(path), "ok": ok, "failure": detail})


def apply_retention(session: Session, today: date | None = None) -> list[BackupInfo]:
    """Keep every backup of the last N days and the newest of each of the last M months.

    Only monthly backups in the data folder's `backups/` are ever removed, and only
    after a newer verified one exists (this runs right after one was made).
    """
    today = today or clock.today()
    kept = settings.current()
    keep_days, keep_months = kept.backup_keep_days, kept.backup_keep_months
    here = str(session.paths.backups.absolute())
    candidates = [r for r in Backup.select().where(
        (Backup.status == "kept") & (Backup.kind == "monthly") & (Backup.external == 0)
        & (Backup.folder == here)  # never a file of another data folder (after a restore)
        & (Backup.verified_at.is_null(False))).order_by(Backup.taken_at.desc())]
    if len(candidates) < 2:
        return []
    keep: set[int] = {candidates[0].id}
    months_seen: list[str] = []
    for row in candidates:
        taken = datetime.fromisoformat(row.taken_at).date()
        if (today - taken).days <= keep_days:
            keep.add(row.id)
        month = row.taken_at[:7]
        if month not in months_seen and len(months_seen) < keep_months:
            months_seen.append(month)
            keep.add(row.id)
    removed = []
    for row in candidates:
        if row.id in keep:
            continue
        Path(row.folder, row.file_name).unlink(missing_ok=True)
        with db.atomic():
            Backup.update(status="removed", removed_at=clock.stamp(),
                          removed_by=session.actor.name,
                          removed_reason="retention").where(Backup.id == row.id).execute()
            session.audit.append(session.actor.name, "backup.remove", "backup", row.file_name,
                                 old={"status": "kept"},
                                 new={"status": "removed", "keep_months": keep_months,
                                      "keep_days": keep_days},
                                 note=N_("older than the keeping rules"))
        removed.append(_info(Backup.get_by_id(row.id)))
    return removed


__all__ = ["BackupError", "BackupInfo", "NewerBackup", "SnapshotFacts", "Written",
           "apply_retention", "file_name", "list_backups", "make", "newer_than_live",
           "record_written", "snapshot_facts", "write_verified"]
