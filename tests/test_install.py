"""What ships: the wheel, and the offline bundle installed as an office would, outside the repo.

The bundle for this machine's architecture is built once per run (its wheels fetched from
the package index into dist/.wheel-cache); every install below is offline.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from store.versions import VERSION
from tools import bundle

REPO = Path(__file__).resolve().parent.parent
BASE_PYTHON = Path(getattr(sys, "_base_executable", sys.executable))
PASSWORD = "install-check-1"


@dataclass(frozen=True)
class Built:
    wheel: Path
    tarball: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("dist")
    wheel = bundle.build_wheel(out)
    arch = platform.machine()
    if arch not in bundle.ARCHES:
        pytest.skip(f"no bundle for {arch}")
    return Built(wheel, bundle.bundle(arch, out, wheel, REPO / "dist" / ".wheel-cache"))


def _clean_env(tmp: Path, path_first: Path | None = None) -> dict[str, str]:
    """No virtual environment, no repository on any path; production keyslot cost (the
    installed statdesk refuses to start with the test suite's cost setting)."""
    keep = {k: v for k, v in os.environ.items()
            if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "STATDESK_DATA_DIR",
                         "STATDESK_TEST_KDF_ITER")}
    keep["PATH"] = ":".join([*([str(path_first)] if path_first else []), "/usr/bin", "/bin"])
    keep["HOME"] = str(tmp / "home")
    keep["STATDESK_LANG"] = "en"
    (tmp / "home").mkdir(exist_ok=True)
    return keep


def _run(args: list[str | Path], cwd: Path, env: dict[str, str], stdin: str = "",
         ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, input=stdin,
                            capture_output=True, text=True, timeout=300)
    if ok:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _use_it(statdesk: Path, where: Path, env: dict[str, str]) -> None:
    """--version, init, audit verify and a headless start to the login screen."""
    version = _run([statdesk, "--version"], where, env).stdout.splitlines()
    assert version[0] == f"statdesk {VERSION}"
    assert version[1].startswith("SQLCipher 4.") and version[2].startswith("SQLite 3.")
    assert version[3].startswith("schema ") and int(version[3].split()[1]) >= 15
    data = where / "data"
    made = _run([statdesk, "init", "--admin", "chief", "--unit", "测试县人民检察院",
                 "--password-stdin", "--data-dir", data], where, env, f"{PASSWORD}\n{PASSWORD}\n")
    assert "RECOVERY CODE" in made.stdout and (data / "statdesk.db").exists()
    audit = _run([statdesk, "audit", "verify", "--user", "chief", "--password-stdin",
                  "--data-dir", data], where, env, f"{PASSWORD}\n")
    assert audit.stdout.startswith("audit chain OK: "), audit.stdout
    check = _run([statdesk, "selfcheck", "--data-dir", data], where, env)
    assert "the app starts and shows the login screen" in check.stdout
    assert "FAILED" not in check.stdout


def test_the_wheel_ships_every_package_and_data_file_and_nothing_of_the_developers(
        built: Built) -> None:
    names = set(zipfile.ZipFile(built.wheel).namelist())
    for package in bundle.SOURCES:
        for init in (REPO / package).rglob("__init__.py"):
            assert str(init.relative_to(REPO)) in names, f"{init.parent} is not in the wheel"
        for data in [*(REPO / package).rglob("*.tcss"), *(REPO / package).rglob("*.mo")]:
            assert str(data.relative_to(REPO)) in names, f"{data} is not in the wheel"
    tops = {name.split("/")[0] for name in names}
    assert tops == {*bundle.SOURCES, f"statdesk-{VERSION}.dist-info"}


def test_the_wheel_installed_in_a_fresh_venv_runs_outside_the_repository(
        built: Built, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([BASE_PYTHON, "-m", "venv", venv], tmp_path, _clean_env(tmp_path))
    wheels = tmp_path / "wheels"
    with tarfile.open(built.tarball) as tar:
        tar.extractall(wheels, filter="data")
    found = next(wheels.glob("*/wheels"))
    env = _clean_env(tmp_path, venv / "bin")
    env["PIP_CONFIG_FILE"] = os.devnull
    _run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-index",
          "--find-links", found, built.wheel], tmp_path, env)
    where = tmp_path / "elsewhere"
    where.mkdir()
    located = _run([venv / "bin" / "python", "-c",
                    "import tui.panels, store; print(store.__file__)"], where, env).stdout
    assert located.startswith(str(venv)), located
    _use_it(venv / "bin" / "statdesk", where, env)


@pytest.fixture
def unpacked(built: Built, tmp_path: Path) -> Iterator[Path]:
    with tarfile.open(built.tarball) as tar:
        tar.extractall(tmp_path / "carrier", filter="data")
    folder = tmp_path / "carrier" / built.tarball.name.removesuffix(".tar.gz")
    yield folder


