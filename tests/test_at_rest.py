"""No plaintext at rest: the database, its WAL/journal and every keyslot hold no readable data."""

from __future__ import annotations

from pathlib import Path

from store import operators, settings
from store.vault import cipher
from store.vault.database import rows
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, Store

SENTINELS = ["SENTINEL-机密-unit-7Q2", "SENTINEL-姓名-operator-9K4", "SENTINEL-reason-3X8"]


def _files(store: Store) -> list[Path]:
    """Every file in the data folder: the database, its WAL, keyslots, and anything else."""
    return sorted(p for p in store.root.rglob("*") if p.is_file())


def _hits(files: list[Path]) -> list[str]:
    found = []
    for path in files:
        data = path.read_bytes()
        for word in SENTINELS:
            for encoded in (word.encode("utf-8"), word.encode("utf-16-le"),
                            word.split("-")[-1].encode() + b"\x00"):
                if encoded in data:
                    found.append(f"{path.name}: {word}")
    return found


def test_written_data_is_nowhere_in_plaintext(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        assert rows("PRAGMA temp_store") == [(2,)]  # MEMORY
        settings.set_value(session, "unit_name", SENTINELS[0])
        operators.add(session, "wang", "clerk", "wang-password-1", SENTINELS[1])
        operators.disable(session, "wang", SENTINELS[2])
        rows("SELECT * FROM audit ORDER BY note, new DESC")  # a sort that could spill
        open_files = _files(store)
        assert Path(f"{store.paths.db}-wal") in open_files
        assert _hits(open_files) == []
        session.close()
    assert _hits(_files(store)) == []
    assert not store.paths.db.read_bytes().startswith(cipher.SQLITE_HEADER)
    for slot in store.paths.keys.glob("*.key"):
        assert not slot.read_bytes().startswith(cipher.SQLITE_HEADER)
    assert not store.paths.recovery_slot.read_bytes().startswith(cipher.SQLITE_HEADER)


def test_no_temp_files_beside_the_store(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        folder.unlock("admin", ADMIN_PW)
        rows("SELECT a.id FROM audit a, audit b ORDER BY a.note || b.note")
        names = {p.name for p in store.root.iterdir()}
    assert not any(name.startswith("etilqs_") for name in names)
