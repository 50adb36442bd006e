"""The frozen one-folder build: statdesk for a workstation without Python 3.11+.

    python3 dev.py freeze [--out dist]     make .venv-freeze once, then build in it
    python -m tools.freeze [--out dist]    build with this interpreter (PyInstaller and
                                           statdesk's dependencies must be importable)

PyInstaller is a build-time tool only: it lives in its own environment, `.venv-freeze`
(the runtime set pinned in packaging/requirements.lock, the same the offline bundle
ships, plus PyInstaller), never in the runtime dependency set nor in the development
`.venv`. The result is
`<out>/statdesk-<version>-linux-<arch>-frozen.tar.gz`, one folder `statdesk-<version>/`
holding the executable `statdesk`, its `_internal/` and README-frozen.txt. The build
records the glibc of the machine it ran on (the floor the bundle needs) and the highest
GLIBC_x.y symbol version its binaries ask for.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import venv
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_VENV = ROOT / ".venv-freeze"
LAUNCHER = ROOT / "packaging" / "freeze" / "launcher.py"
LOCK = ROOT / "packaging" / "requirements.lock"
PACKAGES = ("statdesk", "store", "exports", "tui")
PACKAGE_DATA = ("*.tcss", "locale/*/LC_MESSAGES/*.mo")
"""Data shipped beside the modules (the wheel's package data): Textual's CSS_PATH and the
message catalog are found next to the module's __file__, in the bundle as in the wheel."""

PYINSTALLER = "pyinstaller==6.22.3"
"""Used when pyproject.toml has no `freeze` optional-dependency group (the group wins)."""

EXCLUDES = ("tkinter", "_tkinter", "pytest", "_pytest", "hypothesis", "mypy", "IPython",
            "textual.demo", "textual_dev", "PyInstaller", "setuptools", "pip")

DISTRIBUTIONS = (
    # (glibc, distribution), from the distributions' own package versions
    ((2, 17), "CentOS / RHEL 7"),
    ((2, 28), "Debian 10, RHEL / Rocky / AlmaLinux 8"),
    ((2, 31), "Debian 11, Ubuntu 20.04"),
    ((2, 34), "RHEL / Rocky / AlmaLinux 9, openEuler 22.03 LTS"),
    ((2, 35), "Ubuntu 22.04"),
    ((2, 36), "Debian 12"),
    ((2, 38), "openEuler 24.03 LTS"),
    ((2, 39), "Ubuntu 24.04, RHEL / Rocky / AlmaLinux 10"),
    ((2, 41), "Debian 13"),
)


# ---------------------------------------------------------------------------- glibc


def machine_glibc() -> tuple[int, int]:
    """The glibc of the machine running this (the build machine when building)."""
    text = os.confstr("CS_GNU_LIBC_VERSION") or ""  # e.g. "glibc 2.36"
    match = re.fullmatch(r"glibc (\d+)\.(\d+).*", text)
    if match is None:
        raise SystemExit(f"freeze: not a glibc system ({text or 'unknown C library'}); "
                         "the frozen build is for glibc Linux only")
    return int(match[1]), int(match[2])


def _version_needs(data: bytes) -> set[str]:
    """The symbol versions an ELF file requires (its .gnu.version_r), e.g. GLIBC_2.34."""
    if data[:4] != b"\x7fELF":
        return set()
    wide = data[4] == 2
    end = "<" if data[5] == 1 else ">"
    if wide:
        shoff, = struct.unpack_from(end + "Q", data, 0x28)
        shentsize, shnum = struct.unpack_from(end + "HH", data, 0x3A)
        section = end + "IIQQQQIIQQ"
    else:
        shoff, = struct.unpack_from(end + "I", data, 0x20)
        shentsize, shnum = struct.unpack_from(end + "HH", data, 0x2E)
        section = end + "IIIIIIIIII"
    headers = [struct.unpack_from(section, data, shoff + i * shentsize) for i in range(shnum)]
    found: set[str] = set()
    for _name, kind, _flags, _addr, offset, _size, link, info, _align, _entsize in headers:
        if kind != 0x6FFFFFFE:  # SHT_GNU_verneed
            continue
        strings = headers[link][4]
        need = offset
        for _ in range(info):
            _version, count, _file, aux, following = struct.unpack_from(end + "HHIII", data, need)
            entry = need + aux
            for _ in range(count):
                _hash, _vflags, _other, name, after = struct.unpack_from(end + "IHHII", data, entry)
                stop = data.index(b"\0", strings + name)
                found.add(data[strings + name:stop].decode("ascii", "replace"))
                entry += after
            need += following
    return found


def glibc_needs(folder: Path) -> dict[Path, tuple[int, int]]:
    """Each ELF file under `folder` and the highest GLIBC_x.y symbol version it requires."""
    needs: dict[Path, tuple[int, int]] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        with path.open("rb") as handle:
            if handle.read(4) != b"\x7fELF":
                continue
        versions = [tuple(int(part) for part in name[6:].split("."))
                    for name in _version_needs(path.read_bytes())
                    if re.fullmatch(r"GLIBC_\d+(\.\d+)+", name)]
        if versions:
            top = max(versions)
            needs[path] = (top[0], top[1] if len(top) > 1 else 0)
    return needs


def _dotted(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


def distributions(floor: tuple[int, int]) -> list[str]:
    return [f"{names} (glibc {_dotted(glibc)})" for glibc, names in DISTRIBUTIONS
            if glibc >= floor]


# ---------------------------------------------------------------------------- build


def version() -> str:
    from statdesk import __version__

    return __version__


def artefact_name(arch: str | None = None) -> str:
    return f"statdesk-{version()}-linux-{arch or platform.machine()}-frozen.tar.gz"


def _package_data() -> Iterator[tuple[Path, str]]:
    """(file, folder inside the bundle) for every data file shipped beside the modules."""
    for package in PACKAGES:
        for pattern in PACKAGE_DATA:
            for path in sorted((ROOT / package).rglob(pattern)):
                if "__pycache__" not in path.parts:
                    yield path, str(path.parent.relative_to(ROOT))


def sources() -> Iterator[Path]:
    """Every file that goes into the build, for the cache key of tests/test_frozen.py."""
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))
    yield from (path for path, _ in _package_data())
    yield from (ROOT / "pyproject.toml", Path(__file__).resolve(), LAUNCHER)
    if LOCK.exists():
        yield LOCK


