"""Child of the crash tests: unlock, then change a setting (or a password) in a loop,
reporting each change once it is committed."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("STATDESK_TEST_KDF_ITER", "1000")

from store import operators, settings
from store.vault import cipher
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths

cipher.allow_test_cost()  # a child of the test suite


def main(root: str, password: str, start: int, mode: str) -> None:
    folder = StoreDir(DataPaths(__import__("pathlib").Path(root)))
    session = folder.unlock("admin", password)
    print("ready", flush=True)
    n = start
    while True:
        if mode == "passwd":
            operators.change_password(session, "clerk", f"clerk-pass-{n:06d}")
        else:
            settings.set_value(session, "unit_name", f"crash-{n}")
        print(n, flush=True)  # reported only once committed
        n += 1


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else "")
