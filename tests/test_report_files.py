"""The report and briefings as Word, read back; `statdesk report` on the terminal."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from exports import report_files
from store.audit import log as audit
from store.cards import entry as cards
from store.cards import review as card_review
from store.report import submission
from store.vault.session import Session
from tests.conftest import ADMIN_PW, Store
from tests.report_fixture import CARDS, insert
from tests.test_card_safety import OWN

NOVEMBER = [c for c in CARDS if c[0] == "2026-11" and c[6] != "submitted"]


def _cells(table: object) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]  # type: ignore[attr-defined]


def test_the_monthly_report_in_word(session: Session, tmp_path: Path) -> None:
    insert()
    path = report_files.monthly(session, "2026-11", tmp_path)
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Monthly statistical report" in text and "测试县人民检察院" in text
    assert "2026-11" in text and "STILL OPEN" in text and "Prepared by" in text
    headings = [p.text for p in document.paragraphs if p.runs and p.runs[0].bold]
    assert headings == ["This month", "Year to date (累计)", "This month by department (cases)"]
    month, ytd, by_department = (_cells(t) for t in document.tables)
    assert month[0] == ["Item", "Cases", "Persons", "Last year", "YoY", "YoY %"]
    rows = {row[0].strip("\u3000"): row[1:] for row in month[1:]}
    assert rows["Review for prosecution"] == ["3", "4", "4", "-1", "-25.0%"]
    assert rows["prosecuted"][:2] == ["2", "3"]
    assert rows["Total"] == ["6", "8", "4", "+2", "+50.0%"]
    assert {row[0]: row[1] for row in ytd[1:]}["Total"] == "8"
    assert by_department[0] == ["Item", "First Procuratorial Department (criminal)",
                                "Investigation Department", "Total"]
    assert by_department[-1] == ["Total", "5", "1", "6"]
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "fldChar" in footer  # page numbers
    for table in document.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert (round(document.sections[0].top_margin.mm),
            round(document.sections[0].left_margin.mm)) == (37, 28)
    entry = audit.recent(1)[0]
    assert entry.action == "export.report" and "sha256" in (entry.new or "")


def test_a_revision_in_word_lists_its_differences(session: Session, tmp_path: Path) -> None:
    insert(NOVEMBER)
    for state in submission.departments("2026-11"):
        submission.confirm(session, "2026-11", state.department, "内勤", "20261126")
    submission.submit(session, "2026-11", "市人民检察院")
    card_id = cards.add(session, replace(OWN, case_no="某检反贪〔2026〕9号",
                                         month="2026-12"))[0]
    card_review.accept(session, card_id, acknowledge_warnings=True)  # December: no change
    from store.vault.database import rows
    bqs = rows("SELECT id FROM card WHERE outcome = 'BQS'")[0][0]
    stored = card_review.get(bqs).as_input()
    card_review.update(session, bqs, replace(stored, outcome="TQGS", outcome_persons="3"),
                       reason="更正")
    submission.revise(session, "2026-11", "第一检察部更正")
    path = report_files.revision(session, "2026-11", 2, tmp_path)
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Revision 2" in text and "市人民检察院" in text and "第一检察部更正" in text
    differences = _cells(document.tables[1])
    assert ["total", "Review for prosecution / not prosecuted", "1/1", "0/0"] in differences
    with pytest.raises(Exception, match="no revision 3"):
        report_files.revision(session, "2026-11", 3, tmp_path)


def test_the_briefing_holds_the_headline_and_the_ledger(session: Session,
                                                        tmp_path: Path) -> None:
    insert()
    cards.add(session, OWN)  # 600,000 yuan: a major case, entered but not yet accepted
    big, _c = cards.add(session, replace(OWN, case_no="某检反贪〔2026〕8号", rank="R3"))
    card_review.accept(session, big, acknowledge_warnings=True)
    path = report_files.briefing_main(session, "2026-11", tmp_path)
    document = docx.Document(str(path))
    headline, ledger = (_cells(t) for t in document.tables)
    assert headline[0][:6] == ["Business type", "Cases", "Persons", "Last year", "YoY", "YoY %"]
    own = next(row for row in headline if row[0] == "Own investigation")
    # month: 2 cases, 2 persons, none a year earlier (no %); year to date: 3 cases, 4 persons
    assert own == ["Own investigation", "2", "2", "0", "+2", "—", "3", "4", "0", "+3", "—"]
    assert len(ledger) == 2 and ledger[1][1] == "某检反贪〔2026〕8号"
    assert ledger[1][5] == "600,000" and "both" in ledger[1][9]
    section = document.sections[0]
    assert section.page_width > section.page_height  # the ledger is wide: landscape
    tables = docx.Document(str(report_files.briefing_tables(session, "2026-11", tmp_path)))
    assert len(tables.tables) == 14  # seven business types, month and year to date


def test_the_report_command_prints_and_writes(store: Store, cli_run, tmp_path: Path,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from store.vault.folder import StoreDir

    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        insert()
        session.close()
    base = ["--data-dir", str(store.paths.root), "report"]
    auth = ["--user", "admin", "--password-stdin"]
    result = cli_run([*base, "2026-11", *auth], ADMIN_PW + "\n")
    assert result.code == 0, result.err
    total = next(line for line in result.out.splitlines() if line.startswith("Total"))
    assert total.split() == ["Total", "6", "8", "4", "+2", "+50.0%"]
    assert "STILL OPEN" in result.out
    target = tmp_path / "out" / "十一月.docx"
    result = cli_run([*base, "2026-11", "--docx", str(target), *auth], ADMIN_PW + "\n")
    assert result.code == 0 and target.exists()
    result = cli_run([*base, "2030-02", *auth], ADMIN_PW + "\n")
    assert result.code == 0 and result.out.count("No accepted cards in this period.") == 2
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
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.count("No accepted cards in this period.") == 3
    assert "STILL OPEN" in text
