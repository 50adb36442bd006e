"""Upgrades that cannot lose data: an older store is backed up, then migrated, then the upgrade
is audited; a store or backup written by a newer statdesk is refused with nothing written."""

from __future__ import annotations

import errno
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from store import migrations
from store.audit import log as audit
from store.backups import file as backup_file
from store.backups import make as backups
from store.backups.restore import restore
from store.backups.verify import from_keys, from_password, verify
from store.errors import NewerStore, UpgradeFailed, WrongPassword
from store.vault import upgrade
from store.vault.database import execute
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from store.vault.session import Session, Upgrade
from store.versions import VERSION
from tests.conftest import ADMIN_PW, CLERK_PW, CliResult, Store, tree_digest

EARLY = 9
"""The schema the older store is made at: only the first migrations (the backup table's
among them), as a store of an earlier statdesk would hold."""

UPGRADE_NAME = re.compile(r"^测试县人民检察院-\d{4}-\d\d-\d\dT\d{4}-before-upgrade-0\.1\.0\.sdbk$")


@pytest.fixture
def old_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A closed store at schema EARLY that records no version, as statdesk 0.1.0 left it."""
    from store import operators

    shipped = migrations.available()
    assert shipped[EARLY - 1].number == EARLY and len(shipped) > EARLY
    paths = DataPaths(tmp_path / "data")
    with monkeypatch.context() as early:
        early.setattr(migrations, "available", lambda: shipped[:EARLY])
        with StoreDir(paths, create=True) as folder:
            new = folder.init("admin", ADMIN_PW, "测试县人民检察院", "王管理")
            operators.add(new.session, "clerk", "clerk", CLERK_PW, "李统计")
            execute("DELETE FROM meta WHERE key = ?", (upgrade.VERSION_KEY,))
            assert migrations.store_schema() == EARLY
            new.session.close()
    return Store(paths, new.recovery_code)


def _store_files(paths: DataPaths) -> dict[str, str]:
    """Every byte the store is made of: the database, its journals, the keyslots, the
    failed-unlock log (only the directory lock is left out)."""
    return tree_digest(paths.root, ignore=("statdesk.lock",))


def _entries(action: str) -> list[audit.AuditRecord]:
    return [e for e in audit.recent(200) if e.action == action]


def test_an_older_store_is_backed_up_then_upgraded_then_audited(old_store: Store) -> None:
    shipped = migrations.shipped_schema()
    with StoreDir(old_store.paths) as folder:
        session = folder.unlock("clerk", CLERK_PW)
        done = session.upgraded
        assert done is not None and UPGRADE_NAME.match(done.backup), done
        assert done == Upgrade("0.1.0", EARLY, VERSION, shipped, done.backup)
        assert migrations.store_schema() == shipped and migrations.pending() == []
        assert upgrade.recorded_version() == VERSION

        [entry] = _entries("schema.upgrade")
        assert entry.operator == "clerk" and entry.entity == "schema"
        assert json.loads(entry.new or "{}") == {
            "from_version": "0.1.0", "from_schema": EARLY, "to_version": VERSION,
            "to_schema": shipped, "backup": done.backup}
        migrated = sorted(int(e.entity_id) for e in _entries("schema.migrate"))
        assert migrated == list(range(EARLY + 1, shipped + 1))
        login = _entries("login")[0]
        assert entry.id < login.id  # upgraded, then logged in: one transaction
        assert session.audit.verify().ok

        [listed] = [b for b in backups.list_backups() if b.file_name == done.backup]
        assert (listed.kind, listed.status, listed.external) == ("safety", "kept", False)
        assert listed.path == old_store.paths.backups.absolute() / done.backup
        assert listed.verified_at is not None
        assert backups.status().last is None  # a safety copy is not the month's backup
        checked = verify(listed.path, from_keys(*session.key_material(), session.store_id,
                                                "clerk"), expected_sha256=listed.sha256)
        assert checked.ok, checked.failure
        assert checked.facts is not None and checked.facts.schema == EARLY
        assert checked.facts.version == ""  # the store as 0.1.0 left it
        # taken before the upgrade wrote anything: the snapshot ends where the old log ended
        # (before the migrations, the row log's baseline and the upgrade itself)
        assert checked.facts.audit_head == entry.id - len(migrated) - 2
        session.close()
    with StoreDir(old_store.paths) as folder:  # once only
        again = folder.unlock("admin", ADMIN_PW)
        assert again.upgraded is None
        assert [p.name for p in old_store.paths.backups.iterdir()] == [done.backup]
        again.close()


def test_the_safety_copy_survives_retention(old_store: Store,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import datetime, timedelta

    from store import clock, settings

    start = datetime(2026, 1, 5, 9).astimezone()
    monkeypatch.setattr(clock, "now", lambda: start)
    with StoreDir(old_store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        assert session.upgraded is not None
        settings.set_value(session, "backup_keep_days", "1")
        settings.set_value(session, "backup_keep_months", "1")
        for months in (1, 2, 3):
            monkeypatch.setattr(clock, "now", lambda m=months: start + timedelta(days=31 * m))
            monkeypatch.setattr(clock, "today", lambda m=months: (start + timedelta(
                days=31 * m)).date())
            backups.make(session)
        kept = {b.file_name: b.status for b in backups.list_backups()}
        assert kept[session.upgraded.backup] == "kept"
        assert list(kept.values()).count("removed") >= 1  # retention did run
        assert (old_store.paths.backups / session.upgraded.backup).exists()
        session.close()


def test_the_command_line_says_the_store_was_upgraded_in_one_line(
        old_store: Store, cli_run: Callable[..., CliResult]) -> None:
    result = cli_run(["audit", "verify", "--user", "admin", "--data-dir",
                      str(old_store.root), "--password-stdin"], f"{ADMIN_PW}\n")
    assert result.code == 0, result.err
    assert "audit chain OK" in result.out
    [note] = result.err.strip().splitlines()
    [kept] = list(old_store.paths.backups.iterdir())
    assert note == (f"note: the store was upgraded from statdesk 0.1.0 (schema {EARLY}) to "
                    f"{VERSION} (schema {migrations.shipped_schema()}); the store as it was is "
                    f"kept in backups/{kept.name}")
    again = cli_run(["audit", "verify", "--user", "admin", "--data-dir", str(old_store.root),
                     "--password-stdin"], f"{ADMIN_PW}\n")
    assert again.code == 0 and again.err == ""


def test_an_older_snapshot_restored_is_upgraded_and_audited(old_store: Store,
                                                             tmp_path: Path) -> None:
    with StoreDir(old_store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        assert session.upgraded is not None
        kept = old_store.paths.backups / session.upgraded.backup
        session.close()
    fresh = DataPaths(tmp_path / "fresh")
    with StoreDir(fresh, create=True) as folder:
        restore(folder, kept, from_password("admin", ADMIN_PW), "admin", None)
    with StoreDir(fresh) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        assert session.upgraded is None  # the restore brought it up to date
        assert migrations.store_schema() == migrations.shipped_schema()
        [entry] = _entries("schema.upgrade")
        assert json.loads(entry.new or "{}")["backup"] == kept.name
        assert json.loads(entry.new or "{}")["from_schema"] == EARLY
        assert session.audit.verify().ok
        session.close()


def _make_newer(session: Session, version: str = "9.1.0") -> int:
    """Write into the open store what a newer statdesk would have: a migration beyond ours."""
    newer = migrations.shipped_schema() + 2
    execute("INSERT INTO schema_migration (number, name, applied_at) VALUES (?, 'later', 't')",
            (newer,))
    execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            (upgrade.VERSION_KEY, version))
    return newer


def _refusal(newer: int) -> str:
    return (f"this store was written by statdesk 9.1.0 (schema {newer}); this statdesk is "
            f"{VERSION} (schema {migrations.shipped_schema()}) and cannot open it: install "
            f"9.1.0 or newer")


def test_a_store_of_a_newer_statdesk_is_refused_and_nothing_is_written(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        newer = _make_newer(session)
        session.close()
    with StoreDir(store.paths) as folder, pytest.raises(WrongPassword):
        folder.unlock("clerk", "wrong-password-9")  # one failure waiting to be audited
    before = _store_files(store.paths)
    assert "unlock-failures.json" in before
    with StoreDir(store.paths) as folder:
        with pytest.raises(NewerStore) as by_password:
            folder.unlock("admin", ADMIN_PW)
        with pytest.raises(NewerStore) as by_code:
            folder.recover(store.recovery_code)
    assert str(by_password.value) == str(by_code.value) == _refusal(newer)
    assert _store_files(store.paths) == before
    assert not store.paths.backups.exists()


def test_the_command_line_refuses_a_newer_store_in_one_line(
        store: Store, cli_run: Callable[..., CliResult]) -> None:
    with StoreDir(store.paths) as folder:
        newer = _make_newer(folder.unlock("admin", ADMIN_PW))
    before = _store_files(store.paths)
    result = cli_run(["audit", "verify", "--user", "admin", "--data-dir", str(store.root),
                      "--password-stdin"], f"{ADMIN_PW}\n")
    assert result.code != 0 and result.out == ""
    assert result.err.splitlines() == [f"statdesk: {_refusal(newer)}"]
    assert _store_files(store.paths) == before


def test_a_backup_of_a_newer_statdesk_is_not_restored(store: Store, tmp_path: Path) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        newer = _make_newer(session)
        made = backups.make(session)
        execute("DELETE FROM schema_migration WHERE number = ?", (newer,))
        session.close()
    before = _store_files(store.paths)
    message = (f"{made.file_name} was made by statdesk 9.1.0 (schema {newer}); this statdesk "
               f"is {VERSION} (schema {migrations.shipped_schema()}) and cannot restore it: "
               f"install 9.1.0 or newer; nothing was changed")
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        after_login = _store_files(store.paths)
        with pytest.raises(NewerStore, match=re.escape(message)):
            restore(folder, made.path, from_keys(*session.key_material(), session.store_id,
                                                 "admin"), "admin", session)
        assert _store_files(store.paths) == after_login
        session.close()
    assert before != after_login  # the login itself was written; the refusal wrote nothing
    fresh = DataPaths(tmp_path / "fresh")
    with StoreDir(fresh, create=True) as folder, pytest.raises(NewerStore,
                                                               match=re.escape(message)):
        restore(folder, made.path, from_password("admin", ADMIN_PW), "admin", None)
    assert sorted(p.name for p in fresh.root.iterdir()) == ["statdesk.lock"]


def test_no_safety_backup_no_upgrade(old_store: Store) -> None:
    """backups/ is a file: the backup cannot be written, so nothing is migrated or logged."""
    old_store.paths.backups.write_text("not a folder")
    before = _store_files(old_store.paths)
    with StoreDir(old_store.paths) as folder, pytest.raises(UpgradeFailed) as refused:
        folder.unlock("admin", ADMIN_PW)
    assert str(refused.value) == (
        f"the store was not upgraded from statdesk 0.1.0 (schema {EARLY}) to {VERSION} (schema "
        f"{migrations.shipped_schema()}) and nothing was changed: its safety backup could not be "
        f"written: {old_store.paths.backups.absolute()} is a file, not a folder")
    assert _store_files(old_store.paths) == before
    old_store.paths.backups.unlink()
    with StoreDir(old_store.paths) as folder:  # once the folder is right, it upgrades
        session = folder.unlock("admin", ADMIN_PW)
        assert session.upgraded is not None and session.upgraded.from_schema == EARLY
        session.close()


def test_a_full_disk_stops_the_upgrade(old_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_args: object, **_kwargs: object) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup_file, "write", full)
    old_store.paths.backups.mkdir()
    before = _store_files(old_store.paths)
    with StoreDir(old_store.paths) as folder, pytest.raises(UpgradeFailed,
                                                             match="not enough space"):
        folder.recover(old_store.recovery_code)
    assert _store_files(old_store.paths) == before
    assert list(old_store.paths.backups.iterdir()) == []


async def test_the_login_screen_says_the_store_was_upgraded(old_store: Store) -> None:
    from tests.tui_support import login
    from tui.app import build_app
    from tui.screens.dashboard import DashboardScreen

    with StoreDir(old_store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(100, 30)) as pilot:
            await login(pilot, "clerk", CLERK_PW)
            assert isinstance(app.screen, DashboardScreen)
            [kept] = list(old_store.paths.backups.iterdir())
            notes = [(n.title, str(n.message)) for n in app._notifications]
            assert ("Store upgraded", f"The store was upgraded from statdesk 0.1.0 (schema "
                    f"{EARLY}) to {VERSION} (schema {migrations.shipped_schema()}). The store as "
                    f"it was is kept in the safety backup {kept.name}.") in notes


async def test_the_login_screen_refuses_a_newer_store_in_one_line(store: Store) -> None:
    from textual.widgets import Static

    from tests.tui_support import login
    from tui.app import build_app
    from tui.screens.login import LoginScreen

    with StoreDir(store.paths) as folder:
        newer = _make_newer(folder.unlock("admin", ADMIN_PW))
    before = _store_files(store.paths)
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(200, 30)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            assert isinstance(app.screen, LoginScreen)
            message = str(app.screen.query_one("#login-message", Static).content)
            assert message.endswith(_refusal(newer)) and "\n" not in message
    assert _store_files(store.paths) == before


def test_a_failing_migration_changes_nothing_and_leaves_no_copy_behind(
        old_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rolled back whole; the safety copy it took goes too, so retries do not fill the disk."""
    import types

    shipped = migrations.available()
    broken = types.ModuleType("m0012_broken")
    broken.NAME = "broken"  # type: ignore[attr-defined]
    broken.SQL = ["CREATE TABLE half_done (id INTEGER)",  # type: ignore[attr-defined]
                  "SELECT * FROM no_such_table"]
    with_broken = [migrations.Migration(m.number, "broken", broken) if m.number == EARLY + 2
                   else m for m in shipped]
    monkeypatch.setattr(migrations, "available", lambda: with_broken)
    before = _store_files(old_store.paths)
    for _attempt in range(2):
        with StoreDir(old_store.paths) as folder, pytest.raises(UpgradeFailed) as refused:
            folder.unlock("admin", ADMIN_PW)
        assert str(refused.value).startswith(
            f"the store was not upgraded from statdesk 0.1.0 (schema {EARLY}) to {VERSION} and "
            "nothing was changed: a migration failed (no such table: no_such_table)")
        assert _store_files(old_store.paths) == before
        assert not list(old_store.paths.backups.glob("*.sdbk"))