def _offline() -> list[str]:
    """Run with no network at all where this machine allows it (a new network namespace)."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    return []


def test_the_bundle_installs_offline_then_upgrades_and_uninstalls(unpacked: Path,
                                                                  tmp_path: Path) -> None:
    names = sorted(p.name for p in unpacked.iterdir())
    assert names == ["INSTALL.en.txt", "INSTALL.zh.txt", "SHA256SUMS", "install.sh", "wheels"]
    env = _clean_env(tmp_path)
    sums = _run(["sha256sum", "-c", "SHA256SUMS"], unpacked, env).stdout
    assert sums.count(": OK") == len(list((unpacked / "wheels").iterdir())) + 3
    for python in ("cp311", "cp312", "cp313"):
        assert list((unpacked / "wheels").glob(f"sqlcipher3-*-{python}-*.whl")), python
    prefix, bindir = tmp_path / "opt" / "statdesk", tmp_path / "bin"
    install = [*_offline(), "sh", unpacked / "install.sh", "--prefix", prefix, "--bin-dir", bindir,
               "--python", BASE_PYTHON]
    planted = tmp_path / "planted"
    planted.mkdir()
    (planted / "sitecustomize.py").write_text(
        f"open({str(tmp_path / 'ran')!r}, 'w').write('planted code ran')\n")
    first = _run(install, tmp_path, {**env, "PYTHONPATH": str(planted), "PYTHON": "python2",
                                     "PIP_FIND_LINKS": str(planted)})
    assert "Installed: the program is in" in first.stdout
    assert not (tmp_path / "ran").exists()  # an inherited PYTHONPATH brought nothing in
    installed = (prefix / "current").resolve()
    assert installed.parent == prefix and installed.name.startswith(f"{VERSION}-")
    where = tmp_path / "office"
    where.mkdir()
    _use_it(bindir / "statdesk", where, _clean_env(tmp_path, bindir))
    again = _run(install, tmp_path, env)  # the same version again: replaced, the store untouched
    assert "statdesk 0" in again.stdout and (where / "data" / "statdesk.db").exists()
    assert sorted(p.name for p in prefix.iterdir()) == sorted(
        [".statdesk-prefix", "current", (prefix / "current").resolve().name])
    gone = _run(["sh", unpacked / "install.sh", "--uninstall", "--prefix", prefix,
                 "--bin-dir", bindir], tmp_path, env)
    assert "uninstalled" in gone.stdout
    assert not prefix.exists() and not (bindir / "statdesk").exists()
    assert (where / "data" / "statdesk.db").exists()


def test_a_changed_file_is_refused_and_nothing_is_installed(unpacked: Path,
                                                            tmp_path: Path) -> None:
    wheel = next((unpacked / "wheels").glob("statdesk-*.whl"))
    wheel.write_bytes(wheel.read_bytes() + b"\0")
    prefix = tmp_path / "opt"
    result = _run(["sh", unpacked / "install.sh", "--prefix", prefix, "--bin-dir",
                   tmp_path / "bin", "--python", BASE_PYTHON], tmp_path, _clean_env(tmp_path),
                  ok=False)
    assert result.returncode == 1
    assert "checksum mismatch" in result.stderr and wheel.name in result.stderr
    assert not (prefix / VERSION).exists() and not (tmp_path / "bin" / "statdesk").exists()


def test_an_old_python_is_named_and_the_frozen_build_offered(unpacked: Path,
                                                            tmp_path: Path) -> None:
    old = tmp_path / "python3"
    old.write_text('#!/bin/sh\ncase "$2" in *print*) echo 3.9.2 ;; *) exit 1 ;; esac\n')
    old.chmod(0o755)
    result = _run(["sh", unpacked / "install.sh", "--prefix", tmp_path / "opt", "--bin-dir",
                   tmp_path / "bin", "--python", old], tmp_path, _clean_env(tmp_path), ok=False)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2, lines  # Chinese, then English
    assert "Python 3.11" in lines[0] and "3.9.2" in lines[0]
    assert "needs Python 3.11 or newer; " in lines[1] and "3.9.2" in lines[1]
    assert "frozen" in lines[1]
    assert not (tmp_path / "opt").exists()


def test_a_folder_that_is_not_statdesks_is_never_taken_over(unpacked: Path,
                                                             tmp_path: Path) -> None:
    """--prefix /opt or ~: nothing there changes mode, and uninstall removes nothing of it."""
    someone = tmp_path / "opt"
    (someone / "otherapp").mkdir(parents=True)
    (someone / "otherapp" / "key").write_text("secret")
    (someone / "otherapp" / "key").chmod(0o600)
    env = _clean_env(tmp_path)
    for action in ([], ["--uninstall"]):
        result = _run(["sh", unpacked / "install.sh", *action, "--prefix", someone,
                       "--bin-dir", tmp_path / "bin", "--python", BASE_PYTHON], tmp_path, env,
                      ok=False)
        assert result.returncode == 1, result.stdout
        assert "is neither empty nor a statdesk installation: nothing was changed" in result.stderr
    assert (someone / "otherapp" / "key").stat().st_mode & 0o777 == 0o600
    for bad in ("/", "relative/path", "/opt/with space", "/opt/$(id)"):
        result = _run(["sh", unpacked / "install.sh", "--prefix", bad, "--python", BASE_PYTHON],
                      tmp_path, env, ok=False)
        assert result.returncode == 1 and result.stderr.count("install.sh: ") == 2, bad


def test_an_interrupted_install_leaves_the_installed_version_working(unpacked: Path,
                                                                     tmp_path: Path) -> None:
    import signal
    import time

    prefix, bindir = tmp_path / "opt", tmp_path / "bin"
    install = ["sh", unpacked / "install.sh", "--prefix", prefix, "--bin-dir", bindir,
               "--python", BASE_PYTHON]
    env = _clean_env(tmp_path)
    _run(install, tmp_path, env)
    working = (prefix / "current").resolve()
    time.sleep(1.1)  # the next installation gets a folder of its own name
    second = subprocess.Popen([str(a) for a in install], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(200):  # until pip is at work in the new folder
        if len([p for p in prefix.iterdir() if p.name.startswith(VERSION)]) == 2:
            break
        time.sleep(0.05)
    time.sleep(0.5)
    second.send_signal(signal.SIGTERM)
    _out, err = second.communicate(timeout=60)
    assert second.returncode == 1 and "the installation was interrupted" in err
    assert (prefix / "current").resolve() == working
    assert [p.name for p in prefix.iterdir() if p.name.startswith(VERSION)] == [working.name]
    version = _run([bindir / "statdesk", "--version"], tmp_path, _clean_env(tmp_path, bindir))
    assert version.stdout.startswith(f"statdesk {VERSION}\n")


def test_the_same_sources_give_the_same_bundle_byte_for_byte(built: Built,
                                                             tmp_path: Path) -> None:
    """A second person can rebuild the bundle and compare its SHA-256 with the carrier's form."""
    wheel = bundle.build_wheel(tmp_path)
    again = bundle.bundle(platform.machine(), tmp_path, wheel, REPO / "dist" / ".wheel-cache")
    assert wheel.read_bytes() == built.wheel.read_bytes()
    assert again.read_bytes() == built.tarball.read_bytes()


