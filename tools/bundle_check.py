"""Install dist/'s bundle with other Pythons (pyenv's) and use it, as the test does with 3.11.

    python -m tools.bundle_check [VERSION ...]     default: 3.12 3.13, and 3.10 must be refused

For each Python: unpack the bundle, check its sums, run install.sh --python that Python into a
temporary prefix (in a network namespace of its own where allowed), then `statdesk --version`,
`init`, `audit verify` and `selfcheck`; prints the install time of each.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bundle-check-1"


def interpreter(version: str) -> Path | None:
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    for folder in sorted(root.glob(f"{version}*"), reverse=True):
        if (folder / "bin" / "python3").exists():
            return folder / "bin" / "python3"
    found = shutil.which(f"python{version}")
    return Path(found) if found else None


def _run(args: list[str | Path], env: dict[str, str], stdin: str = "") -> tuple[int, str]:
    result = subprocess.run([str(a) for a in args], env=env, input=stdin, capture_output=True,
                            text=True, timeout=600)
    return result.returncode, result.stdout + result.stderr


def _offline() -> list[str]:
    unshare = shutil.which("unshare")
    ok = unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0
    return [unshare, "-n"] if ok and unshare else []


def check(tarball: Path, version: str) -> bool:
    python = interpreter(version)
    if python is None:
        print(f"Python {version}: NOT CHECKED, it is not on this machine")
        return False
    with tempfile.TemporaryDirectory(prefix="statdesk-bundle-check-") as work:
        tmp = Path(work)
        with tarfile.open(tarball) as tar:
            tar.extractall(tmp, filter="data")
        folder = tmp / tarball.name.removesuffix(".tar.gz")
        env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp), "LANG": "C.UTF-8",
               "STATDESK_LANG": "en"}  # production keyslot cost: the real program
        started = time.monotonic()
        code, out = _run([*_offline(), "sh", folder / "install.sh", "--prefix", tmp / "opt",
                          "--bin-dir", tmp / "bin", "--python", python], env)
        took = time.monotonic() - started
        if version.startswith(("3.8", "3.9", "3.10")):
            refused = code == 1 and "needs Python 3.11 or newer" in out
            print(f"Python {version}: {'refused as it should be' if refused else 'NOT REFUSED'}")
            return refused
        if code != 0:
            print(f"Python {version}: install FAILED\n{out}")
            return False
        statdesk, data = tmp / "bin" / "statdesk", tmp / "data"
        steps = [([statdesk, "--version"], ""),
                 ([statdesk, "init", "--admin", "chief", "--password-stdin", "--data-dir", data],
                  f"{PASSWORD}\n{PASSWORD}\n"),
                 ([statdesk, "audit", "verify", "--user", "chief", "--password-stdin",
                   "--data-dir", data], f"{PASSWORD}\n"),
                 ([statdesk, "selfcheck", "--data-dir", data], "")]
        for args, stdin in steps:
            code, out = _run(list(args), env, stdin)
            if code != 0:
                print(f"Python {version}: {' '.join(map(str, args[1:2]))} FAILED\n{out}")
                return False
        print(f"Python {version} ({python}): installed offline in {took:.1f} s; --version, init, "
              "audit verify and selfcheck pass")
        return True


def main(argv: list[str]) -> int:
    versions = argv or ["3.12", "3.13", "3.10"]
    from tools.bundle import version

    tarball = ROOT / "dist" / f"statdesk-{version()}-linux-{platform.machine()}.tar.gz"
    if not tarball.exists():
        print(f"no {tarball.name} in dist/: run `python3 dev.py bundle` first", file=sys.stderr)
        return 2
    print(f"{tarball.name}  {tarball.stat().st_size / 1_048_576:.1f} MiB")
    return 0 if all([check(tarball, v) for v in versions]) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
