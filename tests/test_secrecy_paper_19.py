"""Issue 19 on the secrecy paper: the register one line a copy with its pages, seal, holder
and the day signed for (points 7, 8); the check-in report's kept and missing copies with
their classification (8); no rule code nor "Q4" in Chinese (13); an open or clean checklist
says "no exceptions" in a line, not with an empty table (14); the run's starter by name (4)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import docx
from docx.oxml.ns import qn

from exports import check_files, register_files
from store import i18n, operators
from store.secrecy import checks, closing
from store.secrecy import register as secrecy
from store.vault.database import execute
from store.vault.session import Session
from tests import secrecy_fixture

CODE = re.compile(r"(?<![A-Za-z0-9])[A-D]\d{1,2}(?![0-9])")


def sections_of(path: Path) -> dict[str, list[list[str]]]:
    """Each section's rows under its heading (a bold paragraph), the tables a section may be
    split into (a group each) joined, their repeated header rows dropped."""
    document = docx.Document(str(path))
    found: dict[str, list[list[str]]] = {}
    heading = ""
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            text = "".join(t.text or "" for t in block.iter(qn("w:t")))
            if text and block.find(f".//{qn('w:b')}") is not None:
                heading = text
        elif block.tag == qn("w:tbl"):
            rows = [["".join(t.text or "" for t in tc.iter(qn("w:t")))
                     for tc in tr.iter(qn("w:tc"))] for tr in block.iter(qn("w:tr"))]
            rows = [row for row in rows if any(row)] or rows
            if heading in found:
                rows = [row for row in rows if row != found[heading][0]]
            found.setdefault(heading, []).extend(rows)
    return found


def _text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _mm(text: str) -> float:
    """At least what a cell needs for `text` on one line in 小四 (a digit half an em)."""
    em = 12 * 25.4 / 72
    return sum(em if unicodedata.east_asian_width(c) in "WFA" else em * 0.5 for c in text) \
        + 3.8


def test_the_register_one_line_a_copy_with_pages_seal_holder_and_day(
        session: Session, tmp_path: Path) -> None:
    copies = secrecy_fixture.setup(session)
    secrecy.receive(session, secrecy_fixture.receipt(
        doc_no="某检发〔2026〕10号", title="绝密通报", classification="top", copies="2",
        pages="14", received_on="2026-11-25", recipients="wbz", sealed=False,
        note="封口胶带有撕开痕迹"))
    secrecy.distribute(session, copies[0].reg_no, "zbz")

    path = check_files.register(session, "2026-11-01", "2026-11-30", tmp_path)
    document = docx.Document(str(path))
    section = document.sections[0]
    assert section.page_width > section.page_height
    rows = sections_of(path)["Copies, one line each"]
    assert rows[0] == ["Number", "Copy no.", "Classification", "Pages", "Received on", "Seal",
                       "State", "Held by", "Signed for on"]
    labels = [row[0] for row in rows if len(row) == 1]
    assert labels == ["关于加强统计数据保密的通知 (某检发〔2026〕7号, from 某市人民检察院, "
                      "printed in 5 copies)",
                      "绝密通报 (某检发〔2026〕10号, from 某市人民检察院, printed in 2 copies; "
                      "seal broken on receipt: 封口胶带有撕开痕迹)"]
    lines = [row for row in rows[1:] if len(row) > 1]
    assert lines[0] == [copies[0].reg_no, "1/5", "confidential 机密", "6", "2026-11-20",
                        "intact", "distributed against signature", "张部长", "2026-11-30"]
    assert lines[1][5:] == ["intact", "in custody", "—", "—"]
    assert lines[-1][2:6] == ["top secret 绝密", "14", "2026-11-25", "broken"]

    i18n.set_language("zh")
    try:
        chinese = check_files.register(session, "2026-11-01", "2026-11-30", tmp_path)
    finally:
        i18n.set_language("en")
    table = docx.Document(str(chinese)).tables[0]
    widths = [column.width.mm for column in table.columns]
    rows = sections_of(chinese)["逐份登记"]
    assert rows[0][3:9] == ["页数", "收文日期", "封装", "状态", "持有人", "签收日期"]
    for row in rows[1:]:
        if len(row) > 1:  # every copy on one line: each value fits its column
            assert all(_mm(value) <= width for value, width in zip(row, widths, strict=True)), \
                (row, widths)
    assert sum(widths) <= 243.5 and "完好" in rows[2] and "机密" in rows[2]


def test_check_in_report_checklist_words_and_the_starter(session: Session,
                                                         tmp_path: Path) -> None:
    copies = secrecy_fixture.setup(session)
    for copy, who in zip(copies[:3], ("zbz", "zbz", "wbz"), strict=True):
        secrecy.distribute(session, copy.reg_no, who)
    run = checks.start(session, "quarter")

    # printed to walk: a line saying so, the walk first (no empty table of exceptions)
    walk = check_files.checklist(session, run.id, tmp_path)
    found = sections_of(walk)
    assert next(iter(found)) == "Copies by department"
    assert "Exceptions: none yet, nothing is marked: all 3 lines below are to be checked." \
        in _text(walk)
    assert f"Run #{run.id}: quarterly check-in\n" in _text(walk) + "\n"
    assert "(rule D5)" not in _text(walk)
    assert "by 王管理" in _text(walk) and "admin" not in _text(walk)

    checks.mark(session, run.id, copies[0].reg_no)
    checks.mark(session, run.id, copies[1].reg_no, "kept", "案件仍在办理")
    checks.mark(session, run.id, copies[2].reg_no, "missing", "部门称已遗失")
    closing.close(session, run.id, "lwj", "jxa")
    report = sections_of(check_files.checkin_report(session, run.id, tmp_path))
    kept = report["Copies kept by their custodians"]
    missing = report["Copies missing"]
    assert kept[0] == ["No.", "Number", "Title", "Classification", "Custodian", "Reason"]
    assert kept[1][1:] == [copies[1].reg_no, "某检发〔2026〕7号 关于加强统计数据保密的通知",
                           "confidential 机密", "张部长", "案件仍在办理"]
    assert missing[1][3:] == ["confidential 机密", "王部长", "部门称已遗失"]

    i18n.set_language("zh")
    try:
        papers = [check_files.checkin_report(session, run.id, tmp_path),
                  check_files.checklist(session, run.id, tmp_path)]
    finally:
        i18n.set_language("en")
    for paper in papers:
        text = _text(paper)
        assert "2026年第四季度" in text, text
        assert not re.search(r"Q[1-4]", text) and "依据" not in text
        assert not CODE.search(text), CODE.search(text)
        assert not re.search(r"[\u4e00-\u9fff]; ", text)
    kept_zh = next(rows for rows in sections_of(papers[0]).values() if "案件仍在办理"
                   in {cell for row in rows for cell in row})
    assert kept_zh[0][3] == "密级" and kept_zh[1][3] == "机密"

    # an operator with no name of their own: a blank to write in, never the login
    operators.add(session, "nemo", "clerk", "nemo-password-1")
    execute("UPDATE check_run SET started_by = 'nemo' WHERE id = ?", (run.id,))
    assert checks.get(run.id).starter == ""
    text = _text(check_files.checklist(session, run.id, tmp_path))
    assert "nemo" not in text and "by ____________" in text


def test_a_clean_closed_checklist_says_so_in_a_line(session: Session, tmp_path: Path) -> None:
    copies = secrecy_fixture.setup(session)
    secrecy.distribute(session, copies[0].reg_no, "zbz")
    run = checks.start(session, "quarter")
    checks.mark(session, run.id, copies[0].reg_no)
    closing.close(session, run.id, "lwj", "jxa")
    path = check_files.checklist(session, run.id, tmp_path)
    assert "Exceptions: none. Every line is resolved as expected." in _text(path)
    assert list(sections_of(path)) == ["Copies by department", "Totals by result"]
    assert register_files.text_mm("2026-11-30") > 10 * 12 * 25.4 / 72 / 2
