"""What the deep-verify tests share: a store worked through statdesk, and the insider's
plain sqlcipher3 against it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from sqlcipher3 import dbapi2 as sqlcipher

from store import clock, settings
from store.audit import replay
from store.audit.log import AuditChain
from store.demo import cards as demo_cards
from store.demo import items as demo_items
from store.secrecy import register as secrecy
from store.vault import keyslots
from store.vault.database import db, rows
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from tests import secrecy_fixture
from tests.conftest import ADMIN_PW, CliResult, Store

Cli = Callable[..., CliResult]
CARDS = 160
PAGE = 4096


def _raw_key(paths: DataPaths) -> str:
    slot = keyslots.read_slot(paths.keyslot("admin"), ADMIN_PW)
    return f"x'{slot.master_key.hex()}{slot.salt.hex()}'"


def insider(paths: DataPaths) -> Any:
    """The database as an insider opens it: plain sqlcipher3 and the master key out of a
    keyslot, no statdesk code in between."""
    conn = sqlcipher.connect(str(paths.db), isolation_level=None)
    conn.execute(f'PRAGMA key = "{_raw_key(paths)}"')
    return conn


def as_insider(paths: DataPaths, *statements: str) -> None:
    conn = insider(paths)
    for sql in statements:
        conn.execute(sql)
    conn.close()


def one(paths: DataPaths, sql: str) -> Any:
    conn = insider(paths)
    found = conn.execute(sql).fetchone()
    conn.close()
    return None if found is None else found[0]


def deep(paths: DataPaths, cli_run: Cli) -> CliResult:
    return cli_run(["audit", "verify", "--deep", "--user", "admin", "--data-dir",
                    str(paths.root), "--password-stdin"], f"{ADMIN_PW}\n")


def verify_file(paths: DataPaths) -> replay.DeepResult | None:
    """`--deep` on the file as it lies, without logging in (which would write); None when
    the file no longer opens as a database."""
    slot = keyslots.read_slot(paths.keyslot("admin"), ADMIN_PW)
    db.open_with(str(paths.db), slot.master_key, slot.salt)
    try:
        try:
            store_id = str(rows("SELECT value FROM meta WHERE key = 'store_id'")[0][0])
        except sqlcipher.DatabaseError:
            return None
        return replay.verify_deep(AuditChain(slot.master_key, store_id))
    finally:
        db.forget()


def _work(session: Any) -> None:
    """Cards, people, items, loans, copies, a received classified document with its
    distribution list (a table keyed by two columns), a changed setting."""
    demo_cards.generate(session, count=CARDS)
    demo_items.generate(session, count=20, loans=30)
    secrecy.receive(session, secrecy_fixture.receipt(copies="2"))
    settings.set_value(session, "unit_name", "某县人民检察院")


def work_on(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    """`store`, closed after statdesk worked on it, on 2026-11-30 (each test file's `worked`)."""
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        _work(session)
        session.close()
    return store


def _card_with(paths: DataPaths, persons: int) -> int:
    found = one(paths, f"SELECT id FROM card WHERE persons = {persons} ORDER BY id LIMIT 1")
    assert found is not None
    return int(found)


def rows_of(paths: DataPaths, sql: str) -> list[tuple[Any, ...]]:
    conn = insider(paths)
    found = [tuple(r) for r in conn.execute(sql).fetchall()]
    conn.close()
    return found
