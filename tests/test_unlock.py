"""Unlock paths: password, wrong/unknown/disabled, recovery code, delays, password change."""

from __future__ import annotations

import pytest

from store import clock, operators, settings
from store.audit import log as audit
from store.errors import (
    NotAllowed,
    OperatorDisabled,
    UnknownOperator,
    UnlockDelayed,
    WrongPassword,
)
from store.vault import recovery
from store.vault.failures import delay_after
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, CLERK_PW, Store, wait_is_over


def test_operator_unlocks_and_sees_unit(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("clerk", CLERK_PW)
        assert session.actor.name == "clerk" and session.actor.role == "clerk"
        assert settings.get("unit_name") == "测试县人民检察院"
        assert audit.recent(1)[0].action == "login"


def test_wrong_password_is_refused_and_counted(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        with pytest.raises(WrongPassword, match="wrong password"):
            folder.unlock("clerk", "not-the-password")
        assert folder.failures.count("clerk") == 1


def test_unknown_operator(store: Store) -> None:
    with StoreDir(store.paths) as folder, pytest.raises(UnknownOperator, match="nobody"):
        folder.unlock("nobody", CLERK_PW)


def test_disabled_operator_cannot_unlock(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        operators.disable(session, "clerk", "left the office")
        assert not store.paths.keyslot("clerk").exists()
        session.close()
        with pytest.raises(OperatorDisabled, match="disabled"):
            folder.unlock("clerk", CLERK_PW)


def test_disabled_operator_with_a_kept_copy_of_the_keyslot_is_refused(store: Store) -> None:
    slot = store.paths.keyslot("clerk")
    saved = slot.read_bytes(), slot.with_name("clerk.key.sha256").read_bytes()
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        operators.disable(session, "clerk")
        session.close()
        slot.write_bytes(saved[0])
        slot.with_name("clerk.key.sha256").write_bytes(saved[1])
        (store.paths.keys / "clerk.disabled").unlink()
        with pytest.raises(OperatorDisabled):
            folder.unlock("clerk", CLERK_PW)


def test_recovery_code_unlocks_as_administrator(store: Store) -> None:
    typed = store.recovery_code.lower().replace("-", " ")
    with StoreDir(store.paths) as folder:
        session = folder.recover(typed)
        assert session.actor.is_admin
        operators.change_password(session, "admin", "a-new-password")
        assert audit.recent(1)[0].action == "operator.passwd"
        session.close()
        assert folder.unlock("admin", "a-new-password").actor.name == "admin"


def test_wrong_recovery_code(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        with pytest.raises(WrongPassword, match="wrong recovery code"):
            folder.recover(recovery.new_code())
        folder.failures.clear("(recovery)")
        with pytest.raises(WrongPassword, match="not a recovery code"):
            folder.recover("12345")


def test_password_change_keeps_data_readable(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("clerk", CLERK_PW)
        operators.change_password(session, "clerk", "clerk-password-2")
        session.close()
        with pytest.raises(WrongPassword):
            folder.unlock("clerk", CLERK_PW)
        folder.failures.clear("clerk")
        session = folder.unlock("clerk", "clerk-password-2")
        assert settings.get("unit_name") == "测试县人民检察院"
        assert session.audit.verify().ok


def test_clerk_cannot_manage_operators(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("clerk", CLERK_PW)
        with pytest.raises(NotAllowed):
            operators.add(session, "eve", "clerk", "eve-password-1")
        with pytest.raises(NotAllowed):
            operators.change_password(session, "admin", "hijacked-password")
        assert [o.name for o in operators.list_operators()] == ["admin", "clerk"]


def test_last_admin_and_self_cannot_be_disabled(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        with pytest.raises(NotAllowed, match="yourself"):
            operators.disable(session, "admin")
        operators.add(session, "boss", "admin", "boss-password-1")
        operators.disable(session, "boss")
        assert {o.name: o.status for o in operators.list_operators()}["boss"] == "disabled"


def test_delay_grows_and_refuses_early_attempts(store: Store,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1_000_000.0]
    monkeypatch.setattr(clock, "epoch", lambda: now[0])
    assert [delay_after(n) for n in (1, 2, 3, 4, 8)] == [1, 2, 4, 8, 60]
    with StoreDir(store.paths) as folder:
        for attempt in range(1, 4):
            with pytest.raises(WrongPassword):
                folder.unlock("clerk", "wrong-password")
            with pytest.raises(UnlockDelayed) as delayed:
                folder.unlock("clerk", CLERK_PW)  # even the right password must wait
            assert delayed.value.seconds_left == pytest.approx(delay_after(attempt))
            now[0] += delay_after(attempt)
        session = folder.unlock("clerk", CLERK_PW)
        assert session.failed_attempts == 3
        failed = [e for e in audit.recent(10) if e.action == "login.failed"]
        assert len(failed) == 3 and all(e.operator == "clerk" for e in failed)
        login = audit.recent(1)[0]
        assert login.action == "login" and '"failed_attempts_since_last_login": 3' in login.new
        session.close()
        assert folder.unlock("clerk", CLERK_PW).failed_attempts == 0


def test_failures_are_written_once_even_if_another_operator_logs_in(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        with pytest.raises(WrongPassword):
            folder.unlock("clerk", "wrong-password")
        folder.unlock("admin", ADMIN_PW).close()
        wait_is_over(folder, "clerk")
        session = folder.unlock("clerk", CLERK_PW)
        assert session.failed_attempts == 1
        assert [e.action for e in audit.recent(10)].count("login.failed") == 1
