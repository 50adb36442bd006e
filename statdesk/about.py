"""`statdesk --version`: statdesk's version, SQLCipher's, SQLite's and the schema number.

The lines keep fixed English words (scripts and support read them). A broken installation
still gets its version and one line saying what is missing, never a traceback.
"""

from __future__ import annotations

from store.installed import Versions, versions
from store.versions import VERSION


def version_lines(found: Versions) -> list[str]:
    return [f"statdesk {found.statdesk}", f"SQLCipher {found.sqlcipher}",
            f"SQLite {found.sqlite}", f"schema {found.schema}"]


def report() -> tuple[list[str], bool]:
    """The lines to print, and whether the libraries could be read at all."""
    try:
        return version_lines(versions()), True
    except Exception as exc:
        return [f"statdesk {VERSION}",
                f"SQLCipher: unavailable ({type(exc).__name__}: {exc})"], False
