"""Failed unlocks, kept until the next successful unlock writes them to the audit log.

They must outlive the process (a restart must not reset the delay) and cannot
go in the encrypted database, which a failed unlock cannot open. The file
holds only names as typed and times; no password or key material.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store import clock

MAX_DELAY_SECONDS = 60.0
NAME_LIMIT = 64


def delay_after(failures: int) -> float:
    """The wait after the n-th consecutive failure: 1, 2, 4, … up to a minute."""
    if failures <= 0:
        return 0.0
    return float(min(2 ** (failures - 1), MAX_DELAY_SECONDS))


@dataclass
class FailureRecord:
    """Consecutive failed unlocks under one name."""

    count: int = 0
    times: list[str] = field(default_factory=list)
    not_before: float = 0.0
    audited: int = 0


class FailureLog:
    """The failure file of one data directory."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict[str, FailureRecord]:
        try:
            raw: Any = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        records: dict[str, FailureRecord] = {}
        if isinstance(raw, dict):
            for name, rec in raw.items():
                if isinstance(rec, dict):
                    records[str(name)] = FailureRecord(
                        count=int(rec.get("count", 0)),
                        times=[str(t) for t in rec.get("times", [])][-100:],
                        not_before=float(rec.get("not_before", 0.0)),
                        audited=int(rec.get("audited", 0)),
                    )
        return records

    def _save(self, records: dict[str, FailureRecord]) -> None:
        if not records:
            self.path.unlink(missing_ok=True)
            return
        data = {
            name: {"count": r.count, "times": r.times, "not_before": r.not_before,
                   "audited": r.audited}
            for name, r in records.items()
        }
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)

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
        rec.count += 1
        rec.times.append(clock.stamp())
        rec.times = rec.times[-100:]
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
