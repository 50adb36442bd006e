#!/usr/bin/env python3
"""Set up and run statdesk with nothing but Python 3.11+.

    python3 dev.py run     set up .venv, create the demo store, open statdesk on it
    python3 dev.py test    set up .venv, run ruff, mypy and the whole test suite
    python3 dev.py bench   set up .venv, print the benchmark table
    python3 dev.py bundle  set up .venv, write the offline bundles to dist/ (needs PyPI)
    python3 dev.py freeze  the frozen one-folder build into dist/ (PyInstaller, in .venv-freeze)
    python3 dev.py bundle-check [3.12 3.13]
                           install dist/'s bundle with each Python (pyenv's) and use it
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def _run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env)
    if result.returncode != 0:
        raise SystemExit(result.returncode)


def setup() -> None:
    """Create the virtual environment and install statdesk with its dev tools, once."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        raise SystemExit("statdesk needs Python 3.11 or newer")
    inputs = [ROOT / "pyproject.toml", ROOT / "store" / "versions.py"]  # the version lives there
    if STAMP.exists() and all(STAMP.stat().st_mtime >= p.stat().st_mtime for p in inputs):
        return
    if not (BIN / "python").exists():
        print("setting up .venv …", flush=True)
        venv.create(VENV, with_pip=True)
    _run(BIN / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-e", ".[dev]")
    STAMP.touch()


def main(argv: list[str]) -> None:
    task = argv[0] if argv else "help"
    if task == "run":
        setup()
        _run(BIN / "statdesk", "demo", *argv[1:])
    elif task == "test":
        setup()
        _run(BIN / "ruff", "check", ".")
        _run(BIN / "mypy")
        # One worker per core (up to four), whole files to a worker: the store and app
        # fixtures are set up once per file, as in a serial run.
        workers = str(min(os.cpu_count() or 1, 4))
        _run(BIN / "python", "-m", "pytest", "-n", workers, "--dist", "loadfile", *argv[1:])
    elif task == "bundle":
        setup()
        _run(BIN / "python", "-m", "tools.bundle", *argv[1:])
    elif task == "bundle-check":
        setup()
        _run(BIN / "python", "-m", "tools.bundle_check", *argv[1:])
    elif task == "freeze":
        from tools import freeze

        raise SystemExit(freeze.main(argv[1:]))
    elif task == "bench":
        setup()
        _run(BIN / "python", "-m", "bench", *argv[1:])
    else:
        print(__doc__)
        raise SystemExit(0 if task == "help" else 2)


if __name__ == "__main__":
    main(sys.argv[1:])
