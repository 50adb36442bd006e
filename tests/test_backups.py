"""Backups: round trip, consistency under writes, bad files, retention, no plaintext."""

from __future__ import annotations

import os
import shutil
import tarfile
import threading
from datetime import datetime
from pathlib import Path

import pytest

from store import operators, settings
from store.backups import file as backup_file
from store.backups import make as backups
from store.backups.file import BackupError
from store.backups.restore import restore
from store.backups.verify import from_keys, from_password, from_recovery, verify
from store.vault import cipher, keyslots
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from tests.conftest import ADMIN_PW, Store, tree_digest


def _dump(paths: DataPaths, password: str = ADMIN_PW) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, read straight from the database file."""
    slot = keyslots.read_slot(paths.keyslot("admin"), password)
    conn = cipher.connect_raw(str(paths.db), slot.master_key, slot.salt)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    out = {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    # logging in stamps last_login_at: not a change of the store's content
    columns = [c[1] for c in conn.execute("PRAGMA table_info(operator)")]
    stamp = columns.index("last_login_at")
    out["operator"] = sorted((row[:stamp] + row[stamp + 1:] for row in out["operator"]),
                             key=repr)
    out.pop("audit_row", None)  # part of the audit log (each entry's rows), like `audit`
    conn.close()
    return out


def _session_source(session):  # type: ignore[no-untyped-def]
    return from_keys(*session.key_material(), session.store_id, session.actor.name)


def test_round_trip_into_a_fresh_data_directory(store: Store, tmp_path: Path) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        for i in range(50):
            settings.set_value(session, "unit_name", f"单位{i}")
        info = backups.make(session)
        session.close()
    before = _dump(store.paths)
    fresh = DataPaths(tmp_path / "fresh")
    with StoreDir(fresh, create=True) as folder:
        done = restore(folder, info.path, from_password("admin", ADMIN_PW), "admin", None)
    assert done.safety_copy is None
    after = _dump(fresh)
    # Equal to the store as it was when the snapshot was taken: the backup's own record,
    # written after its snapshot, and the restore's entry, are the only differences.
    for table, rows in before.items():
        if table not in ("audit", "meta", "backup"):
            assert after[table] == rows, table
    head = info.audit_head
    assert [r for r in after["audit"] if r[0] <= head] == [r for r in before["audit"]
                                                          if r[0] <= head]
    assert [r[3] for r in after["audit"] if r[0] > head] == ["store.restore"]
    assert [r for r in after["meta"] if not r[0].startswith("audit_head")] == \
        [r for r in before["meta"] if not r[0].startswith("audit_head")]
    assert [r[1] for r in after["backup"]] == [info.file_name]
    with StoreDir(fresh) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        assert session.audit.verify().ok
        from store.audit import log as audit

        assert any(e.action == "store.restore" for e in audit.recent(5))


def test_backup_while_another_thread_keeps_committing(admin_dir: StoreDir) -> None:
    session = admin_dir.session  # type: ignore[attr-defined]
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        """Commits as fast as a busy desk could, leaving the lock free between them."""
        n = 0
        while not stop.is_set():
            settings.set_value(session, "unit_name", f"并发{n}")
            written.append(n)
            n += 1
            stop.wait(0.002)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        infos = [backups.make(session) for _ in range(3)]
    finally:
        stop.set()
        thread.join()
    assert len(written) > 5
    for info in infos:
        report = verify(info.path, _session_source(session))
        assert report.ok, report.failure
        assert report.facts is not None
        assert report.facts.counts["audit"] == report.facts.audit_head  # a consistent state


def test_no_plaintext_in_the_backup(admin_dir: StoreDir) -> None:
    session = admin_dir.session  # type: ignore[attr-defined]
    sentinels = ["SENTINEL-单位-B7", "SENTINEL-姓名-K2", "SENTINEL-reason-Q9"]
    settings.set_value(session, "unit_name", sentinels[0])
    operators.add(session, "wang", "clerk", "wang-password-1", sentinels[1])
    operators.disable(session, "wang", sentinels[2])
    data = backups.make(session).path.read_bytes()
    for word in sentinels:
        for encoded in (word.encode(), word.encode("utf-16-le")):
            assert encoded not in data
    assert b"SQLite format 3" not in data


def test_verify_reports_each_check(admin_dir: StoreDir) -> None:
    session = admin_dir.session  # type: ignore[attr-defined]
    info = backups.make(session)
    report = verify(info.path, from_password("admin", ADMIN_PW))
    assert report.ok
    names = [c.what for c in report.checks]
    assert "SQLCipher's integrity check" in names and "SQLite's integrity check" in names
    assert report.checks[0].line().startswith("passed ")
    assert any("SHA-256" in n for n in names) and any("record counts" in n for n in names)


def test_verify_with_the_recovery_code(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        info = backups.make(session)
        session.close()
    assert verify(info.path, from_recovery(store.recovery_code)).ok
    wrong = verify(info.path, from_password("admin", "not-the-password"))
    assert not wrong.ok and "wrong password" in wrong.failure


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _member_offset(path: Path, name: str) -> int:
    with tarfile.open(path) as tar:
        member = tar.getmember(name)
        return member.offset_data + min(100, member.size - 1)


@pytest.mark.parametrize("part", [backup_file.SNAPSHOT, "keys/slot-1.key", "keys/slot-2.key",
                                  "keys/slot-3.key.sha256", backup_file.SEALED,
                                  backup_file.MANIFEST, backup_file.MANIFEST_MAC, "header"])
def test_a_flipped_byte_in_any_part_is_named(admin_dir: StoreDir, part: str) -> None:
    session = admin_dir.session  # type: ignore[attr-defined]
    info = backups.make(session)
    offset = 10 if part == "header" else _member_offset(info.path, part)
    _flip(info.path, offset)
    report = verify(info.path, _session_source(session))
    assert not report.ok
    assert report.failure


def test_truncated_and_foreign_files(admin_dir: StoreDir, tmp_path: Path) -> None:
    session = admin_dir.session  # type: ignore[attr-defined]
    info = backups.make(session)
    short = tmp_path / "short.sdbk"
    short.write_bytes(info.path.read_bytes()[: info.size // 2])
    assert "truncated" in verify(short, _session_source(session)).failure
    junk = tmp_path / "notes.sdbk"
    junk.write_text("meeting notes")
    assert "not a statdesk backup" in verify(junk, _session_source(session)).failure
    missing = verify(tmp_path / "nothing.sdbk", _session_source(session))
    assert "does not exist" in missing.failure


def test_backup_of_another_store_is_refused_by_restore(store: Store, tmp_path: Path) -> None:
    other = DataPaths(tmp_path / "other")
    with StoreDir(other, create=True) as folder:
        new = folder.init("admin", ADMIN_PW, "另一个院")
        foreign = backups.make(new.session)
        new.session.close()
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        session.close()
    before, files = _dump(store.paths), tree_digest(store.root)
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        for source in (_session_source(session), from_password("admin", ADMIN_PW)):
            with pytest.raises(BackupError, match="another store"):
                restore(folder, foreign.path, source, "admin", session)
        session.close()
    after = _dump(store.paths)
    assert {t: r for t, r in after.items() if t not in ("audit", "meta")} == \
        {t: r for t, r in before.items() if t not in ("audit", "meta")}
    assert [e[3] for e in after["audit"][len(before["audit"]):]] == ["login"]  # nothing else
    assert {k for k in tree_digest(store.root) if k != "statdesk.db"} == \
        {k for k in files if k != "statdesk.db"}


def test_restore_keeps_a_safety_copy_and_records_it(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        info = backups.make(session)
        settings.set_value(session, "unit_name", "备份之后改的")
        done = restore(folder, info.path, _session_source(session), "admin", session)
        assert done.safety_copy and (store.paths.backups / done.safety_copy).exists()
        session = folder.unlock("admin", ADMIN_PW)
        assert settings.get("unit_name") == "测试县人民检察院"
        from store.audit import log as audit

        entry = next(e for e in audit.recent(5) if e.action == "store.restore")
        assert done.safety_copy in (entry.new or "") and info.file_name in (entry.new or "")
        kinds = {b.file_name: b.kind for b in backups.list_backups()}
        assert kinds[done.safety_copy] == "safety" and kinds[info.file_name] == "monthly"
        safety = verify(store.paths.backups / done.safety_copy, _session_source(session))
        assert safety.ok


def test_target_folder_missing_or_read_only(admin_dir: StoreDir, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    session = admin_dir.session  # type: ignore[attr-defined]
    with pytest.raises(BackupError, match="does not exist"):
        backups.make(session, tmp_path / "no-such-usb")
    readonly = tmp_path / "ro"
    readonly.mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, m: False if Path(p) == readonly.absolute()
                        else real(p, m))
    with pytest.raises(BackupError, match="read-only"):
        backups.make(session, readonly)
    assert list(readonly.iterdir()) == []


def test_full_disk_leaves_nothing_under_a_backups_name(admin_dir: StoreDir, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    session = admin_dir.session  # type: ignore[attr-defined]
    usb = tmp_path / "usb"
    usb.mkdir()
    older = backups.make(session, usb)
    real_write = backup_file.write

    def full(target: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        target.write_bytes(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup_file, "write", full)
    with pytest.raises(BackupError, match="not enough space"):
        backups.make(session, usb)
    monkeypatch.setattr(backup_file, "write", real_write)
    assert sorted(p.name for p in usb.iterdir()) == [older.file_name]
    assert verify(older.path, _session_source(session)).ok


def test_status_reminds_from_the_first_working_day(admin_dir: StoreDir,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from store import clock

    session = admin_dir.session  # type: ignore[attr-defined]
    assert backups.first_working_day(2026, 10) == date(2026, 10, 8)  # after the National Day
    assert backups.first_working_day(2026, 11) == date(2026, 11, 2)  # the 1st is a Sunday
    assert not backups.status(date(2026, 10, 5)).remind
    assert backups.status(date(2026, 10, 8)).remind
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    backups.make(session)
    state = backups.status(date(2026, 11, 30))
    assert state.this_month_done and not state.remind and state.last is not None


def test_cli_backup_verify_restore(store: Store, cli_run, tmp_path: Path) -> None:
    args = ["--user", "admin", "--data-dir", str(store.root), "--password-stdin"]
    made = cli_run(["backup", *args], f"{ADMIN_PW}\n")
    assert made.code == 0, made.err
    file = next(store.paths.backups.glob("*.sdbk"))
    checked = cli_run(["backup", "verify", str(file), *args], f"{ADMIN_PW}\n")
    assert checked.code == 0 and "OK: the backup is complete and sound" in checked.out
    assert "SQLCipher's integrity check" in checked.out
    broken = tmp_path / "broken.sdbk"
    shutil.copy(file, broken)
    _flip(broken, _member_offset(broken, backup_file.SNAPSHOT))
    bad = cli_run(["backup", "verify", str(broken), *args], f"{ADMIN_PW}\n")
    assert bad.code == 1 and len(bad.err.strip().splitlines()) == 1
    assert "statdesk.db was changed" in bad.err
    restored = cli_run(["restore", str(file), *args], f"{ADMIN_PW}\n")
    assert restored.code == 0, restored.err
    assert "kept as" in restored.out
    no_dir = cli_run(["backup", "--to", str(tmp_path / "nope"), *args], f"{ADMIN_PW}\n")
    assert no_dir.code == 1 and "does not exist" in no_dir.err


@pytest.fixture
def tiny_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real 64 KiB file system (tmpfs), where this machine lets us mount one."""
    import subprocess

    mount = tmp_path / "usb"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
                          capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here; the monkeypatched full-disk test stands in")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def test_a_really_full_disk(store: Store, tiny_disk: Path, cli_run) -> None:
    args = ["--user", "admin", "--data-dir", str(store.root), "--password-stdin"]
    assert cli_run(["backup", *args], f"{ADMIN_PW}\n").code == 0
    older = {p.name: p.read_bytes() for p in store.paths.backups.iterdir()}
    result = cli_run(["backup", "--to", str(tiny_disk), *args], f"{ADMIN_PW}\n")
    assert result.code == 1
    assert "not enough space" in result.err and len(result.err.strip().splitlines()) == 1
    assert list(tiny_disk.iterdir()) == []
    assert {p.name: p.read_bytes() for p in store.paths.backups.iterdir()} == older
    ok = cli_run(["audit", "verify", *args], f"{ADMIN_PW}\n")
    assert ok.code == 0