@pytest.mark.parametrize("arch", bundle.ARCHES)
def test_each_architecture_gets_its_own_compiled_wheels_for_each_python(
        built: Built, arch: str) -> None:
    tarball = built.tarball if arch == platform.machine() else bundle.bundle(
        arch, built.tarball.parent, built.wheel, REPO / "dist" / ".wheel-cache")
    with tarfile.open(tarball) as tar:
        wheels = [Path(name).name for name in tar.getnames() if name.endswith(".whl")]
    compiled = [w for w in wheels if not w.endswith("-none-any.whl")
                and not w.endswith("py2.py3-none-any.whl")]
    assert all(w.endswith(f"_{arch}.whl") for w in compiled), compiled
    for python in ("cp311", "cp312", "cp313"):
        for package in ("sqlcipher3", "lxml"):
            assert [w for w in compiled if w.startswith(f"{package}-")
                    and f"-{python}-{python}-" in w], (package, python)
    pinned = bundle.locked()
    assert {bundle._normal(w.split("-")[0]) for w in wheels} == {*pinned, "statdesk"}


def test_a_release_bundle_is_refused_while_shipped_files_have_uncommitted_changes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, ...]] = []

    def git(*args: str) -> str:
        calls.append(args)
        return " M store/migrations/m0016_draft.py\n" if args[0] == "status" else "abc\n"

    monkeypatch.setattr(bundle, "_git", git)
    with pytest.raises(SystemExit, match="changes that are not committed") as refused:
        bundle.committed()
    assert "m0016_draft.py" in str(refused.value)
    assert calls[0][:3] == ("status", "--porcelain", "--") and "store" in calls[0]


def test_a_release_wheel_names_its_commit_in_the_version(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    head = bundle._git("rev-parse", "HEAD").strip()
    wheel = bundle.build_wheel(tmp_path, head)
    assert zipfile.ZipFile(wheel).read("statdesk/BUILD").decode().strip() == head
    from statdesk import about

    assert not about.BUILD.exists()  # a checkout is no release
    stamped = tmp_path / "BUILD"
    stamped.write_text(head + "\n")
    monkeypatch.setattr(about, "BUILD", stamped)
    assert about.version_lines(about.versions())[0] == f"statdesk {VERSION} (commit {head[:12]})"
