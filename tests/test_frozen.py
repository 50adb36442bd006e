"""The frozen one-folder build runs where there is no Python: --version, init, audit verify
and a headless start, with no virtual environment on the PATH and outside the source tree.

The build (tools/freeze.py, in .venv-freeze) is cached under build/frozen/<hash of its
sources>, so it happens once per change of the sources; STATDESK_FROZEN_TARBALL names a
tarball built earlier to test instead. Without PyInstaller to be had (no network) the test
is skipped, except in CI, where it must run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from statdesk import __version__
from store.vault import cipher, keyslots
from store.vault.paths import DataPaths
from tools import freeze

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not (os.confstr("CS_GNU_LIBC_VERSION") or "")
    .startswith("glibc"), reason="the frozen build is for glibc Linux")

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "frozen"
PASSWORD = "frozen-password-1"
MIGRATIONS = sorted(int(p.name[1:5]) for p in (ROOT / "store" / "migrations").glob("m[0-9]*.py"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _tarball() -> Path:
    given = os.environ.get("STATDESK_FROZEN_TARBALL")
    if given:
        return Path(given)
    folder = CACHE / freeze.source_hash()
    tarball = folder / freeze.artefact_name()
    if tarball.exists():
        return tarball
    try:
        python = freeze.prepare(pip_options=() if IN_CI else ("--retries", "1",
                                                               "--timeout", "20"))
    except SystemExit as exc:
        if IN_CI:
            raise
        pytest.skip(f"PyInstaller could not be installed into .venv-freeze ({exc}); "
                    "the frozen build is tested in CI")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    built = subprocess.run([str(python), "-m", "tools.freeze", "--out", str(folder)],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    print(built.stdout)
    for old in CACHE.iterdir():  # builds of older sources go (once no run can be using them)
        if old != folder and time.time() - old.stat().st_mtime > 3600:
            shutil.rmtree(old, ignore_errors=True)
    return tarball


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The unpacked folder statdesk-<version>/."""
    tarball = _tarball()
    assert tarball.name == f"statdesk-{__version__}-linux-{os.uname().machine}-frozen.tar.gz"
    where = tmp_path_factory.mktemp("opt")
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
        assert all(n == f"statdesk-{__version__}" or n.startswith(f"statdesk-{__version__}/")
                   for n in names)
        if hasattr(tarfile, "tar_filter"):  # Python 3.11.4 and later
            archive.extractall(where, filter="tar")
        else:
            archive.extractall(where)
    yield where / f"statdesk-{__version__}"


def run(bundle: Path, cwd: Path, *args: str, stdin: str = "",
        lang: str | None = "en") -> subprocess.CompletedProcess[str]:
    """The frozen statdesk with nothing of Python around: no venv, no PYTHONPATH."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8"}  # production cost
    if lang:
        env["STATDESK_LANG"] = lang
    return subprocess.run([str(bundle / "statdesk"), *args], input=stdin, cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_pyinstaller_is_no_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not any("pyinstaller" in d.lower() for d in project["dependencies"])


def test_version(bundle: Path, tmp_path: Path) -> None:
    result = run(bundle, tmp_path, "--version")
    assert result.returncode == 0, result.stderr
    assert f"statdesk {__version__}" in result.stdout
    assert re.search(r"^SQLCipher 4\.", result.stdout, re.M)
    # the migrations are found in the bundle (pkgutil over the frozen archive)
    assert f"schema {MIGRATIONS[-1]}" in result.stdout


def test_init_audit_and_headless_start(bundle: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    init = run(bundle, tmp_path, "init", "--admin", "chief", "--password-stdin",
               "--data-dir", str(data), stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert init.returncode == 0, init.stderr
    assert "Created a statdesk store" in init.stdout
    content = keyslots.read_slot(DataPaths(data).keyslot("chief"), PASSWORD)
    conn = cipher.connect_raw(str(DataPaths(data).db), content.master_key, content.salt)
    try:
        applied = sorted(row[0] for row in conn.execute("SELECT number FROM schema_migration"))
    finally:
        conn.close()
    assert applied == MIGRATIONS  # every migration shipped ran in the frozen init

    audit = run(bundle, tmp_path, "audit", "verify", "--user", "chief", "--password-stdin",
                "--data-dir", str(data), stdin=f"{PASSWORD}\n")
    assert audit.returncode == 0, audit.stderr
    assert "audit chain OK" in audit.stdout

    check = run(bundle, tmp_path, "selfcheck", "--data-dir", str(data))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "the app starts and shows the login screen" in check.stdout
    assert "FAILED" not in check.stdout


def test_headless_start_without_a_store(bundle: Path, tmp_path: Path) -> None:
    check = run(bundle, tmp_path, "selfcheck", "--data-dir", str(tmp_path / "none"))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "the app starts and shows the first-run screen" in check.stdout


def test_chinese_messages_are_found_in_the_bundle(bundle: Path, tmp_path: Path) -> None:
    result = run(bundle, tmp_path, "--help", lang=None)
    assert result.returncode == 0, result.stderr
    assert "新建数据库" in result.stdout  # "create a new store", from the bundled .mo


def test_readme_states_the_glibc(bundle: Path) -> None:
    text = (bundle / "README-frozen.txt").read_text(encoding="utf-8")
    built_on = freeze.machine_glibc()
    if "STATDESK_FROZEN_TARBALL" not in os.environ:  # built here, on this machine
        assert f"glibc {built_on[0]}.{built_on[1]}" in text
    assert text.index("安装") < text.index("Install")
    assert f"ln -sf /opt/statdesk-{__version__}/statdesk /usr/local/bin/statdesk" in text
