"""The report and briefings as Word, read back; `statdesk report` on the terminal: per
business type 旧存, 新收, 受理, 审结 by outcome, 未结, 退查, 重报 in 件 and 人, this month and the
year to date with 同比; the 合计 in 件 only; the rates with their formulas under the table."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from exports import report_files
from store import i18n
from store.audit import log as audit
from store.report import submission
from store.report.models import ReportRevision
from store.vault.session import Session
from tests.conftest import ADMIN_PW, Store
from tests.report_fixture import CASES, Case, P, insert_cases, write

HEADER = ["Item", "Cases", "Persons", "YoY", "Cases", "Persons", "YoY"]
"""The column titles, under a row naming the halves (This month, Year to date)."""
RATE = ("non-arrest rate = persons not approved for arrest ÷ (persons approved for arrest + "
        "persons not approved for arrest): month 2 ÷ 5 = 40.0%; YTD 2 ÷ 5 = 40.0%")


def _cells(table: object) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]  # type: ignore[attr-defined]


def _tables(document: docx.document.Document) -> list[list[list[str]]]:
    """Each section's table whole, in order: a section of groups is written as a table per
    group, each repeating the header (the rows they share at their top); their other rows
    are joined. A section's tables follow its heading with nothing printed between them."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    found: list[list[list[str]]] = []
    said, joined = 0, -1  # the printed paragraphs so far; that count at the last table
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            said += bool(Paragraph(child, document).text.strip())
            continue
        if child.tag != qn("w:tbl"):
            continue
        rows = _cells(Table(child, document))
        if said != joined or not found:
            found.append(rows)
        else:
            shared = 0
            while shared < min(len(rows), len(found[-1])) and rows[shared] == found[-1][shared]:
                shared += 1
            found[-1] += rows[shared:]
        joined = said
    return found


def _titles(table: list[list[str]]) -> list[str]:
    """The column titles: the header's row that starts with the item column's (a row naming
    groups of columns may stand above it)."""
    return next(row for row in table if row[0] in ("Item", "项目"))


def _grouped(table: list[list[str]]) -> dict[tuple[str, str], list[str]]:
    """{(heading, line): figures}: a heading row is one cell across (its text in every cell)."""
    found, heading = {}, ""
    for row in table[table.index(_titles(table)) + 1:]:
        if len(set(row)) == 1 and not row[0].startswith("\u3000"):
            heading = row[0]
            continue
        found[(heading, row[0].strip("\u3000"))] = row[1:]
    return found


