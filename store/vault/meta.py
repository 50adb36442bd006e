"""The store-wide facts in `meta`, read and written by key (writes in the caller's
transaction). Each key is named, with what its value holds, by the module that owns it."""

from __future__ import annotations

from store.vault.database import scalar
from store.vault.models import MetaValue


def get(key: str) -> str | None:
    """The value kept under `key`, or None. Plain SQL: an unlock reads a dozen keys, and a
    built query costs ten times as much as the read itself."""
    found = scalar("SELECT value FROM meta WHERE key = ?", (key,))
    return None if found is None else str(found)


def put(key: str, value: str) -> None:
    """Keep `value` under `key`, replacing what was there."""
    MetaValue.insert(key=key, value=value).on_conflict_replace().execute()


def put_new(key: str, value: str) -> None:
    """Keep `value` under `key` unless the key already holds one."""
    MetaValue.insert(key=key, value=value).on_conflict_ignore().execute()


def drop(key: str) -> None:
    """Forget `key`."""
    MetaValue.delete().where(MetaValue.key == key).execute()
