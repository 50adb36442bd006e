"""SIGKILL during backups: never a partial file under a backup's name; the store unharmed."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from bench.app import fill_audit
from store.backups import file as backup_file
from store.backups.verify import from_password, verify
from store.vault import health
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, REPO, Store

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def test_sigkill_during_backups_twenty_times(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        fill_audit(folder, 20_000, ADMIN_PW)  # so that a backup takes a noticeable while
    rng = random.Random(8)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    finished = 0
    checked: set[str] = set()
    for _round in range(20):
        child = subprocess.Popen([sys.executable, str(REPO / "tests" / "backup_child.py"),
                                  str(store.root), ADMIN_PW], stdout=subprocess.PIPE, text=True,
                                 env=env)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.6))
        child.send_signal(signal.SIGKILL)
        out, _err = child.communicate(timeout=30)
        finished += len(out.split())
        for path in store.paths.backups.glob(f"*{backup_file.SUFFIX}"):
            if path.name not in checked:  # every file under a backup's name is whole
                report = verify(path, from_password("admin", ADMIN_PW))
                assert report.ok, f"{path.name}: {report.failure}"
                checked.add(path.name)
        with StoreDir(store.paths) as folder:
            session = folder.unlock("admin", ADMIN_PW)
            assert health.problems() == [] and session.audit.verify().ok
            session.close()
    with StoreDir(store.paths) as folder:
        from store.backups import make as backups

        session = folder.unlock("admin", ADMIN_PW)
        last = backups.make(session)
        assert verify(last.path, from_password("admin", ADMIN_PW)).ok
        session.close()
    leftovers = list(store.paths.backups.glob("*.part")) + list(store.root.glob(".backup-*"))
    assert leftovers == []  # tidied by the next backup
    assert finished > 0
