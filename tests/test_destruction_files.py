"""The destruction manifest and certificate as Word, read back (A7, D9)."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from exports import destruction_files, tables_doc
from store import clock
from store.audit import log as audit
from store.custody import items, people
from store.destruction import batches as destruction
from store.destruction.batches import Arrangements, Execution
from store.errors import InvalidInput, RuleRefused
from store.vault.database import rows
from store.vault.session import Session
from tests.desk_fixture import setup


@pytest.fixture
def batch(session: Session, monkeypatch: pytest.MonkeyPatch) -> destruction.Batch:
    """An approved batch of six items (a USB drive among them) with three supervisors, opened
    on 20 November and approved on the 25th; the clock is back on the 30th."""
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 20, 9).astimezone())
    numbers = setup(session)
    people.add(session, "jxa", "蒋秀安", "supervisor", department="纪检监察室")
    people.add(session, "gzm", "郭智明", "supervisor", department="办公室")
    people.add(session, "wjy", "王静怡", "supervisor", department="政治部")
    numbers["usb"] = items.register(session, "统计数据U盘", "usb", "secret").reg_no
    numbers["draft"] = items.register(session, "报表草稿", "report", "internal", copy_no="2",
                                      copies="3", pages="40").reg_no
    made = destruction.create(session, "2026年下半年到期载体")
    for key, reason, note in [("report", "expired", ""), ("volume", "superseded", ""),
                              ("secret", "expired", ""), ("ledger", "other", "台账已重新装订"),
                              ("usb", "damaged", ""), ("draft", "waste", "")]:
        destruction.add(session, made.id, numbers[key], reason, note)
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    return destruction.approve(session, made.id, Arrangements(
        approver="cjc", approved_on="2026-11-25", reference="销审〔2026〕3号",
        place="本院保密销毁室", method="shred+media", planned_on="2026-11-28", handler="lwj",
        supervisors="jxa gzm wjy"))


def _cells(table: object) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]  # type: ignore[attr-defined]


def _text(document: object) -> str:
    return "\n".join(p.text for p in document.paragraphs)  # type: ignore[attr-defined]


def _printed_sha(document: object, label: str = "SHA-256 of this list: ") -> str:
    """The digest printed in the body after `label`; its first 16 characters in the footer
    of every page, with the batch number and the page of how many."""
    [sha] = [p.text.removeprefix(label) for p in document.paragraphs  # type: ignore[attr-defined]
             if p.text.startswith(label)]
    assert re.fullmatch(r"[0-9a-f]{64}", sha), sha
    footer = document.sections[0].footer._element  # type: ignore[attr-defined]
    said = "".join(t.text or "" for t in footer.iter(qn("w:t")))
    assert f"销-2026-001 · SHA-256 (first 16): {sha[:16]}" in said, said
    return str(sha)


def _laid_out(document: object) -> None:
    """Landscape A4, East Asian fonts, header rows repeated, tables within the text width, the
    page number field in the footer."""
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    title = document.paragraphs[0].runs[0]._r.rPr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    assert title.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = document.element.body  # type: ignore[attr-defined]
    runs = [*body.iter(qn("w:r")), *document.sections[0].footer._element.iter(qn("w:r"))]  # type: ignore[attr-defined]
    bare = [r for r in runs if r.find(qn("w:rPr")) is None
            or r.find(qn("w:rPr")).find(qn("w:rFonts")) is None
            or not r.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia"))]
    assert len(runs) > 20 and bare == []  # the East Asian font on every run
    section = document.sections[0]  # type: ignore[attr-defined]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in document.tables:  # type: ignore[attr-defined]
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
        assert sum(column.width for column in table.columns) <= text_width + 1000
    footer = section.footer._element
    assert "PAGE" in [(i.text or "").strip() for i in footer.iter(qn("w:instrText"))]


def _logged(path: Path, action: str) -> dict[str, object]:
    entry = next(e for e in audit.recent(5) if e.action == action)
    details: dict[str, object] = json.loads(entry.new or "{}")
    assert details["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    return details


def test_the_manifest_lists_every_item_with_totals_signatures_and_its_digest(
        session: Session, batch: destruction.Batch, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    written = tables_doc.write
    status_while_writing: list[str] = []

    def watched(path: Path, document: tables_doc.TablesDocument) -> None:
        status_while_writing.append(destruction.get(batch.id).status)
        written(path, document)

    monkeypatch.setattr(tables_doc, "write", watched)
    path = destruction_files.manifest(session, batch.id, tmp_path)
    assert status_while_writing == ["approved"]  # printed only once the file is there
    assert path == tmp_path / "manifest-2026-001.docx"
    document = docx.Document(str(path))
    text = _text(document)
    assert document.paragraphs[0].text == "Destruction manifest"
    for said in ["测试县人民检察院", "Destruction batch 销-2026-001: 6 items",
                 "Approved by 陈检察长 on 2026-11-25, reference 销审〔2026〕3号",
                 "To be destroyed at 本院保密销毁室 on 2026-11-28: shredding; degaussing and "
                 "physical destruction", "Handler: 李文杰; supervisors: 蒋秀安, 郭智明, 王静怡",
                 "Note: 2026年下半年到期载体"]:
        assert said in text, said
    totals, listed = (_cells(t) for t in document.tables)  # the items signed with their end
    assert listed[0] == ["No.", "Number", "Title", "Classification", "Copy",
                         "Pages or quantity", "Kind", "Reason"]
    lines = destruction.lines(batch.id)
    assert [row[:2] for row in listed[1:]] == [[str(n), line.reg_no]
                                               for n, line in enumerate(lines, 1)]
    assert listed[1][2:] == ["2026年10月统计报表", "internal 内部", "1/1", "12", "monthly report",
                             "retention period over"]
    assert listed[4][7] == "other (see the note): 台账已重新装订"
    assert listed[5][2:] == ["统计数据U盘", "secret 秘密", "1/1", "1 piece", "USB drive",
                             "damaged beyond use"]
    assert listed[6][4:] == ["2/3", "40", "monthly report", "drafts and printing waste (D6)"]
    assert totals == [["Classification", "Items", "Pages"], ["internal 内部", "3", "64"],
                      ["secret 秘密", "2", "12"], ["confidential 机密", "1", "12"],
                      ["Total", "6", "88"]]
    signing = text[text.index("All 6 items of batch 销-2026-001 listed above were destroyed "
                              "beyond reconstruction in our presence."):]
    for who in ["Approving leader 陈检察长 (signature): ____", "Handler 李文杰 (signature): ____",
                "Destruction supervisor 蒋秀安 (signature): ____",
                "Destruction supervisor 郭智明 (signature): ____",
                "Destruction supervisor 王静怡 (signature): ____", "Date carried out: ____"]:
        assert who in signing, who
    _laid_out(document)
    printed = destruction.get(batch.id)
    assert printed.status == "printed" and printed.printed_at
    assert _printed_sha(document) == printed.list_sha256 == destruction.text_digest(
        destruction_files.manifest_text(printed, lines)) == destruction.text_digest(
        printed.list_text)
    details = _logged(path, "export.manifest")
    assert (details["batch"], details["items"], details["list_sha256"], details["reprint"]) == (
        "销-2026-001", 6, printed.list_sha256, False)
    assert [e.action for e in audit.recent(2)] == ["batch.print", "export.manifest"]

    again = docx.Document(str(destruction_files.manifest(session, batch.id, tmp_path)))
    assert _printed_sha(again) == printed.list_sha256  # a reprint: the same list, the same digest
    assert destruction.get(batch.id).printed_at == printed.printed_at
    assert _logged(path, "export.manifest")["reprint"] is True


def test_a_manifest_that_cannot_be_written_leaves_the_batch_approved(
        session: Session, batch: destruction.Batch, tmp_path: Path) -> None:
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder")
    before = audit.recent(1)[0].id
    with pytest.raises(InvalidInput, match="cannot write"):
        destruction_files.manifest(session, batch.id, in_the_way / "manifest.docx")
    unchanged = destruction.get(batch.id)
    assert (unchanged.status, unchanged.list_sha256, unchanged.printed_at) == ("approved", "", "")
    assert audit.recent(1)[0].id == before
    destruction_files.manifest(session, batch.id, tmp_path / "out.docx")
    assert (tmp_path / "out.docx").is_file()
    assert destruction.get(batch.id).status == "printed"


def test_a_draft_or_cancelled_batch_has_no_manifest(session: Session, batch: destruction.Batch,
                                                    tmp_path: Path) -> None:
    draft = destruction.create(session)
    before = audit.recent(1)[0].id
    with pytest.raises(RuleRefused, match=r"^A7: batch 销-2026-002 is draft: it is printed"):
        destruction_files.manifest(session, draft.id, tmp_path / "out")
    destruction.cancel(session, batch.id, "计划调整")
    cancelled = audit.recent(1)[0].id
    with pytest.raises(RuleRefused, match="is cancelled"):
        destruction_files.manifest(session, batch.id, tmp_path / "out")
    assert audit.recent(1)[0].id == cancelled > before and not (tmp_path / "out").exists()
    assert destruction.get(draft.id).status == "draft"


def test_the_certificate_of_a_batch_carried_out(session: Session, batch: destruction.Batch,
                                                tmp_path: Path) -> None:
    sha = _printed_sha(docx.Document(str(destruction_files.manifest(session, batch.id,
                                                                    tmp_path))))
    lines = destruction.lines(batch.id)
    volume = lines[1].reg_no
    destruction.execute_batch(session, batch.id, Execution(
        "2026-11-30", "jxa，gzm", {volume: "案件重新启动，暂缓销毁"}, "销-2026-001"))

    path = destruction_files.certificate(session, batch.id, tmp_path)
    assert path == tmp_path / "certificate-2026-001.docx"
    document = docx.Document(str(path))
    text = _text(document)
    assert document.paragraphs[0].text == "Destruction certificate"
    for said in ["测试县人民检察院", "Destruction batch 销-2026-001: 5 items destroyed, 1 kept",
                 "Carried out on 2026-11-30 at 本院保密销毁室: shredding; degaussing and "
                 "physical destruction",
                 "Approved by 陈检察长 on 2026-11-25, reference 销审〔2026〕3号",
                 "Handler: 李文杰; supervisors present: 蒋秀安, 郭智明",
                 "Named as supervisors but not present: 王静怡",
                 "The 5 items of batch 销-2026-001 listed as destroyed were destroyed beyond "
                 "reconstruction on 2026-11-30 at 本院保密销毁室, in the presence of the "
                 "supervisors named above.", "Handler 李文杰 (signature): ____",
                 "Destruction supervisor 蒋秀安 (signature): ____",
                 "Destruction supervisor 郭智明 (signature): ____", "Date: 2026-11-30"]:
        assert said in text, said
    assert "Destruction supervisor 王静怡" not in text
    totals, gone, kept = (_cells(t) for t in document.tables)
    assert gone[0] == ["No.", "Number", "Title", "Classification", "Copy",
                       "Pages or quantity", "Kind"]
    assert [row[:2] for row in gone[1:]] == [[str(n), line.reg_no] for n, line
                                             in enumerate(lines, 1) if line.reg_no != volume]
    assert kept == [["No.", "Number", "Title", "Classification", "Why"],
                    ["2", volume, "2026年第三季度登记卡合订本", "secret 秘密",
                     "案件重新启动，暂缓销毁"]]
    assert totals == [["Classification", "Destroyed", "Kept"], ["internal 内部", "3", "0"],
                      ["secret 秘密", "1", "1"], ["confidential 机密", "1", "0"],
                      ["Total", "5", "1"]]
    done = destruction.get(batch.id)
    assert sha == done.list_sha256 and f"SHA-256 of the manifest it refers to: {sha}" in text
    own = _printed_sha(document, "SHA-256 of this certificate: ")
    assert own == done.certificate_sha256 == destruction.text_digest(done.certificate_text)
    _laid_out(document)
    details = _logged(path, "export.certificate")
    assert (details["destroyed"], details["kept"], details["list_sha256"]) == (5, 1, sha)


def test_a_certificate_only_once_carried_out(session: Session, batch: destruction.Batch,
                                             tmp_path: Path) -> None:
    with pytest.raises(RuleRefused, match="is approved: its certificate is made once"):
        destruction_files.certificate(session, batch.id, tmp_path / "out")
    destruction.mark_printed(session, batch.id)
    before = audit.recent(1)[0].id
    with pytest.raises(RuleRefused, match=r"^A7: batch 销-2026-001 is printed for signing: its "
                                          "certificate is made once the destruction is"):
        destruction_files.certificate(session, batch.id, tmp_path / "out")
    with pytest.raises(InvalidInput, match=r"no destruction batch #99$"):
        destruction_files.certificate(session, 99, tmp_path / "out")
    assert audit.recent(1)[0].id == before and not (tmp_path / "out").exists()


def test_a_batch_is_found_by_its_number_or_id(session: Session,
                                              batch: destruction.Batch) -> None:
    for typed in ("销-2026-001", " 销－２０２６－００１ ", str(batch.id), f"#{batch.id}"):
        assert destruction_files.find(typed).id == batch.id, typed
    for typed, said in [("销-2026-009", "no destruction batch 销-2026-009"),
                        ("99", "no destruction batch #99"),
                        ("99999999999999999999", "no destruction batch #")]:
        with pytest.raises(InvalidInput, match=said):
            destruction_files.find(typed)
    assert rows("SELECT count(*) FROM destruction_batch") == [(1,)]
