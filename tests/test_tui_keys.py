"""The key protections on screen (issue 15): what the login found, the one-time password
changed before work, the dashboard's key warnings, the rotation dialog and the rollback's
acknowledgement. Each is driven by keyboard through Pilot at 80×24."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.geometry import Region
from textual.widgets import Input, Static

from store import operators
from store.audit import log as audit
from store.errors import WrongPassword
from store.keys import rollback, rotation, rotation_due
from store.vault import keyslots, recovery
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, CLERK_PW, Store
from tests.insider import opens, raw_sql, roll_back
from tests.tui_support import login, screen_text, settle, type_into
from tui.app import build_app
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.notices import NoticesDialog
from tui.dialogs.operators import ForcedPasswordDialog
from tui.dialogs.rollback import AcknowledgeRollbackDialog
from tui.dialogs.rotation import RotatingScreen, RotationCodeScreen, RotationDialog
from tui.screens.dashboard import DashboardScreen
from tui.screens.login import LoginScreen
from tui.screens.operators import OperatorsScreen
from tui.widgets import Field

NEW_CLERK_PW = "clerk-password-2"
SIZE = (80, 24)


def _error_beside(pilot: Any, field_id: str) -> str:
    field = pilot.app.screen.query_one(f"#{field_id}-field", Field)
    if not field.has_class("-invalid"):
        return ""
    content = field.query_one(".field-error", Static).content
    return content.plain if isinstance(content, Text) else str(content)


def _inside(pilot: Any, selector: str) -> bool:
    """Whether the widget is drawn wholly on the 80×24 screen."""
    region: Region = pilot.app.screen.query_one(selector).region
    return region.width > 0 and region.x >= 0 and region.y >= 0 and \
        region.right <= SIZE[0] and region.bottom <= SIZE[1]


def _said(app: Any) -> str:
    return " ".join(str(n.message) for n in app._notifications)


async def _until(pilot: Any, kind: type) -> None:
    """Wait until a screen of `kind` is up and the rotation has ended (for its code screen,
    until it is shown): the screens come and go as the rotation's worker, on its own thread,
    moves on (it waits for the administrator while the code is shown, so `settle` cannot wait
    for it there). Screen changes are what is waited for, never the clock."""
    app = pilot.app
    changed = asyncio.Event()

    def there() -> bool:
        rotating = any(isinstance(screen, RotatingScreen) for screen in app.screen_stack)
        return isinstance(app.screen, kind) and (kind is RotationCodeScreen or not rotating)

    app.screen_change_signal.subscribe(app, lambda _screen: changed.set(), immediate=True)
    try:
        while not there():
            changed.clear()
            await asyncio.wait_for(changed.wait(), timeout=60)  # a guard, not a wait
    finally:
        app.screen_change_signal.unsubscribe(app)
    if kind is RotationCodeScreen:
        await pilot.pause()  # composed and laid out
    else:
        await settle(pilot)  # the rotation's worker has ended: what it said is on screen


async def _rotate_in_dialog(pilot: Any, own_password: str) -> str:
    """Type the own password in the open rotation dialog, confirm the code; the new code."""
    pilot.app.screen.query_one("#password-0", Input).value = own_password
    await pilot.press("ctrl+s")
    await _until(pilot, RotationCodeScreen)
    screen = pilot.app.screen
    assert isinstance(screen, RotationCodeScreen)
    assert _inside(pilot, "#recovery-code") and _inside(pilot, "#confirm-code")
    code: str = screen.new.recovery_code
    screen.query_one("#confirm-code", Input).value = recovery.normalize(code)[-recovery.GROUP_LEN:]
    await pilot.press("enter")
    return code


# --- 1. what the login found ---------------------------------------------------------


async def test_a_forged_clerk_record_is_shown_loudly_at_the_administrators_login(
        store: Store) -> None:
    content = keyslots.read_slot(store.paths.keyslot("clerk"), CLERK_PW)
    raw_sql(store.paths.db, content, "UPDATE operator SET role = 'admin' WHERE name = 'clerk'")
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=SIZE) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            assert isinstance(app.screen, NoticesDialog)
            shown = screen_text(pilot)
            assert 'operator record "clerk"' in shown and "seal does not verify" in shown
            assert _inside(pilot, "NoticesDialog > Vertical")
            for key in ("escape", "f3", "ctrl+l", "ctrl+p"):  # it is not skipped
                await pilot.press(key)
                await settle(pilot)
                assert isinstance(app.screen, NoticesDialog), key
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)
            assert app.use_command_palette
            assert "operator.forged" in [e.action for e in audit.recent(20)]


# --- 2. a one-time password is changed before any work -------------------------------


def _one_time_for_clerk(store: Store) -> str:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        done = rotation.rotate(folder, session, {"admin": ADMIN_PW})
        session.close()
    return done.one_time["clerk"]


async def test_a_one_time_password_must_be_changed_before_the_dashboard(store: Store) -> None:
    one_time = _one_time_for_clerk(store)
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=SIZE) as pilot:
            await login(pilot, "clerk", one_time)
            assert isinstance(app.screen, ForcedPasswordDialog)
            assert "one-time password" in screen_text(pilot)
            assert app.screen.styles.background.a == 1  # opaque: nothing of the desk behind
            for key in ("f8", "ctrl+l", "ctrl+p"):  # not skipped by a key or the palette
                await pilot.press(key)
                await settle(pilot)
                assert isinstance(app.screen, ForcedPasswordDialog), key
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmDialog)
            assert "Log out instead?" in screen_text(pilot)
            await pilot.press("n")
            await settle(pilot)
            assert isinstance(app.screen, ForcedPasswordDialog)
            assert _inside(pilot, "#confirm")
            await type_into(pilot, "#password", NEW_CLERK_PW, enter=False)
            await type_into(pilot, "#confirm", "something-else-9")
            assert "type both again" in _error_beside(pilot, "password")
            assert isinstance(app.screen, ForcedPasswordDialog)
            await type_into(pilot, "#password", NEW_CLERK_PW, enter=False)
            await type_into(pilot, "#confirm", NEW_CLERK_PW)
            assert isinstance(app.screen, DashboardScreen)
            assert "Use your own password" in _said(app)
    with StoreDir(store.paths) as folder:
        with pytest.raises(WrongPassword):
            folder.unlock("clerk", one_time)  # the paper slip opens nothing any more
        folder.failures.clear("clerk")
        again = folder.unlock("clerk", NEW_CLERK_PW)
        assert not again.must_change_password
        again.close()


async def test_escape_from_the_forced_change_logs_out(store: Store) -> None:
    one_time = _one_time_for_clerk(store)
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=SIZE) as pilot:
            await login(pilot, "clerk", one_time)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            await app.closer.wait()
            assert isinstance(app.screen, LoginScreen)
            assert app.session is None
            await login(pilot, "clerk", one_time)  # still a one-time password: asked again
            assert isinstance(app.screen, ForcedPasswordDialog)
    with StoreDir(store.paths) as folder:
        session = folder.unlock("clerk", one_time)
        assert session.must_change_password
        session.close()


# --- 3-5. disable, the warning, the rotation through the dialog ----------------------


async def _disable_clerk(pilot: Any) -> None:
    await pilot.press("f4")
    await settle(pilot)
    await pilot.press("down")  # admin, clerk: the second row
    await pilot.press("d")
    await settle(pilot)
    await type_into(pilot, "#reason", "调离", enter=False)
    await type_into(pilot, "#typed", "clerk")


async def test_a_disable_leaves_a_warning_that_a_rotation_through_the_dialog_clears(
        store: Store) -> None:
    stolen = keyslots.read_slot(store.paths.keyslot("clerk"), CLERK_PW)  # kept by the clerk
    assert opens(store.paths.db, stolen)
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=SIZE) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await _disable_clerk(pilot)
            assert isinstance(app.screen, ConfirmDialog)
            assert "Rotate the master key now?" in screen_text(pilot)
            await pilot.press("n")
            await settle(pilot)
            assert isinstance(app.screen, OperatorsScreen)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)
            warning = screen_text(pilot)
            assert "Rotate the master key - an operator was disabled" in warning
            assert "(clerk)" in warning and "Ctrl+K" in warning
            assert _inside(pilot, "#key-warnings")

            await pilot.press("ctrl+k")
            await settle(pilot)
            assert isinstance(app.screen, RotationDialog)
            assert _inside(pilot, "RotationDialog .dialog-box")
            assert "old backups no longer open" in screen_text(pilot)
            code = await _rotate_in_dialog(pilot, ADMIN_PW)
            await _until(pilot, DashboardScreen)
            await settle(pilot)
            assert "The master key is rotated" in _said(app)
            assert "Rotate the master key" not in screen_text(pilot)
            assert rotation_due.current() is None
    assert not opens(store.paths.db, stolen)  # what the clerk kept opens nothing live
    with StoreDir(store.paths) as folder:
        folder.recover(code).close()
        with pytest.raises(WrongPassword):
            folder.recover(store.recovery_code)  # the old code is void


async def test_yes_after_a_disable_opens_the_rotation_and_the_palette_has_it(
        store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=SIZE) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("ctrl+p")
            await settle(pilot)
            await pilot.press(*"Rotate the master key", "enter")
            await settle(pilot)
            assert isinstance(app.screen, RotationDialog)
            assert [name for name, _role in app.screen.operators] == ["admin", "clerk"]
            await pilot.press("escape")
            await settle(pilot)
            await _disable_clerk(pilot)
            await pilot.press("y")
            await settle(pilot)
            assert isinstance(app.screen, RotationDialog)
            assert app.screen.operators == [("admin", "admin")]  # the clerk is disabled
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        operators.add(session, "clerk2", "clerk", "clerk2-password-1")
        session.close()
        app = build_app(folder, lang="en")
        async with app.run_test(size=SIZE) as pilot:
            await login(pilot, "clerk2", "clerk2-password-1")
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert "Rotate the master key" not in titles
            await pilot.press("ctrl+k")
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)


async def test_the_rotation_dialog_refuses_an_empty_own_password_beside_the_field(
        store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=SIZE) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("f4")
            await settle(pilot)
            await pilot.press("k")
            await settle(pilot)
            assert isinstance(app.screen, RotationDialog)
            assert _inside(pilot, "RotationDialog .dialog-box")
            shown = screen_text(pilot)
            assert "admin (administrator, you): your password - required" in shown
            assert "clerk (clerk): leave empty: a one-time password is issued" in shown
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, RotationDialog)
            assert "type your own password" in _error_beside(pilot, "password-0")
            assert app.focused is app.screen.query_one("#password-0")

            app.screen.query_one("#password-0", Input).value = ADMIN_PW
            app.screen.query_one("#password-1", Input).value = "not-the-clerks-password"
            await pilot.press("ctrl+s")
            await _until(pilot, RotationDialog)
            await settle(pilot)
            assert "not their current password" in _error_beside(pilot, "password-1")
            assert not _error_beside(pilot, "password-0")
    with StoreDir(store.paths) as folder:  # nothing changed: the old code, the old passwords
        folder.recover(store.recovery_code).close()
        folder.unlock("clerk", CLERK_PW).close()


async def test_cancelling_at_the_code_leaves_the_old_key(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=SIZE) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("ctrl+k")
            await settle(pilot)
            app.screen.query_one("#password-0", Input).value = ADMIN_PW
            await pilot.press("ctrl+s")
            await _until(pilot, RotationCodeScreen)
            shown = screen_text(pilot)
            assert "ONE-TIME PASSWORDS" in shown and "clerk: " in shown
            assert app.use_command_palette is False
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("y")
            await _until(pilot, RotationDialog)
            await settle(pilot)
            assert "cancelled" in _error_beside(pilot, "password-0")
            await pilot.press("escape")  # a password is typed: asked, then discarded
            await settle(pilot)
            await pilot.press("d")
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)
            assert app.use_command_palette
    with StoreDir(store.paths) as folder:
        folder.recover(store.recovery_code).close()
        folder.unlock("clerk", CLERK_PW).close()


# --- the rollback line ---------------------------------------------------------------


async def test_the_rollback_line_stays_until_an_administrator_acknowledges_it(
        store: Store, tmp_path: Path) -> None:
    roll_back(store, tmp_path)
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=SIZE) as pilot:
            await login(pilot, "clerk", CLERK_PW)
            assert isinstance(app.screen, NoticesDialog)
            assert "rolled back" in screen_text(pilot)
            await pilot.press("enter")
            await settle(pilot)
            line = screen_text(pilot)
            assert "The store was rolled back outside statdesk" in line
            assert "an administrator must look into it" in line and "Ctrl+A" not in line
            await pilot.press("ctrl+a")  # not a clerk's
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=SIZE) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("enter")  # the notices
            await settle(pilot)
            assert "Ctrl+A: acknowledge it" in screen_text(pilot)
            await pilot.press("ctrl+a")
            await settle(pilot)
            assert isinstance(app.screen, AcknowledgeRollbackDialog)
            assert _inside(pilot, "AcknowledgeRollbackDialog .dialog-box")
            await type_into(pilot, "#reason", "   ")
            assert "a reason is required" in _error_beside(pilot, "reason")
            await type_into(pilot, "#reason", "copied back by the IT office; newbie re-added")
            assert isinstance(app.screen, DashboardScreen)
            assert "rolled back" not in screen_text(pilot)
            assert rollback.current() is None
            acknowledged = [e for e in audit.recent(10) if e.action == "store.rollback_ack"]
            assert acknowledged and "IT office" in (acknowledged[0].note or "")


async def test_a_lock_while_the_code_is_shown_stops_the_rotation(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=SIZE) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("ctrl+k")
            await settle(pilot)
            app.screen.query_one("#password-0", Input).value = ADMIN_PW
            await pilot.press("ctrl+s")
            await _until(pilot, RotationCodeScreen)
            assert isinstance(app.screen, RotationCodeScreen)
            shown_code = app.screen.new.recovery_code
            app.lock("Locked after 10 idle minutes")  # what the idle timer does
            await app.closer.wait()  # the rotation stopped, the old key back, the store closed
            await settle(pilot)
            assert type(app.screen).__name__ == "LockScreen"
            await type_into(pilot, "#lock-password", ADMIN_PW)
            await _until(pilot, RotationDialog)
            await settle(pilot)
            assert shown_code not in screen_text(pilot)
            assert "cancelled" in _error_beside(pilot, "password-0")
    with StoreDir(store.paths) as folder:
        folder.recover(store.recovery_code).close()
        with pytest.raises(WrongPassword):
            folder.recover(shown_code)


async def test_quitting_while_the_code_is_shown_leaves_the_old_key(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=SIZE) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("ctrl+k")
            await settle(pilot)
            app.screen.query_one("#password-0", Input).value = ADMIN_PW
            await pilot.press("ctrl+s")
            await _until(pilot, RotationCodeScreen)
            await pilot.press("ctrl+q")
            await pilot.pause()
        assert not any(p.name.startswith("statdesk.db.restoring") for p in store.root.iterdir())
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        assert "session.logout" in [e.action for e in audit.recent(5)]
        session.close()
        folder.recover(store.recovery_code).close()
        folder.unlock("clerk", CLERK_PW).close()


async def test_a_password_changed_after_a_lock_is_written_under_the_live_key(
        store: Store) -> None:
    """The dialog was opened before an idle lock; the unlock made a new session. A keyslot
    written with the old session's wiped key would lock the clerk out for good."""
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=SIZE) as pilot:
            await login(pilot, "clerk", CLERK_PW)
            await pilot.press("f6")
            await settle(pilot)
            app.lock("Locked after 10 idle minutes")
            await app.closer.wait()
            await settle(pilot)
            await type_into(pilot, "#lock-password", CLERK_PW)
            await type_into(pilot, "#password", NEW_CLERK_PW, enter=False)
            await type_into(pilot, "#confirm", NEW_CLERK_PW)
            assert isinstance(app.screen, DashboardScreen)
    with StoreDir(store.paths) as folder:
        folder.unlock("clerk", NEW_CLERK_PW).close()


async def test_a_folder_found_open_to_others_is_said_on_the_login_screen(store: Store) -> None:
    store.root.chmod(0o755)
    with StoreDir(store.paths) as folder:
        assert folder.tightened and (store.root.stat().st_mode & 0o777) == 0o700
        app = build_app(folder)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert any("mode 0700" in str(n.message) for n in app._notifications)
