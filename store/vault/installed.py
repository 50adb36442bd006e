"""What this installation runs on: SQLCipher's and SQLite's versions and the schema it ships.

Read by `statdesk --version`, `statdesk selfcheck` and the About entry; opens no store.
"""

from __future__ import annotations

from dataclasses import dataclass

from store.versions import VERSION


@dataclass(frozen=True)
class Versions:
    """The versions an office reports when it asks for help or checks an upgrade."""

    statdesk: str
    """This installation of statdesk."""
    sqlcipher: str
    """SQLCipher, as the linked library reports itself (`PRAGMA cipher_version`)."""
    sqlite: str
    """The SQLite inside SQLCipher."""
    schema: int
    """The highest schema migration this statdesk ships (a store is brought up to it)."""


def versions() -> Versions:
    from sqlcipher3 import dbapi2 as sqlcipher

    from store import migrations

    conn = sqlcipher.connect(":memory:")
    try:
        said = [version for (version,) in conn.execute("PRAGMA cipher_version")]
        cipher_version = str(said[0]) if said and said[0] else "?"
        (sqlite_version,) = conn.execute("SELECT sqlite_version()").fetchone()
    finally:
        conn.close()
    return Versions(VERSION, cipher_version, str(sqlite_version), migrations.shipped_schema())
