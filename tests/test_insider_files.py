"""An insider with the data folder: the lock, the side files, damaged or full storage,
leftovers of killed work, the test-only cost, the folder's mode and the names of copies."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shlex
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlcipher3 import dbapi2 as sqlcipher

from store import backups, cipher, clock, failure_words, leftovers, swap
from store.backup_file import PARTIAL, SUFFIX
from store.errors import (
    DiskFull,
    KeyslotError,
    StorageFault,
    StoreBusy,
    StoreDamaged,
    StoreReadOnly,
    UnlockDelayed,
    WrongPassword,
)
from store.failures import MAX_DELAY_SECONDS
from store.folder import StoreDir
from store.paths import DataPaths
from tests.conftest import ADMIN_PW, CLERK_PW, REPO, STATDESK, CliResult, Store

CliRun = Callable[..., CliResult]

BUSY = "open in another statdesk process"


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text and "unexpected error" not in text, text
    return lines[0]


def _statdesk(*args: str, stdin: str = "", env: dict[str, str] | None = None,
              preexec: Callable[[], object] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*STATDESK, *args], input=stdin, capture_output=True, text=True,
                          timeout=120, env=env, preexec_fn=preexec)


def _auth(store: Store) -> list[str]:
    return ["--user", "admin", "--data-dir", str(store.root), "--password-stdin"]


@pytest.fixture
def backed_up(store: Store) -> tuple[Store, Path]:
    """The store with two backups; the second one, made last, is the newest."""
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        older = backups.make(session)
        newer = backups.make(session)
        session.close()
    os.utime(older.path, (1_700_000_000, 1_700_000_000))
    os.utime(newer.path, (1_800_000_000, 1_800_000_000))
    return store, newer.path


# --- 1. the lock cannot be deleted away ----------------------------------------------------


def _start_writer(store: Store) -> subprocess.Popen[str]:
    """Another process holding the store and committing changes (the crash tests' child)."""
    child = subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "crash_child.py"), str(store.root), ADMIN_PW, "0"],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    return child


def test_deleting_the_lock_file_does_not_let_a_second_process_in(
        backed_up: tuple[Store, Path], tmp_path: Path) -> None:
    store, newest = backed_up
    child = _start_writer(store)
    try:
        store.paths.lock.unlink()  # the audit's attack: the next process locked a new file
        with pytest.raises(StoreBusy, match=BUSY):
            StoreDir(store.paths)
        replaced = tmp_path / "other.lock"
        replaced.write_text("1")
        os.replace(replaced, store.paths.lock)  # or another file under the lock's name
        with pytest.raises(StoreBusy, match=BUSY):
            StoreDir(store.paths)
        restore = _statdesk("restore", str(newest), *_auth(store), stdin=f"{ADMIN_PW}\n")
        assert restore.returncode == 1 and BUSY in _one_line(restore.stderr)
    finally:
        child.send_signal(signal.SIGKILL)
        out, _err = child.communicate(timeout=30)
    reported = {int(line) for line in out.split() if line.isdigit()}
    assert reported  # the writer did commit while the second process was refused
    from store.database import rows

    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        saved = {int(json.loads(new)["value"].removeprefix("crash-")) for (new,) in rows(
            "SELECT new FROM audit WHERE action = 'setting.change'")}
        session.close()
    assert reported <= saved  # no acknowledged write was lost


def test_the_lock_is_free_again_when_the_holder_dies(store: Store) -> None:
    child = _start_writer(store)
    store.paths.lock.unlink()
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)
    with StoreDir(store.paths) as folder:
        assert store.paths.lock.read_text() == str(os.getpid())
        session = folder.unlock("admin", ADMIN_PW)
        assert session.actor.name == "admin"
        session.close()


def test_in_one_process_too_a_deleted_lock_file_changes_nothing(store: Store) -> None:
    with StoreDir(store.paths):
        store.paths.lock.unlink()
        with pytest.raises(StoreBusy, match=BUSY):
            StoreDir(store.paths)
    with StoreDir(store.paths):  # released with the first handle
        pass


# --- 2. side files are read with bounds -----------------------------------------------------