def source_hash() -> str:
    digest = hashlib.sha256()
    for path in sources():
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def pyinstaller_args(dist: Path, work: Path) -> list[str]:
    args = ["--noconfirm", "--onedir", "--console", "--name", "statdesk",
            "--distpath", str(dist), "--workpath", str(work), "--specpath", str(work),
            "--paths", str(ROOT), "--log-level", "WARN"]
    if shutil.which("strip"):
        args.append("--strip")  # the debug info of libpython and sqlcipher3 is most of the size
    # Screens, dialogs, panels, migrations and Textual's widgets are imported by name
    # (importlib, pkgutil, textual.widgets.__getattr__): nothing a static scan would see.
    for package in (*PACKAGES, "textual"):
        args += ["--collect-submodules", package]
    for package in ("textual", "rich", "docx"):
        args += ["--collect-data", package]
    for package in ("textual", "rich", "python-docx", "lxml", "peewee", "sqlcipher3",
                    "appdirs"):
        args += ["--copy-metadata", package]  # importlib.metadata.version() at run time
    for path, folder in _package_data():
        args += ["--add-data", f"{path}{os.pathsep}{folder}"]
    for module in EXCLUDES:
        args += ["--exclude-module", module]
    return [*args, str(LAUNCHER)]


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def _installable(member: tarfile.TarInfo) -> tarfile.TarInfo:
    """Owned by root and readable by every clerk once unpacked into /opt, whatever the
    builder's umask was."""
    member.uid = member.gid = 0
    member.uname = member.gname = "root"
    if not member.issym():
        member.mode = 0o755 if member.isdir() or member.mode & 0o100 else 0o644
    return member


def readme(name: str, built_on: tuple[int, int], needed: tuple[int, int]) -> str:
    floor = max(built_on, needed)
    ok = distributions(floor)
    listed = "\n".join(f"  - {line}" for line in ok) or "  -"
    return f"""\
{name} — 统计资料管理台（独立运行版）

这是不需要 Python 的 statdesk：整个文件夹就是程序，工作站无需安装 Python 3.11+。

安装（以 root 身份）：
  tar -xzf {name}-linux-{platform.machine()}-frozen.tar.gz -C /opt
  ln -sf /opt/{name}/statdesk /usr/local/bin/statdesk
  statdesk --version

系统要求：Linux {platform.machine()}，glibc {_dotted(floor)} 或更高（用 `ldd --version` 查看）。
本版本在 glibc {_dotted(built_on)} 的机器上构建；其中程序实际要求的最高符号版本为
GLIBC_{_dotted(needed)}。满足要求的发行版例如：
{listed}
glibc 低于 {_dotted(floor)} 的系统：若有 Python 3.11–3.13 且 glibc 不低于 2.28，用离线安装包
（statdesk-<版本>-linux-<架构>.tar.gz）；否则（如银河麒麟 V10、统信 UOS 20）请在同版本系统上
重新构建本版本（python3 dev.py freeze）。

升级：解压新版本到 /opt，再把 /usr/local/bin/statdesk 链接到新文件夹；数据目录不受影响。

----------------------------------------------------------------------

{name} — the statistics office's desk, frozen build

statdesk without Python: the whole folder is the program; the workstation needs no
Python 3.11+.

Install (as root):
  tar -xzf {name}-linux-{platform.machine()}-frozen.tar.gz -C /opt
  ln -sf /opt/{name}/statdesk /usr/local/bin/statdesk
  statdesk --version

Needs: Linux {platform.machine()} with glibc {_dotted(floor)} or newer (see `ldd --version`).
Built on a machine with glibc {_dotted(built_on)}; the highest symbol version its binaries
require is GLIBC_{_dotted(needed)}. Distributions that meet it include:
{listed}
On an older glibc: with Python 3.11-3.13 and glibc 2.28 or newer, use the offline bundle
(statdesk-<version>-linux-<arch>.tar.gz); otherwise (Kylin V10, UOS 20) rebuild this on a
system of that version (python3 dev.py freeze).

Upgrade: unpack the new version into /opt and point /usr/local/bin/statdesk at the new
folder; the data directory is not touched.
"""


