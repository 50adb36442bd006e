"""Issue 19, point 1: the destruction manifest's SHA-256 is of what is printed — the lines
under the title from the approval on, and every row of its table, as printed — in a canonical
form the manifest states; every page names its page of how many, the batch, the digest's first
16 characters and has a line for initials; the store keeps the text printed, so a reprint
(in the language first printed) carries the same digest and `statdesk export verify` names
each line of a file that differs. The certificate likewise."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import docx
import pytest

from exports import canonical, destruction_files
from store import clock, i18n, migrations
from store.custody import items, people
from store.destruction import batches as destruction
from store.destruction.batches import Arrangements, Execution
from store.vault.database import db, execute
from store.vault.folder import StoreDir
from store.vault.session import Session
from tests.conftest import ADMIN_PW, Store
from tests.desk_fixture import setup

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def zh() -> Iterator[None]:
    i18n.set_language("zh")
    try:
        yield
    finally:
        i18n.set_language("en")


def _batch(session: Session) -> destruction.Batch:
    """An approved batch of four items, one 秘密, with two supervisors."""
    numbers = setup(session)
    people.add(session, "jxa", "蒋秀安", "supervisor", department="纪检监察室")
    people.add(session, "gzm", "郭智明", "supervisor", department="办公室")
    numbers["usb"] = items.register(session, "统计数据U盘", "usb", "secret").reg_no
    made = destruction.create(session, "到期载体")
    for key, reason in [("report", "expired"), ("volume", "superseded"), ("usb", "damaged"),
                        ("ledger", "expired")]:
        destruction.add(session, made.id, numbers[key], reason)
    return destruction.approve(session, made.id, Arrangements(
        approver="cjc", approved_on="2026-11-30", reference="销审〔2026〕3号",
        place="本院保密销毁室", method="shred+media", planned_on="2026-11-30", handler="lwj",
        supervisors="jxa gzm"))


def _footer(path: Path) -> tuple[str, list[str]]:
    """The footer's words and its fields' instructions."""
    with zipfile.ZipFile(path) as package:
        xml = b"".join(package.read(name) for name in package.namelist()
                       if name.startswith("word/footer"))
    from lxml import etree

    said, fields = "", []
    for part in xml.split(b"<?xml")[1:]:
        root = etree.fromstring(b"<?xml" + part)
        said += "".join(t.text or "" for t in root.iter(W + "t"))
        fields += [(i.text or "").strip().split(" ")[0] for i in root.iter(W + "instrText")]
        fields += [(f.get(W + "instr") or "").strip().split(" ")[0]
                   for f in root.iter(W + "fldSimple")]
    return said, fields


def _body(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


@pytest.mark.usefixtures("zh")
def test_the_digest_is_of_the_printed_lines_and_every_page_says_it(
        session: Session, tmp_path: Path) -> None:
    batch = _batch(session)
    path = destruction_files.manifest(session, batch.id, tmp_path)
    printed = destruction.get(batch.id)
    read = destruction_files.read(path)
    assert (read.kind, read.lang, read.number) == ("manifest", "zh", "销-2026-001")
    sha = hashlib.sha256("\n".join(read.lines).encode("utf-8")).hexdigest()
    assert sha == read.printed == printed.list_sha256  # the paper's lines give its digest
    assert read.text == printed.list_text and printed.list_lang == "zh"
    first, *rest = read.lines
    assert first == "销毁批次：销-2026-001，共 4 件" and rest[0].startswith("批准人：陈检察长")
    assert "经办人：李文杰；监销人：蒋秀安、郭智明" in rest
    assert len(rest) == 4 + 1 + 4  # approval, arrangements, handler, note; the table's
    assert rest[4] == "拟销毁载体"  # heading, then its four rows (not the header)
    assert rest[5].split("|")[2:] == ["2026年10月统计报表", "内部", "1/1", "12", "月度统计报表",
                                      "保管期限已满"]  # the words printed, not the codes
    assert "|秘密|" in rest[7] and "secret" not in read.text and "expired" not in read.text
    body = _body(path)
    assert ("本清单 SHA-256 的计算方法" in body or "SHA-256 的计算方法" in body) and sha in body
    said, fields = _footer(path)
    assert "PAGE" in fields and "NUMPAGES" in fields
    assert "销-2026-001" in said and sha[:16] in said and sha not in said
    blanks = "\u3000".join(["______"] * 3)  # the handler and the two supervisors: one each
    assert said.count(f"逐页签名：{blanks}") == said.count("逐页签名") >= 1, said
    assert f"{blanks}\u3000______" not in said


def test_a_reprint_in_another_language_carries_the_same_digest(
        session: Session, tmp_path: Path) -> None:
    batch = _batch(session)
    i18n.set_language("zh")
    try:
        first = destruction_files.manifest(session, batch.id, tmp_path / "first.docx")
    finally:
        i18n.set_language("en")
    again = destruction_files.manifest(session, batch.id, tmp_path / "again.docx")
    assert i18n.language() == "en"  # the screen's language is given back
    one, two = destruction_files.read(first), destruction_files.read(again)
    assert two.lang == "zh" and one.lines == two.lines and one.printed == two.printed
    assert two.printed == destruction.get(batch.id).list_sha256
    destruction.execute_batch(session, batch.id, Execution("2026-11-30", "jxa gzm", {},
                                                           "销-2026-001"))
    made = destruction_files.certificate(session, batch.id, tmp_path / "cert.docx")
    done = destruction.get(batch.id)
    read = destruction_files.read(made)
    assert read.kind == "certificate" and read.lang == "en"
    assert read.printed == done.certificate_sha256 == destruction.text_digest(read.text)
    assert read.text == done.certificate_text and f"refers to: {done.list_sha256}" in _body(made)
    # the batch, carried out, approval, handler, the manifest's digest; the table's heading
    assert len(read.lines) == 5 + 1 + 4 and read.lines[5] == "Items destroyed"  # and 4 rows
    assert read.lines[4] == f"SHA-256 of the manifest it refers to: {done.list_sha256}"
    said, _fields = _footer(made)
    assert done.certificate_sha256[:16] in said


def _cli_batch(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9).astimezone())
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        batch = _batch(session)
        path = destruction_files.manifest(session, batch.id, tmp_path / "m.docx")
        session.close()
    return path


def test_verify_passes_a_fresh_manifest_and_names_a_changed_line(  # type: ignore[no-untyped-def]
        store: Store, cli_run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _cli_batch(store, tmp_path, monkeypatch)
    auth = ["--data-dir", str(store.root), "--user", "admin", "--password-stdin"]
    ok = cli_run(["export", "verify", str(path), *auth], f"{ADMIN_PW}\n")
    assert ok.code == 0, ok.err
    assert ok.out.startswith("OK: ") and "销-2026-001" in ok.out
    assert destruction_files.read(path).printed in ok.out

    changed = docx.Document(str(path))
    cell = next(t for t in changed.tables if t.rows[0].cells[0].text == "No.").rows[2].cells[2]
    was = cell.text
    cell.paragraphs[0].runs[0].text = "2026年第三季度登记卡合订本（副）"
    changed.save(str(tmp_path / "changed.docx"))
    bad = cli_run(["export", "verify", str(tmp_path / "changed.docx"), *auth], f"{ADMIN_PW}\n")
    assert bad.code == 1, bad.err
    named = [line for line in bad.out.splitlines() if line.strip().startswith("line ")]
    assert len(named) == 1 and named[0].strip().startswith("line 8: the file has ")
    assert "（副）" in named[0] and was in named[0]

    (tmp_path / "not.docx").write_text("not a Word file")
    for target, said in ((tmp_path / "not.docx", "is not a Word (.docx) file"),
                         (tmp_path / "missing.docx", "no file ")):
        refused = cli_run(["export", "verify", str(target), *auth], "")  # no password asked
        assert refused.code == 2 and refused.err.count("\n") == 1, refused.err
        assert said in refused.err and "Error" not in refused.err and not refused.out
    other = docx.Document(str(path))
    other.paragraphs[0].runs[0].text = "Monthly report"
    other.save(str(tmp_path / "other.docx"))
    refused = cli_run(["export", "verify", str(tmp_path / "other.docx"), *auth], "")
    assert refused.code == 2 and "is not a destruction manifest or certificate" in refused.err
    unknown = docx.Document(str(path))
    line = unknown.paragraphs[2]
    line.runs[0].text = line.text.replace("销-2026-001", "销-2026-009")
    unknown.save(str(tmp_path / "unknown.docx"))
    refused = cli_run(["export", "verify", str(tmp_path / "unknown.docx"), *auth],
                      f"{ADMIN_PW}\n")
    assert refused.code == 2 and "销-2026-009, which is not on record" in refused.err


def test_verify_says_so_in_chinese(store: Store, cli_run, tmp_path: Path,  # type: ignore[no-untyped-def]
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = _cli_batch(store, tmp_path, monkeypatch)
    changed = docx.Document(str(path))
    items = next(t for t in changed.tables if t.rows[0].cells[0].text == "No." and
                 t.rows[0].cells[1].text == "Number")
    items.rows[1].cells[2].paragraphs[0].runs[0].text = "改过的标题"
    changed.save(str(tmp_path / "changed.docx"))
    auth = ["--data-dir", str(store.root), "--user", "admin", "--password-stdin"]
    bad = cli_run(["--lang", "zh", "export", "verify", str(tmp_path / "changed.docx"), *auth],
                  f"{ADMIN_PW}\n")
    assert bad.code == 1 and "第 7 行：文件中为「" in bad.out and "」，记录为「" in bad.out, bad.out


def test_a_list_printed_before_is_reprinted_with_its_old_digest_said_so(
        session: Session, tmp_path: Path) -> None:
    """A batch printed before schema 21 has no text on record: its reprint prints the digest
    it had, saying it cannot be computed again from the paper."""
    batch = _batch(session)
    old = destruction.digest(destruction.lines(batch.id))
    with db.atomic():  # as statdesk 0.5 left it
        execute("UPDATE destruction_batch SET status = 'printed', printed_at = 't',"
                " list_sha256 = ? WHERE id = ?", (old, batch.id))
    path = destruction_files.manifest(session, batch.id, tmp_path)
    body = _body(path)
    assert f"SHA-256 of this list: {old}" in body and "cannot be computed again" in body
    assert "How this list's SHA-256 is computed" not in body
    assert destruction.get(batch.id).list_text == ""  # the record of what was signed stays
    assert destruction_files.read(path).printed == old


def test_schema_21_adds_the_printed_texts() -> None:
    numbers = {m.number: m.name for m in migrations.available()}
    assert numbers[21] == "printed lists" and migrations.shipped_schema() >= 21


def test_the_canonical_text_joins_cells_and_lines() -> None:
    assert canonical.text_of(["a", "b"], [["1", "x"], ["2", "y"]]) == "a\nb\n1|x\n2|y"
    assert canonical.differences(["a", "b"], ["a", "c", "d"]) == [
        "line 2: the file has “b”, the record has “c”",
        "line 3: missing from the file; the record has “d”"]


def test_a_kept_row_moved_among_the_destroyed_and_a_bar_in_a_title_are_seen(
        session: Session, tmp_path: Path) -> None:
    """Each hashed table's heading is in the text, so a row cannot move from one table to
    another unseen; a "|" typed in a title prints as "｜", so a cell's end cannot move."""
    batch = _batch(session)
    listed = destruction.lines(batch.id)
    execute("UPDATE item SET title = '报表|机密' WHERE reg_no = ?", (listed[0].reg_no,))
    destruction_files.manifest(session, batch.id, tmp_path / "m.docx")
    kept = listed[-1].reg_no
    destruction.execute_batch(session, batch.id, Execution("2026-11-30", "jxa gzm",
                                                           {kept: "经核查仍需保留"}, batch.number))
    path = destruction_files.certificate(session, batch.id, tmp_path / "c.docx")
    record = destruction.get(batch.id)
    assert "报表｜机密" in record.list_text and "报表|机密" not in record.list_text
    forged = docx.Document(str(path))
    gone, still = (t for t in forged.tables if t.rows[0].cells[0].text == "No.")
    gone._tbl.append(still._tbl.tr_lst[1])  # the kept row, now among the destroyed
    heading = still._tbl.getprevious()
    still._tbl.getparent().remove(still._tbl)
    heading.getparent().remove(heading)
    forged.save(str(tmp_path / "forged.docx"))
    read = destruction_files.read(tmp_path / "forged.docx")
    assert read.text != record.certificate_text
    assert canonical.differences(read.lines, record.certificate_text.split("\n"))