BAD_FAILURE_FILES = {
    "a list": "[1, 2, 3]",
    "a list for a record": '{"admin": [1, 2]}',
    "a string count": '{"admin": {"count": "5", "times": [], "not_before": 0, "audited": 0}}',
    "NaN": '{"admin": {"count": NaN, "not_before": NaN}}',
    "infinity": '{"admin": {"count": 1, "not_before": Infinity}}',
    "a huge count": '{"admin": {"count": 1000000000000, "times": [], "not_before": 0}}',
    "a count past int's digits": '{"admin": {"count": ' + "9" * 5000 + "}}",
    "times a string": '{"admin": {"count": 1, "times": "yesterday"}}',
    "times of numbers": '{"admin": {"count": 2, "times": [1, 2]}}',
    "nesting": "[" * 100_000,
    "not UTF-8": "\udcff",
    "a bool count": '{"admin": {"count": true}}',
    "a negative count": '{"admin": {"count": -3}}',
}


@pytest.mark.parametrize("content", BAD_FAILURE_FILES.values(), ids=BAD_FAILURE_FILES.keys())
def test_a_malformed_failure_file_never_fails_a_login(store: Store, content: str) -> None:
    store.paths.failures.write_bytes(content.encode("utf-8", "surrogateescape"))
    with StoreDir(store.paths) as folder:
        with pytest.raises(WrongPassword):  # a failure is still counted, from a clean record
            folder.unlock("clerk", "not-the-password")
        written = json.loads(store.paths.failures.read_text())  # rewritten clean
        assert list(written) == ["clerk"] and written["clerk"]["count"] == 1
        session = folder.unlock("admin", ADMIN_PW)
        assert session.actor.name == "admin" and session.failed_attempts == 0
        session.close()


def test_a_huge_failure_file_is_not_read(store: Store) -> None:
    store.paths.failures.write_text('{"admin": {"count": 1, "not_before": 1e300}}'
                                    + " " * (2 << 20))
    with StoreDir(store.paths) as folder:
        assert folder.failures.seconds_left("admin") == 0
        folder.unlock("admin", ADMIN_PW).close()


def test_a_pipe_named_as_the_failure_file_does_not_hang_the_login(store: Store) -> None:
    os.mkfifo(store.paths.failures)
    with StoreDir(store.paths) as folder:
        folder.unlock("admin", ADMIN_PW).close()


