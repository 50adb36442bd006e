"""What is installed: statdesk's version, SQLCipher's, SQLite's and the schema number.

`statdesk --version` prints these lines; the About entry (F1, the command palette)
shows them with the data folder. Nothing here opens the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from statdesk import __version__
from statdesk.i18n import _


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
        row = conn.execute("PRAGMA cipher_version").fetchone()
        cipher_version = str(row[0]) if row else _("unknown")
        sqlite_version = str(conn.execute("SELECT sqlite_version()").fetchone()[0])
    finally:
        conn.close()
    return Versions(__version__, cipher_version, sqlite_version, migrations.shipped_schema())


def version_lines(found: Versions) -> list[str]:
    """The lines of `statdesk --version`."""
    return [f"statdesk {found.statdesk}", f"SQLCipher {found.sqlcipher}",
            f"SQLite {found.sqlite}", f"schema {found.schema}"]  # fixed words: scripts read them


def about_rows(found: Versions, data_folder: Path) -> list[tuple[str, str]]:
    """(label, value) rows of the About entry: the versions, then where the data is."""
    return [("statdesk", found.statdesk), ("SQLCipher", found.sqlcipher),
            ("SQLite", found.sqlite), (_("Schema"), str(found.schema)),
            (_("Data folder"), str(data_folder))]
