"""The checklist, the secrecy register and the check-in report as Word, read back."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from unittest.mock import ANY

import docx
import pytest
from docx.oxml.ns import qn

from exports import check_files
from store import clock, holidays, settings
from store.audit import log as audit
from store.custody import desk, items
from store.custody.desk import Request
from store.errors import InvalidInput
from store.secrecy import checks, closing
from store.secrecy import register as secrecy
from store.vault.session import Session
from tests import secrecy_fixture
from tests.test_secrecy_paper_19 import sections_of


def _cells(table: object) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]  # type: ignore[attr-defined]


def _text(document: object) -> str:
    return "\n".join(p.text for p in document.paragraphs)  # type: ignore[attr-defined]


def _headings(document: object) -> list[str]:
    return [p.text for p in document.paragraphs  # type: ignore[attr-defined]
            if p.runs and p.runs[0].bold]


def _laid_out_for_print(document: object, east_asian: str = "仿宋_GB2312") -> None:
    """A4, East Asian fonts set, every table's header row repeated on each page."""
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    assert fonts.get(qn("w:eastAsia")) == east_asian
    title = document.paragraphs[0].runs[0]._r.rPr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    assert title.get(qn("w:eastAsia")) == "方正小标宋简体"
    section = document.sections[0]  # type: ignore[attr-defined]
    assert {round(section.page_width.mm), round(section.page_height.mm)} == {210, 297}
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in document.tables:  # type: ignore[attr-defined]
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
        assert sum(column.width for column in table.columns) <= text_width + 1000
    last_row = document.tables[-1].rows[-1]._tr  # type: ignore[attr-defined]
    assert last_row.find(f".//{qn('w:keepNext')}") is not None  # stays with the signatures


