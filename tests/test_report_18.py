"""Issue 18 on the report: the Word files name the operator by name (王管理), never by login
(`admin`); the twelve months' table (in place of the trend sparkline) has its two title rows
and its figures lined up, in English and with wide Chinese characters."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import docx
import pytest
from rich.cells import cell_len
from textual.geometry import Region
from textual.widgets import DataTable

from exports import report_files
from store import operators
from store.report import submission
from store.vault.database import execute
from store.vault.folder import StoreDir
from store.vault.session import Session
from tests.conftest import ADMIN_PW, Store
from tests.report_fixture import insert_cases
from tests.tui_support import login, settle
from tui.app import build_app
from tui.screens.report import ReportScreen


def _text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _submit(session: Session, month: str) -> None:
    execute("UPDATE card SET status = 'accepted' WHERE month = ? AND status = 'submitted'",
            (month,))
    for state in submission.departments(month):
        submission.confirm(session, month, state.department, "部门内勤", "2026-11-30")
    submission.submit(session, month, "市人民检察院", swing_note="季节性变化")


def test_the_word_files_name_the_operator_not_the_login(session: Session,
                                                         tmp_path: Path) -> None:
    insert_cases()
    _submit(session, "2026-11")
    files = [report_files.monthly(session, "2026-11", tmp_path),
             report_files.revision(session, "2026-11", 1, tmp_path),
             report_files.briefing_main(session, "2026-11", tmp_path),
             report_files.briefing_tables(session, "2026-11", tmp_path)]
    for path in files:
        text = _text(path)
        assert "Prepared by: 王管理" in text, path.name
        assert "admin" not in text, path.name
    assert "by 王管理" in _text(files[0])
    assert "submitted by 王管理 to 市人民检察院" in _text(files[1])


def test_the_word_file_in_chinese(session: Session, tmp_path: Path) -> None:
    from store import i18n

    insert_cases()
    _submit(session, "2026-11")
    i18n.set_language("zh")
    text = _text(report_files.monthly(session, "2026-11", tmp_path))
    assert "填报人：王管理" in text and "由王管理报送" in text
    assert "admin" not in text


def test_display_names_by_login(session: Session) -> None:
    assert operators.display_names() == {"admin": "王管理", "clerk": "李统计"}
    assert operators.display_name("clerk") == "李统计"
    assert operators.display_name("(recovery)") == "(recovery)"  # no operator: as it is


# --- the twelve months' two title rows and their figures, lined up --------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_twelve_months_line_up(store: Store, monkeypatch: pytest.MonkeyPatch,
                                         lang: str) -> None:
    from datetime import datetime

    from store import clock, i18n

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        insert_cases()
        session.close()
        app = build_app(folder, lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("f10")
            await settle(pilot)
            for _view in range(3):  # this month, by department, reconciliation, 12 months
                await pilot.press("v")
                await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ReportScreen) and screen.view == "trend"
            table = screen.query_one(DataTable)
            strips = list(table.render_lines(Region(0, 0, table.size.width, 3)))
            widths = [c.get_render_width(table) for c in table.ordered_columns]
    i18n.set_language("en")
    assert strips[2].text.split()[0] == "2026-10"  # F10 opens on October, due first
    edges = [sum(widths[:n]) for n in range(len(widths) + 1)]
    for first, last in pairwise(edges[1:]):  # each figure's column
        # the two title rows and the first month's figure end on the same cell
        shown = [strip.crop(first, last).text for strip in strips]
        assert all(text.strip() for text in shown), shown
        assert len({cell_len(text.rstrip()) for text in shown}) == 1, shown
