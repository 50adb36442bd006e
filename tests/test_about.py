"""`statdesk --version`, `statdesk selfcheck`, the About entry, and the bare text console."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from textual.command import CommandPalette

from statdesk import console
from store.migrations import available
from store.vault.folder import StoreDir
from store.versions import VERSION
from tests.conftest import ADMIN_PW, REPO, STATDESK, Store
from tests.tui_support import login, screen_text, settle
from tui.app import build_app
from tui.dialogs.about import AboutDialog

SCHEMA = max(m.number for m in available())


def test_version_prints_statdesk_sqlcipher_sqlite_and_the_schema(cli_run) -> None:
    r = cli_run(["--version"])
    code, out, err = r.code, r.out, r.err
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == f"statdesk {VERSION}"
    assert lines[1].startswith("SQLCipher 4.") and "community" in lines[1]
    assert lines[2].startswith("SQLite 3.")
    assert lines[3] == f"schema {SCHEMA}"
    assert len(lines) == 4


def test_the_package_version_is_the_one_in_store_versions() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert "version" not in project and project["dynamic"] == ["version"]
    assert tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"][
        "dynamic"]["version"] == {"attr": "store.versions.VERSION"}


def test_selfcheck_reaches_the_login_screen_of_a_store_and_writes_nothing(
        store: Store, cli_run) -> None:
    before = {p: p.read_bytes() for p in store.root.rglob("*") if p.is_file()}
    r = cli_run(["selfcheck", "--data-dir", str(store.root)])
    code, out = r.code, r.out
    assert code == 0, out
    assert "ok      start: the app starts and shows the login screen" in out
    assert "statdesk is installed and works" in out and "FAILED" not in out
    after = {p: p.read_bytes() for p in store.root.rglob("*") if p.is_file()
             and p.name != "statdesk.lock"}
    assert after == {p: b for p, b in before.items() if p.name != "statdesk.lock"}


def test_selfcheck_with_no_store_uses_an_empty_folder_it_removes(tmp_path: Path, cli_run) -> None:
    r = cli_run(["selfcheck", "--data-dir", str(tmp_path / "none")])
    code, out = r.code, r.out
    assert code == 0, out
    assert "shows the first-run screen" in out
    assert not (tmp_path / "none").exists()


def test_selfcheck_names_a_module_that_does_not_import(cli_run, monkeypatch) -> None:
    from statdesk import selfcheck

    monkeypatch.setattr(selfcheck, "PACKAGES", ("statdesk", "tui.missing_package"))
    r = cli_run(["selfcheck", "--data-dir", "/nonexistent/x"])
    code, out = r.code, r.out
    assert code == 1
    assert "FAILED  modules: No module named 'tui.missing_package'" in out
    assert out.rstrip().endswith("1 check failed: this installation is not usable")


def _statdesk(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*STATDESK, *args], capture_output=True,
                          text=True, env=env, timeout=60, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("argv", [[], ["demo"]])
def test_the_bare_console_says_how_to_get_chinese_before_anything_starts(
        tmp_path: Path, argv: list[str]) -> None:
    env = {"PATH": "/usr/bin:/bin", "TERM": "linux", "HOME": str(tmp_path),
           "STATDESK_TEST_KDF_ITER": "1000"}
    result = _statdesk(*argv, "--data-dir", str(tmp_path / "data"), env=env)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines == [console.MESSAGE]
    assert "fbterm" in lines[0] and "fonts-wqy-zenhei" in lines[0] and "--lang en" in lines[0]
    assert "不能显示中文" in lines[0] and lines[0].index("不能") < lines[0].index("cannot")
    assert not (tmp_path / "data").exists()


def test_the_console_message_is_not_shown_where_chinese_is_drawn(tmp_path: Path) -> None:
    assert console.cannot_draw_chinese({"TERM": "linux"}, proc=tmp_path / "no-proc")
    for term in ("fbterm", "xterm-256color", "screen", ""):
        assert not console.cannot_draw_chinese({"TERM": term})
    parent = tmp_path / "proc" / "4242"
    parent.mkdir(parents=True)
    (parent / "stat").write_text("4242 (fbterm) S 1 4242 4242 0 -1 4194560 0 0\n")
    import os

    real = os.getppid
    try:
        os.getppid = lambda: 4242  # type: ignore[assignment]
        assert not console.cannot_draw_chinese({"TERM": "linux"}, proc=tmp_path / "proc")
    finally:
        os.getppid = real  # type: ignore[assignment]


def test_english_or_an_explicit_language_starts_on_the_console(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "TERM": "linux", "HOME": str(tmp_path)}
    for args in (["--lang", "en"], ["--lang", "zh"]):
        result = _statdesk("demo", "--no-open", "--cards", "0", *args, "--data-dir",
                           str(tmp_path / args[1]), env=env)
        assert result.returncode == 0 and console.MESSAGE not in result.stderr, result.stderr
        assert result.stdout.strip()
    for args in (["--version"], ["selfcheck", "--data-dir", str(tmp_path / "s")]):
        result = _statdesk(*args, env=env)
        assert result.returncode == 0 and console.MESSAGE not in result.stderr


async def test_about_from_f1_and_from_the_palette_names_versions_and_the_data_folder(
        store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("f1")
            await settle(pilot)
            assert "About statdesk" in screen_text(pilot)
            await pilot.press("a")
            await settle(pilot)
            assert isinstance(app.screen, AboutDialog)
            shown = " ".join(screen_text(pilot).split())
            assert f"statdesk {VERSION} SQLCipher 4." in shown
            assert " SQLite 3." in shown and f"Schema {SCHEMA} Data folder {store.root}" in shown
            await pilot.press("escape")
            await pilot.press("escape")
            await settle(pilot)
            commands = [c.title for c in app.get_system_commands(app.screen)]
            assert "About statdesk (F1 a)" in commands
            await pilot.press("ctrl+p")
            await settle(pilot)
            assert CommandPalette.is_open(app)


def test_selfcheck_while_the_app_holds_the_store_starts_on_an_empty_folder(
        store: Store, cli_run) -> None:
    with StoreDir(store.paths):  # the app has the store open
        r = cli_run(["selfcheck", "--data-dir", str(store.root)])
    assert r.code == 0, r.out
    assert ("the app starts and shows the first-run screen (the store is open in statdesk now: "
            "started on an empty folder instead)") in r.out


def test_a_broken_installation_gets_its_version_and_what_is_missing_not_a_traceback(
        cli_run, monkeypatch) -> None:
    from store.vault import installed

    def missing() -> None:
        raise ModuleNotFoundError("No module named 'sqlcipher3'")

    monkeypatch.setattr(installed, "versions", missing)
    from statdesk import about

    monkeypatch.setattr(about, "versions", missing)
    r = cli_run(["--version"])
    assert r.code == 1 and r.err == ""
    assert r.out.splitlines() == [
        f"statdesk {VERSION}",
        "SQLCipher: unavailable (ModuleNotFoundError: No module named 'sqlcipher3')"]
    r = cli_run(["selfcheck", "--data-dir", "/nonexistent/x"])
    assert r.code == 1 and "Traceback" not in r.out + r.err
    assert r.out.rstrip().endswith("checks failed: this installation is not usable")
