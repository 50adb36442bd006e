"""`audit verify --deep` on stores that were copied, restored, exported, vacuumed or
upgraded: each is clean, and the upgrade starts the row log from a baseline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from textual.widgets._footer import FooterKey

from store import migrations, settings
from store.audit import log as audit
from store.backups import make as backups
from store.backups.restore import restore
from store.backups.verify import from_password
from store.demo import cards as demo_cards
from store.vault.database import rows
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from tests.conftest import ADMIN_PW, Store
from tests.deep_support import (
    Cli,
    _card_with,
    _raw_key,
    as_insider,
    deep,
    insider,
    rows_of,
    work_on,
)
from tests.tui_support import login, screen_text, settle
from tui.app import build_app
from tui.screens.audit import AuditScreen


@pytest.fixture
def worked(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A closed store that statdesk worked on, on 2026-11-30."""
    return work_on(store, monkeypatch)



def test_backup_then_restore_is_clean(worked: Store, tmp_path: Path, cli_run: Cli) -> None:
    with StoreDir(worked.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        info = backups.make(session)
        settings.set_value(session, "unit_name", "备份之后")
        session.close()
    fresh = DataPaths(tmp_path / "fresh")
    with StoreDir(fresh, create=True) as folder:
        restore(folder, info.path, from_password("admin", ADMIN_PW), "admin", None)
    result = deep(fresh, cli_run)
    assert result.code == 0, result.out + result.err
    with StoreDir(worked.paths) as folder:  # and over the live store, by its administrator
        session = folder.unlock("admin", ADMIN_PW)
        restore(folder, info.path, from_password("admin", ADMIN_PW), "admin", session)
    result = deep(worked.paths, cli_run)
    assert result.code == 0, result.out + result.err


def test_a_store_copied_by_sqlcipher_export_or_vacuumed_is_clean(worked: Store, tmp_path: Path,
                                                                  cli_run: Cli) -> None:
    """Re-encryption copies every row with sqlcipher_export (as a key rotation does); VACUUM
    may number afresh the rowids of tables keyed otherwise (SQLite's documentation says so):
    rows are named by their keys, so neither is a change."""
    from store import holidays

    with StoreDir(worked.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        holidays.remove_day(session, "2026-01-02")  # a gap in the holiday table's rowids
        session.close()
    copy = tmp_path / "copy.db"
    conn = insider(worked.paths)
    conn.execute("ATTACH DATABASE ? AS fresh KEY ?", (str(copy), _raw_key(worked.paths)))
    conn.execute("SELECT sqlcipher_export('fresh')")
    conn.execute("DETACH DATABASE fresh")
    conn.close()
    shutil.copy(copy, worked.paths.db)
    result = deep(worked.paths, cli_run)
    assert result.code == 0, result.out + result.err

    before = rows_of(worked.paths, "SELECT rowid, day FROM holiday ORDER BY day")
    as_insider(worked.paths, "UPDATE holiday SET rowid = rowid + 1000", "VACUUM")
    after = rows_of(worked.paths, "SELECT rowid, day FROM holiday ORDER BY day")
    assert [d for _r, d in after] == [d for _r, d in before] and after != before
    result = deep(worked.paths, cli_run)
    assert result.code == 0, result.out + result.err


EARLY = 9


@pytest.fixture
def old_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A closed store at schema 9, from before the row log, with work in it."""
    from store import operators

    shipped = migrations.available()
    paths = DataPaths(tmp_path / "data")
    with monkeypatch.context() as early:
        early.setattr(migrations, "available", lambda: shipped[:EARLY])
        with StoreDir(paths, create=True) as folder:
            new = folder.init("admin", ADMIN_PW, "测试县人民检察院", "王管理")
            operators.add(new.session, "clerk", "clerk", "clerk-password-1", "李统计")
            settings.set_value(new.session, "unit_name", "旧单位")
            demo_cards.generate(new.session, count=30)
            assert rows("SELECT count(*) FROM pragma_table_list WHERE name = 'audit_row'") \
                == [(0,)]
            new.session.close()
    return Store(paths, new.recovery_code)


def test_an_upgraded_store_starts_from_a_baseline(old_store: Store, cli_run: Cli) -> None:
    """Its entries kept no rows: the upgrade records every row as it stood, in one
    `audit.baseline` entry, so --deep is clean at once and catches what comes after."""
    result = deep(old_store.paths, cli_run)
    assert result.code == 0, result.out + result.err
    assert "the store was upgraded" in result.err
    with StoreDir(old_store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        [baseline] = [e for e in audit.recent(200) if e.action == "audit.baseline"]
        recorded = rows("SELECT count(*) FROM audit_row WHERE audit_id = ?", (baseline.id,))
        assert json.loads(baseline.new or "{}") == {"rows": recorded[0][0]}
        assert recorded[0][0] >= 30 + 2  # the cards and the operators among them
        assert rows("SELECT count(*) FROM audit WHERE rows_hash IS NULL AND id < ?",
                    (baseline.id,))[0][0] >= 4  # older entries kept as they were
        session.close()
    as_insider(old_store.paths, "UPDATE card SET persons = 9 WHERE id = 3")
    result = deep(old_store.paths, cli_run)
    assert result.code == 1 and result.out.splitlines() == ["card 3: changed outside statdesk"]


def test_a_later_migration_that_reshapes_tables_stays_clean(
        worked: Store, cli_run: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """A migration that adds a column, creates a table with rows, and rebuilds one under a new
    name: its rows are recorded with its entry, so the store replays clean afterwards."""
    import types

    module = types.ModuleType("m9999_reshape")
    module.NAME = "reshape"  # type: ignore[attr-defined]
    module.SQL = [  # type: ignore[attr-defined]
        "ALTER TABLE card ADD COLUMN checked TEXT NOT NULL DEFAULT ''",
        "CREATE TABLE later_code (code TEXT PRIMARY KEY, name TEXT NOT NULL)",
        "INSERT INTO later_code VALUES ('A', '甲'), ('B', '乙')",
        "CREATE TABLE month_lock_new (month TEXT PRIMARY KEY, locked_at TEXT NOT NULL,"
        " locked_by TEXT NOT NULL, note TEXT NOT NULL DEFAULT '')",
        "INSERT INTO month_lock_new SELECT * FROM month_lock",
        "DROP TABLE month_lock",
        "ALTER TABLE month_lock_new RENAME TO month_lock",
    ]
    shipped = migrations.available()
    monkeypatch.setattr(migrations, "available",
                        lambda: [*shipped, migrations.Migration(9999, "reshape", module)])
    result = deep(worked.paths, cli_run)
    assert result.code == 0, result.out + result.err
    as_insider(worked.paths, "UPDATE later_code SET name = '丙' WHERE code = 'B'")
    result = deep(worked.paths, cli_run)
    assert result.out.splitlines() == ["later_code B: changed outside statdesk"]


async def test_the_audit_screen_runs_the_deep_check(worked: Store) -> None:
    card = _card_with(worked.paths, 2)
    with StoreDir(worked.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(100, 30)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("f3")
            await settle(pilot)
            assert isinstance(app.screen, AuditScreen)
            footer = {key.description for key in app.screen.query(FooterKey)}
            assert "Deep check" in footer
            await pilot.press("d")
            await settle(pilot)
            assert "rows OK:" in screen_text(pilot)
    as_insider(worked.paths, f"UPDATE card SET persons = 9 WHERE id = {card}",
               "UPDATE card SET remarks = 'x' WHERE id < 15")
    with StoreDir(worked.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(100, 40)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("f3")
            await settle(pilot)
            await pilot.press("d")
            await settle(pilot)
            shown = screen_text(pilot)
            assert f"card {card}: changed outside statdesk" in shown
            assert "card 1: changed outside statdesk" in shown and "... and " in shown
            assert "rows OK" not in shown
