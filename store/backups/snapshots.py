"""What SQLite and SQLCipher say of a database snapshot, and what it holds.

Read on connections of their own with the raw key and plain SQL (no models), so a
snapshot of any schema, older or newer than this statdesk's, can be judged.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from store.vault import cipher


@dataclass(frozen=True)
class SnapshotFacts:
    """What SQLite and SQLCipher say of a snapshot, and what it holds."""

    cipher_problems: list[str]
    integrity_problems: list[str]
    counts: dict[str, int]
    store_id: str
    audit_head: int
    schema: int = 0
    """The highest schema migration the snapshot holds."""
    version: str = ""
    """The statdesk that made or last upgraded the snapshot's store ("" if unrecorded)."""

    @property
    def sound(self) -> bool:
        return not self.cipher_problems and not self.integrity_problems


def _pragma_problems(path: Path, key: bytes, salt: bytes, pragma: str) -> list[str]:
    conn = cipher.connect_raw(str(path), key, salt)
    try:
        return [str(problem) for (problem,) in conn.execute(f"PRAGMA {pragma}")
                if problem != "ok"]
    except cipher.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()


def snapshot_facts(path: Path, key: bytes, salt: bytes) -> SnapshotFacts:
    """Run `cipher_integrity_check` and `integrity_check` (side by side, on two connections:
    SQLite works without the GIL); count every table's records."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        pages = pool.submit(_pragma_problems, path, key, salt, "cipher_integrity_check")
        structure = pool.submit(_pragma_problems, path, key, salt, "integrity_check")
        cipher_problems, problems = pages.result(), structure.result()
    conn = cipher.connect_raw(str(path), key, salt)
    try:
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        counts = {}
        for table in tables:
            (count,) = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()
            counts[table] = int(count)
        meta = {key: value for key, value in conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('store_id', 'audit_head_id',"
            " 'statdesk_version')")}
        schema = 0
        if "schema_migration" in counts:
            (schema,) = conn.execute("SELECT max(number) FROM schema_migration").fetchone()
        return SnapshotFacts(cipher_problems, problems, counts, str(meta.get("store_id", "")),
                             int(meta.get("audit_head_id", 0)), int(schema or 0),
                             str(meta.get("statdesk_version", "")))
    except cipher.DatabaseError as exc:
        return SnapshotFacts([str(exc)], [], {}, "", 0)
    finally:
        conn.close()
