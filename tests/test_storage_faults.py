"""An insider's damaged, full or read-only storage: one clear line each, never "unexpected
error", and for a damaged store the newest backup and how to restore it."""

from __future__ import annotations

import contextlib
import errno
import os
import shlex
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlcipher3 import dbapi2 as sqlcipher

from store.errors import (
    DiskFull,
    StorageFault,
    StoreDamaged,
    StoreReadOnly,
)
from store.vault import failure_words
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from tests.conftest import ADMIN_PW, CliResult, Store
from tests.insider import auth_args, one_line, run_statdesk

CliRun = Callable[..., CliResult]



# --- 3. full, read-only and damaged storage in one line ---------------------------------------


@pytest.mark.parametrize("keep", [0.5, 0.0], ids=["half", "empty"])
def test_a_truncated_store_names_the_newest_backup_and_the_restore(
        backed_up: tuple[Store, Path], keep: float) -> None:
    store, newest = backed_up
    size = store.paths.db.stat().st_size
    with open(store.paths.db, "r+b") as handle:
        handle.truncate(int(size * keep))
    result = run_statdesk("audit", "verify", *auth_args(store), stdin=f"{ADMIN_PW}\n")
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert "statdesk.db" in line and "damaged" in line
    assert newest.name in line and f"statdesk restore {shlex.quote(str(newest))}" in line
    # The advice works: keep the damaged file aside, restore the backup it names.
    store.paths.db.rename(store.root / "statdesk.db.damaged")
    restored = run_statdesk("restore", str(newest), *auth_args(store), stdin=f"{ADMIN_PW}\n")
    assert restored.returncode == 0, restored.stderr
    again = run_statdesk("audit", "verify", *auth_args(store), stdin=f"{ADMIN_PW}\n")
    assert again.returncode == 0 and "audit chain OK" in again.stdout


