"""Upgrades that cannot lose data, and no silent downgrade.

Opening a store whose schema is older than this statdesk's first writes a
verified safety backup (the store is only read, by tables and columns every
schema has: its old schema need not match today's models); then, in one transaction, the pending
migrations run, the backup is listed and the upgrade goes into the audit log.
A store, or a backup, written by a newer statdesk is refused before anything
is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from store import migrations
from store.backups import make as backups
from store.errors import NewerStore, StoreError, UpgradeFailed
from store.i18n import N_, _
from store.keys import rotation_due, seals
from store.vault import meta
from store.vault.database import scalar
from store.vault.session import Session, Upgrade
from store.versions import UNRECORDED, VERSION

VERSION_KEY = "statdesk_version"
"""The `meta` key naming the statdesk that made the store or last upgraded it."""


def recorded_version() -> str:
    """Which statdesk made the open store or last upgraded it."""
    found = meta.get(VERSION_KEY)
    return found if found is not None else UNRECORDED


def record_version() -> None:
    """This statdesk wrote the store's schema (at creation and after an upgrade)."""
    meta.put(VERSION_KEY, VERSION)


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


def note_newer_version(session: Session) -> None:
    """A newer statdesk opened the store with no schema change: record it, and audit it (the
    caller holds the transaction). Versions are never written backwards."""
    recorded = recorded_version()
    if _release(recorded) < _release(VERSION):
        record_version()
        session.audit.append(session.actor.name, "store.version", "store", VERSION,
                             old={"statdesk_version": recorded},
                             new={"statdesk_version": VERSION})


def refuse_newer() -> None:
    """Refuse the open store if a newer statdesk wrote it, or its migrations are not the
    first ones this statdesk ships (a gap, or one it never shipped); only reads."""
    schema, shipped = migrations.store_schema(), migrations.shipped_schema()
    done, numbers = migrations.applied(), [m.number for m in migrations.available()]
    if schema <= shipped:
        if done != set(numbers[:len(done)]):
            strange = sorted((done - set(numbers)) | (set(numbers[:len(done)]) - done))
            raise NewerStore(_("this store's schema is not one this statdesk made (migrations "
                               "{numbers} differ); nothing was changed: open it with the "
                               "statdesk that wrote it").format(
                                   numbers=", ".join(map(str, strange))))
        return
    found = meta.get(VERSION_KEY)
    if found is None:
        raise NewerStore(_("this store was written by a newer statdesk (schema {theirs}); this "
                           "statdesk is {ours} (schema {shipped}) and cannot open it: install "
                           "a newer statdesk").format(theirs=schema, ours=VERSION,
                                                      shipped=shipped))
    raise NewerStore(_("this store was written by statdesk {version} (schema {theirs}); this "
                       "statdesk is {ours} (schema {shipped}) and cannot open it: install "
                       "{version} or newer").format(version=found, theirs=schema,
                                                    ours=VERSION, shipped=shipped))


def refuse_newer_backup(file: str, schema: int, version: str) -> None:
    """Refuse to restore a snapshot whose schema this statdesk does not know."""
    shipped = migrations.shipped_schema()
    if schema > shipped:
        raise NewerStore(_("{file} was made by statdesk {version} (schema {theirs}); this "
                           "statdesk is {ours} (schema {shipped}) and cannot restore it: "
                           "install {version} or newer; nothing was changed").format(
                               file=file, version=version or "?", theirs=schema, ours=VERSION,
                               shipped=shipped))


@dataclass(frozen=True)
class Plan:
    """An upgrade about to happen: from where, what runs, and the copy kept first."""

    from_version: str
    from_schema: int
    pending: list[migrations.Migration]
    backup: backups.Written | None


def prepare(session: Session) -> Plan | None:
    """Before anything is written: None when the store is up to date; otherwise the
    safety backup is written and verified (or UpgradeFailed, with nothing changed)."""
    pending = migrations.pending()
    if not pending:
        return None
    old_version, old_schema = recorded_version(), migrations.store_schema()
    unit = scalar("SELECT value FROM setting WHERE key = 'unit_name'")
    try:
        written = backups.write_verified(session, str(unit) if unit is not None else "",
                                         kind="safety", upgrade_from=old_version)
    except (StoreError, OSError) as exc:
        why = exc.message if isinstance(exc, StoreError) else (exc.strerror or str(exc))
        raise UpgradeFailed(_("the store was not upgraded from statdesk {old} (schema "
                              "{old_schema}) to {new} (schema {new_schema}) and nothing was "
                              "changed: its safety backup could not be written: {why}").format(
                                  old=old_version, old_schema=old_schema, new=VERSION,
                                  new_schema=migrations.shipped_schema(), why=why)) from exc
    return Plan(old_version, old_schema, pending, written)


def failed(plan: Plan, exc: Exception) -> UpgradeFailed:
    """A migration failed and everything was rolled back: drop the copy taken for it (the
    store is as that copy holds it; every further try would leave another full copy)."""
    if plan.backup is not None:
        plan.backup.path.unlink(missing_ok=True)
    return UpgradeFailed(_("the store was not upgraded from statdesk {old} (schema {old_schema}) "
                           "to {new} and nothing was changed: a migration failed ({why}); "
                           "keep using statdesk {old} and report this").format(
                               old=plan.from_version, old_schema=plan.from_schema, new=VERSION,
                               why=exc))


def migrate(session: Session, plan: Plan, backup_name: str) -> Upgrade:
    """Run the pending migrations (each audited), record this version and the upgrade;
    the caller holds the transaction. `backup_name` is the copy that holds the old store."""
    actor = session.actor.name
    for migration in plan.pending:
        corrected = migrations.apply(migration)
        session.audit.append(actor, "schema.migrate", "schema", str(migration.number),
                             new={"name": migration.name,
                                  **({"corrected": corrected} if corrected else {})})
    record_version()
    if plan.from_schema < seals.SCHEMA <= migrations.store_schema():
        session.introduced_admin_key = seals.introduce(session.store_id)
        rotation_due.mark(session, N_("this statdesk brings an administrators' key; a rotation "
                                      "gives it to every administrator and the recovery code"))
    done = Upgrade(plan.from_version, plan.from_schema, VERSION, migrations.store_schema(),
                   backup_name)
    session.audit.append(actor, "schema.upgrade", "schema", str(done.to_schema), new={
        "from_version": done.from_version, "from_schema": done.from_schema,
        "to_version": done.to_version, "to_schema": done.to_schema, "backup": done.backup})
    return done


def run(session: Session, plan: Plan) -> Upgrade:
    """After `prepare`, inside the login's transaction: migrate, then list the safety copy."""
    assert plan.backup is not None
    done = migrate(session, plan, plan.backup.path.name)
    backups.record_written(session, plan.backup)  # through the models: after the migrations
    return done


__all__ = ["VERSION_KEY", "Plan", "migrate", "note_newer_version", "prepare", "record_version",
           "recorded_version", "refuse_newer", "refuse_newer_backup", "run"]
