"""Crash safety: a writer killed with SIGKILL at random moments never corrupts the store."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from store import health
from store.database import rows
from store.session import StoreDir
from tests.conftest import ADMIN_PW, REPO, Store

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def _committed_values() -> set[int]:
    values = set()
    for (new,) in rows("SELECT new FROM audit WHERE action = 'setting.change'"):
        value = json.loads(new)["value"]
        if value.startswith("crash-"):
            values.add(int(value.removeprefix("crash-")))
    return values


def test_sigkill_twenty_times(store: Store) -> None:
    rng = random.Random(20261130)
    reported: set[int] = set()
    start = 0
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for _round in range(20):
        child = subprocess.Popen(
            [sys.executable, str(REPO / "tests" / "crash_child.py"), str(store.root), ADMIN_PW,
             str(start)], stdout=subprocess.PIPE, text=True, env=env)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.01, 0.3))
        child.send_signal(signal.SIGKILL)
        out, _err = child.communicate(timeout=30)
        numbers = [int(line) for line in out.split() if line.isdigit()]
        reported.update(numbers)
        start = max(reported, default=start) + 1000  # each round writes its own values
        with StoreDir(store.paths) as folder:
            session = folder.unlock("admin", ADMIN_PW)
            assert health.problems() == []
            assert session.audit.verify().ok
            missing = reported - _committed_values()
            assert not missing, f"committed writes lost: {sorted(missing)[:5]}"
            session.close()
    assert len(reported) > 20
