"""Numbered schema migrations, recorded in the database and run at open.

Each module `mNNNN_name.py` holds `NAME` and either `SQL` (statements) or
`up(database)`; migrations are written as plain SQL so that later model
changes never alter what an old migration did.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from store import clock
from store.vault.database import db, execute, rows


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    module: ModuleType

    def apply(self) -> dict[str, Any] | None:
        """Run it; what `up` returns (what the migration corrected) goes into its audit entry."""
        up: Callable[[object], dict[str, Any] | None] | None = getattr(self.module, "up", None)
        found = up(db) if up is not None else None
        for statement in getattr(self.module, "SQL", []):
            execute(statement)
        return found


def available() -> list[Migration]:
    """Every migration shipped, in order."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("m") and info.name[1:5].isdigit():
            module = importlib.import_module(f"{__name__}.{info.name}")
            found.append(Migration(int(info.name[1:5]), str(module.NAME), module))
    found.sort(key=lambda m: m.number)
    return found


def applied() -> set[int]:
    if "schema_migration" not in db.get_tables():
        return set()
    return {int(row[0]) for row in rows("SELECT number FROM schema_migration")}


def shipped_schema() -> int:
    """The schema this statdesk brings a store up to: its highest migration's number."""
    return max((m.number for m in available()), default=0)


def store_schema() -> int:
    """The open store's schema: the highest migration applied to it (0: none yet)."""
    return max(applied(), default=0)


def pending() -> list[Migration]:
    done = applied()
    return [m for m in available() if m.number not in done]


def apply(migration: Migration) -> dict[str, Any] | None:
    """Apply one migration and record it; the caller holds the transaction. Returns what the
    migration says it corrected (None: nothing to say)."""
    if "schema_migration" not in db.get_tables():
        execute(
            "CREATE TABLE schema_migration (number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL)"
        )
    found = migration.apply()
    execute(
        "INSERT INTO schema_migration (number, name, applied_at) VALUES (?, ?, ?)",
        (migration.number, migration.name, clock.stamp()),
    )
    return found