def build(out: Path) -> Path:
    """Run PyInstaller with this interpreter and pack the tarball; returns its path."""
    try:
        import PyInstaller.__main__ as pyinstaller
    except ImportError:
        raise SystemExit("freeze: PyInstaller is not importable here; run `python3 dev.py "
                         "freeze`, which builds in .venv-freeze") from None
    built_on = machine_glibc()
    name = f"statdesk-{version()}"
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="statdesk-freeze-") as scratch:
        dist, work = Path(scratch) / "dist", Path(scratch) / "work"
        pyinstaller.run(pyinstaller_args(dist, work))
        folder = dist / name
        (dist / "statdesk").rename(folder)
        needs = glibc_needs(folder)
        needed = max(needs.values(), default=(0, 0))
        (folder / "README-frozen.txt").write_text(readme(name, built_on, needed),
                                                  encoding="utf-8")
        tarball = out / artefact_name()
        partial = tarball.with_name(tarball.name + f".{os.getpid()}.part")
        with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
            archive.add(folder, arcname=name, filter=_installable)
        os.replace(partial, tarball)
        unpacked = _folder_size(folder)
    elapsed = time.monotonic() - started
    top = sorted((v, p) for p, v in needs.items() if v == needed)
    print(f"freeze: {tarball.relative_to(ROOT) if tarball.is_relative_to(ROOT) else tarball}")
    print(f"freeze: built in {elapsed:.0f} s; tarball {_mib(tarball.stat().st_size)}, "
          f"unpacked {_mib(unpacked)}")
    print(f"freeze: build machine glibc {_dotted(built_on)}; highest symbol version needed "
          f"GLIBC_{_dotted(needed)} (by {', '.join(p.name for _, p in top[:4])})")
    print(f"freeze: needs glibc >= {_dotted(max(built_on, needed))}")
    return tarball


# ---------------------------------------------------------------------------- build venv


def requirements() -> list[str]:
    """The pinned runtime set the offline bundle ships (pyproject.toml's ranges when there
    is no lock), and PyInstaller from pyproject.toml's `freeze` group."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extra = project.get("optional-dependencies", {}).get("freeze") or [PYINSTALLER]
    runtime = list(project["dependencies"])
    if LOCK.exists():
        runtime = [line.split("#")[0].strip() for line in
                   LOCK.read_text(encoding="utf-8").splitlines()]
    return [*(line for line in runtime if line), *extra]


def _python(env: Path) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin") / "python"


def prepare(env: Path = BUILD_VENV, pip_options: Iterable[str] = ()) -> Path:
    """Create (or bring up to date) the build environment; returns its python.

    It holds statdesk's runtime dependencies and PyInstaller, not statdesk itself: the
    build takes statdesk from the source tree (`--paths`), so it is never stale.
    """
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        raise SystemExit("statdesk needs Python 3.11 or newer")
    wanted = "\n".join(requirements()) + "\n"
    stamp = env / ".installed"
    import fcntl  # the build is for Linux; importing this module is not

    env.mkdir(parents=True, exist_ok=True)
    with open(env / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two builds at once set it up once
        if stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
            return _python(env)
        if not _python(env).exists():
            print(f"setting up {env.name} …", flush=True)
            venv.create(env, with_pip=True)
        result = subprocess.run([str(_python(env)), "-m", "pip", "install", "--quiet",
                                 "--disable-pip-version-check", *pip_options,
                                 *wanted.splitlines()])
        if result.returncode != 0:
            raise SystemExit(f"freeze: installing into {env.name} failed")
        stamp.write_text(wanted, encoding="utf-8")
    return _python(env)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="freeze", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist",
                        help="folder for the tarball (default: dist/)")
    return parser


def main(argv: Iterable[str] | None = None) -> int:
    """`python3 dev.py freeze`: build in .venv-freeze, made first if needed."""
    args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    python = prepare()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run([str(python), "-m", "tools.freeze", "--out",
                             str(args.out.resolve())], cwd=ROOT, env=env)
    return result.returncode


def build_main(argv: Iterable[str] | None = None) -> int:
    """`python -m tools.freeze`: build with this interpreter, installing nothing."""
    args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    build(args.out.resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(build_main())