def test_a_store_with_a_migration_this_statdesk_never_shipped_is_refused(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = migrations.available()
    monkeypatch.setattr(migrations, "available", lambda: [m for m in shipped if m.number != 12])
    before = _store_files(store.paths)
    with StoreDir(store.paths) as folder, pytest.raises(NewerStore) as refused:
        folder.unlock("admin", ADMIN_PW)
    assert str(refused.value) == ("this store's schema is not one this statdesk made (migrations "
                                  "12 differ); nothing was changed: open it with the statdesk "
                                  "that wrote it")
    assert _store_files(store.paths) == before


def test_a_newer_statdesk_with_the_same_schema_records_itself_once(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 0.1.0 store at today's schema: no backup, but the store learns who opens it now."""
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        execute("DELETE FROM meta WHERE key = 'statdesk_version'")  # as 0.1.0 left it
        session.close()
    for _login in range(2):
        with StoreDir(store.paths) as folder:
            session = folder.unlock("admin", ADMIN_PW)
            assert session.upgraded is None and upgrade.recorded_version() == VERSION
            noted = [e for e in audit.recent(10) if e.action == "store.version"]
            assert len(noted) == 1
            assert json.loads(noted[0].old or "{}") == {"statdesk_version": "0.1.0"}
            assert session.audit.verify().ok
            session.close()
    assert not store.paths.backups.exists() or not list(store.paths.backups.glob("*.sdbk"))
    monkeypatch.setattr(upgrade, "VERSION", "0.1.5")  # an older statdesk of the same schema
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        assert upgrade.recorded_version() == VERSION  # never written backwards
        session.close()
