"""The borrow desk's paper (issue 19): each mode's slip in its own words (an external unit's
reading never says lent out, B4), the ledger's 密级 and department columns, the overdue list's
"as of" day and days overdue, dates that never break and titles without rule codes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from exports import loan_files
from store import i18n
from store.custody import desk
from store.custody.desk import Request
from store.vault.session import Session
from tests.desk_fixture import setup

RULE_CODE = re.compile(r"(?<![A-Za-z0-9])[A-D]\d{1,2}(?![0-9])")
TWIPS_PER_MM = 1440 / 25.4


def _text(path: Path) -> tuple[str, list[list[list[str]]]]:
    """A file's paragraphs as one text, and its tables' cells."""
    document = docx.Document(str(path))
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in document.tables]
    return "\n".join(p.text for p in document.paragraphs), tables


def _in(tmp_path: Path, name: str) -> Path:
    """A folder of its own for each language's files."""
    (tmp_path / name).mkdir(exist_ok=True)
    return tmp_path / name


def _widths_mm(path: Path) -> list[list[float]]:
    """Each table's column widths (its grid), in mm."""
    document = docx.Document(str(path))
    return [[int(c.get(qn("w:w"))) / TWIPS_PER_MM for c in t._tbl.tblGrid.iter(qn("w:gridCol"))]
            for t in document.tables]


@pytest.fixture
def slips(session: Session) -> dict[str, list[int]]:
    """The loans of one slip of each kind: readings (internal, external), a loan, a copy."""
    numbers = setup(session)
    return {
        "read": desk.record(session, Request("lwj", [numbers["report"]], "read",
                                             slip_no="借-001", head="zbz")),
        "external": desk.record(session, Request(
            "xgaj", [numbers["volume"]], "read", letter_no="公介〔2026〕12号",
            issuing_organ="某县公安局", approver="cjc")),
        "lend": desk.record(session, Request("lwj", [numbers["ledger"]], "lend",
                                             slip_no="借-002", head="zbz", approver="cjc",
                                             due_on="2026-12-05")),
        "copy": desk.record(session, Request("lwj", [numbers["secret"]], "copy",
                                             slip_no="借-003", head="zbz", approver="cjc",
                                             secrecy="bmb", due_on="2026-12-10")),
    }


def test_each_mode_has_its_own_slip(session: Session, slips: dict[str, list[int]],
                                    tmp_path: Path) -> None:
    written = {}
    for lang in ("en", "zh"):
        i18n.set_language(lang)
        for kind, loans in slips.items():
            written[lang, kind] = _text(loan_files.slip(session, loans, _in(tmp_path, lang)))
    for (lang, kind), (text, _tables) in written.items():
        assert not RULE_CODE.search(text), (lang, kind, text)
        assert "(借阅登记单)" not in text and "; " not in text.split("\n")[0]
    # a reading in the room, internal or external, is never lent out (B4)
    for kind in ("read", "external"):
        text, tables = written["zh", kind]
        cells = "\n".join(c for row in tables[0] for c in row)
        assert text.startswith("查阅登记单\n") and "借出" not in text + cells
        assert "室内查阅，当日归还" in text and "当日归还，时间" in text
        english = written["en", kind][0]
        assert english.startswith("Reading slip\n") and "lent" not in english.lower()
        assert "back by" not in english and "returned the same day" in english
    external, internal = written["zh", "external"][0], written["zh", "read"][0]
    assert "查阅人：李警官（某县公安局）" in external and "不得带出本院" in external
    assert "分管检察长" in external and "部门领导" not in external  # B2, not B1
    assert "不得带出本院" not in internal and "部门领导" in internal  # B1
    assert "Department head" not in written["en", "external"][0]
    # a loan says so, with its due date and the deputy chief's approval (B3)
    text = written["zh", "lend"][0]
    assert text.startswith("借阅登记单\n") and " 借出，2026-12-05 前归还" in text
    assert "分管检察长" in text and "归还日期 ________" in text
    english = written["en", "lend"][0]
    assert english.startswith("Borrow slip\n") and "Lent out on " in english
    assert "back by 2026-12-05" in english
    # a copy: 复印, the copy's number beside its original's, recovered; secrecy office signs
    text, tables = written["zh", "copy"]
    assert text.startswith("复印登记单\n") and "方式：复印或摘录" in text
    assert "复印件 2026-12-10 前收回" in text and "共复印 1 份，收回日期" in text
    assert "保密委员会办公室" in text and "分管检察长" in text and "借出" not in text
    assert tables[0][0][1:3] == ["复印件编号", "原件编号"]
    made = desk.copies_made(slips["copy"])[0]
    assert tables[0][1][1:3] == [made.copy, made.original]
    assert written["en", "copy"][0].startswith("Copy slip\n")


