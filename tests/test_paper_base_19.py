"""Issue 19, the document base every Word file is written on: keeps (2), widths (7), a row of
column groups (9), GB/T 9704 page numbers and fonts (10), schema order (11), metadata (12),
group labels on every page (14)."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from lxml import etree

from exports import docx_base, docx_footer, docx_widths, tables_doc
from exports.tables_doc import Section, TablesDocument
from store import clock, i18n
from store.vault.session import Session
from tests.paper_fixture import Writer, kinds_fixture  # noqa: F401 (the fixture `kinds`)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# The schema's sequences (as python-docx's CT_RPr, CT_PPr, CT_TrPr, CT_TcPr list them)
SEQUENCES = {
    "rPr": ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
            "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
            "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
            "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
            "em", "lang", "eastAsianLayout", "specVanish", "oMath"),
    "pPr": (*docx_base.P_PR, "w:pPrChange"),
    "trPr": (*docx_base.TR_PR, "w:ins", "w:del", "w:trPrChange"),
    "tcPr": ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap",
             "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark"),
    "sectPr": docx_base.SECT_PR,
}
NOW = datetime(2026, 11, 30, 9)


def _xml(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def _order_errors(path: Path) -> list[str]:
    errors = []
    with zipfile.ZipFile(path) as package:
        names = [n for n in package.namelist() if n.startswith("word/") and n.endswith(".xml")]
        for name in names:
            root = etree.fromstring(package.read(name))
            for parent, sequence in SEQUENCES.items():
                order = [t.removeprefix("w:") for t in sequence]
                for element in root.iter(W + parent):
                    tags = [etree.QName(c).localname for c in element]
                    known = [t for t in tags if t in order]
                    if known != sorted(known, key=order.index):
                        errors.append(f"{path.name} {name} {parent}: {tags}")
    return errors


def _keeps(tr: etree._Element) -> bool:
    return all(p.find(f"{W}pPr/{W}keepNext") is not None for p in tr.iter(W + "p"))


def test_every_kind_writes_its_properties_in_the_schemas_order(
        kinds: dict[str, Writer], tmp_path: Path) -> None:
    """Point 11: rFonts first (after rStyle) in every rPr, and every pPr, trPr, tcPr, sectPr
    in order, in all thirteen kinds in both languages."""
    errors = []
    for lang in ("en", "zh"):
        i18n.set_language(lang)
        for kind, writer in kinds.items():
            if kind != "certificate" or lang == "zh":  # a batch is carried out once
                errors += _order_errors(writer(tmp_path / f"{kind}-{lang}"))
    assert not errors, errors[:5]


def _write(tmp_path: Path, document: TablesDocument) -> Path:
    path = tmp_path / "t.docx"
    tables_doc.write(path, document)
    return path


def test_short_tables_totals_and_signatures_stay_together(tmp_path: Path) -> None:
    """Point 2 and 14: a table of up to 12 rows is kept whole, a bold total with the rows above
    it, the signatures with the last rows of the last table and its note, an empty table's
    note with its header."""
    long = [[str(n), "x"] for n in range(30)] + [["合计", "30"]]
    document = TablesDocument("T", [], [
        Section("short", ["a", "b"], [["1", "x"]] * 5, [40, 40]),
        Section("empty", ["a", "b"], [], [40, 40], note="无"),
        Section("long", ["a", "b"], long, [40, 40], bold_rows=frozenset({30}),
                under=("rate",))], signatures=["制表人：", "审核人："])
    path = _write(tmp_path, document)
    body = _xml(path, "word/document.xml").find(W + "body")
    short, big = body.findall(W + "tbl")  # the empty one is its note alone
    rows = short.findall(W + "tr")
    assert all(_keeps(tr) for tr in rows[:-1]) and not _keeps(rows[-1])
    assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)
    texts = ["".join(p.itertext()) for p in body.iter(W + "p")]
    heading = next(p for p in body.iter(W + "p") if "".join(p.itertext()) == "empty")
    assert texts[texts.index("empty") + 1] == "无"  # the note right under its heading
    assert heading.find(f"{W}pPr/{W}keepNext") is not None  # and kept with it
    big_rows = big.findall(W + "tr")
    assert all(_keeps(tr) for tr in big_rows[-3:])  # total and two above, with the signatures
    assert not _keeps(big_rows[10])
    paragraphs = [p for p in body.iter(W + "p") if "".join(p.itertext()) in ("rate",
                                                                             "制表人：")]
    assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in paragraphs)


def test_whole_columns_widen_to_their_longest_cell(tmp_path: Path) -> None:
    """Point 7: a date, a number never break inside; titles wrap to two lines at most; the
    total width is kept."""
    header = ["序号", "日期", "页数或数量", "题名"]
    rows = [[str(n), "2026-10-27", "12", "题名" * 10] for n in range(2990, 3001)]
    document = TablesDocument("T", [], [Section("s", header, rows, [8, 16, 10, 122],
                                                whole=frozenset({0, 1}))])
    path = _write(tmp_path, document)
    grid = [int(c.get(W + "w")) / 1440 * 25.4 for c in
            _xml(path, "word/document.xml").iter(W + "gridCol")]
    assert abs(sum(grid) - 156) < 0.1
    assert grid[0] >= docx_widths.cell_mm("3000", 12) - 0.1
    assert grid[1] >= docx_widths.cell_mm("2026-10-27", 12) - 0.1
    assert grid[2] >= docx_widths.title_mm("页数或数量", 12) - 0.1  # two lines, not three
    assert grid[2] >= 3 * 12 * 25.4 / 72


def test_a_row_of_column_groups_above_the_header(tmp_path: Path) -> None:
    """Point 9: 本月 / 本年累计 over their columns, repeated on every page with the header."""
    document = TablesDocument("T", [], [Section(
        "s", ["项目", "件数", "人数", "件数", "人数"], [["a", "1", "2", "3", "4"]] * 3,
        [40, 20, 20, 20, 20], header_groups=(("", 1), ("本月", 2), ("本年累计", 2)))])
    table = docx.Document(str(_write(tmp_path, document))).tables[0]
    first, second = table._tbl.tr_lst[:2]
    spans = [(tc.grid_span, tc.xpath("string(.)")) for tc in first.tc_lst]
    assert spans == [(1, ""), (2, "本月"), (2, "本年累计")]
    assert all(tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in (first, second))


def test_gb9704_page_numbers_fonts_and_grid(tmp_path: Path) -> None:
    """Point 10: "— N —" in 4号 宋体, odd pages right and even pages left, the small lines
    under it on both (fields for {page} and {pages}); the fonts' fallbacks; 22 lines a page
    for the body, tables off the grid."""
    document = TablesDocument("T", [], [Section("s", ["a"], [["1"]], [40])],
                              footer="第 {page} 页 共 {pages} 页", audit_line="audit log #1")
    path = _write(tmp_path, document)
    settings = _xml(path, "word/settings.xml")
    assert settings.find(W + "evenAndOddHeaders") is not None
    section = docx.Document(str(path)).sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        number = footer.paragraphs[0]
        assert number.text.startswith("— ") and number.text.endswith(" —")
        assert "PAGE" in number._p.xml and number._p.find(f"{W}pPr/{W}jc").get(
            W + "val") == side
        fonts = number._p.find(f"{W}r/{W}rPr/{W}rFonts")
        assert fonts.get(W + "eastAsia") == fonts.get(W + "ascii") == "宋体"
        assert number.runs[0].font.size == docx_footer.NUMBER_SIZE
        small = [p.text for p in footer.paragraphs[1:]]
        assert small == ["第 1 页 共 1 页", "audit log #1"]
        assert "NUMPAGES" in footer.paragraphs[1]._p.xml
    assert section.footer_distance is not None
    assert 10 < section.footer_distance.mm < 35 - 7 - 5  # the number ~7 mm under the text
    names = {f.get(W + "name"): f.find(W + "altName").get(W + "val")
             for f in _xml(path, "word/fontTable.xml").iter(W + "font")
             if f.find(W + "altName") is not None}
    assert names["方正小标宋简体"] == "华文中宋" and names["华文中宋"] == "宋体"
    assert names["仿宋_GB2312"] == "仿宋" and names["黑体"] == "SimHei"
    root = _xml(path, "word/document.xml")
    grid = root.find(f"{W}body/{W}sectPr/{W}docGrid")
    assert grid.get(W + "linePitch") == "579" and grid.get(W + "charSpace") == "-848"
    normal = next(s for s in _xml(path, "word/styles.xml").iter(W + "style")
                  if s.get(W + "styleId") == "Normal")
    pitch = 16 + int(normal.find(f"{W}rPr/{W}spacing").get(W + "val")) / 20  # pt a character
    assert 28 * pitch <= 156 / 25.4 * 72 < 29 * pitch  # 28 characters of 三号 a line
    assert all(p.find(f"{W}pPr/{W}snapToGrid").get(W + "val") == "0"
               for p in root.iter(W + "p") if p.getparent().tag == W + "tc")
    heading = next(r for r in root.iter(W + "r") if "".join(r.itertext()) == "s")
    assert heading.find(f"{W}rPr/{W}rFonts").get(W + "eastAsia") == "黑体"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_file_names_its_maker_date_title_and_language(
        session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """Point 12: creator and last editor the unit and the operator's name (not a login),
    created now, the title, zh-CN (en-US in English); East Asian text Chinese."""
    i18n.set_language(lang)
    monkeypatch.setattr(clock, "now", lambda: NOW.astimezone())
    document = TablesDocument("月度统计报表", [], [Section("s", ["a"], [["1"]], [40])])
    path = tables_doc.save(session, document, "m.docx", "export.report", {}, tmp_path)
    core = docx.Document(str(path)).core_properties
    assert session.actor.display_name and session.actor.display_name != session.actor.name
    assert core.author.endswith(session.actor.display_name) and session.actor.name not in \
        core.author.split()
    assert core.last_modified_by == core.author and core.title == "月度统计报表"
    utc = NOW.astimezone().astimezone(UTC).replace(tzinfo=None)
    assert core.created and core.modified
    assert core.created.replace(tzinfo=None) == core.modified.replace(tzinfo=None) == utc
    assert core.language == ("zh-CN" if lang == "zh" else "en-US")
    with zipfile.ZipFile(path) as package:
        props = "".join(package.read(n).decode() for n in package.namelist()
                        if n.startswith("docProps/") and n.endswith(".xml"))
    assert "python-docx" not in props and "2013" not in props
    lang_default = _xml(path, "word/styles.xml").find(
        f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang_default.get(W + "eastAsia") == "zh-CN"
    assert lang_default.get(W + "val") == "en-US"  # dates and figures never break inside
    assert _xml(path, "word/settings.xml").find(W + "themeFontLang").get(
        W + "eastAsia") == "zh-CN"


def test_group_labels_repeat_on_every_page_of_their_group(tmp_path: Path) -> None:
    """Point 14: a group that may run over a page (more than 12 rows) is a table of its own
    whose label is a second repeated header row, a 1 pt paragraph before it; short groups
    share the next table, each kept whole with its label, and repeat no header of their own."""
    rows = ([["A柜", ""]] + [[str(n), "x"] for n in range(40)] + [["B柜", ""], ["1", "y"]]
            + [["C柜", ""], ["2", "z"], ["3", "z"]])
    document = TablesDocument("T", [], [Section("s", ["a", "b"], rows, [40, 40],
                                                group_rows=frozenset({0, 41, 43}))])
    tables = docx.Document(str(_write(tmp_path, document))).tables
    assert [t.rows[1].cells[0].text for t in tables] == ["A柜", "B柜"]
    long, short = (table._tbl.tr_lst for table in tables)
    assert all(tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in long[:2])
    assert long[2].find(f"{W}trPr/{W}tblHeader") is None and len(long) == 42
    assert tables[1]._tbl.getprevious().tag == W + "p"  # Word does not join the two
    assert [tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in short] == [
        True, False, False, False, False, False]  # the column header only
    assert [_kept(tr) for tr in short[1:]] == [True, True, True, True, False]  # 5 rows: whole
    rows = [row for shelf in "DEF" for row in [[shelf + "柜", ""]] + [["n", "x"]] * 4]
    document = TablesDocument("T", [], [Section("s", ["a", "b"], rows, [40, 40],
                                                group_rows=frozenset({0, 5, 10}))])
    shared = docx.Document(str(_write(tmp_path, document))).tables
    assert len(shared) == 1  # 15 rows may split, but only between groups
    assert [_kept(tr) for tr in shared[0]._tbl.tr_lst[1:]] == [True] * 4 + [False] + [
        True] * 4 + [False] + [True] * 4 + [False]


def _kept(tr: object) -> bool:
    """Whether every paragraph of the row stays with the row after it."""
    return all(p.find(f"{W}pPr/{W}keepNext") is not None
               for p in tr.iter(W + "p"))  # type: ignore[attr-defined]


def test_a_short_title_keeps_to_one_line_in_either_script() -> None:
    """Point 14: "序号" is not broken into "序/号", nor the bold "Pages" into "Page/s": the
    column is widened to the title, the room taken from the wide column beside it."""
    for title, bold_width_mm in (("序号", 2 * 12), ("Pages", 5 * 0.7 * 12)):
        widths = docx_widths.fit([10, 100], [title, "x"], [["1", "y"]], frozenset(),
                                 [12, 12], 12)
        assert widths[0] >= bold_width_mm * 25.4 / 72 + docx_widths.CELL_PADDING_MM
        assert sum(widths) == pytest.approx(110)
