"""Shared fixtures: real SQLCipher stores under tmp_path, a low KDF cost for speed."""

from __future__ import annotations

import hashlib
import io
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ["STATDESK_TEST_KDF_ITER"] = "1000"  # the one setting that lowers the keyslot cost
os.environ["STATDESK_LANG"] = "en"  # messages asserted in English; Chinese has its own tests
os.environ["COLORTERM"] = "truecolor"  # the apps draw as on a full-colour terminal; 16 colours
# (TERM=linux) have their own tests in test_console_glyphs.py

from statdesk import cli
from store import clock, operators
from store.backups import make as backups
from store.vault import cipher
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from store.vault.session import Session

cipher.allow_test_cost()  # this process is the test suite: STATDESK_TEST_KDF_ITER applies
STATDESK = [sys.executable, str(Path(__file__).resolve().parent / "run_statdesk.py")]
"""`statdesk` in a child process of the test suite (the test-only keyslot cost allowed)."""



SLOW_FIRST = ("test_words_zh.py", "test_frozen.py", "test_tui_cards.py",
              "test_console_glyphs.py", "test_install.py", "test_tui_persons.py",
              "test_backup_crash.py", "test_tui_80x24.py", "test_tui_destruction.py",
              "test_tui_report.py", "test_tui_desk.py", "test_tui_checks.py",
              "test_secrecy_18.py", "test_destruction_18.py", "test_tui_cards_18.py",
              "test_forms_18.py", "test_tui_snapshots.py", "test_crash.py")
"""The files that take longest (`--durations`), run first: the two workers take files in the
order collected, and one of these left for the end kept a worker busy while the other idled."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: place for place, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(SLOW_FIRST)))  # stable: a file
    # keeps its own order

@pytest.fixture(autouse=True)
def _english_again_after_each_test() -> Iterator[None]:
    """A test that switched the app to Chinese leaves the next test in English."""
    yield
    from store import i18n

    i18n.set_language("en")


@pytest.fixture(autouse=True)
def _no_guard_in_the_test_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process CLI runs leave pytest's own sockets alone; the guard is tested in children."""
    from statdesk import guard

    monkeypatch.setattr(guard, "install", lambda: None)


@pytest.fixture(autouse=True)
def _no_debounce(monkeypatch: pytest.MonkeyPatch) -> None:
    """A live check runs as soon as a key is typed: tests wait for its worker, not a timer."""
    from tui import workers

    monkeypatch.setattr(workers, "DEBOUNCE", 0)


ADMIN_PW = "admin-password-1"
CLERK_PW = "clerk-password-1"
REPO = Path(__file__).resolve().parent.parent


@dataclass
class Store:
    paths: DataPaths
    recovery_code: str

    @property
    def root(self) -> Path:
        return self.paths.root


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A closed store with `admin` and `clerk`."""
    paths = DataPaths(tmp_path / "data")
    with StoreDir(paths, create=True) as folder:
        new = folder.init("admin", ADMIN_PW, "测试县人民检察院", "王管理")
        operators.add(new.session, "clerk", "clerk", CLERK_PW, "李统计")
        new.session.close()
    return Store(paths, new.recovery_code)


@pytest.fixture
def admin_dir(store: Store) -> Iterator[StoreDir]:
    """The store opened and unlocked as admin; yields the folder (session on `.session`)."""
    folder = StoreDir(store.paths)
    folder.session = folder.unlock("admin", ADMIN_PW)  # type: ignore[attr-defined]
    yield folder
    folder.close()


@pytest.fixture
def session(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    """The admin's session on 2026-11-30 (the cards' tests count months from that day)."""
    from datetime import datetime

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(store.paths) as folder:
        opened = folder.unlock("admin", ADMIN_PW)
        yield opened
        opened.close()


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(args: list[str], stdin: str = "", capsys: pytest.CaptureFixture[str] | None = None,
            ) -> CliResult:
    """Run `statdesk ARGS` in this process with the given standard input."""
    assert capsys is not None
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        try:
            code = cli.main(args)
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    finally:
        sys.stdin = old
    captured = capsys.readouterr()
    return CliResult(code, captured.out, captured.err)


@pytest.fixture
def cli_run(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def runner(args: list[str], stdin: str = "") -> CliResult:
        return run_cli(args, stdin, capsys)
    return runner


def tree_digest(root: Path, ignore: tuple[str, ...] = ("unlock-failures.json",
                                                       "statdesk.lock")) -> dict[str, str]:
    """SHA-256 of every file under root (what "nothing changed on disk" compares)."""
    if not root.exists():
        return {}
    if root.is_file():
        return {".": hashlib.sha256(root.read_bytes()).hexdigest()}
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name not in ignore
    }


def wait_is_over(folder: StoreDir, name: str) -> None:
    """The delay after a failed unlock has passed; the failure itself is still counted."""
    record = folder.failures._load()[name]
    record.not_before = 0
    folder.failures._save({**folder.failures._load(), name: record})


@pytest.fixture
def backed_up(store: Store) -> tuple[Store, Path]:
    """The store with two backups; the second one, made last, is the newest."""
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        older = backups.make(session)
        newer = backups.make(session)
        session.close()
    os.utime(older.path, (1_700_000_000, 1_700_000_000))
    os.utime(newer.path, (1_800_000_000, 1_800_000_000))
    return store, newer.path
