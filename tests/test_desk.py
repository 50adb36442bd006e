"""The borrow desk's rules, each allowed and refused; returns; the chain of custody."""

from __future__ import annotations

from dataclasses import replace

import pytest

from store.audit import log as audit
from store.custody import desk, items
from store.custody.desk import Request
from store.errors import InvalidInput, NotAllowed, RuleRefused
from store.vault.database import rows
from store.vault.session import Session
from tests.desk_fixture import setup


@pytest.fixture
def numbers(session: Session) -> dict[str, str]:
    return setup(session)


def _loans() -> int:
    return int(rows("SELECT count(*) FROM loan")[0][0])


def _refused(session: Session, request: Request, rule: str) -> None:
    before = (_loans(), audit.recent(1)[0].id)
    with pytest.raises(RuleRefused) as refused:
        desk.record(session, request)
    assert refused.value.rule == rule and str(refused.value).startswith(f"{rule}: ")
    assert (_loans(), audit.recent(1)[0].id) == before  # nothing recorded


def test_numbers_follow_the_pattern(session: Session, numbers: dict[str, str]) -> None:
    assert numbers["report"] == "统-2026-0001" and numbers["ledger"] == "统-2026-0004"
    with pytest.raises(InvalidInput, match="already used"):
        items.register(session, "重复", "report", "public", reg_no="统-2026-0001")


def test_b1_an_internal_borrower_needs_a_slip_signed_by_the_head(
        session: Session, numbers: dict[str, str]) -> None:
    reading = Request("lwj", [numbers["report"]], "read", slip_no="借-001", head="zbz")
    _refused(session, replace(reading, slip_no=""), "B1")
    _refused(session, replace(reading, head=""), "B1")
    _refused(session, replace(reading, head="wbz"), "B1")  # another department's head
    _refused(session, replace(reading, head="lwj"), "B1")  # not a head
    assert len(desk.record(session, reading)) == 1
    assert items.by_number(numbers["report"]).status == "reading"  # type: ignore[union-attr]


def test_b2_an_external_unit_needs_a_letter_from_county_level_and_the_deputy_chief(
        session: Session, numbers: dict[str, str]) -> None:
    visit = Request("xgaj", [numbers["report"]], "read", letter_no="公函〔2026〕9号",
                    issuing_organ="某县公安局", approver="cjc")
    _refused(session, replace(visit, letter_no=""), "B2")
    _refused(session, replace(visit, issuing_organ=""), "B2")
    _refused(session, replace(visit, approver=""), "B2")
    _refused(session, replace(visit, approver="zbz"), "B2")
    _refused(session, replace(visit, borrower="pcs"), "B2")  # below county level
    _refused(session, replace(visit, issuing_organ="某镇派出所"), "B2")  # a letter from below
    desk.record(session, visit)


def test_b3_lending_out_needs_the_deputy_chief_and_a_due_date(
        session: Session, numbers: dict[str, str]) -> None:
    lend = Request("lwj", [numbers["report"]], "lend", slip_no="借-002", head="zbz",
                   approver="cjc", due_on="2026-12-10")
    _refused(session, replace(lend, approver=""), "B3")
    _refused(session, replace(lend, due_on=""), "B3")
    for bad in ("2026-11-01", "2027-06-01"):  # in the past; past the longest loan
        with pytest.raises(InvalidInput):
            desk.record(session, replace(lend, due_on=bad))
    desk.record(session, lend)
    assert items.by_number(numbers["report"]).status == "lent"  # type: ignore[union-attr]


def test_b4_external_use_is_in_the_room_only(session: Session,
                                            numbers: dict[str, str]) -> None:
    _refused(session, Request("xgaj", [numbers["report"]], "lend", letter_no="公函9号",
                              issuing_organ="某县公安局", approver="cjc",
                              due_on="2026-12-10"), "B4")


