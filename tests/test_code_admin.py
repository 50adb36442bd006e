"""Code tables are data: administrators add, rename, retire and bring back; nothing deleted."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import clock, operators
from store.audit import log as audit
from store.cards import code_admin, codes
from store.cards import entry as cards
from store.errors import InvalidInput, NotAllowed
from store.vault.folder import StoreDir
from store.vault.session import Session
from tests.conftest import ADMIN_PW, CLERK_PW, Store
from tests.test_cards import TYPED


@pytest.fixture
def folder(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[StoreDir]:
    from datetime import datetime

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(store.paths) as opened:
        yield opened


@pytest.fixture
def session(folder: StoreDir) -> Iterator[Session]:
    opened = folder.unlock("admin", ADMIN_PW)
    yield opened
    opened.close()


def _table() -> list[tuple[str, ...]]:
    return [(c.kind, c.code, c.name_zh, c.name_en, c.short, c.parent, c.status)
            for kind in codes.KINDS for c in code_admin.entries(kind)]


def test_an_added_department_is_offered_and_audited(session: Session) -> None:
    added = code_admin.add(session, "department", "ｄ09", " 检察技术信息部 ",
                           "Technology and Information Department", "JSXXB")
    assert (added.code, added.name_zh, added.short, added.status) == (
        "D09", "检察技术信息部", "jsxxb", "active")
    assert codes.search("department", "jsx")[0].code == "D09"
    assert code_admin.entries("department")[-1].code == "D09"  # at the end of its table
    entry = audit.recent(1)[0]
    assert (entry.action, entry.entity_id) == ("code.add", "department:D09")
    _card, checked = cards.add(session, replace(TYPED, department="D09"))
    assert not checked.problems


def test_an_outcome_belongs_to_an_active_business_type(session: Session) -> None:
    with pytest.raises(InvalidInput, match="business type"):
        code_admin.add(session, "outcome", "XX1", "新结果", "new outcome", "xjg", "NOPE")
    code_admin.add(session, "outcome", "CBJD", "撤回起诉", "prosecution withdrawn", "chqs",
                   "SCQS")
    assert "CBJD" in {c.code for c in codes.outcomes_for("SCQS")}


def test_renaming_keeps_the_code_and_logs_old_and_new(session: Session) -> None:
    code_admin.change(session, "department", "D05", "控告申诉检察部（12309）",
                      "Complaints and Appeals Department", "kgss")
    assert codes.get("department", "D05").name_zh == "控告申诉检察部（12309）"  # type: ignore[union-attr]
    entry = audit.recent(1)[0]
    assert entry.action == "code.change" and "第" not in (entry.new or "")
    assert "12309" in (entry.new or "") and "控告申诉检察部" in (entry.old or "")


def test_a_retired_entry_stays_and_new_cards_cannot_use_it(session: Session) -> None:
    card_id, _c = cards.add(session, TYPED)  # uses D01
    code_admin.set_retired(session, "department", "D01", True)
    assert "D01" not in {c.code for c in codes.all_codes("department")}
    assert codes.get("department", "D01").status == "retired"  # type: ignore[union-attr]
    _second, checked = cards.add(session, replace(TYPED, case_no="某检刑诉〔2026〕5号"))
    assert [v.code for v in checked.errors] == ["R20"]
    with pytest.raises(NotAllowed):
        code_admin.set_retired(session, "department", "D01", True)
    code_admin.set_retired(session, "department", "D01", False)
    assert [e.action for e in audit.recent(3)] == ["code.reactivate", "card.add", "code.retire"]
    assert not cards.validate(TYPED, card_id).problems


def test_an_outcome_comes_back_only_with_its_business_type(session: Session) -> None:
    code_admin.set_retired(session, "outcome", "PZDB", True)
    code_admin.set_retired(session, "business_type", "SCDB", True)
    with pytest.raises(InvalidInput, match="business type"):
        code_admin.set_retired(session, "outcome", "PZDB", False)
    code_admin.set_retired(session, "business_type", "SCDB", False)
    code_admin.set_retired(session, "outcome", "PZDB", False)


def test_only_administrators_edit_and_duplicates_are_refused(folder: StoreDir,
                                                             session: Session) -> None:
    operators.add(session, "clerk1", "clerk", CLERK_PW, "书记员")
    with pytest.raises(InvalidInput, match="already"):
        code_admin.add(session, "department", "d01", "重复", "Duplicate", "cf")
    before = _table()
    clerk = folder.unlock("clerk1", CLERK_PW)
    with pytest.raises(NotAllowed):
        code_admin.add(clerk, "department", "D09", "新部门", "New", "xbm")
    with pytest.raises(NotAllowed):
        code_admin.set_retired(clerk, "department", "D01", True)
    assert _table() == before


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.text(max_size=16), zh=st.text(max_size=50), en=st.text(max_size=90),
       short=st.text(max_size=16))
def test_bad_entries_get_a_message_and_change_nothing(session: Session, code: str, zh: str,
                                                      en: str, short: str) -> None:
    before = _table()
    try:
        added = code_admin.add(session, "charge", code, zh, en, short)
    except InvalidInput as exc:
        assert str(exc) and "\n" not in str(exc)
        assert _table() == before
    else:
        assert added.code.isalnum() and added.short.isalnum() and added.name_zh.strip()
        after = _table()
        assert set(before) < set(after) and len(after) == len(before) + 1


async def test_an_administrator_edits_the_tables_by_keyboard(folder: StoreDir) -> None:
    from tests.tui_support import login, screen_text, settle, type_into
    from tui.app import build_app
    from tui.screens.codes import CodesScreen
    from tui.screens.settings import SettingsScreen

    app = build_app(folder, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", ADMIN_PW)
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, CodesScreen)
        assert "第一检察部" in screen_text(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_into(pilot, "#code", "d09")
        await type_into(pilot, "#name_zh", "")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "required" in screen_text(pilot) and codes.get("department", "D09") is None
        await type_into(pilot, "#name_zh", "检察技术信息部")
        await type_into(pilot, "#name_en", "Technology Department")
        await type_into(pilot, "#short", "jsxxb")
        await settle(pilot)
        assert isinstance(app.screen, CodesScreen)
        assert codes.get("department", "D09") is not None
        await pilot.press("t", "t")  # to the outcomes
        await settle(pilot)
        assert "arrest approved" in screen_text(pilot)
        await pilot.press("r", "enter")  # retire the first outcome (批准逮捕), confirmed
        await settle(pilot)
        assert codes.get("outcome", "PZDB").status == "retired"  # type: ignore[union-attr]
        assert "X retired" in screen_text(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
