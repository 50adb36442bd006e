"""`audit verify --deep`: every row of every audited table is replayed against the audit log, so
what an insider with the master key writes with plain sqlcipher3 is named row by row."""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlcipher3 import dbapi2 as sqlcipher
from textual.widgets._footer import FooterKey

from store import clock, migrations, settings
from store.audit import capture, replay
from store.audit import log as audit
from store.audit.log import AuditChain
from store.backups import make as backups
from store.backups.restore import restore
from store.backups.verify import from_password
from store.custody import items
from store.demo import cards as demo_cards
from store.demo import items as demo_items
from store.secrecy import register as secrecy
from store.vault import keyslots
from store.vault.database import db, execute, rows
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from tests import secrecy_fixture
from tests.conftest import ADMIN_PW, CliResult, Store
from tests.tui_support import login, screen_text, settle
from tui.app import build_app
from tui.screens.audit import AuditScreen

Cli = Callable[..., CliResult]
CARDS = 160
PAGE = 4096


def _raw_key(paths: DataPaths) -> str:
    slot = keyslots.read_slot(paths.keyslot("admin"), ADMIN_PW)
    return f"x'{slot.master_key.hex()}{slot.salt.hex()}'"


def insider(paths: DataPaths) -> Any:
    """The database as an insider opens it: plain sqlcipher3 and the master key out of a
    keyslot, no statdesk code in between."""
    conn = sqlcipher.connect(str(paths.db), isolation_level=None)
    conn.execute(f'PRAGMA key = "{_raw_key(paths)}"')
    return conn


def as_insider(paths: DataPaths, *statements: str) -> None:
    conn = insider(paths)
    for sql in statements:
        conn.execute(sql)
    conn.close()


def one(paths: DataPaths, sql: str) -> Any:
    conn = insider(paths)
    found = conn.execute(sql).fetchone()
    conn.close()
    return None if found is None else found[0]


def deep(paths: DataPaths, cli_run: Cli) -> CliResult:
    return cli_run(["audit", "verify", "--deep", "--user", "admin", "--data-dir",
                    str(paths.root), "--password-stdin"], f"{ADMIN_PW}\n")


def verify_file(paths: DataPaths) -> replay.DeepResult | None:
    """`--deep` on the file as it lies, without logging in (which would write); None when
    the file no longer opens as a database."""
    slot = keyslots.read_slot(paths.keyslot("admin"), ADMIN_PW)
    db.open_with(str(paths.db), slot.master_key, slot.salt)
    try:
        try:
            store_id = str(rows("SELECT value FROM meta WHERE key = 'store_id'")[0][0])
        except sqlcipher.DatabaseError:
            return None
        return replay.verify_deep(AuditChain(slot.master_key, store_id))
    finally:
        db.forget()


def _work(session: Any) -> None:
    """Cards, people, items, loans, copies, a received classified document with its
    distribution list (a table keyed by two columns), a changed setting."""
    demo_cards.generate(session, count=CARDS)
    demo_items.generate(session, count=20, loans=30)
    secrecy.receive(session, secrecy_fixture.receipt(copies="2"))
    settings.set_value(session, "unit_name", "某县人民检察院")