def test_a3_classified_material_leaves_the_room_only_with_approval(
        session: Session, numbers: dict[str, str]) -> None:
    lend = Request("lwj", [numbers["secret"]], "lend", slip_no="借-003", head="zbz",
                   approver="cjc", due_on="2026-12-05")
    _refused(session, replace(lend, approver=""), "A3")  # the same without 机密: B3
    _refused(session, replace(lend, approver="", numbers=[numbers["report"]]), "B3")
    desk.record(session, lend)
    assert rows("SELECT p.code FROM loan l JOIN person p ON p.id = l.approver_id") == [
        ("cjc",)]  # the approval is recorded with the loan


def test_b5_no_re_lending_and_copies_need_approval(session: Session,
                                                   numbers: dict[str, str]) -> None:
    read = Request("lwj", [numbers["volume"]], "read", slip_no="借-004", head="zbz")
    desk.record(session, read)
    _refused(session, read, "B5")  # on loan already
    copy = Request("lwj", [numbers["ledger"]], "copy", slip_no="借-005", head="zbz",
                   approver="cjc", secrecy="bmb", due_on="2026-12-10")
    _refused(session, replace(copy, approver=""), "B5")
    _refused(session, replace(copy, secrecy=""), "D7")
    desk.record(session, copy)
    made = rows("SELECT reg_no, original_id, status FROM item WHERE kind = 'copy'")
    original = items.by_number(numbers["ledger"])
    assert original is not None and original.status == "in"
    assert made == [("统-2026-0005", original.id, "copy")]
    assert [c.reg_no for c in desk.outstanding_copies()] == ["统-2026-0005"]


def test_b6_a_damaged_return_raises_an_incident(session: Session,
                                               numbers: dict[str, str]) -> None:
    desk.record(session, Request("lwj", [numbers["report"]], "read", slip_no="借-006",
                                 head="zbz"))
    with pytest.raises(InvalidInput):  # damaged, but nothing said about it
        desk.return_item(session, numbers["report"], "damaged")
    back = desk.return_item(session, numbers["report"], "marked", "第3页有圈划")
    assert back.incident and back.item.status == "in"
    assert rows("SELECT kind, note, status FROM incident") == [("marked", "第3页有圈划", "open")]
    with pytest.raises(NotAllowed, match="not on loan"):
        desk.return_item(session, numbers["report"])
    with pytest.raises(InvalidInput, match="no item"):
        desk.return_item(session, "统-2026-9999")


def test_unknown_destroyed_and_duplicate_numbers(session: Session,
                                                 numbers: dict[str, str]) -> None:
    base = Request("lwj", ["统-2026-9999"], "read", slip_no="借-007", head="zbz")
    with pytest.raises(InvalidInput, match="no item numbered"):
        desk.record(session, base)
    rows("UPDATE item SET status = 'destroyed' WHERE reg_no = ? RETURNING id",
         (numbers["ledger"],))
    with pytest.raises(NotAllowed, match="destroyed"):
        desk.record(session, replace(base, numbers=[numbers["ledger"]]))
    with pytest.raises(InvalidInput, match="twice"):
        desk.record(session, replace(base, numbers=[numbers["report"], "统－2026－0001"]))
    assert _loans() == 0


def test_the_chain_of_custody_in_order(session: Session, numbers: dict[str, str]) -> None:
    number = numbers["ledger"]
    slip = {"slip_no": "借-008", "head": "zbz"}
    desk.record(session, Request("lwj", [number], "read", **slip))
    desk.return_item(session, number)
    desk.record(session, Request("lwj", [number], "lend", approver="cjc",
                                 due_on="2026-12-20", **slip))
    desk.return_item(session, number)
    desk.record(session, Request("lwj", [number], "copy", approver="cjc", secrecy="bmb",
                                 due_on="2026-12-20", **slip))
    copy = desk.outstanding_copies()[0].reg_no
    desk.return_item(session, copy)
    original = items.by_number(number)
    assert original is not None
    assert [e.kind for e in items.chain(original.id)] == [
        "register", "read", "return", "lend", "return", "copy", "recover"]
    assert items.chain(original.id)[-1].reference == copy
    lent = items.chain(original.id)[3]
    assert (lent.person, lent.approved_by, lent.reference) == ("李文杰", "陈检察长", "借-008")
    copied = items.by_number(copy)
    assert copied is not None and copied.status == "in"
    assert [e.kind for e in items.chain(copied.id)] == ["register", "copy", "recover"]
    assert desk.outstanding_copies() == []


