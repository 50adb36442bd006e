"""SQLite's and SQLCipher's own integrity checks on the open store."""

from __future__ import annotations

from store.vault.database import rows


def problems() -> list[str]:
    """Every problem `integrity_check` and `cipher_integrity_check` report; empty when sound."""
    found = [str(problem) for (problem,) in rows("PRAGMA integrity_check") if problem != "ok"]
    found += [str(problem) for (problem,) in rows("PRAGMA cipher_integrity_check")]
    return found
