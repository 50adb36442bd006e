"""The insider's tools, shared by the tests that perform their attacks: plain sqlcipher3 with
the raw key out of a keyslot, and a store copied back over the live one."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlcipher

from store import operators
from store.vault import cipher
from store.vault.folder import StoreDir
from store.vault.keyslots import SlotContent
from tests.conftest import ADMIN_PW, CLERK_PW, STATDESK, Store


def raw_sql(db_file: Path, content: SlotContent, *statements: str) -> None:
    """Run SQL on the store with the raw key out of a keyslot, bypassing statdesk."""
    conn = sqlcipher.connect(str(db_file), isolation_level=None)
    try:
        conn.execute(f'PRAGMA key = "{cipher.raw_key_literal(content.master_key, content.salt)}"')
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


def opens(db_file: Path, content: SlotContent) -> bool:
    """Does the master key of that keyslot read the store?"""
    try:
        raw_sql(db_file, content, "SELECT count(*) FROM operator")
        return True
    except sqlcipher.DatabaseError:
        return False


def roll_back(store: Store, work: Path) -> None:
    """Copy an older statdesk.db over the live one, after the clerk has seen more."""
    old = work / "old.db"
    with StoreDir(store.paths) as folder:
        folder.unlock("admin", ADMIN_PW).close()
        shutil.copy2(store.paths.db, old)
        session = folder.unlock("admin", ADMIN_PW)
        operators.add(session, "newbie", "clerk", "newbie-password-1")
        session.close()
        folder.unlock("clerk", CLERK_PW).close()  # the clerk has seen the newbie's entry
    shutil.copy2(old, store.paths.db)


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text and "unexpected error" not in text, text
    return lines[0]


def run_statdesk(*args: str, stdin: str = "", env: dict[str, str] | None = None,
              preexec: Callable[[], object] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*STATDESK, *args], input=stdin, capture_output=True, text=True,
                          timeout=120, env=env, preexec_fn=preexec)


def auth_args(store: Store) -> list[str]:
    return ["--user", "admin", "--data-dir", str(store.root), "--password-stdin"]
