"""Child of the backup crash test: unlock, then make backups in a loop, reporting each."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("STATDESK_TEST_KDF_ITER", "1000")

from store.backups import make as backups
from store.vault import cipher
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths

cipher.allow_test_cost()  # a child of the test suite

if __name__ == "__main__":
    folder = StoreDir(DataPaths(Path(sys.argv[1])))
    session = folder.unlock("admin", sys.argv[2])
    print("ready", flush=True)
    while True:
        info = backups.make(session)
        print(info.file_name, flush=True)
