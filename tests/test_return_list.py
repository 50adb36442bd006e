"""The department's Word return list: what it holds, and the official layout."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import docx
from docx.oxml.ns import qn

from exports import return_lists
from store.cards import entry as cards
from store.cards import review as card_review
from store.cards.entry import CardInput
from store.vault.folder import StoreDir
from tests.conftest import ADMIN_PW, Store

TYPED = CardInput(department="D01", business_type="SCQS", case_no="某检刑诉〔2026〕501号",
                  case_name="郑某诈骗案", charge="C02", persons="1", accepted_on="20261009",
                  concluded_on="20261118", outcome="TQGS", outcome_persons="3")


def test_return_list_names_each_returned_card_and_its_problems(store: Store,
                                                               tmp_path: Path) -> None:
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        ids = []
        for n in range(3):
            card_id, _checked = cards.add(session, replace(TYPED,
                                                           case_no=f"某检刑诉〔2026〕{501 + n}号"))
            card_review.return_card(session, card_id, "处理人数多于案件人数，请核对")
            ids.append(card_id)
        month = card_review.get(ids[0]).month
        path = return_lists.make(session, month, "D01", tmp_path)
        from store.audit import log as audit

        assert audit.recent(1)[0].action == "export.return_list"
        session.close()
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Return list of case registration cards" in text and "测试县人民检察院" in text
    table = document.tables[0]
    assert len(table.rows) == 4
    body = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [row[1] for row in body] == [f"某检刑诉〔2026〕{501 + n}号" for n in range(3)]
    assert all("R05" in row[3] and "请核对" in row[4] for row in body)
    header = table.rows[0]._tr.trPr
    assert header is not None and header.find(qn("w:tblHeader")) is not None
    section = document.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_no_returned_cards_no_list(store: Store, tmp_path: Path) -> None:
    import pytest

    from store.errors import InvalidInput

    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        with pytest.raises(InvalidInput, match="no returned cards"):
            return_lists.make(session, "2026-11", "D01", tmp_path / "out")
        session.close()
    assert not (tmp_path / "out").exists()
