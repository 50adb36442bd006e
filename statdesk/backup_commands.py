"""`statdesk backup [--to DIR]`, `backup verify FILE`, `backup restore FILE` / `restore FILE`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from statdesk.common import acting_secret, authenticate, passwords_from, paths_from, say
from store.backups.verify import (
    KeySource,
    VerifyReport,
    first_of,
    from_keys,
    from_password,
    from_recovery,
)
from store.errors import InvalidInput
from store.i18n import _
from store.vault.folder import StoreDir
from store.vault.policy import RECOVERY_ACTOR


def _own_key_sources(args: argparse.Namespace, secret: str) -> KeySource:
    """The backup's own keyslots, opened with what the operator typed."""
    if getattr(args, "recovery", False):
        return from_recovery(secret)
    return from_password(args.user, secret)


def _print_report(report: VerifyReport) -> int:
    say(_("Checked {file}:").format(file=report.file))
    for check in report.checks:
        say("  " + check.line())
    if report.other_store:
        say(_("NOTE: {file} is a backup of ANOTHER store (store id {theirs}), not of the store "
              "you are logged in to (store id {ours}).").format(
                  file=report.file.name, theirs=report.manifest.get("store_id"),
                  ours=report.live_store_id))
    if report.ok:
        say(_("OK: the backup is complete and sound, but it is another store's backup.")
            if report.other_store else _("OK: the backup is complete and sound."))
        return 0
    print(_("statdesk: backup verification FAILED: {what}").format(what=report.failure),
          file=sys.stderr)
    return 1


def cmd_backup(args: argparse.Namespace) -> int:
    action = getattr(args, "backup_action", None)
    if action == "verify":
        return cmd_verify(args)
    if action == "restore":
        return cmd_restore(args)
    from store.backups import make as backups

    target = Path(args.to).expanduser() if args.to else None
    secret = acting_secret(args, passwords_from(args))
    with StoreDir(paths_from(args)) as folder:
        session = authenticate(folder, args, secret)
        try:
            info = backups.make(session, target)
        finally:
            session.close()
    say(_("Backup written and verified: {path} ({size:,} bytes, SHA-256 {sha}…)").format(
        path=info.path, size=info.size, sha=info.sha256[:16]))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from store.backups import make as backups
    from store.backups.verify import verify

    path = Path(args.file).expanduser()
    secret = acting_secret(args, passwords_from(args))
    paths = paths_from(args)
    if not paths.db.exists():
        report = verify(path, _own_key_sources(args, secret))
        status = _print_report(report)
        say(_("(no store at {root} to record this verification in)").format(root=paths.root))
        return status
    with StoreDir(paths) as folder:
        session = authenticate(folder, args, secret)
        try:
            # The backup's own keyslot first (as the issue asks), this session's key next.
            source = first_of(_own_key_sources(args, secret),
                              from_keys(*session.key_material(), session.store_id,
                                        session.actor.name))
            report = verify(path, source, expected_sha256=backups.recorded_sha256(path),
                            work_root=paths.root, live_store_id=session.store_id)
            if not report.other_store:
                backups.record_verify(session, path, report.ok, report.failure)
        finally:
            session.close()
    return _print_report(report)


def cmd_restore(args: argparse.Namespace) -> int:
    from store.backups.restore import restore

    path = Path(args.file).expanduser()
    if not path.is_file():
        raise InvalidInput((_("{file} is a folder, not a backup file") if path.is_dir()
                            else _("{file} does not exist")).format(file=path))
    secret = acting_secret(args, passwords_from(args))
    with StoreDir(paths_from(args), create=True) as folder:
        if folder.has_store:
            session = authenticate(folder, args, secret)
            source = first_of(from_keys(*session.key_material(), session.store_id,
                                        session.actor.name), _own_key_sources(args, secret))
            try:
                done = restore(folder, path, source, session.actor.name, session,
                               other_store=args.other_store)
            finally:
                session.close()
        else:
            actor = RECOVERY_ACTOR if getattr(args, "recovery", False) else args.user
            done = restore(folder, path, _own_key_sources(args, secret), actor, None)
    say(_("Restored {file} (taken {when}) into {root}.").format(
        file=done.backup, when=done.taken_at, root=folder.paths.root))
    if done.safety_copy:
        say(_("The store as it was is kept as {copy} in backups/.").format(copy=done.safety_copy))
    return 0