@pytest.fixture
def worked(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A closed store that statdesk worked on, on 2026-11-30."""
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        _work(session)
        session.close()
    return store


def test_a_store_worked_through_statdesk_is_clean(worked: Store, cli_run: Cli) -> None:
    result = deep(worked.paths, cli_run)
    assert result.code == 0, result.out + result.err
    chain_line, rows_line = result.out.strip().splitlines()
    assert chain_line.startswith("audit chain OK")
    assert rows_line.startswith("rows OK:") and "as the audit log left them" in rows_line
    counted = int(rows_line.split()[2])
    assert counted > CARDS + 20 + 30  # cards, items, loans and the rest, every one replayed
    # the triggers that note statdesk's rows live in its own connections, not in the file
    assert one(worked.paths, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                             " AND name LIKE 'audit_capture%'") == 0


def test_the_demo_store_is_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 cli_run: Cli) -> None:
    """Every service the demo drives (cards, monthly submissions, the desk, the secrecy
    register and checklists, holds and destruction, analysis reports) writes rows that
    its own audit entries record: none escapes."""
    from store.demo import build as demo

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    paths = DataPaths(tmp_path / "demo")
    made = demo.ensure_demo(paths)
    admin = made.operators[0][0]
    result = cli_run(["audit", "verify", "--deep", "--user", admin, "--data-dir",
                      str(paths.root), "--password-stdin"], f"{made.password}\n")
    assert result.code == 0, result.out + result.err
    assert "rows OK" in result.out


def test_the_services_beyond_the_demo_are_clean(worked: Store, cli_run: Cli,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Operators, passwords, settings, holidays, code tables and a card through its review:
    each writes rows that its entry records."""
    from store import holidays, operators
    from store.cards import code_admin
    from store.cards import entry as cards
    from store.cards import review as card_review
    from store.cards.entry import CardInput

    typed = CardInput(department="D01", business_type="SCQS", case_no="某检刑诉〔2026〕101号",
                      case_name="张某某盗窃案", charge="C01", persons="2", accepted_on="20261008",
                      concluded_on="2026-11-20", outcome="TQGS", outcome_persons="2", month="")

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(worked.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        operators.add(session, "wang", "clerk", "wang-password-1", "王某")
        operators.change_password(session, "clerk", "clerk-password-2")
        operators.disable(session, "wang", "调离")
        settings.set_value(session, "idle_minutes", "15")
        holidays.set_day(session, "2026-12-26", "workday", "调休")
        holidays.remove_day(session, "2026-12-26")
        code_admin.add(session, "charge", "C99", "测试罪", "test offence", "csz")
        code_admin.change(session, "charge", "C99", "测试罪名", "test offence", "cszm")
        code_admin.set_retired(session, "charge", "C99", True)
        card_id, _checked = cards.add(session, typed)
        card_review.return_card(session, card_id, "请核对人数")
        card_review.update(session, card_id, typed)
        card_review.accept(session, card_id, acknowledge_warnings=True)
        session.close()
    result = deep(worked.paths, cli_run)
    assert result.code == 0, result.out + result.err


def _card_with(paths: DataPaths, persons: int) -> int:
    found = one(paths, f"SELECT id FROM card WHERE persons = {persons} ORDER BY id LIMIT 1")
    assert found is not None
    return int(found)


def test_an_insider_update_of_a_card_is_named(worked: Store, cli_run: Cli) -> None:
    card = _card_with(worked.paths, 2)
    as_insider(worked.paths, f"UPDATE card SET persons = 9 WHERE id = {card}")
    result = deep(worked.paths, cli_run)
    assert result.code == 1
    assert result.out.splitlines() == [f"card {card}: changed outside statdesk"]
    assert "statdesk: 1 rows were written outside statdesk" in result.err
    assert "audit chain OK" not in result.out


def test_an_insider_delete_of_a_card_is_named(worked: Store, cli_run: Cli) -> None:
    card = _card_with(worked.paths, 1)
    as_insider(worked.paths, f"DELETE FROM card_history WHERE card_id = {card}",
               f"DELETE FROM card WHERE id = {card}")
    result = deep(worked.paths, cli_run)
    assert result.code == 1
    assert result.out.splitlines() == [f"card {card}: deleted outside statdesk"]


def test_an_insider_administrator_is_named(worked: Store, cli_run: Cli) -> None:
    as_insider(worked.paths, "INSERT INTO operator (name, display_name, role, status, created_at,"
                             " created_by) VALUES ('mole', '某某', 'admin', 'active',"
                             " '2026-11-01T09:00:00+08:00', 'admin')")
    mole = one(worked.paths, "SELECT id FROM operator WHERE name = 'mole'")
    result = deep(worked.paths, cli_run)
    assert result.code == 1
    assert f"operator {mole}: inserted outside statdesk" in result.out.splitlines()


def test_a_clerk_made_administrator_with_sql_is_named(worked: Store, cli_run: Cli) -> None:
    clerk = one(worked.paths, "SELECT id FROM operator WHERE name = 'clerk'")
    as_insider(worked.paths, "UPDATE operator SET role = 'admin' WHERE name = 'clerk'")
    result = deep(worked.paths, cli_run)
    assert result.code == 1
    assert f"operator {clerk}: changed outside statdesk" in result.out.splitlines()


def test_rows_named_by_text_and_by_two_column_keys(worked: Store, cli_run: Cli) -> None:
    document, person = rows_of(worked.paths, "SELECT document_id, person_id FROM recipient"
                                             " ORDER BY 1, 2")[0]
    as_insider(worked.paths,
               "UPDATE setting SET value = '别的单位' WHERE key = 'unit_name'",
               f"DELETE FROM recipient WHERE document_id = {document} AND person_id = {person}",
               "INSERT INTO holiday (day, kind, name, updated_at, updated_by) VALUES"
               " ('2026-12-24', 'holiday', '平安夜', 't', 'admin')")
    result = deep(worked.paths, cli_run)
    assert result.code == 1
    assert set(result.out.splitlines()) == {
        "setting unit_name: changed outside statdesk",
        f"recipient [{document},{person}]: deleted outside statdesk",
        "holiday 2026-12-24: inserted outside statdesk"}


def rows_of(paths: DataPaths, sql: str) -> list[tuple[Any, ...]]:
    conn = insider(paths)
    found = [tuple(r) for r in conn.execute(sql).fetchall()]
    conn.close()
    return found


def test_a_table_dropped_by_an_insider_names_its_rows(worked: Store, cli_run: Cli) -> None:
    persons = [r[0] for r in rows_of(worked.paths, "SELECT id FROM person ORDER BY id")]
    as_insider(worked.paths, "PRAGMA foreign_keys = OFF", "DROP TABLE person")
    result = deep(worked.paths, cli_run)
    assert result.code == 1
    assert [f"person {p}: deleted outside statdesk" for p in persons] == \
        [line for line in result.out.splitlines() if line.startswith("person ")]


def test_every_finding_is_counted_and_the_printed_list_is_capped(worked: Store,
                                                                 cli_run: Cli) -> None:
    as_insider(worked.paths, "UPDATE card SET remarks = remarks || '.'")
    result = deep(worked.paths, cli_run)
    assert result.code == 1
    lines = result.out.splitlines()
    assert len(lines) == 101 and lines[-1] == f"... and {CARDS - 100} more"
    assert all(line.endswith("changed outside statdesk") for line in lines[:100])
    assert f"statdesk: {CARDS} rows were written outside statdesk" in result.err


def test_the_log_forged_without_the_chain_key_breaks_the_chain(worked: Store,
                                                               cli_run: Cli) -> None:
    """An insider who rewrites a card and the digest the log keeps for it: the entry's list of
    rows no longer matches its rows_hash; recomputing that plain hash too breaks the entry's
    HMAC, which needs the chain's key."""
    card = _card_with(worked.paths, 2)
    conn = insider(worked.paths)
    conn.execute(f"UPDATE card SET persons = 9 WHERE id = {card}")
    cols = tuple(r[1] for r in conn.execute("PRAGMA table_info(card)"))
    content_sql = capture.Audited("card", ("id",), cols).content_sql("card")  # as statdesk does
    content = conn.execute(f"SELECT {content_sql} FROM card WHERE id = {card}").fetchone()[0]
    forged = hashlib.blake2b(content, digest_size=16).digest()
    row_id, entry = conn.execute("SELECT max(id), audit_id FROM audit_row WHERE tbl = 'card'"
                                 f" AND pk = {card}").fetchone()
    conn.execute("UPDATE audit_row SET digest = ? WHERE id = ?", (forged, row_id))
    conn.close()
    result = deep(worked.paths, cli_run)
    assert result.code == 1
    assert f"audit chain BROKEN at entry #{entry}: the rows it records were changed" in result.err
    assert f"card {card}" not in result.out  # the replay itself was fooled: the hash was not

    conn = insider(worked.paths)
    listed = conn.execute("SELECT tbl, pk, digest FROM audit_row WHERE audit_id = ? ORDER BY id",
                          (entry,)).fetchall()
    conn.execute("UPDATE audit SET rows_hash = ? WHERE id = ?",
                 (audit.rows_hash_of(listed), entry))
    conn.close()
    result = deep(worked.paths, cli_run)
    assert result.code == 1
    assert f"audit chain BROKEN at entry #{entry}: its content was changed" in result.err


def test_rows_an_entry_holds_itself_forged_break_the_chain(worked: Store, cli_run: Cli) -> None:
    """A small change keeps its rows in its entry (`audit.rows`): an insider who rewrites the
    setting and the digest kept there for it breaks that entry's rows_hash."""
    conn = insider(worked.paths)
    conn.execute("UPDATE setting SET value = '别的单位' WHERE key = 'unit_name'")
    cols = tuple(r[1] for r in conn.execute("PRAGMA table_info(setting)"))
    content_sql = capture.Audited("setting", ("key",), cols).content_sql("setting")
    content = conn.execute(f"SELECT {content_sql} FROM setting WHERE key = 'unit_name'"
                           ).fetchone()[0]
    entry, held = conn.execute("SELECT id, rows FROM audit WHERE rows LIKE"
                               " '%\"setting\",\"unit_name\"%' ORDER BY id DESC LIMIT 1"
                               ).fetchone()
    listed = json.loads(held)
    for row in listed:
        if row[:2] == ["setting", "unit_name"]:
            row[2] = hashlib.blake2b(content, digest_size=16).hexdigest()
    conn.execute("UPDATE audit SET rows = ? WHERE id = ?", (json.dumps(listed), entry))
    conn.close()
    result = deep(worked.paths, cli_run)
    assert result.code == 1
    assert f"audit chain BROKEN at entry #{entry}: the rows it records were changed" in result.err


def test_a_savepoint_rolled_back_leaves_no_stale_digest(admin_dir: StoreDir) -> None:
    """What a rolled-back savepoint wrote was noted with its content; the entry reads the row
    again, so it records the row as it is."""
    session = admin_dir.session  # type: ignore[attr-defined]
    with db.atomic():
        settings.set_value(session, "unit_name", "留下的")
        with pytest.raises(RuntimeError), db.atomic():
            execute("UPDATE setting SET value = '撤回的' WHERE key = 'unit_name'")
            raise RuntimeError("refused")
        session.audit.append("admin", "setting.change", "setting", "unit_name")
    assert settings.get("unit_name") == "留下的"
    assert replay.verify_deep(session.audit).ok


def test_rows_slipped_into_the_log_break_the_chain(worked: Store, cli_run: Cli) -> None:
    """An insider who inserts a card and a row for it under an older entry."""
    conn = insider(worked.paths)
    conn.execute("INSERT INTO audit_row (audit_id, tbl, pk, digest) VALUES (3, 'card', 99999,"
                 " x'00')")
    conn.close()
    result = deep(worked.paths, cli_run)
    assert result.code == 1 and "BROKEN at entry #3" in result.err


def _differing_pages(old: bytes, new: bytes) -> list[int]:
    count = min(len(old), len(new)) // PAGE
    return [n for n in range(count) if old[n * PAGE:(n + 1) * PAGE] != new[n * PAGE:(n + 1) * PAGE]]


def test_pages_copied_back_from_an_older_file_are_never_ok(worked: Store,
                                                          tmp_path: Path) -> None:
    """A copy taken after a checkpoint; more work through statdesk; then two 4096-byte pages of
    the copy written back over the live file at their offsets. SQLCipher's per-page HMAC
    cannot see that (the pages are genuine, of the same file and key): whichever two pages are
    copied back, --deep names rows, a broken chain or a damaged file, never OK."""
    paths = worked.paths
    assert not Path(f"{paths.db}-wal").exists() or Path(f"{paths.db}-wal").stat().st_size == 0
    older = paths.db.read_bytes()
    with StoreDir(paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        for n in range(3):
            settings.set_value(session, "unit_name", f"单位{n}")
        for number in [r[0] for r in rows("SELECT reg_no FROM item WHERE status = 'in'"
                                          " ORDER BY id LIMIT 4")]:
            items.report_missing(session, number, "清点未见")
        demo_cards.generate(session, count=40, seed=5)
        with db.atomic():  # a change and its entry, as every service writes them
            execute("UPDATE card SET remarks = '已核对' WHERE id <= 30")
            session.audit.append("admin", "card.update", "card", "1-30")
        session.close()
    assert verify_file(paths) is not None and verify_file(paths).ok  # type: ignore[union-attr]
    newer = paths.db.read_bytes()
    changed = _differing_pages(older, newer)
    assert len(changed) >= 4
    for first, second in itertools.pairwise(changed):
        spliced = bytearray(newer)
        for page in (first, second):
            spliced[page * PAGE:(page + 1) * PAGE] = older[page * PAGE:(page + 1) * PAGE]
        paths.db.write_bytes(bytes(spliced))
        found = verify_file(paths)
        assert found is None or not found.ok, (first, second)
    paths.db.write_bytes(newer)


def test_writes_after_the_last_entry_of_a_transaction_join_that_entry(admin_dir: StoreDir
                                                                      ) -> None:
    session = admin_dir.session  # type: ignore[attr-defined]
    with db.atomic():
        entry = session.audit.append("admin", "setting.change", "setting", "unit_name")
        execute("UPDATE setting SET value = '后来写的' WHERE key = 'unit_name'")
    held = rows("SELECT rows FROM audit WHERE id = ?", (entry,))[0][0]  # a few rows: inline
    assert ["setting", "unit_name"] in [row[:2] for row in json.loads(held)]
    assert session.audit.verify().ok  # its hash was made again, with those rows
    assert audit.head()[0] == entry
    assert replay.verify_deep(session.audit).ok


def test_a_transaction_without_an_entry_leaves_its_rows_to_be_named(admin_dir: StoreDir) -> None:
    """statdesk's services never write without an entry; a write that did would be outside the
    audit log, and --deep says so."""
    session = admin_dir.session  # type: ignore[attr-defined]
    with db.atomic():
        execute("UPDATE setting SET value = '无记录' WHERE key = 'unit_name'")
    found = replay.verify_deep(session.audit)
    assert [f.describe() for f in found.findings] == ["setting unit_name: changed outside statdesk"]


def test_capture_survives_a_rolled_back_change(admin_dir: StoreDir) -> None:
    """A refused change rolls back with its notes; the next change is still recorded (the
    connection's triggers are not lost with the transaction)."""
    session = admin_dir.session  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError), db.atomic():
        settings.set_value(session, "unit_name", "不会保存")
        raise RuntimeError("refused")
    settings.set_value(session, "unit_name", "保存了")
    assert replay.verify_deep(session.audit).ok


def test_backup_then_restore_is_clean(worked: Store, tmp_path: Path, cli_run: Cli) -> None:
    with StoreDir(worked.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        info = backups.make(session)
        settings.set_value(session, "unit_name", "备份之后")
        session.close()
    fresh = DataPaths(tmp_path / "fresh")
    with StoreDir(fresh, create=True) as folder:
        restore(folder, info.path, from_password("admin", ADMIN_PW), "admin", None)
    result = deep(fresh, cli_run)
    assert result.code == 0, result.out + result.err
    with StoreDir(worked.paths) as folder:  # and over the live store, by its administrator
        session = folder.unlock("admin", ADMIN_PW)
        restore(folder, info.path, from_password("admin", ADMIN_PW), "admin", session)
    result = deep(worked.paths, cli_run)
    assert result.code == 0, result.out + result.err


def test_a_store_copied_by_sqlcipher_export_or_vacuumed_is_clean(worked: Store, tmp_path: Path,
                                                                  cli_run: Cli) -> None:
    """Re-encryption copies every row with sqlcipher_export (as a key rotation does); VACUUM
    may number afresh the rowids of tables keyed otherwise (SQLite's documentation says so):
    rows are named by their keys, so neither is a change."""
    from store import holidays

    with StoreDir(worked.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        holidays.remove_day(session, "2026-01-02")  # a gap in the holiday table's rowids
        session.close()
    copy = tmp_path / "copy.db"
    conn = insider(worked.paths)
    conn.execute("ATTACH DATABASE ? AS fresh KEY ?", (str(copy), _raw_key(worked.paths)))
    conn.execute("SELECT sqlcipher_export('fresh')")
    conn.execute("DETACH DATABASE fresh")
    conn.close()
    shutil.copy(copy, worked.paths.db)
    result = deep(worked.paths, cli_run)
    assert result.code == 0, result.out + result.err

    before = rows_of(worked.paths, "SELECT rowid, day FROM holiday ORDER BY day")
    as_insider(worked.paths, "UPDATE holiday SET rowid = rowid + 1000", "VACUUM")
    after = rows_of(worked.paths, "SELECT rowid, day FROM holiday ORDER BY day")
    assert [d for _r, d in after] == [d for _r, d in before] and after != before
    result = deep(worked.paths, cli_run)
    assert result.code == 0, result.out + result.err


EARLY = 9


@pytest.fixture
def old_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A closed store at schema 9, from before the row log, with work in it."""
    from store import operators

    shipped = migrations.available()
    paths = DataPaths(tmp_path / "data")
    with monkeypatch.context() as early:
        early.setattr(migrations, "available", lambda: shipped[:EARLY])
        with StoreDir(paths, create=True) as folder:
            new = folder.init("admin", ADMIN_PW, "测试县人民检察院", "王管理")
            operators.add(new.session, "clerk", "clerk", "clerk-password-1", "李统计")
            settings.set_value(new.session, "unit_name", "旧单位")
            demo_cards.generate(new.session, count=30)
            assert rows("SELECT count(*) FROM pragma_table_list WHERE name = 'audit_row'") \
                == [(0,)]
            new.session.close()
    return Store(paths, new.recovery_code)


def test_an_upgraded_store_starts_from_a_baseline(old_store: Store, cli_run: Cli) -> None:
    """Its entries kept no rows: the upgrade records every row as it stood, in one
    `audit.baseline` entry, so --deep is clean at once and catches what comes after."""
    result = deep(old_store.paths, cli_run)
    assert result.code == 0, result.out + result.err
    assert "the store was upgraded" in result.err
    with StoreDir(old_store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        [baseline] = [e for e in audit.recent(200) if e.action == "audit.baseline"]
        recorded = rows("SELECT count(*) FROM audit_row WHERE audit_id = ?", (baseline.id,))
        assert json.loads(baseline.new or "{}") == {"rows": recorded[0][0]}
        assert recorded[0][0] >= 30 + 2  # the cards and the operators among them
        assert rows("SELECT count(*) FROM audit WHERE rows_hash IS NULL AND id < ?",
                    (baseline.id,))[0][0] >= 4  # older entries kept as they were
        session.close()
    as_insider(old_store.paths, "UPDATE card SET persons = 9 WHERE id = 3")
    result = deep(old_store.paths, cli_run)
    assert result.code == 1 and result.out.splitlines() == ["card 3: changed outside statdesk"]


def test_a_later_migration_that_reshapes_tables_stays_clean(
        worked: Store, cli_run: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """A migration that adds a column, creates a table with rows, and rebuilds one under a new
    name: its rows are recorded with its entry, so the store replays clean afterwards."""
    import types

    module = types.ModuleType("m9999_reshape")
    module.NAME = "reshape"  # type: ignore[attr-defined]
    module.SQL = [  # type: ignore[attr-defined]
        "ALTER TABLE card ADD COLUMN checked TEXT NOT NULL DEFAULT ''",
        "CREATE TABLE later_code (code TEXT PRIMARY KEY, name TEXT NOT NULL)",
        "INSERT INTO later_code VALUES ('A', '甲'), ('B', '乙')",
        "CREATE TABLE month_lock_new (month TEXT PRIMARY KEY, locked_at TEXT NOT NULL,"
        " locked_by TEXT NOT NULL, note TEXT NOT NULL DEFAULT '')",
        "INSERT INTO month_lock_new SELECT * FROM month_lock",
        "DROP TABLE month_lock",
        "ALTER TABLE month_lock_new RENAME TO month_lock",
    ]
    shipped = migrations.available()
    monkeypatch.setattr(migrations, "available",
                        lambda: [*shipped, migrations.Migration(9999, "reshape", module)])
    result = deep(worked.paths, cli_run)
    assert result.code == 0, result.out + result.err
    as_insider(worked.paths, "UPDATE later_code SET name = '丙' WHERE code = 'B'")
    result = deep(worked.paths, cli_run)
    assert result.out.splitlines() == ["later_code B: changed outside statdesk"]


async def test_the_audit_screen_runs_the_deep_check(worked: Store) -> None:
    card = _card_with(worked.paths, 2)
    with StoreDir(worked.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(100, 30)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("f3")
            await settle(pilot)
            assert isinstance(app.screen, AuditScreen)
            footer = {key.description for key in app.screen.query(FooterKey)}
            assert "Deep check" in footer
            await pilot.press("d")
            await settle(pilot)
            assert "rows OK:" in screen_text(pilot)
    as_insider(worked.paths, f"UPDATE card SET persons = 9 WHERE id = {card}",
               "UPDATE card SET remarks = 'x' WHERE id < 15")
    with StoreDir(worked.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(100, 40)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("f3")
            await settle(pilot)
            await pilot.press("d")
            await settle(pilot)
            shown = screen_text(pilot)
            assert f"card {card}: changed outside statdesk" in shown
            assert "card 1: changed outside statdesk" in shown and "... and " in shown
            assert "rows OK" not in shown