def _append(path: Path, data: bytes) -> None:
    with open(path, "ab") as handle:
        handle.write(data)


@pytest.mark.parametrize("damage", ["appended", "trailer", "mac-non-ascii", "parts-list",
                                    "keyslot-sidecar"])
def test_damage_outside_the_parts_is_found(admin_dir: StoreDir, tmp_path: Path,
                                           damage: str) -> None:
    session = admin_dir.session  # type: ignore[attr-defined]
    info = backups.make(session)
    path = info.path
    if damage == "appended":
        _append(path, b"extra bytes")
    elif damage == "trailer":
        _flip(path, info.size - 10)
    else:
        work = tmp_path / "re"
        with tarfile.open(path) as tar:
            tar.extractall(work, filter="data")
        if damage == "mac-non-ascii":
            (work / backup_file.MANIFEST_MAC).write_bytes("é".encode() * 64)
        elif damage == "parts-list":
            (work / backup_file.MANIFEST).write_text('{"format": "statdesk-backup-1", '
                                                     '"parts": [], "counts": {}}')
        else:
            sidecar = work / "keys" / "slot-1.key.sha256"
            sidecar.write_text("0" * 64 + " 1000\n")
        with tarfile.open(path, "w") as tar:
            for name in sorted(p.relative_to(work).as_posix() for p in work.rglob("*")
                               if p.is_file()):
                tar.add(work / name, name)
    report = verify(path, _session_source(session))
    assert not report.ok and report.failure