def test_a_far_future_wait_is_capped_at_a_minute(store: Store,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    store.paths.failures.write_text(json.dumps(
        {"admin": {"count": 3, "times": ["2026-11-30T09:00:00+08:00"] * 3,
                   "not_before": 1e300, "audited": 0}}))
    now = clock.epoch()
    with StoreDir(store.paths) as folder:
        with pytest.raises(UnlockDelayed) as delayed:
            folder.unlock("admin", ADMIN_PW)
        assert 0 < delayed.value.seconds_left <= MAX_DELAY_SECONDS
        assert "wait 60 s" in str(delayed.value)
        saved = json.loads(store.paths.failures.read_text())["admin"]["not_before"]
        assert saved <= now + MAX_DELAY_SECONDS + 5  # the cap is written down: it runs out
        monkeypatch.setattr(clock, "epoch", lambda: now + MAX_DELAY_SECONDS + 10)
        session = folder.unlock("admin", ADMIN_PW)
        assert session.failed_attempts == 3
        session.close()


def test_the_cli_with_a_malformed_failure_file(store: Store) -> None:
    store.paths.failures.write_text('{"admin": {"count": "many", "not_before": 1e999}}')
    result = _statdesk("audit", "verify", *_auth(store), stdin=f"{ADMIN_PW}\n")
    assert result.returncode == 0, result.stderr
    assert "audit chain OK" in result.stdout


def _sidecar(store: Store, name: str = "admin") -> Path:
    return store.paths.keys / f"{name}.key.sha256"


@pytest.mark.parametrize("cost", ["999999999999", "2147483647", "10000001", "999", "1", "0",
                                  "-5", "1e9", "0x100", "256000 1", "١٠٠٠٠"])
def test_a_keyslot_cost_statdesk_never_writes_is_refused(store: Store, cost: str) -> None:
    sidecar = _sidecar(store)
    digest = sidecar.read_text().split()[0]
    sidecar.write_bytes(f"{digest} {cost}\n".encode())
    with StoreDir(store.paths) as folder:
        with pytest.raises(KeyslotError) as refused:
            folder.unlock("admin", ADMIN_PW)
        message = str(refused.value)
        assert "keys/admin.key" in message
        if cost.isascii():
            assert "statdesk never writes" in message and "recovery code" in message
        assert folder.failures.count("admin") == 0  # not a wrong password: no delay earned
        folder.recover(store.recovery_code).close()  # what the message says works


def test_a_keyslot_cost_in_range_still_opens(store: Store) -> None:
    assert _sidecar(store).read_text().split()[1] == "1000"  # what the test suite writes
    with StoreDir(store.paths) as folder:
        folder.unlock("admin", ADMIN_PW).close()


def test_a_checksum_file_that_is_a_pipe_or_a_device_is_refused(store: Store) -> None:
    sidecar = _sidecar(store)
    sidecar.unlink()
    os.mkfifo(sidecar)
    with StoreDir(store.paths) as folder, pytest.raises(KeyslotError, match=r"keys/admin\.key"):
        folder.unlock("admin", ADMIN_PW)
    sidecar.unlink()
    sidecar.symlink_to("/dev/zero")
    with StoreDir(store.paths) as folder, pytest.raises(KeyslotError, match=r"keys/admin\.key"):
        folder.unlock("admin", ADMIN_PW)


def test_a_pending_checksum_with_a_bad_cost_does_not_stop_the_folder_opening(
        store: Store) -> None:
    slot = store.paths.keys / "admin.key"
    digest = _sidecar(store).read_text().split()[0]
    (store.paths.keys / "admin.key.sha256.new").write_text(f"{digest} 99999999999\n")
    assert slot.exists()
    with StoreDir(store.paths) as folder:
        folder.unlock("clerk", CLERK_PW).close()


def test_the_cli_refuses_a_bad_keyslot_cost_in_one_line(store: Store) -> None:
    sidecar = _sidecar(store)
    sidecar.write_text(f"{sidecar.read_text().split()[0]} 4294967295\n")
    result = _statdesk("audit", "verify", *_auth(store), stdin=f"{ADMIN_PW}\n")
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert "keys/admin.key" in line and "statdesk never writes" in line


# --- 3. full, read-only and damaged storage in one line ---------------------------------------


@pytest.mark.parametrize("keep", [0.5, 0.0], ids=["half", "empty"])
def test_a_truncated_store_names_the_newest_backup_and_the_restore(
        backed_up: tuple[Store, Path], keep: float) -> None:
    store, newest = backed_up
    size = store.paths.db.stat().st_size
    with open(store.paths.db, "r+b") as handle:
        handle.truncate(int(size * keep))
    result = _statdesk("audit", "verify", *_auth(store), stdin=f"{ADMIN_PW}\n")
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert "statdesk.db" in line and "damaged" in line
    assert newest.name in line and f"statdesk restore {shlex.quote(str(newest))}" in line
    # The advice works: keep the damaged file aside, restore the backup it names.
    store.paths.db.rename(store.root / "statdesk.db.damaged")
    restored = _statdesk("restore", str(newest), *_auth(store), stdin=f"{ADMIN_PW}\n")
    assert restored.returncode == 0, restored.stderr
    again = _statdesk("audit", "verify", *_auth(store), stdin=f"{ADMIN_PW}\n")
    assert again.returncode == 0 and "audit chain OK" in again.stdout


def test_a_damaged_store_without_backups_says_so(store: Store, cli_run: CliRun) -> None:
    with open(store.paths.db, "r+b") as handle:
        handle.truncate(store.paths.db.stat().st_size // 2)
    result = cli_run(["audit", "verify", *_auth(store)], f"{ADMIN_PW}\n")
    assert result.code == 1
    line = _one_line(result.err)
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
        result = _statdesk("audit", "verify", *_auth(store), stdin=f"{ADMIN_PW}\n")
        assert result.returncode == 1
        line = _one_line(result.stderr)
        assert "read-only" in line and str(store.paths.db) in line
        added = _statdesk("user", "add", "wang", *_auth(store),
                          stdin=f"{ADMIN_PW}\nwang-password-1\nwang-password-1\n")
        assert added.returncode == 1 and "read-only" in _one_line(added.stderr)


def test_a_read_only_folder_is_one_line(store: Store) -> None:
    with _read_only(store.root):
        result = _statdesk("audit", "verify", *_auth(store), stdin=f"{ADMIN_PW}\n")
        assert result.returncode == 1
        assert "cannot read and write the data directory" in _one_line(result.stderr)


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
        result = _statdesk(*args, *_auth(store), stdin=stdin, preexec=_file_size_limit)
        assert result.returncode == 1, result.stderr
        line = _one_line(result.stderr)
        assert "cannot rollback" not in line
        assert "disk" in line or "space" in line
    assert store.paths.db.read_bytes() == before
    ok = _statdesk("audit", "verify", *_auth(store), stdin=f"{ADMIN_PW}\n")
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
    init = _statdesk("init", "--admin", "admin", "--data-dir", str(root), "--password-stdin",
                     stdin=f"{ADMIN_PW}\n{ADMIN_PW}\n")
    assert init.returncode == 0, init.stderr
    auth = ["--user", "admin", "--data-dir", str(root), "--password-stdin"]
    filler = _fill(small_disk)
    new_user = f"{ADMIN_PW}\nwang-password-1\nwang-password-1\n"
    for free in (0, 40_000):  # full; then a little room: SQLite gives the transaction up
        os.truncate(filler, max(filler.stat().st_size - free, 0))
        result = _statdesk("user", "add", "wang", *auth, stdin=new_user)
        assert result.returncode == 1
        line = _one_line(result.stderr)
        assert "cannot rollback" not in line and "disk" in line and "not saved" in line
    filler.unlink()
    ok = _statdesk("audit", "verify", *auth, stdin=f"{ADMIN_PW}\n")
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


# --- 4. leftovers of killed work ------------------------------------------------------------


def test_leftovers_of_killed_work_are_removed_at_open(store: Store, tmp_path: Path) -> None:
    assert (leftovers.BACKUP_SUFFIX, leftovers.PARTIAL) == (SUFFIX, PARTIAL)
    root, kept = store.root, store.paths.backups
    kept.mkdir(exist_ok=True)
    finished = kept / f"unit-2026-11-30T0915{SUFFIX}"
    finished.write_bytes(b"a finished backup")
    (kept / f"unit-2026-11-30T0916{SUFFIX}{PARTIAL}").write_bytes(b"\0" * 4096)
    for work in (".backup-k2j3", ".verify-x8a1"):
        (root / work).mkdir()
        (root / work / "statdesk.db").write_bytes(b"\0" * 4096)
    (root / "statdesk.db.restoring").write_bytes(b"\0" * 4096)
    (root / "statdesk.db.restoring.keys").mkdir()
    (root / "statdesk.db.restoring.keys" / "admin.key").write_bytes(b"k")
    (root / ".unlock-failures-abc.tmp").write_text("{}")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious").write_text("never removed")
    (root / ".backup-link").symlink_to(outside)
    with StoreDir(store.paths) as folder:
        assert sorted(folder.leftovers_removed) == sorted([
            f"backups/unit-2026-11-30T0916{SUFFIX}{PARTIAL}", ".backup-k2j3", ".backup-link",
            ".verify-x8a1", "statdesk.db.restoring", "statdesk.db.restoring.keys",
            ".unlock-failures-abc.tmp"])
        folder.unlock("admin", ADMIN_PW).close()
    assert finished.read_bytes() == b"a finished backup"
    assert sorted(p.name for p in kept.iterdir()) == [finished.name]
    assert not list(root.glob(".backup-*")) and not list(root.glob(".verify-*"))
    assert not list(root.glob("statdesk.db.restoring*"))
    assert (outside / "precious").read_text() == "never removed"


def test_a_restore_under_way_is_finished_not_removed(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        info = backups.make(session)
        session.close()
    from store.backup_verify import from_password, verify

    report = verify(info.path, from_password("admin", ADMIN_PW),
                    keep_snapshot=swap.staged_db(store.paths))
    assert report.ok
    shutil.rmtree(swap.staged_keys(store.paths))
    swap.intent(store.paths).write_text(json.dumps({"replace_keys": False, "store_id": "x"}))
    staged = swap.staged_db(store.paths).read_bytes()
    with StoreDir(store.paths) as folder:
        assert not swap.intent(store.paths).exists()
        assert store.paths.db.read_bytes() == staged  # put in place, not thrown away
        folder.unlock("admin", ADMIN_PW).close()


# --- 5. smaller: the test-only cost, the folder's mode, an empty --data-dir, copy names -------


def test_the_test_cost_applies_only_where_the_test_suite_allows_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert cipher.kdf_iter() == 1000  # this process called allow_test_cost()
    monkeypatch.setattr(cipher, "_test_cost_allowed", False)
    assert cipher.kdf_iter() == cipher.PRODUCTION_KDF_ITER
    monkeypatch.setattr(cipher, "_test_cost_allowed", True)
    monkeypatch.setenv(cipher.TEST_KDF_ENV, "1")  # never below what statdesk could write
    assert cipher.kdf_iter() == cipher.PRODUCTION_KDF_ITER


def test_a_program_that_did_not_allow_it_writes_production_slots(tmp_path: Path) -> None:
    code = ("import sys; from pathlib import Path; from store import keyslots; "
            "keyslots.write_slot(Path(sys.argv[1]), 'a-long-password', "
            "keyslots.SlotContent('s', 'k', b'1' * 32, b'2' * 16))")
    slot = tmp_path / "k.key"
    subprocess.run([sys.executable, "-c", code, str(slot)], check=True, timeout=120,
                   env={**os.environ, cipher.TEST_KDF_ENV: "1"})
    assert (tmp_path / "k.key.sha256").read_text().split()[1] == str(cipher.PRODUCTION_KDF_ITER)


@pytest.mark.parametrize("args", [["--version"], [], ["audit", "verify", "--user", "admin"]],
                         ids=["version", "app", "command"])
def test_statdesk_refuses_to_start_with_the_test_cost_set(tmp_path: Path,
                                                          args: list[str]) -> None:
    env = {**os.environ, cipher.TEST_KDF_ENV: "1"}
    data = tmp_path / "data"
    result = subprocess.run([sys.executable, "-m", "statdesk", *args, "--data-dir", str(data)],
                            capture_output=True, text=True, timeout=60, env=env,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert cipher.TEST_KDF_ENV in _one_line(result.stderr)
    assert result.stdout == "" and not data.exists()
    env.pop(cipher.TEST_KDF_ENV)
    version = subprocess.run([sys.executable, "-m", "statdesk", "--version"],
                             capture_output=True, text=True, timeout=60, env=env)
    assert version.returncode == 0, version.stderr


def test_a_loose_data_folder_is_closed_and_said_once(store: Store, cli_run: CliRun) -> None:
    store.root.chmod(0o755)
    first = cli_run(["audit", "verify", *_auth(store)], f"{ADMIN_PW}\n")
    assert first.code == 0
    assert "closed to them (mode 0700)" in _one_line(first.err)
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
    again = cli_run(["audit", "verify", *_auth(store)], f"{ADMIN_PW}\n")
    assert again.code == 0 and again.err == ""
    store.root.chmod(0o750)
    with StoreDir(store.paths) as folder:
        assert folder.tightened
    with StoreDir(store.paths) as folder:
        assert not folder.tightened


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_data_dir_is_refused(tmp_path: Path, cli_run: CliRun,
                                      monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("STATDESK_DATA_DIR", str(tmp_path / "the-real-store"))
    for args in (["audit", "verify", "--user", "admin", "--data-dir", value],
                 [f"--data-dir={value}"], ["init", "--admin", "boss", "--data-dir", value]):
        result = cli_run(args, f"{ADMIN_PW}\n{ADMIN_PW}\n")
        assert result.code == 2
        assert "--data-dir is empty" in _one_line(result.err)
    assert not (tmp_path / "the-real-store").exists()


def test_copy_names_do_not_grow() -> None:
    when = datetime(2026, 11, 30, 9, 15)
    name = backups.file_name("测试县人民检察院", when, "safety")
    assert name == "测试县人民检察院-before-restore-2026-11-30T0915.sdbk"
    for counter in (1, 2, 3):
        again = backups.file_name(name.removesuffix(".sdbk"), when, "safety", counter=counter)
        assert again.count("before-restore") == 1 and again.count("2026-11-30T0915") == 1
    upgraded = backups.file_name(name, when, "safety", upgrade_from="0.1.0")
    assert upgraded == "测试县人民检察院-2026-11-30T0915-before-upgrade-0.1.0.sdbk"


def test_restoring_safety_copies_in_turn_keeps_names_short(store: Store) -> None:
    from store import settings
    from store.backup_verify import from_keys
    from store.restore import restore

    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        settings.set_value(session, "unit_name", "县院-before-restore-2026-01-01T0000")
        target = backups.make(session).path
        session.close()
    for _round in range(3):
        with StoreDir(store.paths) as folder:
            session = folder.unlock("admin", ADMIN_PW)
            source = from_keys(*session.key_material(), session.store_id, "admin")
            done = restore(folder, target, source, "admin", session)
        assert done.safety_copy is not None
        assert done.safety_copy.count("before-restore") == 1, done.safety_copy
        target = store.paths.backups / done.safety_copy
