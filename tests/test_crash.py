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

from store.vault import health
from store.vault.database import rows
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, CLERK_PW, REPO, Store

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def _committed_values() -> set[int]:
    values = set()
    for (new,) in rows("SELECT new FROM audit WHERE action = 'setting.change'"):
        value = json.loads(new)["value"]
        if value.startswith("crash-"):
            values.add(int(value.removeprefix("crash-")))
    return values


def _kill_child(store: Store, start: int, rng: random.Random, mode: str = "") -> list[int]:
    """Start the writing child, SIGKILL it at a random moment; what it reported committed."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "crash_child.py"), str(store.root), ADMIN_PW,
         str(start), mode], stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    time.sleep(rng.uniform(0.01, 0.3))
    child.send_signal(signal.SIGKILL)
    out, _err = child.communicate(timeout=30)
    return [int(line) for line in out.split() if line.isdigit()]


def test_sigkill_twenty_times(store: Store) -> None:
    rng = random.Random(20261130)
    reported: set[int] = set()
    start = 0
    for _round in range(20):
        numbers = _kill_child(store, start, rng)
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


def test_sigkill_during_password_changes_never_locks_the_operator_out(store: Store) -> None:
    """A kill between the commit and the keyslot's rename leaves the old or the new password."""
    from store.errors import WrongPassword

    rng = random.Random(27)
    current = [CLERK_PW]
    start, changes = 0, 0
    for _round in range(8):
        numbers = _kill_child(store, start, rng, "passwd")
        changes += len(numbers)
        candidates = [f"clerk-pass-{n:06d}" for n in numbers[-1:]] or current
        candidates.append(f"clerk-pass-{(numbers[-1] if numbers else start - 1) + 1:06d}")
        with StoreDir(store.paths) as folder:
            # A slot written under `.new` names waits for the unlock, which knows from the
            # database whether its change committed (keyslots.reconcile).
            opened = None
            for password in candidates:
                try:
                    opened = folder.unlock("clerk", password)
                    break
                except WrongPassword:
                    folder.failures.clear("clerk")
            assert opened is not None, f"clerk locked out after round {_round}"
            assert not list(store.paths.keys.glob("*.new"))  # finished or dropped by now
            assert health.problems() == [] and opened.audit.verify().ok
            current = [password]
            opened.close()
        start = (numbers[-1] if numbers else start) + 1000
    assert changes > 8, "the child should have changed the password many times"
