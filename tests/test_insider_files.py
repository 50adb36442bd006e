"""An insider with the data folder: the lock, the side files, damaged or full storage,
leftovers of killed work, the test-only cost, the folder's mode and the names of copies."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from store import clock
from store.backups import leftovers
from store.backups import make as backups
from store.backups.file import PARTIAL, SUFFIX
from store.errors import (
    KeyslotError,
    StoreBusy,
    UnlockDelayed,
    WrongPassword,
)
from store.vault import cipher, swap
from store.vault.failures import MAX_DELAY_SECONDS
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, CLERK_PW, REPO, CliResult, Store
from tests.insider import auth_args, one_line, run_statdesk

CliRun = Callable[..., CliResult]

BUSY = "open in another statdesk process"



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
        restore = run_statdesk("restore", str(newest), *auth_args(store), stdin=f"{ADMIN_PW}\n")
        assert restore.returncode == 1 and BUSY in one_line(restore.stderr)
    finally:
        child.send_signal(signal.SIGKILL)
        out, _err = child.communicate(timeout=30)
    reported = {int(line) for line in out.split() if line.isdigit()}
    assert reported  # the writer did commit while the second process was refused
    from store.vault.database import rows

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
    result = run_statdesk("audit", "verify", *auth_args(store), stdin=f"{ADMIN_PW}\n")
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
    result = run_statdesk("audit", "verify", *auth_args(store), stdin=f"{ADMIN_PW}\n")
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert "keys/admin.key" in line and "statdesk never writes" in line


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
    from store.backups.verify import from_password, verify

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
    code = ("import sys; from pathlib import Path; from store.vault import keyslots; "
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
    assert cipher.TEST_KDF_ENV in one_line(result.stderr)
    assert result.stdout == "" and not data.exists()
    env.pop(cipher.TEST_KDF_ENV)
    version = subprocess.run([sys.executable, "-m", "statdesk", "--version"],
                             capture_output=True, text=True, timeout=60, env=env)
    assert version.returncode == 0, version.stderr


def test_a_loose_data_folder_is_closed_and_said_once(store: Store, cli_run: CliRun) -> None:
    store.root.chmod(0o755)
    first = cli_run(["audit", "verify", *auth_args(store)], f"{ADMIN_PW}\n")
    assert first.code == 0
    assert "closed to them (mode 0700)" in one_line(first.err)
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
    again = cli_run(["audit", "verify", *auth_args(store)], f"{ADMIN_PW}\n")
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
        assert "--data-dir is empty" in one_line(result.err)
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
    from store.backups.restore import restore
    from store.backups.verify import from_keys

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
