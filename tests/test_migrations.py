"""Numbered migrations: recorded in the database, pending ones run at open and are audited."""

from __future__ import annotations

import types

import pytest

from store import migrations
from store.audit import log as audit
from store.vault.database import rows
from store.vault.folder import StoreDir
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


def test_the_item_table_change_keeps_every_row_and_link(tmp_path, monkeypatch: pytest.MonkeyPatch
                                                   ) -> None:  # type: ignore[no-untyped-def]
    """m0014 widens the item table's status constraint and adds a column: items, loans, events
    and incidents of a store made before it come through with their ids and links."""
    from store.vault.paths import DataPaths

    shipped = migrations.available()
    monkeypatch.setattr(migrations, "available", lambda: [m for m in shipped if m.number < 14])
    paths = DataPaths(tmp_path / "data")
    with StoreDir(paths, create=True) as folder:
        session = folder.init("admin", ADMIN_PW, "测试县人民检察院", "王管理").session
        from store.vault.database import db, execute

        with db.atomic():  # written as the old schema stood
            execute("INSERT INTO person (code, name, role, created_at, created_by)"
                    " VALUES ('lwj', '李文杰', 'staff', 't', 'admin')")
            for n, status in ((1, "reading"), (2, "missing"), (3, "in")):
                execute("INSERT INTO item (reg_no, title, kind, classification, status,"
                        " original_id, created_at, created_by) VALUES (?, '报表', 'report',"
                        " 'internal', ?, ?, 't', 'admin')", (f"统-{n}", status,
                                                            1 if n == 3 else None))
            execute("INSERT INTO loan (item_id, borrower_id, mode, opened_at, opened_by)"
                    " VALUES (1, 1, 'read', 't', 'admin')")
            execute("INSERT INTO custody_event (item_id, at, kind, by, loan_id)"
                    " VALUES (1, 't', 'read', 'admin', 1)")
            execute("INSERT INTO incident (item_id, kind, opened_at, opened_by)"
                    " VALUES (2, 'missing', 't', 'admin')")
        before = rows("SELECT * FROM item ORDER BY id")
        links = rows("SELECT item_id, id FROM loan UNION ALL SELECT item_id, id FROM incident"
                     " UNION ALL SELECT item_id, id FROM custody_event ORDER BY 1, 2")
        session.close()
    monkeypatch.setattr(migrations, "available", lambda: shipped)
    with StoreDir(paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        assert [tuple(r[:14]) for r in rows("SELECT * FROM item ORDER BY id")] == before
        assert rows("SELECT item_id, id FROM loan UNION ALL SELECT item_id, id FROM incident"
                    " UNION ALL SELECT item_id, id FROM custody_event ORDER BY 1, 2") == links
        assert rows("PRAGMA foreign_key_check") == [] and rows("PRAGMA integrity_check") == [
            ("ok",)]
        from store.vault.database import execute

        execute("UPDATE item SET status = 'distributed' WHERE id = 3")  # now allowed
        with pytest.raises(Exception, match="CHECK constraint failed"):
            execute("UPDATE item SET status = 'given away' WHERE id = 3")  # still refused
        assert {r[1] for r in rows("PRAGMA index_list(item)")} >= {
            "item_status", "item_original", "item_document", "item_walk"}
        session.close()