def _logged(path: Path, action: str) -> dict[str, object]:
    entry = audit.recent(1)[0]
    assert entry.action == action
    details: dict[str, object] = json.loads(entry.new or "{}")
    assert details["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    return details


@pytest.fixture
def eve(session: Session, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Two cabinets and the secrecy cabinet: five copies of 〔2026〕7号 (one distributed), three
    items in A柜 (one lent out); 元旦 listed; the clock moved to 30 December, the day before
    its eve. Returns the numbers by a short name."""
    copies = secrecy_fixture.setup(session)
    made = {f"copy{c.copy_no}": c.reg_no for c in copies}
    for key, title, level, place in [("report", "2026年10月统计报表", "internal", "A柜-1层"),
                                     ("volume", "2026年第三季度登记卡合订本", "secret", "A柜-1层"),
                                     ("ledger", "2026年自侦大要案台账", "internal", "A柜-2层")]:
        made[key] = items.register(session, title, "report", level, location=place).reg_no
    secrecy.distribute(session, made["copy1"], "zbz")
    desk.record(session, Request("lwj", [made["ledger"]], "lend", slip_no="借-001", head="zbz",
                                 approver="cjc", due_on="2026-12-10"))
    for day in ("2027-01-01", "2027-01-02", "2027-01-03"):
        holidays.set_day(session, day, "holiday", "元旦")
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 30, 9).astimezone())
    return made


def test_the_holiday_eve_checklist_open_then_signed(session: Session, eve: dict[str, str],
                                                    tmp_path: Path) -> None:
    run = checks.start(session, "holiday")
    assert (run.period, run.label, run.total) == ("2026-12-31", "元旦", 8)
    walk_path = check_files.checklist(session, run.id, tmp_path)
    to_walk = docx.Document(str(walk_path))
    assert ("Exceptions: none yet, nothing is marked: all 8 lines below are to be checked."
            in _text(to_walk))
    # the lines are not listed twice, and no empty table of exceptions comes first
    assert list(sections_of(walk_path)) == ["Lines by location, in walking order",
                                            "Totals by result"]
    assert "STILL OPEN: 8 of 8 lines not resolved yet." in _text(to_walk)
    checks.mark(session, run.id, eve["copy1"], "accounted")
    checks.mark(session, run.id, eve["copy2"], "missing", "柜中未见")
    for key in ("copy3", "copy4", "copy5", "report", "ledger"):  # the ledger is back early
        checks.mark(session, run.id, eve[key])

    path = check_files.checklist(session, run.id, tmp_path)
    assert path == tmp_path / f"checklist-{run.id}.docx"
    document = docx.Document(str(path))
    text = _text(document)
    assert document.paragraphs[0].text == "Holiday-eve secure-storage checklist"
    assert "测试县人民检察院" in text
    assert f"Run #{run.id}: holiday-eve secure storage\n" in text
    assert "Before 元旦; the eve is 2026-12-31" in text
    assert "STILL OPEN: 1 of 8 lines not resolved yet." in text
    assert "Checker (signature): ____" in text and "Supervisor (signature): ____" in text
    assert _headings(document) == ["Exceptions: 3", "Lines by location, in walking order",
                                   "Totals by result"]
    found = sections_of(path)
    exceptions, walk, totals = (found["Exceptions: 3"],
                                found["Lines by location, in walking order"],
                                found["Totals by result"])
    lines = {line.reg_no: line for line in checks.all_lines(run.id)}
    # exceptions first, in walking order: the line not done, the ledger found in its
    # cabinet though recorded as lent out, the missing copy
    assert [row[1] for row in exceptions[1:]] == [eve["volume"], eve["ledger"], eve["copy2"]]
    volume, ledger, copy2 = exceptions[1:]
    assert ledger[3:6] == ["A柜-2层", "lent out: 李文杰, since 2026-11-30, due 2026-12-10",
                           "present"]
    assert volume[5] == "—" and copy2[5:] == ["MISSING", "柜中未见"]
    assert walk[0] == ["No.", "Number", "Title", "Classification", "Expected", "Result", "Note"]
    groups = [index for index, row in enumerate(walk) if len(row) == 1]
    assert [walk[i][0] for i in groups] == ["A柜-1层 (2)", "A柜-2层 (1)", "保密柜-1层 (5)"]
    assert groups == [1, 4, 6]  # each shelf's lines under its label, in walking order
    walked = [row for row in walk[1:] if row[0].isdigit()]
    assert [int(row[0]) for row in walked] == list(range(1, 9))
    assert {row[1] for row in walked} == set(lines)
    by_number = {row[1]: row for row in walked}
    assert by_number[eve["copy1"]][3:6] == [
        "confidential 机密", "distributed against signature: 张部长, since 2026-11-30",
        "accounted for elsewhere"]
    assert by_number[eve["report"]][4:6] == ["in storage", "present"]
    assert dict(row for row in totals[1:]) == {  # type: ignore[misc]
        "present": "5", "accounted for elsewhere": "1", "MISSING": "1",
        "not resolved yet": "1", "Total": "8"}
    bold = [cell.paragraphs[0].runs[0].bold for cell in document.tables[-1].rows[-1].cells]
    assert all(bold)
    _laid_out_for_print(document)
    details = _logged(path, "export.checklist")
    assert (details["run"], details["lines"], details["status"]) == (run.id, 8, "open")

    checks.mark(session, run.id, eve["volume"])
    closing.close(session, run.id, "lwj", "jxa")
    signed = docx.Document(str(check_files.checklist(session, run.id, tmp_path)))
    text = _text(signed)
    assert "STILL OPEN" not in text
    assert "Closed on 2026-12-30: checked by 李文杰, supervised by 蒋秀安." in text
    assert "Checker 李文杰 (signature): ____" in text
    assert "Supervisor 蒋秀安 (signature): ____" in text and "Date: 2026-12-30" in text
    assert [row[1] for row in _cells(signed.tables[0])[1:]] == [eve["ledger"], eve["copy2"]]


def test_a_clean_run_says_it_has_no_exceptions(session: Session, eve: dict[str, str],
                                               tmp_path: Path) -> None:
    settings.set_value(session, "spot_check_percent", "50")
    run = checks.start(session, "spot", seed=7)
    for line in checks.all_lines(run.id):
        checks.mark(session, run.id, line.reg_no,
                    "accounted" if line.expected == "elsewhere" else "present")
    path = check_files.checklist(session, run.id, tmp_path)
    document = docx.Document(str(path))
    text = _text(document)
    assert document.paragraphs[0].text == "Spot-check checklist"
    assert "50% of the items, seed 7" in text
    assert "Exceptions: none. Every line is resolved as expected." in text
    found = sections_of(path)  # a line, not an empty table of exceptions
    assert list(found) == ["Lines by location, in walking order", "Totals by result"]
    walk = found["Lines by location, in walking order"]
    assert len([r for r in walk if r[0].isdigit()]) == run.total == 4


def test_the_quarterly_check_in_report_and_checklist(session: Session,
                                                     tmp_path: Path) -> None:
    copies = secrecy_fixture.setup(session)
    for copy, who in zip(copies[:3], ("zbz", "zbz", "wbz"), strict=True):
        secrecy.distribute(session, copy.reg_no, who)
    run = checks.start(session, "quarter")
    checks.mark(session, run.id, copies[0].reg_no)  # a scan: checked in
    checks.mark(session, run.id, copies[1].reg_no, "kept", "案件仍在办理")
    open_report = docx.Document(str(check_files.checkin_report(session, run.id, tmp_path)))
    assert "STILL OPEN: 1 of 3 lines not resolved yet." in _text(open_report)
    checks.mark(session, run.id, copies[2].reg_no, "missing", "部门称已遗失")
    closing.close(session, run.id, "lwj", "jxa")

    path = check_files.checkin_report(session, run.id, tmp_path)
    assert path.name == f"checkin-2026-Q4-{run.id}.docx"
    document = docx.Document(str(path))
    text = _text(document)
    assert document.paragraphs[0].text == "Quarterly check-in report (清交)"
    assert "Quarter 2026 Q4" in text and "Checker 李文杰 (signature)" in text
    sections = sections_of(path)  # an empty section is its note alone: no table
    by_custodian, kept, damaged, missing = (sections.get(heading, []) for heading in (
        "By custodian", "Copies kept by their custodians", "Copies damaged", "Copies missing"))
    assert by_custodian == [
        ["Department", "Custodian", "Copies", "Checked in", "Kept", "Damaged", "Missing",
         "Not resolved"],
        ["第一检察部", "张部长", "2", "1", "1", "0", "0", "0"],
        ["第二检察部", "王部长", "1", "0", "0", "0", "1", "0"],
        ["Total", "", "3", "1", "1", "0", "1", "0"]]
    assert damaged == []
    assert "No copy damaged." in text
    assert kept[1:] == [["1", copies[1].reg_no, "某检发〔2026〕7号 关于加强统计数据保密的通知",
                         "confidential 机密", "张部长", "案件仍在办理"]]
    assert missing[1][1:] == [copies[2].reg_no, missing[1][2], "confidential 机密", "王部长",
                              "部门称已遗失"]
    _laid_out_for_print(document)
    assert _logged(path, "export.checkin")["period"] == "2026-Q4"

    walk_path = check_files.checklist(session, run.id, tmp_path)
    walk = docx.Document(str(walk_path))
    assert walk.paragraphs[0].text == "Quarterly check-in checklist of classified copies"
    rows = sections_of(walk_path)["Copies by department"]
    assert rows[1][0] == "第一检察部 (2)" and rows[4][0] == "第二检察部 (1)"
    assert [r[5] for r in rows if r[0].isdigit()] == ["checked in", "kept, with reason",
                                                      "MISSING"]
    assert _headings(walk)[1] == "Copies by department"


def test_the_secrecy_register_for_a_period(session: Session, tmp_path: Path) -> None:
    copies = secrecy_fixture.setup(session)
    secrecy.receive(session, secrecy_fixture.receipt(
        doc_no="某检发〔2026〕10号", title="绝密通报", classification="top", copies="2",
        received_on="2026-11-25", recipients="wbz"))
    document_id = secrecy.copy(copies[0].id).document_id
    secrecy.add_recipient(session, document_id, "sjy", "bmb")
    secrecy.distribute(session, copies[0].reg_no, "zbz")

    path = check_files.register(session, "20261101", "2026-11-30", tmp_path)
    assert path.name == "secrecy-register-2026-11-01-2026-11-30.docx"
    document = docx.Document(str(path))
    text = _text(document)
    assert document.paragraphs[0].text == "Register of classified documents received"
    assert "Received 2026-11-01 to 2026-11-30: 2 documents, 7 copies" in text
    found = sections_of(path)
    register, totals, lists = (found["Copies, one line each"],
                               found["Totals by classification"], found["Distribution lists"])
    assert register[0] == ["Number", "Copy no.", "Classification", "Pages", "Received on",
                           "Seal", "State", "Held by", "Signed for on"]
    copy_lines = [row for row in register[1:] if len(row) > 1]
    assert [row[1] for row in copy_lines] == ["1/5", "2/5", "3/5", "4/5", "5/5", "1/2", "2/2"]
    assert register[1] == ["关于加强统计数据保密的通知 (某检发〔2026〕7号, from 某市人民检察院, "
                           "printed in 5 copies)"]
    assert copy_lines[0] == [copies[0].reg_no, "1/5", "confidential 机密", "6", "2026-11-20",
                             "intact", "distributed against signature", "张部长", "2026-11-30"]
    assert copy_lines[1][6:] == ["in custody", "—", "—"]
    assert copy_lines[-1][2] == "top secret 绝密"
    assert totals[1:] == [["confidential 机密", "5"], ["top secret 绝密", "2"], ["Total", "7"]]
    assert lists[1:] == [
        ["某检发〔2026〕7号", "关于加强统计数据保密的通知",
         "张部长（第一检察部）, 王部长（第二检察部）, 孙佳怡（第三检察部）",
         "孙佳怡, approved by 保密办刘"],
        ["某检发〔2026〕10号", "绝密通报", "王部长（第二检察部）", "—"]]
    section = document.sections[0]
    assert section.page_width > section.page_height  # nine columns: landscape
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert all(t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for t in document.tables)
    assert _logged(path, "export.register")["copies"] == 7

    later = sections_of(check_files.register(session, "2026-11-21", "2026-11-30", tmp_path))
    assert later["Copies, one line each"][1:] == [
        ["绝密通报 (某检发〔2026〕10号, from 某市人民检察院, printed in 2 copies)"],
        *([ANY] * 2)]
    empty = docx.Document(str(check_files.register(session, "2026-10-01", "2026-10-31",
                                                   tmp_path)))
    assert _text(empty).count("No classified documents received in this range.") == 2
    assert [_cells(t) for t in empty.tables] == [[["Classification", "Copies"], ["Total", "0"]]]


@pytest.mark.parametrize("first, last", [("2026-11-30", "2026-11-01"),
                                         ("2026-13-01", "2026-11-30"), ("yesterday", "2026-11-30")])
def test_a_bad_register_range_is_a_message(session: Session, tmp_path: Path, first: str,
                                           last: str) -> None:
    before = audit.recent(1)[0].id
    with pytest.raises(InvalidInput) as refused:
        check_files.register(session, first, last, tmp_path / "out")
    assert str(refused.value) and audit.recent(1)[0].id == before
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("run_id", [999, 0, -1, 2**70])
def test_a_run_that_does_not_exist_is_a_message(session: Session, tmp_path: Path,
                                                run_id: int) -> None:
    before = audit.recent(1)[0].id
    for export in (check_files.checklist, check_files.checkin_report):
        with pytest.raises(InvalidInput, match=f"no checklist run #{run_id}$"):
            export(session, run_id, tmp_path / "out")
    assert audit.recent(1)[0].id == before and not (tmp_path / "out").exists()


def test_the_check_in_report_is_for_quarterly_runs_only(session: Session, eve: dict[str, str],
                                                        tmp_path: Path) -> None:
    run = checks.start(session, "inventory")
    with pytest.raises(InvalidInput, match="full inventory, not a quarterly check-in"):
        check_files.checkin_report(session, run.id, tmp_path)


def test_a_damaged_copy_is_on_the_check_in_report_and_the_total_adds_up(
        session: Session, tmp_path: Path) -> None:
    """Issue 18, point 21: a line marked damaged has its column and its section with the note,
    every row's outcomes add up to its copies, and "no copy missing" is said only when true."""
    copies = secrecy_fixture.setup(session)
    for copy, who in zip(copies[:4], ("zbz", "zbz", "wbz", "wbz"), strict=True):
        secrecy.distribute(session, copy.reg_no, who)
    run = checks.start(session, "quarter")
    checks.mark(session, run.id, copies[0].reg_no)
    checks.mark(session, run.id, copies[1].reg_no, "damaged", "水渍，第3页字迹不清")
    checks.mark(session, run.id, copies[2].reg_no, "kept", "案件仍在办理")
    still_open = _text(docx.Document(str(check_files.checkin_report(session, run.id,
                                                                     tmp_path))))
    assert "No copy missing." not in still_open  # one line is still to check
    assert "None so far: 1 line is not resolved yet." in still_open
    checks.mark(session, run.id, copies[3].reg_no)
    closing.close(session, run.id, "lwj", "jxa")

    path = check_files.checkin_report(session, run.id, tmp_path)
    document = docx.Document(str(path))
    text = _text(document)
    sections = sections_of(path)  # an empty section is its note alone: no table
    by_custodian, kept, damaged, missing = (sections.get(heading, []) for heading in (
        "By custodian", "Copies kept by their custodians", "Copies damaged", "Copies missing"))

    header = by_custodian[0]
    assert header[3:] == ["Checked in", "Kept", "Damaged", "Missing", "Not resolved"]
    assert by_custodian[-1] == ["Total", "", "4", "2", "1", "1", "0", "0"]
    for row in by_custodian[1:]:  # every outcome of a line counted: each row adds up
        assert int(row[2]) == sum(int(n) for n in row[3:])
    assert by_custodian[1] == ["第一检察部", "张部长", "2", "1", "0", "1", "0", "0"]
    assert damaged[0][-1] == "Damage"
    assert damaged[1][1:] == [copies[1].reg_no, damaged[1][2], "confidential 机密", "张部长",
                              "水渍，第3页字迹不清"]
    assert kept[1][1] == copies[2].reg_no and missing == []  # its note alone
    assert "No copy missing." in text and "No copy damaged." not in text
    walk = docx.Document(str(check_files.checklist(session, run.id, tmp_path)))
    exceptions = _cells(walk.tables[0])
    assert copies[1].reg_no in {row[1] for row in exceptions}  # damaged: an exception
