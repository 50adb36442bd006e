"""Wall-clock time in one place, so tests can move it."""

from __future__ import annotations

import time
from datetime import date, datetime


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


def today() -> date:
    """Today's date on the workstation."""
    return now().date()