def test_a_changed_file_fails_against_its_recorded_hash_and_loses_its_date(
        admin_dir: StoreDir) -> None:
    session = admin_dir.session  # type: ignore[attr-defined]
    info = backups.make(session)
    _append(info.path, b"\0" * 512)  # zero padding would pass the archive checks alone
    report = verify(info.path, _session_source(session),
                    expected_sha256=backups.recorded_sha256(info.path))
    assert not report.ok and "changed since it was made" in report.failure
    backups.record_verify(session, info.path, report.ok, report.failure)
    assert backups.list_backups()[0].verified_at is None
    assert not backups.status().this_month_done


def test_a_restore_cut_short_is_finished_at_the_next_open(store: Store, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from store.vault import swap

    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        info = backups.make(session)
        session.close()
    other = DataPaths(tmp_path / "other")
    with StoreDir(other, create=True) as folder:
        folder.init("admin", "other-password-1", "另一个院").session.close()
    real_finish = swap.finish
    calls = []

    def crash_after_the_database(paths: DataPaths) -> bool:
        if not swap.intent(paths).exists():
            return False
        calls.append(paths)
        os.replace(swap.staged_db(paths), paths.db)  # the database is in place, then…
        raise KeyboardInterrupt("power cut")  # …before the keyslots are

    monkeypatch.setattr(swap, "finish", crash_after_the_database)
    with StoreDir(other) as folder:
        session = folder.unlock("admin", "other-password-1")
        with pytest.raises(KeyboardInterrupt):
            restore(folder, info.path, from_password("admin", ADMIN_PW), "admin", session,
                    other_store=True)
    monkeypatch.setattr(swap, "finish", real_finish)
    assert swap.intent(other).exists() and calls
    with StoreDir(other) as folder:  # opening finishes the swap
        assert not swap.intent(other).exists()
        session = folder.unlock("admin", ADMIN_PW)  # the backup's keyslots are in place
        assert settings.get("unit_name") == "测试县人民检察院"
        session.close()
    assert list(other.root.glob("keys.before-restore-*"))  # the replaced keys are kept


@pytest.mark.parametrize("bad", ["truncated", "flipped", "junk"])
def test_restore_of_a_bad_file_leaves_the_store_as_it_was(store: Store, tmp_path: Path,
                                                          bad: str) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        info = backups.make(session)
        session.close()
    broken = tmp_path / "broken.sdbk"
    data = info.path.read_bytes()
    broken.write_bytes({"truncated": data[: len(data) // 3], "junk": b"not a backup" * 100,
                        "flipped": data}[bad])
    if bad == "flipped":
        _flip(broken, _member_offset(broken, backup_file.SNAPSHOT))
    before = _dump(store.paths)
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        with pytest.raises(BackupError, match="failed verification"):
            restore(folder, broken, _session_source(session), "admin", session)
        session.close()
    after = _dump(store.paths)
    assert {t: r for t, r in after.items() if t not in ("audit", "meta")} == \
        {t: r for t, r in before.items() if t not in ("audit", "meta")}
    assert not list(store.root.glob("statdesk.db.restoring*"))
