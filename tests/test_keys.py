"""The insider's attacks on the keys (issue 15): each is performed, and each now fails.

- A disabled operator (or an old password) keeps the master key through a keyslot copied
  before, or taken out of a backup: after a rotation it opens nothing live.
- A clerk who writes `role='admin'` with sqlcipher3 is refused as an administrator, and an
  administrator's login names the forged record.
- Copying an older statdesk.db over the live one is noticed at the next login.
- A process killed between a keyslot change's commit and its rename leaves neither a change
  recorded but not in force nor an operator who can never log in.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from store import operators
from store.backups import file as backup_file
from store.backups import make as backups
from store.errors import InvalidInput, NotAllowed, WrongPassword
from store.keys import rollback, rotation, rotation_due, seals
from store.vault import keyslots
from store.vault.database import rows
from store.vault.folder import StoreDir
from store.vault.keyslots import SlotContent
from store.vault.policy import RECOVERY_ACTOR
from tests.conftest import ADMIN_PW, CLERK_PW, Store
from tests.insider import opens, raw_sql, roll_back

NEW_CLERK_PW = "clerk-password-2"


def _slot_from_backup(backup: Path, name: str, password: str, work: Path) -> SlotContent:
    """What an insider does with a backup file and their own old password: try each slot."""
    import tarfile

    work.mkdir(exist_ok=True)
    with tarfile.open(backup) as tar:
        members = [m for m in tar.getmembers()
                   if m.name.startswith("keys/") and not m.name.endswith((".sha256", ".seen"))]
        tar.extractall(work, members=[*members, *[m for m in tar.getmembers()
                                                  if m.name.endswith(".sha256")]],
                       filter="data")
    for member in members:
        try:
            return keyslots.read_slot(work / member.name, password)
        except Exception:
            continue
    raise AssertionError(f"no slot of {backup.name} opens with {name}'s password")


def test_a_disabled_clerk_with_a_backup_opens_the_live_store_until_the_key_is_rotated(
        store: Store, tmp_path: Path) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        made = backups.make(session)
        operators.disable(session, "clerk", "left the office")
        due = rotation_due.current()
        assert due is not None and due.subjects == ("clerk",)
        session.close()
    stolen = _slot_from_backup(made.path, "clerk", CLERK_PW, tmp_path / "insider")
    assert opens(store.paths.db, stolen)  # the finding, as it stands before a rotation

    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        shown: list[rotation.Rotated] = []
        result = rotation.rotate(folder, session, {"admin": ADMIN_PW}, announce=shown.append)
        assert shown and shown[0].recovery_code == result.recovery_code
        assert result.operators == ("admin",) and result.one_time == {}
        assert rotation_due.current() is None
        assert rows("SELECT count(*) FROM operator")[0][0] == 2  # the store goes on
        assert session.audit.verify().ok
        session.close()

    assert not opens(store.paths.db, stolen)  # the stolen slot opens nothing live any more
    for copied in sorted(store.paths.root.rglob("*.key")):
        assert copied.parent == store.paths.keys  # no old slot kept anywhere in the folder
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        assert session.actor.is_admin and session.admin_key
        session.close()
        assert folder.recover(result.recovery_code).actor.name == RECOVERY_ACTOR
        with pytest.raises(WrongPassword):
            folder.recover(store.recovery_code)  # the old recovery code is retired too


def test_an_absent_operator_gets_a_one_time_password_they_must_change(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        result = rotation.rotate(folder, session, {"admin": ADMIN_PW})
        session.close()
        assert set(result.one_time) == {"clerk"}
        with pytest.raises(WrongPassword):
            folder.unlock("clerk", CLERK_PW)
        folder.failures.clear("clerk")  # the delay after a failure is tested elsewhere
        clerk = folder.unlock("clerk", result.one_time["clerk"])
        assert clerk.must_change_password
        operators.change_password(clerk, "clerk", NEW_CLERK_PW)
        clerk.close()
        again = folder.unlock("clerk", NEW_CLERK_PW)
        assert not again.must_change_password
        again.close()


def test_rotation_refuses_a_wrong_password_for_a_present_operator(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        before = store.paths.db.read_bytes()[:4096]
        with pytest.raises(InvalidInput, match="not their current password"):
            rotation.rotate(folder, session, {"admin": ADMIN_PW, "clerk": "not-the-password"})
        assert store.paths.db.read_bytes()[:4096] == before
        session.close()


def test_a_crash_before_the_swap_leaves_the_old_key_and_no_leftover(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)

        def cut(_result: rotation.Rotated) -> None:
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            rotation.rotate(folder, session, {"admin": ADMIN_PW}, announce=cut)
        session.close()
        assert not any(p.name.startswith("statdesk.db.restoring") for p in store.root.iterdir())
        folder.unlock("admin", ADMIN_PW).close()
        folder.unlock("clerk", CLERK_PW).close()


def test_a_clerk_who_writes_role_admin_is_refused_as_an_administrator(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        clerk = folder.unlock("clerk", CLERK_PW)
        content = keyslots.read_slot(store.paths.keyslot("clerk"), CLERK_PW)
        clerk.close()
    raw_sql(store.paths.db, content, "UPDATE operator SET role = 'admin' WHERE name = 'clerk'")

    with StoreDir(store.paths) as folder:
        forger = folder.unlock("clerk", CLERK_PW)
        assert not forger.actor.is_admin and not forger.admin_key
        assert any("you work as a clerk" in n for n in forger.notices)
        with pytest.raises(NotAllowed):
            operators.add(forger, "mole", "admin", "mole-password-1")
        forger.close()
        admin = folder.unlock("admin", ADMIN_PW)
        assert any("\"clerk\"" in n and "seal does not verify" in n for n in admin.notices)
        assert seals.forged_operators(admin.admin_key, admin.store_id)[0].name == "clerk"
        with pytest.raises(NotAllowed, match="forged"):
            rotation.rotate(folder, admin, {"admin": ADMIN_PW})
        admin.close()


def test_a_clerk_who_removes_the_key_check_gains_nothing(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        clerk = folder.unlock("clerk", CLERK_PW)
        content = keyslots.read_slot(store.paths.keyslot("clerk"), CLERK_PW)
        clerk.close()
    raw_sql(store.paths.db, content, "UPDATE operator SET role = 'admin' WHERE name = 'clerk'",
         f"DELETE FROM meta WHERE key = '{seals.CHECK_KEY}'")
    with StoreDir(store.paths) as folder:
        forger = folder.unlock("clerk", CLERK_PW)
        assert not forger.actor.is_admin
        forger.close()


def test_a_rewritten_sealed_head_is_named_at_the_next_administrator_login(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        clerk = folder.unlock("clerk", CLERK_PW)
        content = keyslots.read_slot(store.paths.keyslot("clerk"), CLERK_PW)
        clerk.close()
    raw_sql(store.paths.db, content,
         # Flip the first hex digit: always a change, whatever the hash was.
         "UPDATE audit SET hash = (CASE WHEN substr(hash, 1, 1) = '0' THEN '1' ELSE '0' END)"
         " || substr(hash, 2) WHERE id = "
         f"(SELECT json_extract(value, '$.id') FROM meta WHERE key = '{seals.HEAD_SEAL_KEY}')")
    with StoreDir(store.paths) as folder:
        admin = folder.unlock("admin", ADMIN_PW)
        assert any("sealed by an administrator" in n for n in admin.notices)
        admin.close()


def test_an_older_database_copied_over_the_live_one_is_noticed(store: Store,
                                                               tmp_path: Path) -> None:
    roll_back(store, tmp_path)
    with StoreDir(store.paths) as folder:
        session = folder.unlock("clerk", CLERK_PW)
        assert any("rolled back" in n for n in session.notices)
        assert rollback.current() is not None
        session.close()
        admin = folder.unlock("admin", ADMIN_PW)
        assert any("rolled back" in n for n in admin.notices)  # open until acknowledged
        with pytest.raises(InvalidInput):
            rollback.acknowledge(admin, "")
        rollback.acknowledge(admin, "copied back by the IT office; newbie re-added")
        assert rollback.current() is None
        admin.close()
        again = folder.unlock("admin", ADMIN_PW)
        assert not any("rolled back" in n for n in again.notices)
        again.close()


def test_a_restore_is_not_taken_for_a_rollback(store: Store) -> None:
    from store.backups.restore import restore
    from store.backups.verify import from_keys

    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        made = backups.make(session)
        operators.add(session, "newbie", "clerk", "newbie-password-1")
        restore(folder, made.path, from_keys(*session.key_material(), session.store_id,
                                             "admin"), "admin", session)
        clerk = folder.unlock("clerk", CLERK_PW)
        assert not any("rolled back" in n for n in clerk.notices)
        clerk.close()


def _kill_after_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    def killed(_self: keyslots.PreparedSlot) -> None:
        raise SystemExit("killed between the commit and the rename")

    monkeypatch.setattr(keyslots.PreparedSlot, "commit", killed)


def test_a_password_change_cut_after_its_commit_is_in_force_at_the_next_unlock(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    with StoreDir(store.paths) as folder:
        clerk = folder.unlock("clerk", CLERK_PW)
        with monkeypatch.context() as cut:
            _kill_after_commit(cut)
            with pytest.raises(SystemExit):
                operators.change_password(clerk, "clerk", NEW_CLERK_PW)
        clerk.close()
    with StoreDir(store.paths) as folder:  # a new process
        with pytest.raises(WrongPassword):
            folder.unlock("clerk", CLERK_PW)  # recorded, so the old password is out of force
        folder.failures.clear("clerk")
        folder.unlock("clerk", NEW_CLERK_PW).close()
        folder.unlock("clerk", NEW_CLERK_PW).close()


def test_an_operator_added_but_cut_before_the_rename_can_log_in(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    with StoreDir(store.paths) as folder:
        admin = folder.unlock("admin", ADMIN_PW)
        with monkeypatch.context() as cut:
            _kill_after_commit(cut)
            with pytest.raises(SystemExit):
                operators.add(admin, "newbie", "clerk", "newbie-password-1")
        admin.close()
    with StoreDir(store.paths) as folder:
        folder.unlock("newbie", "newbie-password-1").close()
        assert store.paths.keyslot("newbie").exists()


def test_a_change_that_never_committed_is_dropped(store: Store,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    with StoreDir(store.paths) as folder:
        clerk = folder.unlock("clerk", CLERK_PW)
        prepared = keyslots.prepare_slot(store.paths.keyslot("clerk"), NEW_CLERK_PW,
                                         clerk.slot_content("clerk"))  # written, not recorded
        assert keyslots.pending(prepared.path)
        clerk.close()
    with StoreDir(store.paths) as folder:
        with pytest.raises(WrongPassword):
            folder.unlock("clerk", NEW_CLERK_PW)
        folder.failures.clear("clerk")
        folder.unlock("clerk", CLERK_PW).close()
        assert not keyslots.pending(store.paths.keyslot("clerk"))


def test_backup_manifests_still_verify_after_a_rotation_with_their_own_key(
        store: Store) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        before = backups.make(session)
        rotation.rotate(folder, session, {"admin": ADMIN_PW})
        after = backups.make(session)
        session.close()
    assert before.path.exists() and after.path.exists()
    assert backup_file.unpack(after.path, None).problems() == []


def test_the_command_line_rotates_and_hands_out_one_time_passwords(store: Store,
                                                                   cli_run) -> None:  # type: ignore[no-untyped-def]
    data = ["--data-dir", str(store.root), "--password-stdin"]
    done = cli_run(["key", "rotate", "--user", "admin", *data], stdin=f"{ADMIN_PW}\n")
    assert done.code == 0, done.err
    assert "NEW RECOVERY CODE" in done.out and "rotated" in done.out
    one_time = next(line.split()[1] for line in done.out.splitlines()
                    if line.strip().startswith("clerk "))
    listing = cli_run(["user", "list", "--user", "clerk", *data], stdin=f"{one_time}\n")
    assert listing.code == 1 and "one-time password" in listing.err
    assert len(listing.err.strip().splitlines()) == 1
    changed = cli_run(["user", "passwd", "--user", "clerk", *data],
                      stdin=f"{one_time}\n{NEW_CLERK_PW}\n{NEW_CLERK_PW}\n")
    assert changed.code == 0, changed.err
    again = cli_run(["user", "list", "--user", "clerk", *data], stdin=f"{NEW_CLERK_PW}\n")
    assert again.code == 0 and "admin" in again.out


def test_the_command_line_keeps_a_present_operator_and_refuses_a_wrong_one(
        store: Store, cli_run) -> None:  # type: ignore[no-untyped-def]
    data = ["--data-dir", str(store.root), "--password-stdin"]
    wrong = cli_run(["key", "rotate", "--user", "admin", "--keep", "clerk", *data],
                    stdin=f"{ADMIN_PW}\nnot-it-at-all\n")
    assert wrong.code == 1 and "not their current password" in wrong.err
    kept = cli_run(["key", "rotate", "--user", "admin", "--keep", "clerk", *data],
                   stdin=f"{ADMIN_PW}\n{CLERK_PW}\n")
    assert kept.code == 0, kept.err
    assert "One-time" not in kept.out
    assert cli_run(["user", "list", "--user", "clerk", *data], stdin=f"{CLERK_PW}\n").code == 0


def test_an_upgraded_store_gets_an_administrators_key_and_a_rotation_shares_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from store import migrations
    from store.vault.paths import DataPaths

    shipped = migrations.available()
    paths = DataPaths(tmp_path / "data")
    with monkeypatch.context() as early:  # a store as 0.2.0 left it: no seals, no key
        early.setattr(migrations, "available",
                      lambda: [m for m in shipped if m.number < seals.SCHEMA - 1])
        with StoreDir(paths, create=True) as folder:
            new = folder.init("admin", ADMIN_PW, "测试县人民检察院", "王管理")
            operators.add(new.session, "admin2", "admin", "admin2-password-1")
            operators.add(new.session, "clerk", "clerk", CLERK_PW)
            from store.vault.database import execute
            execute(f"DELETE FROM meta WHERE key = '{seals.CHECK_KEY}'")
            new.session.close()
    with StoreDir(paths) as folder:
        first = folder.unlock("admin", ADMIN_PW)
        assert first.upgraded is not None and first.actor.is_admin and first.admin_key
        assert rotation_due.current() is not None
        first.close()
        second = folder.unlock("admin2", "admin2-password-1")
        assert not second.actor.is_admin
        assert any("does not hold the administrators' key" in n for n in second.notices)
        second.close()
        again = folder.unlock("admin", ADMIN_PW)  # the key went into the first one's slot
        assert again.actor.is_admin and again.admin_key and not again.notices
        rotation.rotate(folder, again, {"admin": ADMIN_PW, "admin2": "admin2-password-1",
                                        "clerk": CLERK_PW})
        again.close()
        shared = folder.unlock("admin2", "admin2-password-1")
        assert shared.actor.is_admin and shared.admin_key and rotation_due.current() is None
        shared.close()


def test_a_rotation_killed_once_its_swap_began_is_finished_at_the_next_open(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from store.vault import swap

    old_slot = keyslots.read_slot(store.paths.keyslot("admin"), ADMIN_PW)
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        shown: list[rotation.Rotated] = []
        with monkeypatch.context() as cut:
            def killed(_paths: object) -> bool:
                raise SystemExit("killed with the intent written, nothing swapped yet")

            cut.setattr(swap, "finish", killed)
            with pytest.raises(SystemExit):
                rotation.rotate(folder, session, {"admin": ADMIN_PW}, announce=shown.append)
        session.close()
    assert swap.intent(store.paths).exists()
    with StoreDir(store.paths) as folder:  # the next process finishes the swap
        assert not swap.intent(store.paths).exists()
        assert not (store.root / "keys.retired").exists()
        assert not opens(store.paths.db, old_slot)
        session = folder.unlock("admin", ADMIN_PW)
        assert session.actor.is_admin and session.audit.verify().ok
        session.close()
        folder.recover(shown[0].recovery_code).close()


def test_a_leaked_password_asks_for_a_rotation(store: Store, cli_run) -> None:  # type: ignore[no-untyped-def]
    data = ["--data-dir", str(store.root), "--password-stdin"]
    reset = cli_run(["user", "passwd", "clerk", "--leaked", "--user", "admin", *data],
                    stdin=f"{ADMIN_PW}\n{NEW_CLERK_PW}\n{NEW_CLERK_PW}\n")
    assert reset.code == 0 and "rotation is now due" in reset.out
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        due = rotation_due.current()
        assert due is not None and due.subjects == ("clerk",)
        session.close()


def test_a_rollback_is_named_by_a_backup_that_holds_more(store: Store, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    with StoreDir(store.paths) as folder:
        shutil.copy2(store.paths.db, old)
        session = folder.unlock("admin", ADMIN_PW)
        operators.add(session, "newbie", "clerk", "newbie-password-1")
        made = backups.make(session)
        session.close()
        for record in store.paths.keys.glob("*.seen"):
            record.unlink()  # the insider also removed what the operators had seen
    shutil.copy2(old, store.paths.db)
    with StoreDir(store.paths) as folder:
        session = folder.unlock("clerk", CLERK_PW)
        assert any(made.path.name in n and "rolled back" in n for n in session.notices)
        found = rollback.current()
        assert found is not None and found.backup == made.path.name
        session.close()


def test_a_keyslot_swapped_for_a_device_is_refused_not_read_forever(store: Store) -> None:
    from store.errors import KeyslotError

    slot = store.paths.keyslot("clerk")
    slot.unlink()
    slot.symlink_to("/dev/zero")
    with StoreDir(store.paths) as folder, pytest.raises(KeyslotError, match="cannot be read"):
        folder.unlock("clerk", CLERK_PW)


def test_two_restores_in_one_second_keep_both_keyslot_folders(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import datetime

    from store import clock
    from store.vault import swap

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 7, 9, 30, 5).astimezone())

    for _round in range(2):
        staged = swap.staged_keys(store.paths)
        shutil.copytree(store.paths.keys, staged)
        shutil.copy2(store.paths.db, swap.staged_db(store.paths))
        swap.begin(store.paths, replace_keys=True, store_id=(store.paths.keys / "store.id")
                   .read_text().strip())
    assert len(list(store.root.glob("keys.before-restore-*"))) == 2
    with StoreDir(store.paths) as folder:
        folder.unlock("admin", ADMIN_PW).close()


def test_an_administrators_audit_verify_names_the_forged_record(store: Store, cli_run) -> None:  # type: ignore[no-untyped-def]
    content = keyslots.read_slot(store.paths.keyslot("clerk"), CLERK_PW)
    raw_sql(store.paths.db, content, "UPDATE operator SET role = 'admin' WHERE name = 'clerk'")
    data = ["--data-dir", str(store.root), "--password-stdin"]
    for deep in ([], ["--deep"]):
        checked = cli_run(["audit", "verify", *deep, "--user", "admin", *data],
                          stdin=f"{ADMIN_PW}\n")
        assert checked.code == 1
        assert "operator record \"clerk\" (role admin, active) was written outside statdesk" \
            in checked.err
