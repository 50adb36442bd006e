"""Found in review: each of these once let something through; now each is refused clearly."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from store import operators
from store.errors import InvalidInput, KeyslotError, StoreError, UnknownOperator
from store.vault import cipher, keyslots, recovery
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from tests.conftest import ADMIN_PW, CLERK_PW, REPO, STATDESK, Store, tree_digest
from tests.test_audit_chain import raw_connection


def test_wiping_the_whole_log_is_found(store: Store, cli_run) -> None:
    conn = raw_connection(store)
    conn.execute("DELETE FROM audit")
    conn.execute("DELETE FROM meta WHERE key LIKE 'audit_head%'")
    conn.close()
    result = cli_run(["audit", "verify", "--user", "admin", "--data-dir", str(store.root),
                      "--password-stdin"], f"{ADMIN_PW}\n")
    assert result.code == 1
    assert "BROKEN at entry #1" in result.err and "creation" in result.err


def test_an_operator_slot_posing_as_the_recovery_slot_is_refused(store: Store) -> None:
    code_like = "A" * 30
    with StoreDir(store.paths) as folder:
        operators.change_password(folder.unlock("clerk", CLERK_PW), "clerk", code_like)
    for suffix in ("", ".sha256"):
        shutil.copy(store.paths.keys / f"clerk.key{suffix}",
                    store.paths.keys / f"recovery.slot{suffix}")
    with StoreDir(store.paths) as folder, pytest.raises(KeyslotError, match="not the recovery"):
        folder.recover(code_like)


def test_another_operators_slot_under_my_name_is_refused(store: Store) -> None:
    for suffix in ("", ".sha256"):
        shutil.copy(store.paths.keys / f"admin.key{suffix}",
                    store.paths.keys / f"clerk.key{suffix}")
    with StoreDir(store.paths) as folder, pytest.raises(KeyslotError, match="not clerk's"):
        folder.unlock("clerk", ADMIN_PW)


def test_a_damaged_recovery_slot_is_named(store: Store) -> None:
    data = bytearray(store.paths.recovery_slot.read_bytes())
    data[100] ^= 1
    store.paths.recovery_slot.write_bytes(bytes(data))
    with StoreDir(store.paths) as folder, pytest.raises(KeyslotError, match="damaged"):
        folder.recover(store.recovery_code)


def test_a_slot_opens_at_the_cost_it_was_written_with(store: Store,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cipher.TEST_KDF_ENV)  # the workstation: production cost for new slots
    with StoreDir(store.paths) as folder:
        assert folder.unlock("clerk", CLERK_PW).actor.name == "clerk"


def test_unknown_names_are_not_kept_in_plaintext(store: Store) -> None:
    with StoreDir(store.paths) as folder, pytest.raises(UnknownOperator):
        folder.unlock("MySecretPw2024", "x")
    assert b"MySecretPw2024" not in store.paths.failures.read_bytes()
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        from store.audit import log as audit

        failed = [e for e in audit.recent(5) if e.action == "login.failed"]
        assert [e.operator for e in failed] == ["(unknown)"]
        session.close()


def test_names_differing_only_in_case_are_refused(admin_dir: StoreDir) -> None:
    with pytest.raises(InvalidInput, match="already exists"):
        operators.add(admin_dir.session, "Clerk", "clerk", "another-password")  # type: ignore[attr-defined]


def test_orphan_keyslot_is_refused_and_the_store_closed(store: Store) -> None:
    from store.vault.database import db

    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        keyslots.write_slot(store.paths.keyslot("ghost"), "ghost-password",
                            session.slot_content("ghost"))
        session.close()
        with pytest.raises(UnknownOperator):
            folder.unlock("ghost", "ghost-password")
        assert db.deferred and db.open_connections == 0


def test_recovery_code_is_shown_before_the_store_is_kept(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "new")

    def broken_terminal(code: str) -> None:
        assert recovery.looks_valid(code)
        raise OSError("terminal gone")

    with StoreDir(paths, create=True) as folder, pytest.raises(OSError):
        folder.init("admin", ADMIN_PW, announce=broken_terminal)
    assert not paths.db.exists() and not paths.keys.exists()


def test_lock_closes_connections_of_every_thread(admin_dir: StoreDir) -> None:
    import threading

    from store import settings
    from store.vault.database import db

    worker = threading.Thread(target=lambda: settings.get("unit_name"))
    worker.start()
    worker.join()
    assert db.open_connections >= 1
    admin_dir.session.end("session.lock")  # type: ignore[attr-defined]
    assert db.open_connections == 0


def test_init_with_bad_input_creates_nothing(tmp_path: Path, cli_run) -> None:
    target = tmp_path / "x" / "y"
    for stdin in ("short\nshort\n", "long-enough-1\nlong-enough-2\n"):
        result = cli_run(["init", "--admin", "boss", "--data-dir", str(target),
                          "--password-stdin"], stdin)
        assert result.code == 1 and len(result.err.strip().splitlines()) == 1
    bad_name = cli_run(["init", "--admin", "bad name", "--data-dir", str(target),
                        "--password-stdin"], "long-enough-1\nlong-enough-1\n")
    assert bad_name.code == 1 and "cannot be an operator name" in bad_name.err
    assert not (tmp_path / "x").exists()


def test_passwd_with_short_password_changes_nothing(store: Store, cli_run) -> None:
    before = tree_digest(store.root)
    result = cli_run(["user", "passwd", "--user", "clerk", "--data-dir", str(store.root),
                      "--password-stdin"], f"{CLERK_PW}\nshort\nshort\n")
    assert result.code == 1 and "too short" in result.err
    assert tree_digest(store.root) == before


def test_missing_data_directory_is_not_created(tmp_path: Path, cli_run) -> None:
    result = cli_run(["audit", "verify", "--user", "a", "--data-dir", str(tmp_path / "nope"),
                      "--password-stdin"], "x\n")
    assert result.code == 1 and not (tmp_path / "nope").exists()


def test_unreadable_data_directory_even_as_root(store: Store, cli_run,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == store.root
                        else real_access(p, mode))
    result = cli_run(["audit", "verify", "--user", "admin", "--data-dir", str(store.root),
                      "--password-stdin"], f"{ADMIN_PW}\n")
    assert result.code == 1 and "permission denied" in result.err


def test_a_path_with_a_newline_still_gives_one_line(tmp_path: Path, cli_run) -> None:
    result = cli_run(["audit", "verify", "--user", "a", "--data-dir", str(tmp_path / "no\nsuch"),
                      "--password-stdin"], "x\n")
    assert result.code == 1 and len(result.err.strip().splitlines()) == 1


def test_confirmation_is_the_third_line(store: Store, cli_run) -> None:
    swapped = cli_run(["user", "add", "wang", "--user", "admin", "--data-dir", str(store.root),
                       "--password-stdin"], f"wang-password-1\n{ADMIN_PW}\n{ADMIN_PW}\n")
    assert swapped.code == 1 and "wrong password" in swapped.err
    differ = cli_run(["user", "add", "wang", "--user", "admin", "--data-dir", str(store.root),
                      "--password-stdin"], f"{ADMIN_PW}\nwang-password-1\nwang-password-2\n")
    assert differ.code == 1 and "differ" in differ.err


def _statdesk(args: list[str], stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*STATDESK, *args], input=stdin,
                          capture_output=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


@pytest.mark.parametrize("args", [["--unit", "\udcff"], ["--display-name", "\udcff"]])
def test_undecodable_arguments_get_one_line(tmp_path: Path, cli_run, args: list[str]) -> None:
    result = cli_run(["init", "--admin", "boss", "--data-dir", str(tmp_path / "s"), *args,
                      "--password-stdin"], "long-enough-1\nlong-enough-1\n")
    assert result.code == 1 and "not UTF-8" in result.err
    assert not (tmp_path / "s").exists()


def test_undecodable_password_on_stdin(store: Store) -> None:
    before = tree_digest(store.root)
    proc = _statdesk(["user", "add", "zed", "--user", "admin", "--data-dir", str(store.root),
                      "--password-stdin"],
                     ADMIN_PW.encode() + b"\npass\xffword-1\npass\xffword-1\n")
    assert proc.returncode == 1, proc.stderr
    assert b"Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert tree_digest(store.root) == before
    assert not list(store.paths.keys.glob("*.new"))


def test_every_store_error_message_is_one_line() -> None:
    assert str(StoreError("a\nb\udcff")) == "a?b?"