def test_overdue_and_still_reading(session: Session, numbers: dict[str, str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date, datetime

    from store import clock

    desk.record(session, Request("lwj", [numbers["report"]], "lend", slip_no="借-009",
                                 head="zbz", approver="cjc", due_on="2026-12-03"))
    desk.record(session, Request("lwj", [numbers["volume"]], "read", slip_no="借-010",
                                 head="zbz"))
    assert desk.overdue() == [] and desk.still_reading() == []
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 4, 9).astimezone())
    assert [o.reg_no for o in desk.overdue()] == [numbers["report"]]
    assert [o.reg_no for o in desk.still_reading()] == [numbers["volume"]]
    ledger = desk.loans_between(date(2026, 11, 1), date(2026, 11, 30))
    assert [row[1] for row in ledger] == [numbers["report"], numbers["volume"]]


def test_the_borrow_slip_and_ledger_in_word(session: Session, numbers: dict[str, str],
                                            tmp_path) -> None:  # type: ignore[no-untyped-def]
    import docx
    from docx.oxml.ns import qn

    from exports import loan_files

    loans = desk.record(session, Request("lwj", [numbers["report"], numbers["secret"]], "lend",
                                         slip_no="借-011", head="zbz", approver="cjc",
                                         due_on="2026-12-10"))
    document = docx.Document(str(loan_files.slip(session, loans, tmp_path)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert document.paragraphs[0].text == "Borrow slip" and "李文杰 (第一检察部)" in text
    assert "Borrow slip 借-011" in text and "back by 2026-12-10" in text
    assert "Department head 张部长 (signature)" in text
    assert "Deputy chief prosecutor 陈检察长 (signature)" in text
    table = [[c.text for c in r.cells] for r in document.tables[0].rows]
    assert [row[1] for row in table[1:]] == [numbers["report"], numbers["secret"]]
    assert table[2][3] == "confidential 机密"
    assert document.tables[0].rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert audit.recent(1)[0].action == "export.loans"
    ledger = docx.Document(str(loan_files.ledger(session, "2026-11-01", "2026-11-30",
                                                 tmp_path)))
    rows_ = [[c.text for c in r.cells] for r in ledger.tables[0].rows]
    assert len(rows_) == 4 and rows_[2][0] == numbers["report"] and rows_[2][7] == "陈检察长"
    with pytest.raises(InvalidInput):
        loan_files.ledger(session, "2026-11-30", "2026-11-01", tmp_path)
    overdue = docx.Document(str(loan_files.overdue_list(session, tmp_path)))
    assert "Nothing overdue." in "\n".join(p.text for p in overdue.paragraphs)


def test_no_one_signs_for_their_own_loan(session: Session, numbers: dict[str, str]) -> None:
    _refused(session, Request("zbz", [numbers["report"]], "read", slip_no="借-012",
                              head="zbz"), "B1")
    _refused(session, Request("cjc", [numbers["report"]], "lend", slip_no="借-013",
                              head="cjc", approver="cjc", due_on="2026-12-10"), "B1")


def test_two_requests_for_one_item_cannot_both_pass(session: Session,
                                                    numbers: dict[str, str]) -> None:
    """The database keeps one open loan per item, whatever the order of the checks."""
    import sqlite3

    from store.vault.database import execute

    desk.record(session, Request("lwj", [numbers["report"]], "read", slip_no="借-014",
                                 head="zbz"))
    item = items.by_number(numbers["report"])
    assert item is not None
    with pytest.raises(Exception) as raised:  # a second open loan, bypassing the checks
        execute("INSERT INTO loan (item_id, borrower_id, mode, opened_at, opened_by) VALUES"
                " (?, 1, 'read', 't', 'admin')", (item.id,))
    assert "UNIQUE" in str(raised.value) or isinstance(raised.value, sqlite3.IntegrityError)


def test_an_item_reported_missing_is_refused_at_the_desk(session: Session,
                                                        numbers: dict[str, str]) -> None:
    desk.record(session, Request("lwj", [numbers["report"]], "read", slip_no="借-015",
                                 head="zbz"))
    items.report_missing(session, numbers["report"], "借阅人称已遗失")
    missing = items.by_number(numbers["report"])
    assert missing is not None and missing.status == "missing"
    assert [e.kind for e in items.chain(missing.id)][-1] == "missing"
    assert rows("SELECT count(*) FROM loan WHERE status = 'open'") == [(0,)]
    assert rows("SELECT kind FROM incident") == [("missing",)]
    with pytest.raises(NotAllowed, match="missing"):
        desk.record(session, Request("lwj", [numbers["report"]], "read", slip_no="借-016",
                                     head="zbz"))
    with pytest.raises(InvalidInput):
        items.report_missing(session, numbers["report"], "again")


@pytest.mark.parametrize("code, name, role, unit", [
    ("", "李", "staff", ""), ("LW J", "李", "staff", ""), ("lwj", "李", "staff", ""),
    ("abc", "", "staff", ""), ("abc", "李", "boss", ""), ("abc", "李", "external", "")])
def test_bad_people_are_refused(session: Session, numbers: dict[str, str], code: str,
                                name: str, role: str, unit: str) -> None:
    from store.custody import people

    before = len(people.everyone())
    with pytest.raises(InvalidInput):
        people.add(session, code, name, role, unit=unit)
    assert len(people.everyone()) == before


def test_incidents_are_followed_up_and_a_found_item_keeps_both_events(
        session: Session, numbers: dict[str, str]) -> None:
    from store.custody import incidents

    desk.record(session, Request("lwj", [numbers["report"]], "read", slip_no="借-020",
                                 head="zbz"))
    desk.return_item(session, numbers["report"], "soiled", "封面有茶渍")
    items.report_missing(session, numbers["ledger"], "清点时未找到")
    listed = incidents.listing(open_only=True)
    assert [(i.reg_no, i.kind) for i in listed] == [(numbers["ledger"], "missing"),
                                                   (numbers["report"], "soiled")]
    with pytest.raises(InvalidInput):
        incidents.close(session, listed[1].id, "  ")
    incidents.close(session, listed[1].id, "已清理，通报借阅人")
    with pytest.raises(NotAllowed):
        incidents.close(session, listed[1].id, "again")
    with pytest.raises(NotAllowed):
        incidents.found_again(session, numbers["report"], "不在丢失状态")
    found = incidents.found_again(session, numbers["ledger"], "在B柜找到")
    assert found.status == "in"
    assert [e.kind for e in items.chain(found.id)][-2:] == ["missing", "found"]
    assert [i.reg_no for i in incidents.listing(open_only=True)] == [numbers["ledger"]]
    assert audit.recent(1)[0].action == "item.found"


async def test_closing_an_incident_by_keyboard(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from store import clock
    from store.custody import incidents
    from store.vault.folder import StoreDir
    from tests.conftest import ADMIN_PW
    from tests.desk_fixture import setup
    from tests.tui_support import login, screen_text, settle, type_into
    from tui.app import build_app

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        made = setup(session)
        items.report_missing(session, made["volume"], "清点时未找到")
        session.close()
        app = build_app(folder, lang="en")
        async with app.run_test(size=(100, 30)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await settle(pilot)
            assert "1 incident open for the secrecy officer" in screen_text(pilot)
            await pilot.press("f12", "i")
            await settle(pilot)
            await pilot.press("c")
            await settle(pilot)
            await type_into(pilot, "#reason", "已报保密委员会")
            await settle(pilot)
            assert incidents.listing(open_only=True) == []
            assert "closed: 已报保密委员会" in screen_text(pilot)
