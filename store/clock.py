"""Wall-clock time in one place, so tests can move it."""

from __future__ import annotations

import time
from datetime import datetime


def now() -> datetime:
    """The local time, with its offset."""
    return datetime.now().astimezone()


def stamp() -> str:
    """ISO timestamp with offset, to the second, as stored everywhere."""
    return now().isoformat(timespec="seconds")


def monotonic() -> float:
    return time.monotonic()


def epoch() -> float:
    return time.time()
