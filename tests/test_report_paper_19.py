"""Issue 19 on the report's paper: a revision's differences name each department and follow
the report's order, every figure carries its 件 / 人; the tables with this month's and the
year's halves say which is which in a row above their titles (本月, 本年累计); no login on any
of the four files, the operator's name or a blank to fill in by hand.

One store for the module: `admin` (王管理), `clerk` (李统计) submits the month, `zhao` (added
without a full name) revises it; every file is written in both languages, by `zhao` and by
`clerk`."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import docx
import pytest

from exports import report_files
from store import clock, i18n, operators
from store.cards import codes
from store.report import figures as report
from store.report import submission
from store.vault.database import execute
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from store.vault.session import Session
from tests.conftest import ADMIN_PW, CLERK_PW
from tests.report_fixture import CASES, Case, P, insert_cases, write

KINDS = ("report", "revision", "briefing-main", "briefing-tables")
Files = dict[tuple[str, str, str], Path]
"""{(kind, language, who wrote it): the .docx}."""


@dataclass(frozen=True)
class Words:
    """What the store calls things in one language, read while it is open."""

    departments: dict[str, str]
    lines: dict[str, str]
    """report.line_names()"""
    order: list[str]
    """The report's lines' keys, in the report's order."""
    total: str
    """Where the unit's differences are."""
    totals: str
    """A 合计's line begins with this."""


@dataclass(frozen=True)
class Paper:
    files: Files
    words: dict[str, Words]


def _words(lang: str) -> Words:
    i18n.set_language(lang)
    try:
        built = report.build("2026-11")
        return Words({c.code: c.name for c in codes.all_codes("department",
                                                              include_retired=True)},
                     report.line_names(), [line.key for line in built.lines],
                     i18n._("total"), i18n._("Total") + " / ")
    finally:
        i18n.set_language("en")


def _write_all(session: Session, folder: Path, lang: str, who: str) -> Files:
    i18n.set_language(lang)
    session.actor = operators.actor_for_login(who)
    place = folder / f"{lang}-{who}"
    place.mkdir()
    try:
        return {
            ("report", lang, who): report_files.monthly(session, "2026-11", place),
            ("revision", lang, who): report_files.revision(session, "2026-11", 2, place),
            ("briefing-main", lang, who): report_files.briefing_main(session, "2026-11", place),
            ("briefing-tables", lang, who): report_files.briefing_tables(session, "2026-11",
                                                                         place)}
    finally:
        i18n.set_language("en")


@pytest.fixture(scope="module", name="paper")
def paper_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Paper]:
    root = tmp_path_factory.mktemp("paper19")
    paths = DataPaths(root / "data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
        with StoreDir(paths, create=True) as folder:
            new = folder.init("admin", ADMIN_PW, "测试县人民检察院", "王管理")
            operators.add(new.session, "clerk", "clerk", CLERK_PW, "李统计")
            operators.add(new.session, "zhao", "clerk", "zhao-password-1")  # no full name
            new.session.close()
        with StoreDir(paths) as folder:
            session = folder.unlock("admin", ADMIN_PW)
            # the report's order of departments is the code table's: 第二检察部 first here
            execute("UPDATE code SET sort = -1 WHERE kind = 'department' AND code = 'D02'")
            insert_cases([c for c in CASES if c.status != "submitted"])
            for state in submission.departments("2026-11"):
                submission.confirm(session, "2026-11", state.department, "内勤", "20261126")
            session.actor = operators.actor_for_login("clerk")
            submission.submit(session, "2026-11", "市人民检察院", swing_note="十一月集中受理")
            write([Case("2026-11", "D01", "SCDB", (P("BPDB"),), "2026-11", status="reported"),
                   Case("2026-11", "D02", "SCQS", (P("TQGS"), P("TQGS")), "2026-11",
                        status="reported")])
            session.actor = operators.actor_for_login("zhao")
            submission.revise(session, "2026-11", "更正")
            found: Files = {}
            for lang in ("en", "zh"):
                for who in ("zhao", "clerk"):
                    found |= _write_all(session, root, lang, who)
            words = {lang: _words(lang) for lang in ("en", "zh")}
            session.close()
    yield Paper(found, words)


def _rows(table: object) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]  # type: ignore[attr-defined]


def _text(path: Path) -> str:
    """Everything printed: paragraphs, cells, headers and footers."""
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    for section in document.sections:
        for part in (section.header, section.footer, section.even_page_header,
                     section.even_page_footer, section.first_page_footer):
            parts += [p.text for p in part.paragraphs]
    return "\n".join(parts)


# --- point 3: the revision's differences ----------------------------------------------------