def test_a_damaged_store_without_backups_says_so(store: Store, cli_run: CliRun) -> None:
    with open(store.paths.db, "r+b") as handle:
        handle.truncate(store.paths.db.stat().st_size // 2)
    result = cli_run(["audit", "verify", *auth_args(store)], f"{ADMIN_PW}\n")
    assert result.code == 1
    line = one_line(result.err)
    assert "damaged" in line and "there is no backup" in line and "statdesk restore FILE" in line


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """`path` cannot be written, even by root (the immutable flag where root runs the tests)."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if shutil.which("chattr") is None or \
            subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("root, and no immutable flag on this file system")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)


def test_a_read_only_store_file_is_one_line(store: Store) -> None:
    with _read_only(store.paths.db):
        result = run_statdesk("audit", "verify", *auth_args(store), stdin=f"{ADMIN_PW}\n")
        assert result.returncode == 1
        line = one_line(result.stderr)
        assert "read-only" in line and str(store.paths.db) in line
        added = run_statdesk("user", "add", "wang", *auth_args(store),
                          stdin=f"{ADMIN_PW}\nwang-password-1\nwang-password-1\n")
        assert added.returncode == 1 and "read-only" in one_line(added.stderr)


def test_a_read_only_folder_is_one_line(store: Store) -> None:
    with _read_only(store.root):
        result = run_statdesk("audit", "verify", *auth_args(store), stdin=f"{ADMIN_PW}\n")
        assert result.returncode == 1
        assert "cannot read and write the data directory" in one_line(result.stderr)


def _file_size_limit() -> None:
    """In the child: every write past 4 KiB fails with EFBIG, as on a full disk."""
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_write_that_cannot_grow_the_files_is_one_line(store: Store) -> None:
    before = store.paths.db.read_bytes()
    for args, stdin in ((["user", "add", "wang"], f"{ADMIN_PW}\nwang-password-1\n"
                                                  "wang-password-1\n"),
                        (["audit", "verify"], f"{ADMIN_PW}\n"),
                        (["backup"], f"{ADMIN_PW}\n")):
        result = run_statdesk(*args, *auth_args(store), stdin=stdin, preexec=_file_size_limit)
        assert result.returncode == 1, result.stderr
        line = one_line(result.stderr)
        assert "cannot rollback" not in line
        assert "disk" in line or "space" in line
    assert store.paths.db.read_bytes() == before
    ok = run_statdesk("audit", "verify", *auth_args(store), stdin=f"{ADMIN_PW}\n")
    assert ok.returncode == 0, ok.stderr


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MiB file system (tmpfs), where this machine lets us mount one."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                          capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here; the file size limit test stands in")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def _fill(disk: Path) -> Path:
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


def test_a_really_full_disk_is_one_line_never_cannot_rollback(small_disk: Path) -> None:
    root = small_disk / "data"
    init = run_statdesk("init", "--admin", "admin", "--data-dir", str(root), "--password-stdin",
                     stdin=f"{ADMIN_PW}\n{ADMIN_PW}\n")
    assert init.returncode == 0, init.stderr
    auth = ["--user", "admin", "--data-dir", str(root), "--password-stdin"]
    filler = _fill(small_disk)
    new_user = f"{ADMIN_PW}\nwang-password-1\nwang-password-1\n"
    for free in (0, 40_000):  # full; then a little room: SQLite gives the transaction up
        os.truncate(filler, max(filler.stat().st_size - free, 0))
        result = run_statdesk("user", "add", "wang", *auth, stdin=new_user)
        assert result.returncode == 1
        line = one_line(result.stderr)
        assert "cannot rollback" not in line and "disk" in line and "not saved" in line
    filler.unlink()
    ok = run_statdesk("audit", "verify", *auth, stdin=f"{ADMIN_PW}\n")
    assert ok.returncode == 0, ok.stderr


def _database_errors(tmp_path: Path) -> dict[str, BaseException]:
    """Real exceptions from sqlcipher3 for each kind of failure."""
    found: dict[str, BaseException] = {}
    not_db = tmp_path / "not.db"
    not_db.write_bytes(os.urandom(8192))
    conn = sqlcipher.connect(str(not_db))
    try:
        conn.execute("SELECT * FROM sqlite_master").fetchall()
    except sqlcipher.DatabaseError as exc:
        found["not a database"] = exc
    conn.close()
    full = sqlcipher.connect(str(tmp_path / "full.db"), isolation_level=None)
    full.execute("CREATE TABLE t (x BLOB)")
    full.execute("PRAGMA max_page_count = 8")
    try:
        try:
            full.execute("BEGIN")
            for _ in range(100):
                full.execute("INSERT INTO t VALUES (randomblob(3000))")
        except sqlcipher.DatabaseError:
            full.execute("ROLLBACK")  # SQLite gave the transaction up already
    except sqlcipher.DatabaseError as exc:
        found["cannot rollback"] = exc
    full.close()
    read_only = tmp_path / "ro.db"
    sqlcipher.connect(str(read_only)).execute("CREATE TABLE t (x)").connection.close()
    conn = sqlcipher.connect(f"file:{read_only}?mode=ro", uri=True)
    try:
        conn.execute("INSERT INTO t VALUES (1)")
    except sqlcipher.DatabaseError as exc:
        found["readonly"] = exc
    conn.close()
    return found


def test_the_translation_of_real_failures(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    errors = _database_errors(tmp_path)
    assert set(errors) == {"not a database", "cannot rollback", "readonly"}
    assert "cannot rollback" in str(errors["cannot rollback"])
    assert isinstance(failure_words.explain(errors["cannot rollback"], paths), DiskFull)
    assert isinstance(failure_words.explain(errors["readonly"], paths), StoreReadOnly)
    damaged = failure_words.explain(errors["not a database"], paths)
    assert isinstance(damaged, StoreDamaged) and "there is no backup" in str(damaged)
    for number, kind in ((errno.ENOSPC, DiskFull), (errno.EFBIG, DiskFull),
                         (errno.EROFS, StoreReadOnly), (errno.EACCES, StoreReadOnly),
                         (errno.EIO, StorageFault)):
        said = failure_words.explain(OSError(number, os.strerror(number), str(paths.db)), paths)
        assert isinstance(said, kind) and str(paths.db) in str(said)
    assert failure_words.explain(ValueError("a bug"), paths) is None
    assert failure_words.explain(OSError(errno.ENOENT, "gone"), paths) is None


def test_the_app_says_the_same_line(tmp_path: Path) -> None:
    from tui.workers import fault_line

    app = SimpleNamespace(folder=SimpleNamespace(paths=DataPaths(tmp_path)))
    errors = _database_errors(tmp_path)
    line = fault_line(app, errors["cannot rollback"])
    assert "disk is full" in line and "cannot rollback" not in line
    assert fault_line(app, ValueError("a bug")) == "unexpected error (ValueError): a bug"


async def test_the_app_names_the_backup_of_a_damaged_store(
        backed_up: tuple[Store, Path]) -> None:
    from tests.tui_support import login, screen_text
    from tui.app import build_app
    from tui.screens.login import LoginScreen

    store, newest = backed_up
    with open(store.paths.db, "r+b") as handle:
        handle.truncate(0)
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(120, 40)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            assert isinstance(app.screen, LoginScreen)
            text = " ".join(screen_text(pilot).split())
            assert "damaged" in text and newest.name in text and "statdesk restore" in text
            assert "unexpected error" not in text
