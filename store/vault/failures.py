"""Failed unlocks, kept until the next successful unlock writes them to the audit log.

They must outlive the process (a restart must not reset the delay) and cannot
go in the encrypted database, which a failed unlock cannot open. The file
holds only names as typed and times; no password or key material.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store import clock

MAX_DELAY_SECONDS = 60.0
NAME_LIMIT = 64
FILE_LIMIT = 1 << 20
"""A failure file larger than this was not written by statdesk: it is not read."""
COUNT_LIMIT = 1_000_000
TIMES_KEPT = 100
TIME_LIMIT = 40


def delay_after(failures: int) -> float:
    """The wait after the n-th consecutive failure: 1, 2, 4, … up to a minute."""
    if failures <= 0:
        return 0.0
    if failures > 7:  # 2 ** 6 is past the cap already; a huge count must not be computed
        return MAX_DELAY_SECONDS
    return float(min(2 ** (failures - 1), MAX_DELAY_SECONDS))


@dataclass
class FailureRecord:
    """Consecutive failed unlocks under one name."""

    count: int = 0
    times: list[str] = field(default_factory=list)
    not_before: float = 0.0
    audited: int = 0


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _record_from(raw: object, now: float) -> FailureRecord | None:
    """One record as read from the file, or None if any part of it is not what statdesk writes.

    A wait is never more than MAX_DELAY_SECONDS from now, whatever the file says.
    """
    if not isinstance(raw, dict):
        return None
    count, times = raw.get("count", 0), raw.get("times", [])
    not_before, audited = raw.get("not_before", 0.0), raw.get("audited", 0)
    if not (_is_int(count) and _is_int(audited) and 0 <= count <= COUNT_LIMIT):
        return None
    if not isinstance(times, list) or not all(isinstance(t, str) and len(t) <= TIME_LIMIT
                                              for t in times[-TIMES_KEPT:]):
        return None
    if not (isinstance(not_before, int | float) and not isinstance(not_before, bool)
            and math.isfinite(not_before)):
        return None
    return FailureRecord(count=count, times=[str(t) for t in times[-TIMES_KEPT:]],
                         not_before=min(float(not_before), now + MAX_DELAY_SECONDS),
                         audited=min(max(audited, 0), count))


def _as_json(records: dict[str, FailureRecord]) -> dict[str, dict[str, Any]]:
    return {name: {"count": r.count, "times": r.times, "not_before": r.not_before,
                   "audited": r.audited} for name, r in records.items()}


class FailureLog:
    """The failure file of one data directory."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> Any:
        """The file's JSON, or None: never blocks on a pipe, never reads more than FILE_LIMIT."""
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                         | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            data = os.read(fd, FILE_LIMIT + 1)
        except OSError:
            return None
        finally:
            os.close(fd)
        if len(data) > FILE_LIMIT:
            return None
        try:
            return json.loads(data.decode("utf-8"))
        except (ValueError, RecursionError):  # bad text, bad JSON, a number past int's limit
            return None

    def _load(self) -> dict[str, FailureRecord]:
        """The records that make sense; anything else in the file is ignored, never raised.

        A file that said more than the records kept (a wait past the cap, a bad record) is
        written back clean at once, so a capped wait runs out instead of starting again.
        """
        raw = self._read()
        records: dict[str, FailureRecord] = {}
        if isinstance(raw, dict):
            now = clock.epoch()
            for name, rec in raw.items():
                parsed = _record_from(rec, now)
                if parsed is not None and len(name) <= NAME_LIMIT:
                    records[name] = parsed
            if _as_json(records) != raw:
                self._save(records)
        return records

    def _save(self, records: dict[str, FailureRecord]) -> None:
        """Best effort: a file that cannot be written must not fail a login either."""
        with contextlib.suppress(OSError):
            if not records:
                if self.path.is_file() or self.path.is_symlink():
                    self.path.unlink()
                return
            fd, tmp = tempfile.mkstemp(prefix=".unlock-failures-", suffix=".tmp",
                                       dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(json.dumps(_as_json(records), ensure_ascii=False, indent=1))
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise

    @staticmethod
    def key(name: str) -> str:
        return name[:NAME_LIMIT]

    def seconds_left(self, name: str) -> float:
        """How long `name` must still wait before the next attempt."""
        rec = self._load().get(self.key(name))
        if rec is None:
            return 0.0
        return max(0.0, rec.not_before - clock.epoch())

    def record(self, name: str) -> FailureRecord:
        """Count one more failure under `name` and set its next allowed time."""
        records = self._load()
        rec = records.setdefault(self.key(name), FailureRecord())
        rec.count = min(rec.count + 1, COUNT_LIMIT)
        rec.times.append(clock.stamp())
        rec.times = rec.times[-TIMES_KEPT:]
        rec.not_before = clock.epoch() + delay_after(rec.count)
        self._save(records)
        return rec

    def unaudited(self) -> list[tuple[str, str]]:
        """(name, time) of every failure not yet written to the audit log."""
        out: list[tuple[str, str]] = []
        for name, rec in self._load().items():
            fresh = rec.count - rec.audited
            if fresh > 0:
                out.extend((name, t) for t in rec.times[-fresh:])
        return sorted(out, key=lambda item: item[1])

    def mark_audited(self) -> None:
        """Every failure so far is in the audit log; counts and delays stay."""
        records = self._load()
        for rec in records.values():
            rec.audited = rec.count
        self._save(records)

    def count(self, name: str) -> int:
        rec = self._load().get(self.key(name))
        return rec.count if rec else 0

    def clear(self, name: str) -> None:
        """`name` unlocked: its count has been shown; start again from zero."""
        records = self._load()
        records.pop(self.key(name), None)
        self._save(records)