def _text(document: docx.document.Document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_the_monthly_report_in_word(session: Session, tmp_path: Path) -> None:
    insert_cases()
    path = report_files.monthly(session, "2026-11", tmp_path)
    document = docx.Document(str(path))
    text = _text(document)
    assert "Monthly statistical report" in text and "测试县人民检察院" in text
    assert "2026-11" in text and "STILL OPEN" in text and "Prepared by" in text
    headings = [p.text for p in document.paragraphs if p.runs and p.runs[0].bold]
    assert headings == ["This month and the year to date", "This month by department (cases)"]
    figures, by_department = _tables(document)
    assert _titles(figures) == HEADER  # the units in the titles: 件 (cases) and 人 (persons)
    rows = _grouped(figures)
    arrest = "Review of arrest"
    assert rows[(arrest, "carried over (start)")] == ["3", "4", "—", "1", "1", "—"]
    assert rows[(arrest, "new")] == ["2", "4", "—", "4", "7", "+300.0%"]
    assert rows[(arrest, "received")][:2] == ["5", "8"]
    assert rows[(arrest, "concluded")][:2] == ["3", "5"]
    assert rows[(arrest, "arrest approved")] == ["2", "3", "—", "2", "3", "+100.0%"]
    assert rows[(arrest, "arrest not approved")][:2] == ["1", "2"]  # the third suspect
    assert rows[(arrest, "open (end)")] == ["2", "3", "—", "2", "3", "—"]  # a stock: not summed
    prosecution = "Review for prosecution"
    assert rows[(prosecution, "returned for investigation")][:2] == ["1", "1"]
    assert rows[(prosecution, "re-sent")][:2] == ["1", "2"]
    assert rows[(prosecution, "new")][:3] == ["3", "3", "+200.0%"]
    total = "Total, all business types (cases only)"
    assert rows[(total, "new")] == ["5", "", "+400.0%", "10", "", "+233.3%"]
    assert rows[(total, "concluded")][:2] == ["6", ""]
    assert rows[(total, "open (end)")][:2] == ["3", ""]
    # no persons are added across the stages; the old lines are gone
    assert all(figures[1] == figures[4] == "" for (heading, _l), figures in rows.items()
               if heading == total)
    assert not any("not yet concluded" in line or "supplementary" in line for _h, line in rows)
    # under the table: the stocks' days, then the rates with their formulas
    assert "Stocks, never added up: the start is 2026-10-25 (this month) and 2025-12-25 " \
           "(year to date); the end is 2026-11-25." in text
    assert RATE in text.splitlines()
    assert "non-prosecution rate = persons not prosecuted ÷ (persons prosecuted + persons not " \
           "prosecuted): month 1 ÷ 4 = 25.0%; YTD 1 ÷ 5 = 20.0%" in text
    assert "pre-trial detention rate = persons approved for arrest ÷ (persons prosecuted + " \
           "persons not prosecuted): month 3 ÷ 4 = 75.0%" in text
    assert by_department[0] == ["Item", "First Procuratorial Department (criminal)",
                                "Second Procuratorial Department (economic and duty crimes)",
                                "Complaints and Appeals Department", "Total"]
    assert _grouped(by_department)[(total, "new")][-1] == "5"
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "fldChar" in footer  # page numbers
    for table in document.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    page = document.sections[0]
    assert page.top_margin is not None and page.left_margin is not None
    assert (round(page.top_margin.mm), round(page.left_margin.mm)) == (37, 28)
    entry = audit.recent(1)[0]
    assert entry.action == "export.report" and "sha256" in (entry.new or "")


def test_the_monthly_report_in_chinese(session: Session, tmp_path: Path) -> None:
    insert_cases()
    i18n.set_language("zh")
    document = docx.Document(str(report_files.monthly(session, "2026-11", tmp_path)))
    figures = _tables(document)[0]
    assert _titles(figures) == ["项目", "件数", "人数", "同比", "件数", "人数", "同比"]
    rows = _grouped(figures)
    assert rows[("审查逮捕", "旧存（截至期初）")][:2] == ["3", "4"]
    assert rows[("审查逮捕", "未结（截至期末）")][:2] == ["2", "3"]
    assert rows[("合计（全口径，只计件数）", "审结")][:2] == ["6", ""]
    lines = _text(document).splitlines()
    assert "不捕率 = 不批准逮捕人数 ÷（批准逮捕人数 + 不批准逮捕人数）：本月 2 ÷ 5 = 40.0%；" \
           "累计 2 ÷ 5 = 40.0%" in lines
    assert "存量不累加：期初本月截至2026-10-25、累计截至2025-12-25；期末截至2026-11-25。" in lines
    # figures to the right of their cells
    data = next(row for row in document.tables[0].rows if row.cells[1].text.isdigit())
    cell = data.cells[1].paragraphs[0]
    assert cell.paragraph_format.alignment is not None and cell.paragraph_format.alignment == 2


def test_a_revision_in_word_lists_its_differences(session: Session, tmp_path: Path) -> None:
    insert_cases([c for c in CASES if c.status != "submitted"])
    for state in submission.departments("2026-11"):
        submission.confirm(session, "2026-11", state.department, "内勤", "20261126")
    submission.submit(session, "2026-11", "市人民检察院", swing_note="十一月集中受理")
    write([Case("2026-11", "D01", "SCDB", (P("BPDB"),), "2026-11", status="reported")])
    submission.revise(session, "2026-11", "第一检察部更正")
    path = report_files.revision(session, "2026-11", 2, tmp_path)
    document = docx.Document(str(path))
    text = _text(document)
    assert "Revision 2" in text and "市人民检察院" in text and "第一检察部更正" in text
    kept, differences = _tables(document)
    assert _titles(kept) == ["Item", "Cases", "Persons", "Cases", "Persons"]
    rows = _grouped(kept)
    assert rows[("Review of arrest", "arrest not approved")] == ["2", "3", "2", "3"]
    assert rows[("Total, all business types (cases only)", "new")] == ["6", "", "11", ""]
    assert "non-arrest rate = persons not approved for arrest ÷ (persons approved for arrest + " \
           "persons not approved for arrest): month 3 ÷ 6 = 50.0%" in text
    assert ["total", "Review of arrest / new", "2 cases / 4 persons",
            "3 cases / 5 persons"] in differences
    assert ["total", "Total / new", "5 cases", "6 cases"] in differences  # 件 only
    assert ["First Procuratorial Department (criminal)", "Review of arrest / arrest not approved",
            "1 case / 2 persons", "2 cases / 3 persons"] in differences
    with pytest.raises(Exception, match="no revision 3"):
        report_files.revision(session, "2026-11", 3, tmp_path)


def test_a_revision_kept_before_cases_had_events_prints_its_old_lines(
        session: Session, tmp_path: Path) -> None:
    figures = {"total": {"SCQS": [3, 4], "SCQS/TQGS": [2, 3], "SCQS/": [1, 1], "all": [3, 4]}}
    ReportRevision.insert(month="2025-11", revision=1, at="2025-11-28T10:00:00", by="admin",
                          submitted_to="市人民检察院", figures=json.dumps(figures),
                          differences="[]").execute()
    document = docx.Document(str(report_files.revision(session, "2025-11", 1, tmp_path)))
    kept = _tables(document)[0]
    assert kept[0] == ["Item", "Cases", "Persons"]
    assert kept[-1] == ["Total", "3", "4"]
    assert ["Review for prosecution / prosecuted", "2", "3"] in kept


def test_the_briefing_holds_the_headline_and_the_ledger(session: Session,
                                                        tmp_path: Path) -> None:
    insert_cases()
    major = write([Case("2026-11", "D03", "ZCZW", (P("YSQS"),), "2026-11", major="both")])
    path = report_files.briefing_main(session, "2026-11", tmp_path)
    document = docx.Document(str(path))
    headline, ledger = _tables(document)
    assert _titles(headline) == HEADER
    rows = _grouped(headline)
    assert rows[("Review of arrest", "new")] == ["2", "4", "—", "4", "7", "+300.0%"]
    assert rows[("Review of arrest", "open (end)")][:2] == ["2", "3"]
    assert ("Review of arrest", "received") not in rows  # 新收, 审结, 未结 only
    assert rows[("Total, all business types (cases only)", "new")][:2] == ["6", ""]
    assert RATE.replace("2 ÷ 5", "2 ÷ 5") in _text(document).splitlines()
    assert len(ledger) == 2 and ledger[1][1] == "某检测〔2026〕1号" and len(major) == 1
    assert "both" in ledger[1][9]
    section = document.sections[0]
    assert (section.page_width or 0) > (section.page_height or 0)  # a wide ledger: landscape
    tables = docx.Document(str(report_files.briefing_tables(session, "2026-11", tmp_path)))
    headings = [p.text for p in tables.paragraphs if p.runs and p.runs[0].bold]
    assert headings[:2] == ["Review of arrest", "Review for prosecution"]
    assert headings[-1] == "Total, all business types (cases only)"
    arrest = _tables(tables)
    assert len(arrest) == len(headings)
    assert arrest[0][arrest[0].index(HEADER) + 1][0] == "\u3000carried over (start)"
    assert RATE in _text(tables).splitlines()


def test_the_report_command_prints_and_writes(store: Store, cli_run, tmp_path: Path,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from store.vault.folder import StoreDir

    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        insert_cases()
        session.close()
    base = ["--data-dir", str(store.paths.root), "report"]
    auth = ["--user", "admin", "--password-stdin"]
    result = cli_run([*base, "2026-11", *auth], ADMIN_PW + "\n")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert "STILL OPEN" in result.out
    titles = next(n for n, line in enumerate(lines) if line.startswith("Item"))
    assert lines[titles - 1].split() == ["Month", "Month", "Month", "YTD", "YTD", "YTD"]
    assert lines[titles].split() == ["Item", "cases", "persons", "YoY", "cases", "persons",
                                     "YoY"]
    after = lines[lines.index("Review of arrest"):]
    assert after[1].startswith("\u3000carried over (start)")
    assert after[1].split()[-6:] == ["3", "4", "-", "1", "1", "-"]
    total = lines.index("Total, all business types (cases only)")
    assert lines[total + 1].split() == ["new", "5", "+400.0%", "10", "+233.3%"]  # no persons
    assert RATE.replace("÷", "/") in lines
    assert "The checks K01, K02, K03, K04, K06, K07 find nothing." in lines
    target = tmp_path / "out" / "十一月.docx"
    result = cli_run([*base, "2026-11", "--docx", str(target), *auth], ADMIN_PW + "\n")
    assert result.code == 0 and target.exists()
    result = cli_run([*base, "2020-02", *auth], ADMIN_PW + "\n")  # before any case
    assert result.code == 0
    assert result.out.count("No cases received, concluded or open in this period.") == 1
    for bad in ("2026-13", "2026-1x", "0001-01"):
        result = cli_run([*base, bad, *auth], ADMIN_PW + "\n")
        assert result.code != 0 and result.err.count("\n") == 1 and "2026-11" in result.err


@pytest.mark.parametrize("given, written", [
    ("out/十一月.docx", "out/十一月.docx"), ("out/十一月", "out/十一月.docx"),
    ("out/report.DOCX", "out/report.DOCX"), ("out/a.txt", "out/a.txt.docx")])
def test_docx_names_a_file(session: Session, tmp_path: Path, given: str, written: str) -> None:
    path = report_files.monthly(session, "2026-11", tmp_path / given)
    assert path == tmp_path / written and path.is_file()


def test_a_place_that_cannot_be_written_is_one_clear_line(session: Session,
                                                          tmp_path: Path) -> None:
    from store.errors import InvalidInput

    blocker = tmp_path / "file"
    blocker.write_text("x")
    entries = audit.recent(1)[0].id
    with pytest.raises(InvalidInput, match="cannot write"):
        report_files.monthly(session, "2026-11", blocker / "out.docx")
    assert audit.recent(1)[0].id == entries


def test_an_empty_month_is_labelled_not_refused(session: Session, tmp_path: Path) -> None:
    document = docx.Document(str(report_files.monthly(session, "2030-02", tmp_path)))
    text = _text(document)
    assert text.count("No cases received, concluded or open in this period.") == 1
    assert "No department has cases in this period." in text
    assert "STILL OPEN" in text
