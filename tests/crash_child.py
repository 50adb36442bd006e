"""Child of the crash test: unlock, then change a setting in a loop, reporting each commit."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("STATDESK_TEST_KDF_ITER", "1000")

from store import settings
from store.paths import DataPaths
from store.session import StoreDir


def main(root: str, password: str, start: int) -> None:
    folder = StoreDir(DataPaths(__import__("pathlib").Path(root)))
    session = folder.unlock("admin", password)
    print("ready", flush=True)
    n = start
    while True:
        settings.set_value(session, "unit_name", f"crash-{n}")
        print(n, flush=True)  # reported only once committed
        n += 1


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
