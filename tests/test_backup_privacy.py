"""A backup file says nothing without a key: no login name, no name, no unit, no count.

Each test reads the `.sdbk` as an insider holding the file and no password would:
raw bytes, `tarfile`, `json`, plain `sqlcipher3`. Older backups (format 1, plaintext
manifest) still verify and restore; another store's backup is called so.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import tarfile
import tempfile
from pathlib import Path

import pytest
from sqlcipher3 import dbapi2 as sqlcipher

from store import operators, settings
from store.backups import file as backup_file
from store.backups import make as backups
from store.backups.restore import restore
from store.backups.snapshots import snapshot_facts
from store.backups.verify import from_keys, from_password, from_recovery, verify
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from store.vault.session import Session
from store.versions import VERSION
from tests.conftest import ADMIN_PW, CLERK_PW, Store

UNIT = "SENTINEL单位-秘书科"
LOGIN = "qianshuju"
SHOWN = "SENTINEL钱数据"
GONE = "sunlizhi"
GONE_SHOWN = "SENTINEL孙离职"
PASSWORD = "qian-password-1"
NEUTRAL = re.compile(r"(statdesk\.db|manifest\.db|manifest\.json|manifest\.hmac"
                     r"|keys/slot-[0-9]+\.key(\.sha256)?)")
ENCRYPTED = re.compile(r"(statdesk\.db|manifest\.db|keys/slot-[0-9]+\.key)")


def _source(session: Session):  # type: ignore[no-untyped-def]
    return from_keys(*session.key_material(), session.store_id, session.actor.name)


def _populate(session: Session) -> None:
    settings.set_value(session, "unit_name", UNIT)
    operators.add(session, LOGIN, "clerk", PASSWORD, SHOWN)
    operators.add(session, GONE, "clerk", "sun-password-1", GONE_SHOWN)
    operators.disable(session, GONE, "left the office")  # leaves keys/sunlizhi.disabled


def test_the_file_names_nobody_and_counts_nothing(admin_dir: StoreDir) -> None:
    session = admin_dir.session  # type: ignore[attr-defined]
    _populate(session)
    info = backups.make(session)
    words = ["admin", "clerk", LOGIN, GONE, "王管理", "李统计", SHOWN, GONE_SHOWN, UNIT,
             "测试县人民检察院", session.store_id, "taken_by", "counts", "audit_head", VERSION]
    data = info.path.read_bytes()
    for word in words:
        for encoded in (word.encode(), word.encode("utf-16-le")):
            assert encoded not in data, word
    assert b"SQLite format 3" not in data
    with tarfile.open(info.path) as tar:
        members = tar.getmembers()
        names = [m.name for m in members]
        assert all(NEUTRAL.fullmatch(n) for n in names), names
        assert len({m.mtime for m in members}) == 1  # no slot's own dates either
        slots = [n for n in names if n.endswith(".key")]
        assert len(slots) == 4  # admin, clerk, qianshuju and the recovery slot
        plain = {m.name: tar.extractfile(m).read()  # type: ignore[union-attr]
                 for m in members if not ENCRYPTED.fullmatch(m.name)}
        sealed = tar.extractfile(backup_file.SEALED).read()  # type: ignore[union-attr]
    outer = json.loads(plain.pop(backup_file.MANIFEST))
    assert set(outer) == {"format", "parts"} and outer["format"] == backup_file.FORMAT
    assert set(outer["parts"]) == set(names) - {backup_file.MANIFEST, backup_file.MANIFEST_MAC}
    assert all(set(part) == {"size", "sha256"} for part in outer["parts"].values())
    assert re.fullmatch(rb"[0-9a-f]{64}", plain.pop(backup_file.MANIFEST_MAC))
    for name, text in plain.items():  # only the keyslots' checksums are left: hash and cost
        assert re.fullmatch(rb"[0-9a-f]{64} 1000\n", text), name
    with tempfile.TemporaryDirectory() as scratch:  # the sealed manifest without a key
        copy = Path(scratch) / "manifest.db"
        copy.write_bytes(sealed)
        conn = sqlcipher.connect(str(copy))
        with pytest.raises(sqlcipher.DatabaseError):
            conn.execute("SELECT * FROM sqlite_master").fetchall()
        conn.close()


def test_verify_and_restore_find_each_slot_by_its_label(store: Store, tmp_path: Path) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        _populate(session)
        info = backups.make(session)
        session.close()
    for source in (from_password("admin", ADMIN_PW), from_password("clerk", CLERK_PW),
                   from_password(LOGIN, PASSWORD), from_recovery(store.recovery_code)):
        report = verify(info.path, source)
        assert report.ok, report.failure
        assert report.manifest["taken_by"] == "admin" and report.manifest["counts"]
    # The admin's password opens a slot, but that slot is not the clerk's: refused.
    named_wrong = verify(info.path, from_password("clerk", ADMIN_PW))
    assert not named_wrong.ok and "wrong password" in named_wrong.failure
    assert not verify(info.path, from_password(GONE, "sun-password-1")).ok
    fresh = DataPaths(tmp_path / "fresh")
    with StoreDir(fresh, create=True) as folder:
        done = restore(folder, info.path, from_password("admin", ADMIN_PW), "admin", None)
    names = sorted(p.name for p in fresh.keys.iterdir())
    for expected in ("admin.key", "admin.key.sha256", "clerk.key", f"{LOGIN}.key",
                     "recovery.slot", "recovery.slot.sha256", f"{GONE}.disabled", "store.id"):
        assert expected in names, names
    assert not [n for n in names if n.startswith("slot-")]
    assert (fresh.keys / "store.id").read_text().strip() == done.store_id
    with StoreDir(fresh) as folder:
        folder.unlock(LOGIN, PASSWORD).close()
        folder.recover(store.recovery_code).close()
        with pytest.raises(Exception, match="disabled"):
            folder.unlock(GONE, "sun-password-1")


def test_a_neutral_slot_named_like_an_operator_is_not_overwritten(store: Store,
                                                                  tmp_path: Path) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        for number in (1, 2, 3):
            operators.add(session, f"slot-{number}", "clerk", f"slot-password-{number}")
        info = backups.make(session)
        session.close()
    fresh = DataPaths(tmp_path / "fresh")
    with StoreDir(fresh, create=True) as folder:
        restore(folder, info.path, from_password("slot-2", "slot-password-2"), "admin", None)
    with StoreDir(fresh) as folder:
        for number in (1, 2, 3):
            folder.unlock(f"slot-{number}", f"slot-password-{number}").close()
        folder.unlock("admin", ADMIN_PW).close()


def _write_format_1(session: Session, target: Path) -> Path:
    """A backup as statdesk wrote it before format 2: keyslots by name, manifest in plaintext."""
    key, salt = session.key_material()
    work = Path(tempfile.mkdtemp(dir=target.parent))
    try:
        snapshot = work / backup_file.SNAPSHOT
        backups._export(session, snapshot)
        facts = snapshot_facts(snapshot, key, salt)
        parts = [(backup_file.SNAPSHOT, snapshot),
                 *((f"keys/{p.name}", p) for p in sorted(session.paths.keys.iterdir())
                   if p.is_file())]
        listed = {}
        with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as tar:
            for name, path in parts:
                tar.add(path, name)
                listed[name] = {"size": path.stat().st_size,
                                "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
            manifest = {"store_id": session.store_id, "taken_at": "2025-06-30T09:00:00+08:00",
                        "taken_by": session.actor.name, "statdesk": VERSION,
                        "counts": facts.counts, "audit_head": facts.audit_head,
                        "kind": "monthly", "format": backup_file.FORMAT_1, "parts": listed}
            body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            for name, data in ((backup_file.MANIFEST, body),
                               (backup_file.MANIFEST_MAC,
                                backup_file.manifest_mac(key, body).encode())):
                member = tarfile.TarInfo(name)
                member.size = len(data)
                tar.addfile(member, io.BytesIO(data))
    finally:
        shutil.rmtree(work)
    return target


def test_an_old_format_backup_still_verifies_and_restores(  # type: ignore[no-untyped-def]
        store: Store, tmp_path: Path, cli_run) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        store.paths.backups.mkdir(exist_ok=True)
        old = _write_format_1(session, store.paths.backups / "单位-2025-06-30T0900.sdbk")
        with tarfile.open(old) as tar:
            assert "keys/admin.key" in tar.getnames()  # the old layout indeed
        for source in (_source(session), from_password("admin", ADMIN_PW),
                       from_recovery(store.recovery_code)):
            report = verify(old, source)
            assert report.ok, report.failure
        settings.set_value(session, "unit_name", "备份之后改的")
        done = restore(folder, old, _source(session), "admin", session)
        assert done.safety_copy
        session = folder.unlock("admin", ADMIN_PW)
        assert settings.get("unit_name") == "测试县人民检察院"
        session.close()
    args = ["--user", "clerk", "--data-dir", str(store.root), "--password-stdin"]
    checked = cli_run(["backup", "verify", str(old), *args], f"{CLERK_PW}\n")
    assert checked.code == 0 and "OK: the backup is complete and sound." in checked.out
    fresh = DataPaths(tmp_path / "fresh")
    with StoreDir(fresh, create=True) as folder:
        restore(folder, old, from_password("admin", ADMIN_PW), "admin", None)
    with StoreDir(fresh) as folder:
        folder.unlock("clerk", CLERK_PW).close()


@pytest.mark.parametrize("old_format", [False, True], ids=["format-2", "format-1"])
def test_verifying_another_stores_backup_says_so(  # type: ignore[no-untyped-def]
        store: Store, tmp_path: Path, cli_run, old_format: bool) -> None:
    other = DataPaths(tmp_path / "store-b")
    with StoreDir(other, create=True) as folder:
        new = folder.init("admin", ADMIN_PW, "乙县人民检察院")
        if old_format:
            other.backups.mkdir()
            foreign = _write_format_1(new.session, other.backups / "b.sdbk")
        else:
            foreign = backups.make(new.session).path
        theirs = new.session.store_id
        new.session.close()
    args = ["--user", "admin", "--data-dir", str(store.root), "--password-stdin"]
    result = cli_run(["backup", "verify", str(foreign), *args], f"{ADMIN_PW}\n")
    said = result.out + result.err
    assert result.code == 0, said
    assert "this store" not in said
    assert f"is a backup of ANOTHER store (store id {theirs})" in said
    assert "complete and sound, but it is another store's backup" in said
    with StoreDir(store.paths) as folder:  # nothing of it recorded in store A
        session = folder.unlock("admin", ADMIN_PW)
        from store.audit import log as audit

        assert not [e for e in audit.recent(20) if e.action == "backup.verify"]
        session.close()
    shutil.copy(foreign, tmp_path / "damaged.sdbk")
    data = bytearray((tmp_path / "damaged.sdbk").read_bytes())
    with tarfile.open(foreign) as tar:
        member = tar.getmember(backup_file.SNAPSHOT)
        data[member.offset_data + 5000] ^= 1
    (tmp_path / "damaged.sdbk").write_bytes(bytes(data))
    damaged = cli_run(["backup", "verify", str(tmp_path / "damaged.sdbk"), *args],
                      f"{ADMIN_PW}\n")
    assert damaged.code == 1 and "this store" not in damaged.out + damaged.err
    if old_format:  # its manifest is plaintext: known to be another store's before any key
        assert "ANOTHER store" in damaged.out


def test_newer_than_live_names_the_backup_a_rollback_left_behind(store: Store,
                                                                 tmp_path: Path) -> None:
    older = tmp_path / "older.db"
    shutil.copy(store.paths.db, older)  # no session open: the file is whole
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        for n in range(10):
            settings.set_value(session, "unit_name", f"单位{n}")
        made = backups.make(session)
        assert backups.newer_than_live(session) == []  # the live store is ahead of it
        session.close()
    other = DataPaths(tmp_path / "other")
    with StoreDir(other, create=True) as folder:  # another store, further along
        new = folder.init("admin", ADMIN_PW, "另一个院")
        for n in range(30):
            settings.set_value(new.session, "unit_name", f"院{n}")
        shutil.copy(backups.make(new.session).path, store.paths.backups / "foreign.sdbk")
        new.session.close()
    (store.paths.backups / "junk.sdbk").write_bytes(b"not a backup" * 50)
    for stale in store.root.glob("statdesk.db-*"):
        stale.unlink()
    shutil.copy(older, store.paths.db)  # the insider's roll-back
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        newer = backups.newer_than_live(session)
        session.close()
    assert [b.path for b in newer] == [made.path]
    assert newer[0].audit_head == made.audit_head and newer[0].kind == "monthly"
