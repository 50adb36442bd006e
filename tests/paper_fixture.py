"""Something of each of the thirteen kinds of Word file, in a small store: the fixture that
tests of paper (footers, fonts, words, metadata) run over every kind with."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from exports import check_files, destruction_files, loan_files, report_files, return_lists
from store import clock
from store.cards import entry as cards
from store.cards import review as card_review
from store.custody import desk, items, people
from store.custody.desk import Request
from store.destruction import batches as destruction
from store.destruction.batches import Arrangements, Execution
from store.report import submission
from store.secrecy import checks
from store.secrecy import register as secrecy
from store.vault.session import Session
from tests import secrecy_fixture
from tests.report_fixture import CASES, insert_cases
from tests.test_return_list import TYPED

Writer = Callable[[Path], Path]


@pytest.fixture(name="kinds")
def kinds_fixture(session: Session, monkeypatch: pytest.MonkeyPatch) -> dict[str, Writer]:
    """A small store holding something of each kind; one writer per kind of Word file."""
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 20, 9).astimezone())
    copies = secrecy_fixture.setup(session)
    people.add(session, "gzm", "郭智明", "supervisor", department="办公室")
    lent = items.register(session, "2026年10月统计报表", "report", "internal", pages="12",
                          location="A柜-1层").reg_no
    old = items.register(session, "2026年第三季度登记卡合订本", "volume", "secret", pages="40",
                         location="A柜-2层").reg_no
    loans = desk.record(session, Request("lwj", [lent], "lend", slip_no="借-011", head="zbz",
                                         approver="cjc", due_on="2026-11-25"))
    batch = destruction.create(session, "到期载体")
    destruction.add(session, batch.id, old, "expired", "")
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    destruction.approve(session, batch.id, Arrangements(
        approver="cjc", approved_on="2026-11-25", reference="销审〔2026〕3号",
        place="本院保密销毁室", method="shred+media", planned_on="2026-11-28", handler="lwj",
        supervisors="jxa gzm"))
    secrecy.distribute(session, copies[0].reg_no, "zbz")
    run = checks.start(session, "quarter")
    checks.mark(session, run.id, copies[0].reg_no)
    returned, _checked = cards.add(session, TYPED)
    card_review.return_card(session, returned, "处理人数多于案件人数，请核对")
    returned_month = card_review.get(returned).month
    insert_cases([c for c in CASES if c.status != "submitted"])  # none waits for review
    for state in submission.departments("2026-11"):
        submission.confirm(session, "2026-11", state.department, "内勤", "20261126")
    submission.submit(session, "2026-11", "市人民检察院", swing_note="结案集中")

    def certificate(folder: Path) -> Path:
        destruction.execute_batch(session, batch.id, Execution(
            "2026-11-30", "jxa gzm", {}, destruction.get(batch.id).number))
        return destruction_files.certificate(session, batch.id, folder)

    return {
        "report": lambda f: report_files.monthly(session, "2026-11", f),
        "revision": lambda f: report_files.revision(session, "2026-11", 1, f),
        "briefing-main": lambda f: report_files.briefing_main(session, "2026-11", f),
        "briefing-tables": lambda f: report_files.briefing_tables(session, "2026-11", f),
        "return-list": lambda f: return_lists.make(session, returned_month, "D01", f),
        "slip": lambda f: loan_files.slip(session, loans, f),
        "loan-ledger": lambda f: loan_files.ledger(session, "2026-11-01", "2026-11-30", f),
        "overdue": lambda f: loan_files.overdue_list(session, f),
        "checklist": lambda f: check_files.checklist(session, run.id, f),
        "register": lambda f: check_files.register(session, "2026-11-01", "2026-11-30", f),
        "checkin": lambda f: check_files.checkin_report(session, run.id, f),
        "manifest": lambda f: destruction_files.manifest(session, batch.id, f),
        "certificate": certificate,  # once the manifest is printed and the batch carried out
    }
