"""Numbered migrations: recorded in the database, pending ones run at open and are audited."""

from __future__ import annotations

import types

import pytest

from store import audit, migrations
from store.database import rows
from store.folder import StoreDir
from tests.conftest import ADMIN_PW, Store


def test_shipped_migrations_are_numbered_and_recorded(admin_dir: StoreDir) -> None:
    shipped = [m.number for m in migrations.available()]
    assert shipped == sorted(shipped) and shipped[0] == 1
    assert len(set(shipped)) == len(shipped)
    recorded = rows("SELECT number, name FROM schema_migration ORDER BY number")
    assert [r[0] for r in recorded] == shipped
    assert migrations.pending() == []


def test_a_new_migration_runs_at_the_next_unlock(store: Store,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("m9999_test")
    module.NAME = "test table"  # type: ignore[attr-defined]
    module.SQL = ["CREATE TABLE later_feature (id INTEGER PRIMARY KEY)"]  # type: ignore[attr-defined]
    extra = migrations.Migration(9999, "test table", module)
    shipped = migrations.available()
    monkeypatch.setattr(migrations, "available", lambda: [*shipped, extra])
    with StoreDir(store.paths) as folder:
        folder.unlock("admin", ADMIN_PW)
        assert rows("SELECT name FROM schema_migration WHERE number = 9999") == [("test table",)]
        assert rows("SELECT count(*) FROM later_feature") == [(0,)]
        actions = [(e.action, e.entity_id) for e in audit.recent(5)]
        assert ("schema.migrate", "9999") in actions
    with StoreDir(store.paths) as folder:  # applied once only
        folder.unlock("admin", ADMIN_PW)
        assert rows("SELECT count(*) FROM schema_migration WHERE number = 9999") == [(1,)]
