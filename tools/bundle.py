"""The offline bundle an office carries to the workstation on a registered carrier.

    python -m tools.bundle [--arch x86_64|aarch64|all] [--out dist]

writes `dist/statdesk-<version>-linux-<arch>.tar.gz`: statdesk's wheel, every runtime
dependency's wheel for CPython 3.11, 3.12 and 3.13 (pinned in packaging/requirements.lock),
`install.sh`, `INSTALL.zh.txt`, `INSTALL.en.txt` and `SHA256SUMS`. Building it needs the
package index (to fetch the wheels); installing it needs nothing but the workstation's python3.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
LOCK = PACKAGING / "requirements.lock"
SOURCES = ("statdesk", "store", "exports", "tui")
PYTHONS = ("3.11", "3.12", "3.13")
ARCHES = ("x86_64", "aarch64")
GLIBC_TAG = "manylinux_2_28"
"""The oldest glibc the bundle's compiled wheels accept (sqlcipher3 is built for 2.28)."""
EPOCH = 1_700_000_000
"""Every file in the tarball carries this time, so the same inputs give the same bytes."""


def version() -> str:
    text = (ROOT / "store" / "versions.py").read_text(encoding="utf-8")
    found = re.search(r'^VERSION = "([^"]+)"', text, re.M)
    if found is None:
        raise SystemExit("store/versions.py holds no VERSION")
    return found.group(1)


def _pip(*args: str | Path) -> None:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *map(str, args)]
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)}  # the same sources, the same wheel
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if "is ignored" not in line]
        raise SystemExit("pip failed: " + " ".join(map(str, args[:3])) + "\n" + "\n".join(lines))


SHIPPED = ("pyproject.toml", "README.md", *SOURCES)
"""What the wheel is built from."""


def _git(*args: str) -> str:
    result = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"git {args[0]} failed: {result.stderr.strip()}")
    return result.stdout


def committed() -> str:
    """The commit a release bundle is built from; refuses a working tree with changes, which
    would ship (or leave out) what no commit records, say a draft migration."""
    changed = _git("status", "--porcelain", "--", *SHIPPED, "packaging")
    if changed.strip():
        raise SystemExit("the working tree has changes that are not committed; commit them "
                         "first (or --from-working-tree for a trial bundle):\n" + changed)
    return _git("rev-parse", "HEAD").strip()


def _sources(tree: Path, commit: str | None) -> None:
    """The shipped files as committed (`git archive`), or as they are in the working tree."""
    if commit is not None:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit,
                                  *SHIPPED], capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tree, filter="data")
        return
    for name in SHIPPED[:2]:
        shutil.copy2(ROOT / name, tree / name)
    for package in SOURCES:
        shutil.copytree(ROOT / package, tree / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def build_wheel(out: Path, commit: str | None = None) -> Path:
    """statdesk's wheel from a clean copy of the sources at `commit` (None: the working
    tree, for tests and trials); never from a stale build/ folder."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="statdesk-wheel-") as work:
        tree = Path(work) / "src"
        tree.mkdir()
        _sources(tree, commit)
        if commit is not None:  # `statdesk --version` names the commit a release was built from
            (tree / "statdesk" / "BUILD").write_text(commit + "\n")
        for path in tree.rglob("*"):  # the same bytes whatever the checkout's times and umask
            os.utime(path, (EPOCH, EPOCH))
            path.chmod(0o755 if path.is_dir() else 0o644)
        _pip("wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", Path(work) / "out",
             tree)
        built = next((Path(work) / "out").glob("statdesk-*.whl"))
        target = out / built.name
        shutil.copy2(built, target)
    return target


def locked() -> dict[str, str]:
    """Normalised name → pinned version, from packaging/requirements.lock."""
    pins: dict[str, str] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, pinned = line.split("==")
            pins[_normal(name)] = pinned.strip()
    return pins


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def download(arch: str, cache: Path) -> list[Path]:
    """Every locked wheel for `arch`, for each CPython the bundle serves."""
    cache.mkdir(parents=True, exist_ok=True)
    for python in PYTHONS:
        _pip("download", "--quiet", "--only-binary=:all:", "--platform", f"{GLIBC_TAG}_{arch}",
             "--python-version", python, "--implementation", "cp",
             "--abi", "cp" + python.replace(".", ""), "-d", cache, "-r", LOCK)
    pins = locked()
    wheels = sorted(cache.glob("*.whl"))
    for wheel in wheels:
        name, pinned = wheel.name.split("-")[:2]
        if pins.get(_normal(name)) != pinned:
            raise SystemExit(f"{wheel.name} is not in packaging/requirements.lock: pin it there")
    return wheels


def _text(name: str, release: str) -> bytes:
    return (PACKAGING / name).read_text(encoding="utf-8").replace("@VERSION@", release).encode()


def _add(tar: tarfile.TarFile, name: str, data: bytes, mode: int = 0o644) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), mode, EPOCH
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    tar.addfile(info, io.BytesIO(data))


def bundle(arch: str, out: Path, wheel: Path, cache: Path) -> Path:
    """Write the tarball for one architecture; its path."""
    release = version()
    top = f"statdesk-{release}-linux-{arch}"
    files: dict[str, tuple[bytes, int]] = {
        "install.sh": (_text("install.sh", release), 0o755),
        "INSTALL.zh.txt": (_text("INSTALL.zh.txt", release), 0o644),
        "INSTALL.en.txt": (_text("INSTALL.en.txt", release), 0o644),
        f"wheels/{wheel.name}": (wheel.read_bytes(), 0o644),
    }
    for dependency in download(arch, cache / arch):
        files[f"wheels/{dependency.name}"] = (dependency.read_bytes(), 0o644)
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                   for name, (data, _mode) in sorted(files.items()))
    files["SHA256SUMS"] = (sums.encode(), 0o644)
    target = out / f"{top}.tar.gz"
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for folder in (top, f"{top}/wheels"):
            info = tarfile.TarInfo(folder)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, EPOCH
            tar.addfile(info)
        for name, (data, mode) in sorted(files.items()):
            _add(tar, f"{top}/{name}", data, mode)
    partial = target.with_name(target.name + ".part")
    with open(partial, "wb") as handle, \
            gzip.GzipFile(fileobj=handle, mode="wb", mtime=EPOCH, filename="") as packed:
        packed.write(raw.getvalue())
    partial.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bundle", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("--arch", choices=(*ARCHES, "all"), default="all")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--from-working-tree", action="store_true",
                        help="a trial bundle of uncommitted work (never for an office)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    out: Path = args.out.absolute()
    out.mkdir(parents=True, exist_ok=True)
    commit = None if args.from_working_tree else committed()
    wheel = build_wheel(out, commit)
    print(f"from commit {commit}" if commit else "from the working tree: a TRIAL bundle")
    print(f"{wheel.relative_to(out.parent) if out.parent in wheel.parents else wheel}  "
          f"{wheel.stat().st_size / 1024:.0f} KiB")
    for arch in ARCHES if args.arch == "all" else (args.arch,):
        made = bundle(arch, out, wheel, out / ".wheel-cache")
        digest = hashlib.sha256(made.read_bytes()).hexdigest()
        print(f"{made}  {made.stat().st_size / 1_048_576:.1f} MiB\n  SHA-256 {digest}  "
              "(write it on the carrier's registration form)")
    print(f"built in {time.monotonic() - started:.1f} s; needs glibc 2.28 or newer "
          f"({GLIBC_TAG}), CPython {', '.join(PYTHONS)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
