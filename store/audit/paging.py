"""The audit screen's pages of the log: newest first, narrowed by operator, action and dates,
by keyset so that any depth of a log of millions of entries opens as fast as its first page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from store.audit.log import AuditRecord, head
from store.vault.database import record, records, scalar

COLUMNS = ", ".join(AuditRecord._fields)


@dataclass(frozen=True)
class AuditFilter:
    """What the audit screen narrows the log to; `date_to` is inclusive."""

    operator: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditRecord]
    has_older: bool
    has_newer: bool


_bounds_cache: dict[tuple[Any, ...], tuple[int, int]] = {}


def _conditions(flt: AuditFilter) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if flt.operator:
        where.append("operator = ?")
        params.append(flt.operator)
    if flt.action:
        where.append("action = ?")
        params.append(flt.action)
    if flt.date_from or flt.date_to:
        low = flt.date_from.isoformat() if flt.date_from else ""
        high = (flt.date_to + timedelta(days=1)).isoformat() if flt.date_to else "9999"
        first, last = _id_bounds(low, high)
        where += ["id BETWEEN ? AND ?", "ts >= ?", "ts < ?"]
        params += [first, last, low, high]
    return where, params


class _Bounds(NamedTuple):
    first: int | None
    last: int | None


def _id_bounds(low: str, high: str) -> tuple[int, int]:
    """The id range holding every entry stamped in [low, high), from the ts index, cached."""
    key = (low, high, head().id)
    if key not in _bounds_cache:
        found = record(_Bounds, "SELECT min(id) AS first, max(id) AS last FROM audit"
                       " WHERE ts >= ? AND ts < ?", (low, high))
        bounds = (0, -1) if found is None or found.first is None else (
            int(found.first), int(found.last or 0))
        _bounds_cache.clear()
        _bounds_cache[key] = bounds
    return _bounds_cache[key]


def page(flt: AuditFilter, *, older_than: int | None = None, newer_than: int | None = None,
         limit: int = 100) -> AuditPage:
    """One page of entries, newest first, by keyset (fast at any depth of the log)."""
    where, params = _conditions(flt)
    if newer_than is not None:
        found = records(AuditRecord, f"SELECT {COLUMNS} FROM audit WHERE"
                        f" {' AND '.join([*where, 'id > ?'])} ORDER BY id ASC LIMIT ?",
                        (*params, newer_than, limit + 1))
        has_newer = len(found) > limit
        entries = found[:limit][::-1]
        has_older = bool(entries) and _exists(where, params, "id < ?", entries[-1].id)
        return AuditPage(entries, has_older, has_newer)
    clause = [*where, "id < ?"] if older_than is not None else where
    args = (*params, older_than) if older_than is not None else tuple(params)
    found = records(AuditRecord, f"SELECT {COLUMNS} FROM audit"
                    f" {'WHERE ' + ' AND '.join(clause) if clause else ''}"
                    " ORDER BY id DESC LIMIT ?", (*args, limit + 1))
    entries = found[:limit]
    has_newer = older_than is not None and bool(entries) and _exists(where, params, "id > ?",
                                                                     entries[0].id)
    return AuditPage(entries, len(found) > limit, has_newer)


def _exists(where: list[str], params: list[Any], extra: str, value: int) -> bool:
    clause = " AND ".join([*where, extra])
    return scalar(f"SELECT 1 FROM audit WHERE {clause} LIMIT 1", (*params, value)) is not None