def test_ledger_and_overdue_list_carry_every_field(session: Session,
                                                   slips: dict[str, list[int]],
                                                   tmp_path: Path) -> None:
    ledger = loan_files.ledger(session, "2026-11-01", "2026-11-30", _in(tmp_path, "en"))
    text, tables = _text(ledger)
    assert text.startswith("Loan ledger\n") and "C11" not in text
    header = tables[0][0]
    rows = [r for t in tables for r in t if r != header]
    assert rows[0] == ["2026-11-30"] * len(header)  # the day, across the table
    rows = rows[1:]
    level, department = header.index("Classification"), header.index("Department or unit")
    assert [r[level] for r in rows] == ["internal 内部", "secret 秘密", "internal 内部",
                                        "confidential 机密"]
    assert [r[department] for r in rows] == ["第一检察部", "某县公安局", "第一检察部",
                                             "第一检察部"]
    assert [r[header.index("Slip or letter")] for r in rows][:2] == ["借-001", "公介〔2026〕12号"]
    widths = _widths_mm(ledger)[0]
    assert all(widths[header.index(h)] >= 24.9 for h in ("Due", "Returned on"))
    assert sum(widths) <= 243.5  # the landscape page's width of text
    i18n.set_language("zh")
    ledger = loan_files.ledger(session, "2026-11-01", "2026-11-30", _in(tmp_path, "zh"))
    text, tables = _text(ledger)
    assert _widths_mm(ledger)[0][1] >= 25  # the title reads in two lines beside a letter's 文号
    assert text.startswith("借阅台账\n") and "C11" not in text and "（" not in text.split("\n")[0]
    assert {"密级", "部门或单位"} <= set(tables[0][0]) and tables[0][2][2] == "内部"
    i18n.set_language("en")
    # the overdue list: as of the day it was made, and how many days late each is
    overdue = loan_files.overdue_list(session, _in(tmp_path, "en"), today=date(2026, 12, 12))
    text, tables = _text(overdue)
    assert text.split("\n")[:3] == ["Overdue loans and copies not recovered",
                                    "测试县人民检察院", "As of 2026-12-12"]
    assert not RULE_CODE.search(text)
    late, copies = tables
    assert late[0][-1] == "Days overdue" and copies[0][-1] == "Days overdue"
    assert [(r[0], r[4], r[5]) for r in late[1:]] == [
        (desk.slip_lines(slips["lend"])[0].reg_no, "2026-12-05", "7"),
        (desk.slip_lines(slips["copy"])[0].reg_no, "2026-12-10", "2")]
    assert [r[5] for r in copies[1:]] == ["2"]
    for grid in _widths_mm(overdue):
        assert min(grid[3], grid[4]) >= 24.9 and grid[0] >= 29  # dates and numbers never break
    early = loan_files.overdue_list(session, _in(tmp_path, "early"), today=date(2026, 12, 1))
    text, tables = _text(early)
    assert "As of 2026-12-01" in text and "Nothing overdue." in text
    assert len(tables) == 1  # nothing overdue: the note alone, no empty table
    assert [r[5] for r in tables[0][1:]] == ["—"]  # the copy is not due yet
    i18n.set_language("zh")
    text, tables = _text(loan_files.overdue_list(session, _in(tmp_path, "zh"),
                                                 today=date(2026, 12, 12)))
    assert "截至 2026-12-12" in text and tables[0][0][-1] == "逾期天数"
    assert "未收回的复印件" in text and "D7" not in text
