"""`audit verify --deep`: every row of every audited table is replayed against the audit log, so
what an insider with the master key writes with plain sqlcipher3 is named row by row."""

from __future__ import annotations

import hashlib
import itertools
import json
from datetime import datetime
from pathlib import Path

import pytest

from store import clock, settings
from store.audit import capture, replay
from store.audit import log as audit
from store.custody import items
from store.demo import cards as demo_cards
from store.vault.database import db, execute, rows
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from tests.conftest import ADMIN_PW, Store
from tests.deep_support import (
    CARDS,
    PAGE,
    Cli,
    _card_with,
    as_insider,
    deep,
    insider,
    one,
    rows_of,
    verify_file,
    work_on,
)


@pytest.fixture
def worked(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A closed store that statdesk worked on, on 2026-11-30."""
    return work_on(store, monkeypatch)



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
