"""`statdesk --version`: statdesk's version, SQLCipher's, SQLite's and the schema number.

The lines keep fixed English words (scripts and support read them). A broken installation
still gets its version and one line saying what is missing, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

from store.vault.installed import Versions, versions
from store.versions import VERSION

BUILD = Path(__file__).resolve().parent / "BUILD"
"""Written into release wheels by tools/bundle.py: the commit they were built from."""


def build() -> str:
    """" (commit 1a2b3c4d5e6f)" for a release build; "" for a checkout or a trial build."""
    try:
        commit = BUILD.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (commit {commit[:12]})" if commit else ""


def version_lines(found: Versions) -> list[str]:
    return [f"statdesk {found.statdesk}{build()}", f"SQLCipher {found.sqlcipher}",
            f"SQLite {found.sqlite}", f"schema {found.schema}"]


def report() -> tuple[list[str], bool]:
    """The lines to print, and whether the libraries could be read at all."""
    try:
        return version_lines(versions()), True
    except Exception as exc:
        return [f"statdesk {VERSION}{build()}",
                f"SQLCipher: unavailable ({type(exc).__name__}: {exc})"], False
