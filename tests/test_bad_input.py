"""Bad input: one clear line on stderr, a non-zero exit, nothing changed on disk."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from tests.conftest import ADMIN_PW, CLERK_PW, STATDESK, Store, tree_digest


def _verify(root: Path, user: str = "admin") -> list[str]:
    return ["audit", "verify", "--user", user, "--data-dir", str(root), "--password-stdin"]


def _user_add(root: Path) -> list[str]:
    return ["user", "add", "wang", "--user", "admin", "--data-dir", str(root), "--password-stdin"]


def _disable_clerk(store: Store) -> None:
    from store import operators

    with StoreDir(store.paths) as folder:
        operators.disable(folder.unlock("admin", ADMIN_PW), "clerk")


def _corrupt_slot(store: Store) -> None:
    slot = store.paths.keyslot("admin")
    data = bytearray(slot.read_bytes())
    data[5000] ^= 0xFF
    slot.write_bytes(bytes(data))


def _foreign_slot(store: Store, tmp: Path) -> None:
    other = DataPaths(tmp / "other")
    with StoreDir(other, create=True) as folder:
        folder.init("admin", ADMIN_PW).session.close()
    for name in ("admin.key", "admin.key.sha256"):
        shutil.copy(other.keys / name, store.paths.keys / name)


def _foreign_db(store: Store, tmp: Path) -> None:
    other = DataPaths(tmp / "other")
    with StoreDir(other, create=True) as folder:
        folder.init("admin", ADMIN_PW).session.close()
    shutil.copy(other.db, store.paths.db)


def _plain_sqlite_db(store: Store, tmp: Path) -> None:
    store.paths.db.unlink()
    conn = sqlite3.connect(store.paths.db)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()


def _random_db(store: Store, tmp: Path) -> None:
    store.paths.db.write_bytes(os.urandom(65536))


Prep = Callable[[Store, Path], None]

CASES: list[tuple[str, Prep | None, Callable[[Path], list[str]], str, str]] = [
    ("wrong password", None, _verify, "not-the-password\n", "wrong password"),
    ("unknown operator", None, lambda r: _verify(r, "nobody"), "whatever-pass\n",
     'no operator named "nobody"'),
    ("disabled operator", lambda s, t: _disable_clerk(s), lambda r: _verify(r, "clerk"),
     f"{CLERK_PW}\n", "was disabled"),
    ("empty new password", None, _user_add, f"{ADMIN_PW}\n\n\n", "new password is empty"),
    ("short new password", None, _user_add, f"{ADMIN_PW}\nshort\nshort\n", "too short"),
    ("passwords differ", None, _user_add, f"{ADMIN_PW}\nlong-enough-1\nlong-enough-2\n",
     "differ"),
    ("existing store at init", None,
     lambda r: ["init", "--admin", "x", "--data-dir", str(r), "--password-stdin"],
     "long-enough-1\nlong-enough-1\n", "already exists"),
    ("missing data directory", None, lambda r: _verify(r.parent / "missing"), f"{ADMIN_PW}\n",
     "does not exist"),
    ("data directory is a file", None, lambda r: _verify(r / "statdesk.db"), f"{ADMIN_PW}\n",
     "is a file"),
    ("corrupt keyslot", lambda s, t: _corrupt_slot(s), _verify, f"{ADMIN_PW}\n", "damaged"),
    ("keyslot of another store", _foreign_slot, _verify, f"{ADMIN_PW}\n",
     "belongs to another store"),
    ("database of another store", _foreign_db, _verify, f"{ADMIN_PW}\n",
     "not this store's database"),
    ("plain SQLite database", _plain_sqlite_db, _verify, f"{ADMIN_PW}\n", "unencrypted SQLite"),
    ("random bytes as database", _random_db, _verify, f"{ADMIN_PW}\n",
     "not this store's database"),
    ("no acting operator", None, lambda r: ["audit", "verify", "--data-dir", str(r),
                                            "--password-stdin"], "", "--user NAME"),
    ("stdin ends early", None, _user_add, f"{ADMIN_PW}\n", "standard input ended"),
]


@pytest.mark.parametrize(("prep", "args", "stdin", "message"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gets_one_clear_line_and_changes_nothing(
        store: Store, tmp_path: Path, cli_run, prep: Prep | None,
        args: Callable[[Path], list[str]], stdin: str, message: str) -> None:
    if prep is not None:
        prep(store, tmp_path)
    before = tree_digest(store.root)
    result = cli_run(args(store.root), stdin)
    assert result.code != 0
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert "Traceback" not in result.err
    assert tree_digest(store.root) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_unreadable_data_directory(store: Store, cli_run) -> None:
    store.root.chmod(0)
    try:
        result = cli_run(_verify(store.root), f"{ADMIN_PW}\n")
    finally:
        store.root.chmod(0o700)
    assert result.code == 1 and "permission denied" in result.err


def test_unwritable_data_directory_at_init(tmp_path: Path, cli_run) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = cli_run(["init", "--admin", "x", "--data-dir", str(blocker / "sub"),
                      "--password-stdin"], "long-enough-1\nlong-enough-1\n")
    assert result.code == 1
    assert "cannot create the data directory" in result.err
    assert blocker.read_text() == "x"


def test_second_process_gets_one_clear_line(store: Store) -> None:
    import subprocess

    with StoreDir(store.paths):
        before = tree_digest(store.root)
        proc = subprocess.run(
            [*STATDESK, "audit", "verify", "--user", "admin",
             "--data-dir", str(store.root), "--password-stdin"],
            input=f"{ADMIN_PW}\n", capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "open in another statdesk process" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert tree_digest(store.root) == before
