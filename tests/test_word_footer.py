"""Every Word file prints the audit head in its footer (issue 15): number and hash of the last
entry before the file's own export entry, so that a store rolled back after the paper was made
no longer matches it."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest

from exports import (
    carrier,
    docx_base,
    report_files,
)
from store import i18n, settings
from store.audit import log as audit
from store.vault.database import rows
from store.vault.folder import StoreDir
from store.vault.session import Session
from tests.conftest import ADMIN_PW, Store
from tests.paper_fixture import Writer, kinds_fixture  # noqa: F401 (the fixture `kinds`)

LABELS = {"en": "audit log", "zh": "审计日志"}
HEAD = re.compile(r"#(\d+) · ([0-9a-f]{16})…")


def _footer_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "".join(package.read(name).decode("utf-8") for name in package.namelist()
                       if name.startswith("word/footer"))


def _footer_lines(path: Path, even: bool = False) -> list[str]:
    """The small lines under the page number (the footer's first paragraph)."""
    section = docx.Document(str(path)).sections[0]
    footer = section.even_page_footer if even else section.footer
    return [paragraph.text for paragraph in footer.paragraphs[1:]]


def _width_mm(text: str, points: float) -> float:
    """A generous estimate of the printed width: a wide (or ambiguous) character takes a full
    em, any other 0.6 em (more than the digits and letters of any font a workstation has)."""
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.6 for c in text)
    return ems * points * 25.4 / 72


def _fits(path: Path) -> None:
    """Each small line of the footer within the text width (the page number has its own)."""
    section = docx.Document(str(path)).sections[0]
    edges = (section.page_width, section.left_margin, section.right_margin)
    assert None not in edges
    page, left, right = (int(edge or 0) for edge in edges)
    text_mm = (page - left - right) / 36000  # EMU
    lines = _footer_lines(path)
    widths = [_width_mm(line, docx_base.FOOTER_SIZE.pt) for line in lines]
    assert max(widths) <= text_mm, (path.name, lines, widths, text_mm)


def _entry(entry_id: int) -> tuple[str, str, str, str]:
    action, new, prev_hash, digest = rows(
        "SELECT action, new, prev_hash, hash FROM audit WHERE id = ?", (entry_id,))[0]
    return str(action), str(new), str(prev_hash), str(digest)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_word_file_prints_the_head_before_its_own_export_entry(
        kinds: dict[str, Writer], tmp_path: Path, lang: str) -> None:
    i18n.set_language(lang)
    assert len(kinds) == 13
    for kind, writer in kinds.items():
        path = writer(tmp_path / kind)
        lines = _footer_lines(path)
        found = HEAD.search(lines[-1])
        assert found and lines[-1].startswith(LABELS[lang] + " #"), (kind, lines)
        printed_id, printed_hash = int(found[1]), found[2]
        export = printed_id + 1  # the file's own entry follows the head it prints
        action, new, prev_hash, _digest = _entry(export)
        assert action.startswith("export."), (kind, action)
        details = json.loads(new)
        assert details["file"] == str(path) and details["audit_head"] == printed_id
        assert _entry(printed_id)[3].startswith(printed_hash) and prev_hash.startswith(
            printed_hash)
        assert f"#{printed_id}" in _footer_xml(path) and printed_hash in _footer_xml(path)
        xml = docx.Document(str(path)).sections[0].footer.paragraphs[0]._p.xml
        assert "PAGE" in xml and "fldChar" in xml, kind  # the page number is still there
        assert _footer_lines(path, even=True) == lines, kind  # even pages print them too
        if kind in ("manifest", "certificate"):  # the list's digest keeps a line of its own
            assert len(lines) >= 2 and re.search(r"\b[0-9a-f]{16,64}\b", lines[0]), lines
        elif kind != "return-list":
            assert len(lines) == 1, (kind, lines)
        _fits(path)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("landscape", [False, True])
def test_the_longest_footer_fits_a4_either_way(tmp_path: Path, lang: str,
                                               landscape: bool) -> None:
    """A head numbered in the billions; a list's page count, number and digest above it on
    the landscape pages that print one (the destruction manifest and certificate)."""
    i18n.set_language(lang)
    path = tmp_path / "footer.docx"
    digest = "f" * 64
    listed = ("第 {page} 页 共 {pages} 页 · 销-2026-001 · " + digest[:16] + "\n"
              + "SHA-256 " + digest) if landscape else ""
    doc = docx_base.new_document(landscape, listed, carrier.audit_line((2**31, digest)))
    doc.save(str(path))
    assert _footer_lines(path)[-1].startswith(LABELS[lang] + " #2147483648 · ffff")
    _fits(path)


def test_a_writer_that_leaves_the_head_out_is_refused(session: Session,
                                                      tmp_path: Path) -> None:
    before = audit.head()

    def forgetful(path: Path, _head: str) -> None:
        docx_base.new_document().save(str(path))

    with pytest.raises(RuntimeError, match="does not print the audit head"):
        carrier.write(session, forgetful, "no-head.docx", "export.report", {}, tmp_path)
    assert audit.head() == before and not (tmp_path / "no-head.docx").exists()


def test_a_store_rolled_back_after_printing_no_longer_matches_its_paper(
        store: Store, tmp_path: Path) -> None:
    """The insider keeps a copy of the whole data folder (keys too), prints a report, puts the
    copy back and carries on: the log verifies, but the paper's entry is not in it."""
    older = tmp_path / "older"
    shutil.copytree(store.root, older, ignore=shutil.ignore_patterns("statdesk.lock"))
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        settings.set_value(session, "unit_name", "测试县人民检察院（更正）")
        paper = report_files.monthly(session, "2026-11", tmp_path / "paper.docx")
        session.close()
    found = HEAD.search(_footer_lines(paper)[-1])
    assert found
    printed_id, printed_hash = int(found[1]), found[2]

    shutil.rmtree(store.root)
    shutil.copytree(older, store.root)
    with StoreDir(store.paths) as folder:
        session = folder.unlock("admin", ADMIN_PW)
        settings.set_value(session, "unit_name", "另一个名称")
        while audit.head()[0] < printed_id + 1:
            report_files.monthly(session, "2026-11", tmp_path / "later.docx")
        assert session.audit.verify().ok  # the chain alone cannot see it was rolled back
        assert not _entry(printed_id)[3].startswith(printed_hash)  # the paper can
        session.close()
