"""The command line: init, user add/passwd/disable/list, audit verify, demo, export."""

from __future__ import annotations

import re
from pathlib import Path

from store.demo.build import DEMO_PASSWORD
from store.vault import paths as store_paths
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, CLERK_PW, Store, wait_is_over

CODE = re.compile(r"^\s+([0-9A-Z]{5}(?:-[0-9A-Z]{5}){5})$", re.M)


def test_init_prints_recovery_code_once_and_it_works(tmp_path: Path, cli_run) -> None:
    data = tmp_path / "new"
    result = cli_run(["init", "--admin", "zhang", "--unit", "某县院", "--data-dir", str(data),
                      "--password-stdin"], "zhang-password\nzhang-password\n")
    assert result.code == 0, result.err
    codes = CODE.findall(result.out)
    assert len(codes) == 1
    assert "shown only this once" in result.out
    with StoreDir(store_paths.DataPaths(data)) as folder:
        assert folder.recover(codes[0]).actor.is_admin
    assert codes[0] not in "".join(p.read_text(errors="ignore") for p in data.rglob("*")
                                   if p.is_file())


def test_password_stdin_order_for_user_add(store: Store, cli_run) -> None:
    result = cli_run(["user", "add", "wang", "--role", "clerk", "--user", "admin",
                      "--data-dir", str(store.root), "--password-stdin"],
                     f"{ADMIN_PW}\nwang-password\nwang-password\n")
    assert result.code == 0, result.err
    listing = cli_run(["user", "list", "--user", "wang", "--data-dir", str(store.root),
                       "--password-stdin"], "wang-password\n")
    assert listing.code == 0
    assert re.search(r"^wang\s+clerk\s+active", listing.out, re.M)


def test_passwd_self_and_by_admin(store: Store, cli_run) -> None:
    own = cli_run(["user", "passwd", "--user", "clerk", "--data-dir", str(store.root),
                   "--password-stdin"], f"{CLERK_PW}\nclerk-password-2\nclerk-password-2\n")
    assert own.code == 0, own.err
    reset = cli_run(["user", "passwd", "clerk", "--user", "admin", "--data-dir",
                     str(store.root), "--password-stdin"],
                    f"{ADMIN_PW}\nclerk-password-3\nclerk-password-3\n")
    assert reset.code == 0, reset.err
    verify = cli_run(["audit", "verify", "--user", "clerk", "--data-dir", str(store.root),
                      "--password-stdin"], "clerk-password-3\n")
    assert verify.code == 0 and "audit chain OK" in verify.out


def test_recovery_flag_resets_a_password(store: Store, cli_run) -> None:
    result = cli_run(["user", "passwd", "admin", "--recovery", "--data-dir", str(store.root),
                      "--password-stdin"],
                     f"{store.recovery_code}\nfresh-password\nfresh-password\n")
    assert result.code == 0, result.err
    ok = cli_run(["audit", "verify", "--user", "admin", "--data-dir", str(store.root),
                  "--password-stdin"], "fresh-password\n")
    assert ok.code == 0


def test_disable_then_refused(store: Store, cli_run) -> None:
    result = cli_run(["user", "disable", "clerk", "--reason", "调离", "--user", "admin",
                      "--data-dir", str(store.root), "--password-stdin"], f"{ADMIN_PW}\n")
    assert result.code == 0, result.err
    refused = cli_run(["audit", "verify", "--user", "clerk", "--data-dir", str(store.root),
                       "--password-stdin"], f"{CLERK_PW}\n")
    assert refused.code == 1 and "disabled" in refused.err


def test_failed_count_is_shown_at_next_unlock(store: Store, cli_run) -> None:
    args = ["audit", "verify", "--user", "clerk", "--data-dir", str(store.root),
            "--password-stdin"]
    assert cli_run(args, "wrong-password\n").code == 1
    with StoreDir(store.paths) as folder:  # the wait has passed
        wait_is_over(folder, "clerk")
    result = cli_run(args, f"{CLERK_PW}\n")
    assert result.code == 0
    assert "1 failed unlock attempt for clerk" in result.err


