"""The operators, audit and settings screens, driven by keyboard through Pilot."""

from __future__ import annotations

from datetime import date

import pytest
from textual.message import Message
from textual.widgets import Input, Select

from store import holidays, operators, settings
from store.audit import log as audit
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, Store
from tests.tui_support import login, screen_text, settle, type_into
from tui.app import build_app
from tui.dialogs.audit_entry import AuditEntryDialog
from tui.dialogs.form import FormDialog
from tui.screens.audit import AuditScreen
from tui.screens.operators import OperatorsScreen
from tui.screens.settings import SettingsScreen


async def _admin_at(pilot, key: str) -> None:  # type: ignore[no-untyped-def]
    await login(pilot, "admin", ADMIN_PW)
    await pilot.press(key)
    await settle(pilot)


async def test_add_operator_with_bad_then_good_input(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await _admin_at(pilot, "f4")
            assert isinstance(app.screen, OperatorsScreen)
            await pilot.press("a")
            await settle(pilot)
            assert isinstance(app.screen, FormDialog)
            await type_into(pilot, "#name", "wang", enter=False)
            await type_into(pilot, "#display", "王五", enter=False)
            await type_into(pilot, "#password", "short", enter=False)
            await type_into(pilot, "#confirm", "short")
            assert "too short" in screen_text(pilot)
            assert app.focused is app.screen.query_one("#password")
            await type_into(pilot, "#password", "wang-password-1", enter=False)
            await type_into(pilot, "#confirm", "wang-password-1")
            assert isinstance(app.screen, OperatorsScreen)
            assert "王五" in screen_text(pilot)
    with StoreDir(store.paths) as folder:
        assert folder.unlock("wang", "wang-password-1").actor.role == "clerk"


async def test_add_operator_that_exists_says_so_beside_the_name(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await _admin_at(pilot, "f4")
            await pilot.press("a")
            await settle(pilot)
            await type_into(pilot, "#name", "clerk", enter=False)
            await type_into(pilot, "#display", "又一个李统计", enter=False)
            await type_into(pilot, "#password", "clerk-password-9", enter=False)
            await type_into(pilot, "#confirm", "clerk-password-9")
            assert "already exists" in screen_text(pilot)
            assert isinstance(app.screen, FormDialog)


async def test_disable_needs_reason_and_the_name_typed(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await _admin_at(pilot, "f4")
            await pilot.press("down")  # admin, clerk: the second row
            await pilot.press("d")
            await settle(pilot)
            await type_into(pilot, "#reason", "调离", enter=False)
            await type_into(pilot, "#typed", "wrong")
            assert "type clerk exactly" in screen_text(pilot)
            await type_into(pilot, "#typed", "clerk")
            await pilot.press("n")  # not now: the rotation offered (tests/test_tui_keys.py)
            await settle(pilot)
            assert isinstance(app.screen, OperatorsScreen)
            assert "DISABLED" in screen_text(pilot)
            assert {o.name: o.status for o in operators.list_operators()}["clerk"] == "disabled"


async def test_audit_screen_filters_pages_and_opens(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        for i in range(130):
            settings.set_value(session, "unit_name", f"单位{i}")
        session.close()
        app = build_app(folder, lang="en")
        pages: list[AuditScreen.Page] = []

        def heard(message: Message) -> None:
            if isinstance(message, AuditScreen.Page):
                pages.append(message)

        async with app.run_test(size=(80, 24), message_hook=heard) as pilot:
            await _admin_at(pilot, "f3")
            assert isinstance(app.screen, AuditScreen)
            screen = app.screen
            assert len(pages[-1].page.entries) == 100
            newest = pages[-1].page.entries[0].id
            await pilot.press("n")
            await settle(pilot)
            assert pages[-1].page.entries[0].id == newest - 100
            await pilot.press("p")
            await settle(pilot)
            assert pages[-1].page.entries[0].id == newest
            screen.query_one("#filter-action").value = "login"
            await settle(pilot)
            assert pages[-1].wanted.action == "login"
            assert {e.action for e in pages[-1].page.entries} == {"login"}
            screen.query_one("#filter-operator").value = "clerk"
            await settle(pilot)
            assert pages[-1].page.entries == [] and "No entries match" in screen_text(pilot)
            screen.query_one("#filter-operator").value = "admin"
            await settle(pilot)
            assert pages[-1].page.entries and all(e.operator == "admin"
                                                  for e in pages[-1].page.entries)
            await type_into(pilot, "#filter-from", "2026-13-01")
            assert "not a day of the calendar" in screen_text(pilot)
            await type_into(pilot, "#filter-from", "20000101")
            await type_into(pilot, "#filter-to", "20000102")
            assert pages[-1].page.entries == []
            await type_into(pilot, "#filter-from", "")
            await type_into(pilot, "#filter-to", "")
            screen.query_one("#audit-table").focus()
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, AuditEntryDialog)
            assert "login" in screen_text(pilot)


async def test_audit_screen_verifies_the_chain(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await _admin_at(pilot, "f3")
            await pilot.press("v")
            await settle(pilot)
            assert "OK audit chain OK" in screen_text(pilot)


@pytest.mark.parametrize(("value", "message"), [("abc", "whole number"), ("0", "from 1 to 240"),
                                                ("241", "from 1 to 240")])
async def test_settings_refuse_bad_idle_minutes(store: Store, value: str, message: str) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await _admin_at(pilot, "f5")
            assert isinstance(app.screen, SettingsScreen)
            head = audit.recent(1)[0].id
            await type_into(pilot, "#idle_minutes", value, enter=False)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert message in screen_text(pilot)
            assert app.focused is app.screen.query_one("#idle_minutes")
            assert settings.get("idle_minutes") == "10" and audit.recent(1)[0].id == head


async def test_settings_save_is_audited(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await _admin_at(pilot, "f5")
            await type_into(pilot, "#idle_minutes", "15", enter=False)
            await type_into(pilot, "#cutoff_day", "26", enter=False)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert settings.get("idle_minutes") == "15" and settings.get("cutoff_day") == "26"
            assert app.idle_limit == 15 * 60
            changed = {e.entity_id for e in audit.recent(3) if e.action == "setting.change"}
            assert changed == {"idle_minutes", "cutoff_day"}


async def test_settings_offer_the_end_of_the_month_and_sub_units(store: Store) -> None:
    """Issue 17 (8): the cut-off may be 月末 (end of month); sub-units are a choice, off by
    default."""
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await _admin_at(pilot, "f5")
            screen = app.screen
            assert screen.query_one("#cutoff_day", Input).placeholder == \
                "1-28, or 月末 for the end of the month"
            assert "Cut-off day (1-28 or 月末)" in screen_text(pilot)
            assert screen.query_one("#has_subunits", Select).value == "no"
            await type_into(pilot, "#cutoff_day", "end", enter=False)
            screen.query_one("#has_subunits", Select).value = "yes"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert settings.get("cutoff_day") == "月末" and settings.get("has_subunits") == "yes"
            found = settings.current()
            assert (found.cutoff_day, found.has_subunits) == (0, True)
            await pilot.press("escape")
            await pilot.press("f5")
            await settle(pilot)
            assert app.screen.query_one("#cutoff_day", Input).value == "月末"
            assert app.screen.query_one("#has_subunits", Select).value == "yes"


@pytest.mark.parametrize(("day", "kind", "message"), [
    ("2026-02-30", "holiday", "not a day of the calendar"),
    ("hello", "holiday", "is not a date"),
    ("2026-10-03", "workday", "cannot also be a make-up working day"),
    ("2026-12-02", "workday", "is a weekday"),
])
async def test_holiday_dialog_refuses_bad_days(store: Store, day: str, kind: str,
                                               message: str) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await _admin_at(pilot, "f5")
            before = holidays.list_year(2026)
            await pilot.press("ctrl+n")
            await settle(pilot)
            await type_into(pilot, "#day", day, enter=False)
            app.screen.query_one("#kind").value = kind
            await type_into(pilot, "#name", "测试")
            assert message in screen_text(pilot)
            assert isinstance(app.screen, FormDialog)
            assert holidays.list_year(2026) == before


async def test_holiday_added_for_next_year(store: Store) -> None:
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await _admin_at(pilot, "f5")
            await pilot.press("ctrl+n")
            await settle(pilot)
            await type_into(pilot, "#day", "20270101", enter=False)
            await type_into(pilot, "#name", "元旦")
            assert isinstance(app.screen, SettingsScreen)
            days = holidays.list_year(2027)
            assert [(d.day, d.kind, d.name) for d in days] == [(date(2027, 1, 1), "holiday",
                                                               "元旦")]