def _differences(path: Path) -> list[list[str]]:
    document = docx.Document(str(path))
    found = [_rows(t) for t in document.tables if _rows(t)[0][0] in ("Where", "位置")]
    assert len(found) == 1
    return found[0][1:]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_differences_name_the_departments_in_the_reports_order(paper: Paper, lang: str,
                                                               ) -> None:
    rows = _differences(paper.files[("revision", lang, "zhao")])
    words = paper.words[lang]
    places = [row[0] for row in rows]
    assert not any(re.fullmatch(r"D\d+", where) for where in places)  # no code on paper
    # the unit first, then each department by its name, in the report's order (D02 first)
    assert list(dict.fromkeys(places)) == [
        words.total, words.departments["D02"], words.departments["D01"]]
    order = {words.lines[key]: n for n, key in enumerate(words.order)}
    for where in dict.fromkeys(places):
        items = [row[1] for row in rows if row[0] == where]
        lines = [item for item in items if not item.startswith(words.totals)]
        assert [order[item] for item in lines] == sorted(order[item] for item in lines), where
        assert items[:len(lines)] == lines, where  # the 合计 after the business types
    unit = [row[1] for row in rows if row[0] == words.total]
    arrest = [words.lines[key] for key in ("SCDB:new", "SCDB:received", "SCDB:concluded")]
    assert unit[:3] == arrest  # the report's order, not the keys' ("concluded" < "new")
    # a 合计's line: no "合计 新收" with a space inside
    assert words.totals + ("new" if lang == "en" else "新收") in unit


@pytest.mark.parametrize("lang, figure, total, said", [
    ("en", r"\d+ cases? / \d+ persons?", r"\d+ cases?",
     ["total", "Review of arrest / arrest not approved", "1 case / 2 persons",
      "2 cases / 3 persons"]),
    ("zh", r"\d+ 件 / \d+ 人", r"\d+ 件",
     ["全院", "审查逮捕 / 不批准逮捕", "1 件 / 2 人", "2 件 / 3 人"])])
def test_every_figure_says_its_unit(paper: Paper, lang: str, figure: str, total: str,
                                    said: list[str]) -> None:
    rows = _differences(paper.files[("revision", lang, "zhao")])
    words = paper.words[lang]
    assert said in rows
    for row in rows:
        is_total = row[1].startswith(words.totals)  # 件 only: persons are never added up
        for cell in row[2:]:
            assert re.fullmatch(total if is_total else figure, cell), row
    assert sum(1 for row in rows if row[1].startswith(words.totals)) == 6


# --- point 9: 本月 / 本年累计 above the column titles ------------------------------------------


@pytest.mark.parametrize("lang, titles, halves", [
    ("en", ["Item", "Cases", "Persons", "YoY"], ("This month", "Year to date")),
    ("zh", ["项目", "件数", "人数", "同比"], ("本月", "本年累计"))])
def test_the_halves_are_named_above_the_titles(paper: Paper, lang: str, titles: list[str],
                                               halves: tuple[str, str]) -> None:
    for kind in KINDS:
        document = docx.Document(str(paper.files[(kind, lang, "clerk")]))
        table = _rows(document.tables[0])
        month, year = halves
        if kind == "revision":  # 件 and 人 of each half, no 同比
            assert table[1] == [*titles[:3], *titles[1:3]], kind
            assert table[0] == ["", month, month, year, year], kind
        else:
            assert table[1] == [*titles, *titles[1:]], kind
            assert table[0] == ["", month, month, month, year, year, year], kind
        # the group row is one cell over each half, repeated with the header on every page
        first = document.tables[0].rows[0]._tr
        spans = [tc.grid_span for tc in first.tc_lst]
        assert spans == ([1, 2, 2] if kind == "revision" else [1, 3, 3]), kind
        for row in document.tables[0].rows[:2]:
            assert row._tr.trPr is not None and row._tr.trPr.xpath("./w:tblHeader"), kind


# --- point 4: no login on paper -------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_login_on_paper(paper: Paper, lang: str) -> None:
    files = paper.files
    for kind in KINDS:
        for who in ("zhao", "clerk"):
            path = files[(kind, lang, who)]
            text = _text(path)
            for login in ("zhao", "clerk", "admin"):
                assert login not in text, (kind, who, login)
            with zipfile.ZipFile(path) as package:
                properties = package.read("docProps/core.xml").decode("utf-8")
            assert "zhao" not in properties and "clerk" not in properties, (kind, who)
            prepared = "Prepared by: " if lang == "en" else "填报人："
            name = "李统计" if who == "clerk" else report_files.BLANK  # zhao has no name
            assert prepared + name in text, (kind, who)
        submitted = "by 李统计" if lang == "en" else "由李统计报送"
        revised = ("submitted by " if lang == "en" else "由") + report_files.BLANK
        text = _text(files[(kind, lang, "zhao")])
        assert (revised if kind == "revision" else submitted) in text, kind


@pytest.mark.parametrize("lang, landscape", [("zh", False), ("en", True)])
def test_english_report_tables_go_landscape(paper: Paper, lang: str, landscape: bool) -> None:
    """Point 7: English labels run two or three times as long as Chinese; on a portrait page
    six figure columns left them a quarter of the width, and the report ran to 17 pages."""
    for kind in ("report", "briefing-tables"):
        section = docx.Document(str(paper.files[kind, lang, "clerk"])).sections[0]
        assert section.page_width is not None and section.page_height is not None
        assert (section.page_width > section.page_height) is landscape, (kind, lang)
        grid = docx.Document(str(paper.files[kind, lang, "clerk"])).tables[0]._tbl
        label_mm = int(grid.tblGrid.gridCol_lst[0].w or 0) / 36000
        assert label_mm >= (60 if landscape else 45), (kind, lang, label_mm)