def test_environment_variable_names_the_data_dir(store: Store, cli_run, monkeypatch) -> None:
    monkeypatch.setenv(store_paths.ENV_DATA_DIR, str(store.root))
    result = cli_run(["audit", "verify", "--user", "admin", "--password-stdin"], f"{ADMIN_PW}\n")
    assert result.code == 0 and "OK" in result.out


def test_demo_creates_its_own_store_and_prints_credentials(tmp_path: Path, cli_run,
                                                           monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv(store_paths.ENV_DATA_DIR, str(tmp_path / "real"))
    result = cli_run(["demo", "--no-open"])
    assert result.code == 0, result.err
    demo_root = store_paths.demo_root()
    assert demo_root == tmp_path / "xdg" / "statdesk-demo"
    assert not (tmp_path / "real").exists()
    assert "admin" in result.out and "clerk" in result.out and DEMO_PASSWORD in result.out
    for name in ("admin", "clerk"):
        verify = cli_run(["audit", "verify", "--user", name, "--data-dir", str(demo_root),
                          "--password-stdin"], f"{DEMO_PASSWORD}\n")
        assert verify.code == 0, verify.err
    again = cli_run(["demo", "--no-open"])
    assert again.code == 0 and "The demo store is at" in again.out


def test_demo_never_takes_over_a_real_store(store: Store, cli_run) -> None:
    result = cli_run(["demo", "--no-open", "--data-dir", str(store.root)])
    assert result.code == 1
    assert "not a demo store" in result.err


def test_usage_error_is_one_line(cli_run) -> None:
    result = cli_run(["user", "frobnicate"])
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err


def test_export_writes_a_checklist_and_the_register(store: Store, cli_run, tmp_path: Path,
                                                    monkeypatch) -> None:
    from datetime import datetime

    import docx

    from store import clock
    from store.audit import log as audit
    from store.secrecy import checks
    from tests import secrecy_fixture

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        copies = secrecy_fixture.setup(session)
        run = checks.start(session, "inventory")
        checks.mark(session, run.id, copies[0].reg_no)
        session.close()
    auth = ["--data-dir", str(store.root), "--user", "admin", "--password-stdin"]
    target = tmp_path / "out" / "清点.docx"
    result = cli_run(["export", "checklist", str(run.id), "--out", str(target), *auth],
                     f"{ADMIN_PW}\n")
    assert result.code == 0, result.err
    assert str(target) in result.out and target.is_file()
    table = docx.Document(str(target)).tables[1]
    assert {row.cells[1].text for row in table.rows} >= {c.reg_no for c in copies}
    result = cli_run(["export", "register", "20261101", "2026-11-30", "--out",
                      str(tmp_path / "out"), *auth], f"{ADMIN_PW}\n")
    assert result.code == 0, result.err
    assert (tmp_path / "out" / "secrecy-register-2026-11-01-2026-11-30.docx").is_file()
    default = cli_run(["export", "checklist", f"#{run.id}", *auth], f"{ADMIN_PW}\n")
    assert default.code == 0 and (store.root / "exports" / f"checklist-{run.id}.docx").is_file()
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        actions = [e.action for e in audit.recent(10)]
        session.close()
    assert actions.count("export.checklist") == 2 and "export.register" in actions


def test_export_errors_are_one_line(store: Store, cli_run, tmp_path: Path) -> None:
    auth = ["--data-dir", str(store.root), "--user", "admin", "--password-stdin"]
    out = ["--out", str(tmp_path / "x.docx")]
    for args, stdin, said in [
            (["checklist", "99"], f"{ADMIN_PW}\n", "no checklist run #99"),
            (["checkin", "99"], f"{ADMIN_PW}\n", "no checklist run #99"),
            (["checklist", "abc"], "", "abc"),  # refused before the password is asked
            (["checklist", "99999999999999999999"], "", "by its number"),
            (["register", "2026-11-30", "2026-11-01"], "", "ends before it begins"),
            (["register", "2026-13-01", "2026-11-30"], "", "2026-13-01")]:
        result = cli_run(["export", *args, *out, *auth], stdin)
        assert result.code == 1, (args, result.err)
        assert result.err.count("\n") == 1 and said in result.err and "Traceback" not in result.err
    assert not (tmp_path / "x.docx").exists()
    usage = cli_run(["export", "manifest"])  # no batch named
    assert usage.code == 2 and len(usage.err.strip().splitlines()) == 1


def test_export_a_destruction_manifest_then_its_certificate(store: Store, cli_run,
                                                            tmp_path: Path, monkeypatch) -> None:
    from datetime import datetime

    import docx

    from store import clock
    from store.audit import log as audit
    from store.custody import items, people
    from store.destruction import batches as destruction
    from store.destruction.batches import Arrangements, Execution
    from tests.desk_fixture import setup

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        numbers = setup(session)
        people.add(session, "jxa", "蒋秀安", "supervisor", department="纪检监察室")
        people.add(session, "gzm", "郭智明", "supervisor", department="办公室")
        batch = destruction.create(session)
        for key in ("report", "ledger"):
            destruction.add(session, batch.id, numbers[key], "expired")
        destruction.approve(session, batch.id, Arrangements(
            "cjc", "2026-11-30", "销审〔2026〕3号", "本院保密销毁室", "shred", "2026-11-30",
            "lwj", "jxa gzm"))
        destruction.create(session)  # 销-2026-002, a draft
        session.close()
    auth = ["--data-dir", str(store.root), "--user", "admin", "--password-stdin"]
    target = tmp_path / "out" / "销毁清单.docx"
    result = cli_run(["export", "manifest", "销－2026－001", "--out", str(target), *auth],
                     f"{ADMIN_PW}\n")
    assert result.code == 0, result.err
    assert str(target) in result.out and target.is_file()
    listed = docx.Document(str(target)).tables[-1]  # the items: last, signed with their end
    rows = [[c.text for c in row.cells] for row in listed.rows]
    assert [row[1] for row in rows[1:]] == [numbers["report"], numbers["ledger"]]
    footer = "".join(docx.Document(str(target)).sections[0].footer._element.itertext())
    for args, said in [(["certificate", "销-2026-001"], "is printed for signing: its "
                                                         "certificate is made once"),
                       (["manifest", "销-2026-002"], "batch 销-2026-002 is draft"),
                       (["manifest", "销-2026-009"], "no destruction batch 销-2026-009"),
                       (["certificate", "#99"], "no destruction batch #99")]:
        refused = cli_run(["export", *args, *auth], f"{ADMIN_PW}\n")
        assert refused.code == 1, (args, refused.err)
        assert refused.err.count("\n") == 1 and said in refused.err, refused.err
    for typed in ("abc", "销-26-1", "0", "99999999999999999999"):  # before the password
        refused = cli_run(["export", "certificate", typed, *auth], "")
        assert refused.code == 1 and "销-2026-001, or its id" in refused.err, refused.err
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        printed = destruction.get(batch.id)
        assert printed.status == "printed" and printed.list_sha256[:16] in footer
        destruction.execute_batch(session, batch.id, Execution("2026-11-30", "jxa gzm", {},
                                                               printed.number))
        session.close()
    done = cli_run(["export", "certificate", str(batch.id), *auth], f"{ADMIN_PW}\n")
    assert done.code == 0, done.err
    certificate = store.root / "exports" / "certificate-2026-001.docx"
    assert certificate.is_file()
    assert printed.list_sha256 in "\n".join(p.text for p in docx.Document(str(certificate))
                                            .paragraphs)  # the manifest it refers to
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        actions = [e.action for e in audit.recent(20)]
        gone = [items.by_number(numbers[key]) for key in ("report", "ledger")]
        session.close()
    assert actions.count("export.manifest") == 1 and actions.count("export.certificate") == 1
    assert [item.status if item else "" for item in gone] == ["destroyed", "destroyed"]
