"""The department's Word return list: what it holds, and the official layout.

The list prints the problems and the reason of each card's return as they stood then: the
cards are returned on 2026-11-30, then the clock goes back to 2026-10-01 (today's check would
find their dates in the future, R09/R10) before the lists are printed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from exports import return_lists
from store import clock, i18n, operators
from store.audit import labels as audit_labels
from store.audit import log as audit
from store.cards import entry as cards
from store.cards import review as card_review
from store.cards.entry import CardInput
from store.vault.database import execute
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths
from tests.conftest import ADMIN_PW, CLERK_PW, Store

TYPED = CardInput(department="D01", business_type="SCQS", case_no="某检刑诉〔2026〕501号",
                  case_name="郑某诈骗案", charge="C02", persons="1", accepted_on="20261009",
                  concluded_on="20261118", outcome="TQGS", outcome_persons="3")
REASON = "处理人数多于案件人数，请核对"
LEGACY_REASON = "请补录统一受案号"


@dataclass(frozen=True)
class Made:
    en: Path
    zh: Path
    logged: audit.AuditRecord
    history: card_review.HistoryEntry
    month: str


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Made]:
    """One store: a card returned with R05 and R18, one returned before the problems were
    kept (its history entry rewritten as an older version left it); both lists printed on a
    day when today's check differs."""
    root = tmp_path_factory.mktemp("return-list")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
        with StoreDir(DataPaths(root / "data"), create=True) as folder:
            new = folder.init("admin", ADMIN_PW, "测试县人民检察院", "王管理")
            operators.add(new.session, "clerk", "clerk", CLERK_PW, "李统计")
            session = new.session
            both, _checked = cards.add(session, replace(TYPED, case_no="某检刑诉〔2025〕501号"))
            legacy, _checked = cards.add(session, replace(TYPED, case_no="某检刑诉〔2026〕502号"))
            card_review.return_card(session, both, REASON)
            card_review.return_card(session, legacy, LEGACY_REASON)
            execute("UPDATE card_history SET new = ? WHERE card_id = ? AND action = 'returned'",
                    ('{"status": "returned"}', legacy))
            history = card_review.history(both)[-1]
            month = card_review.get(both).month
            patch.setattr(clock, "now", lambda: datetime(2026, 10, 1, 9).astimezone())
            assert {v.code for v in cards.validate(card_review.get(both).as_input(),
                                                   both).problems} >= {"R09", "R10"}
            (root / "en").mkdir()
            (root / "zh").mkdir()
            en = return_lists.make(session, month, "D01", root / "en")
            logged = audit.recent(1)[0]
            i18n.set_language("zh")
            try:
                zh = return_lists.make(session, month, "D01", root / "zh")
            finally:
                i18n.set_language("en")
            session.close()
    yield Made(en, zh, logged, history, month)


def _body(path: Path) -> list[list[str]]:
    table = docx.Document(str(path)).tables[0]
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def test_the_list_prints_the_problems_found_at_the_return(made: Made) -> None:
    kept, legacy = _body(made.en)
    assert kept[1] == "某检刑诉〔2025〕501号" and kept[4] == REASON
    assert kept[3].startswith("R05 ") and "; R18 " in kept[3]
    assert "R09" not in kept[3] and "R10" not in kept[3]  # today's check is not printed
    assert legacy[1] == "某检刑诉〔2026〕502号" and legacy[4] == LEGACY_REASON
    assert legacy[3] == "(not recorded at the return)"


def test_the_chinese_list_says_them_in_chinese(made: Made) -> None:
    kept, legacy = _body(made.zh)
    i18n.set_language("zh")
    try:
        r05 = i18n._("{n} persons in the outcome, but the card has only {total}").format(
            n=3, total=1)
    finally:
        i18n.set_language("en")
    assert r05 != "3 persons in the outcome, but the card has only 1"
    assert kept[3].startswith(f"R05 {r05}；R18 ") and "; " not in kept[3]
    assert legacy[3] == "（退回时未记录）"


def test_the_return_keeps_its_problems_in_the_card_history(made: Made) -> None:
    entry = made.history
    assert (entry.action, entry.reason) == ("returned", REASON)
    assert entry.new is not None and [p["code"] for p in entry.new["problems"]] == ["R05", "R18"]
    assert entry.new["problems"][0]["params"] == {"n": 3, "total": 1}
    assert "Problems found: - -> R05, R18" in audit_labels.change_words(entry.old, entry.new)


def test_the_list_is_logged_with_its_details(made: Made) -> None:
    assert made.en.name == f"return-list-D01-{made.month}.docx"
    assert (made.logged.action, made.logged.entity_id) == ("export.return_list", made.en.name)
    import json

    details = json.loads(made.logged.new or "{}")
    assert (details["cards"], details["month"], details["department"]) == (2, made.month, "D01")


def test_the_layout_gives_the_reason_room_and_keeps_case_numbers_whole(made: Made) -> None:
    document = docx.Document(str(made.en))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Return list of case registration cards" in text and "测试县人民检察院" in text
    assert "Made by 王管理 on 2026-10-01." in text and "admin" not in text
    table = document.tables[0]
    header = table.rows[0]._tr.trPr
    assert header is not None and header.find(qn("w:tblHeader")) is not None
    widths = [int(col.get(qn("w:w"))) / 56.7 for col in table._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert widths[4] == max(widths)  # the department's instruction has the most room
    assert widths[1] >= 50  # "某检刑诉〔2025〕501号" in 小四 on one line
    section = document.sections[0]
    sizes = [section.top_margin, section.left_margin, section.page_width, section.page_height]
    assert [round((size or 0) / 36000) for size in sizes] == [37, 28, 297, 210]  # EMU in mm
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_the_list_is_a_tables_document() -> None:
    from exports import return_list

    data = return_list.ReturnList("测试县人民检察院", "刑事检察部", "2026-10", "王管理",
                                  "2026-10-01", [return_list.ReturnedCard(
                                      "某检刑诉〔2026〕501号", "郑某诈骗案", "", REASON)])
    document = return_list.document(data, return_lists.labels(1))
    assert document.sections[0].whole >= {1}  # case numbers never break
    assert document.signatures[0] == "Made by 王管理 on 2026-10-01."


def test_no_returned_cards_no_list(store: Store, tmp_path: Path) -> None:
    from store.errors import InvalidInput

    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        with pytest.raises(InvalidInput, match="no returned cards"):
            return_lists.make(session, "2026-11", "D01", tmp_path / "out")
        session.close()
    assert not (tmp_path / "out").exists()
