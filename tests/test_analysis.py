"""Analysis reports of the year (C14): registered, counted, voided but never deleted."""

from __future__ import annotations

import pytest

from store.audit import log as audit
from store.errors import InvalidInput, NotAllowed
from store.report import analysis
from store.vault.session import Session


def test_reports_are_counted_by_year_and_voided_with_a_reason(session: Session) -> None:
    first = analysis.add(session, "2026年上半年刑事检察工作分析", "李统计", "20260710", "刑事")
    analysis.add(session, "三季度办案情况分析", "李统计", "2026-10-12")
    analysis.add(session, "2025年度分析", "李统计", "2025-12-30")
    assert analysis.count(2026) == 2 and analysis.count(2025) == 1
    analysis.void(session, first, "重复登记")
    assert analysis.count(2026) == 1
    kept = analysis.of_year(2026)
    assert [(r.title, r.status) for r in kept] == [
        ("2026年上半年刑事检察工作分析", "void"), ("三季度办案情况分析", "active")]
    assert audit.recent(1)[0].action == "analysis.void"
    with pytest.raises(NotAllowed):
        analysis.void(session, first, "again")


@pytest.mark.parametrize("title, author, day", [
    ("", "李统计", "20261010"), ("分析", "", "20261010"), ("分析", "李", "20260230"),
    ("分析", "李", "20271010"), ("x" * 101, "李", "20261010"), ("分\x00析", "李", "20261010")])
def test_bad_entries_are_refused(session: Session, title: str, author: str, day: str) -> None:
    with pytest.raises(InvalidInput):
        analysis.add(session, title, author, day)
    assert analysis.of_year(2026) == [] and analysis.of_year(2027) == []


async def test_registering_a_report_by_keyboard(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from store import clock
    from store.vault.folder import StoreDir
    from tests.conftest import ADMIN_PW
    from tests.tui_support import login, screen_text, settle, type_into
    from tui.app import build_app
    from tui.screens.analysis import AnalysisScreen

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(100, 30)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            assert "Analysis reports this year: 0 of at least 8" in screen_text(pilot)
            await pilot.press("f10")
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            assert isinstance(app.screen, AnalysisScreen)
            await pilot.press("a")
            await settle(pilot)
            await type_into(pilot, "#title", "三季度办案情况分析")
            await type_into(pilot, "#author", "李统计")
            await type_into(pilot, "#day", "20261012")
            await type_into(pilot, "#topic", "")
            await settle(pilot)
            assert analysis.count(2026) == 1
            assert "2026: 1 analysis report of at least 8" in screen_text(pilot)
