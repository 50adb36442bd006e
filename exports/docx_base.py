"""Word documents in the GB/T 9704-2012 layout: A4, official margins, East Asian fonts set.

python-docx does not set the East Asian font from `font.name`, nor repeat a
table's header row: both are done here on the XML (see DESIGN.md, known traps).
"""

from __future__ import annotations

from copy import deepcopy

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(12)  # 小四
FOOTER_SIZE = Pt(9)  # 小五: a line beside the page number (e.g. a list's SHA-256)


def _east_asian(style_or_run_rpr: object, font: str) -> None:
    rpr = style_or_run_rpr
    fonts = rpr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)  # type: ignore[attr-defined]
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def new_document(landscape: bool = False, footer: str = "", audit_line: str = "",
                 ) -> DocumentType:
    """A4 with the official margins (top 37, bottom 35, left 28, right 26 mm), 仿宋 body;
    `footer`, if given, is printed small on every page above the line that prints
    `audit_line` (exports.carrier.audit_line: the audit head) beside the page number."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, BODY_SIZE
    _east_asian(normal.element.get_or_add_rPr(), BODY_FONT)
    _page_numbers(doc, footer, audit_line)
    return doc


def _small(paragraph: Paragraph, text: str) -> Run:
    said = paragraph.add_run(text)
    said.font.size = FOOTER_SIZE
    _east_asian(said._r.get_or_add_rPr(), BODY_FONT)
    return said


def _page_numbers(doc: DocumentType, footer: str = "", audit_line: str = "") -> None:
    """One centred paragraph: `footer` on a line of its own (a digest is long), then the
    audit head and the page number. Each line fits A4 portrait's 156 mm of text."""
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if footer and audit_line:
        _small(paragraph, footer).add_break()
    beside = audit_line or footer
    if beside:
        _small(paragraph, beside + "\u3000\u3000")
    run = paragraph.add_run()
    _east_asian(run._r.get_or_add_rPr(), BODY_FONT)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        else:
            instr = OxmlElement("w:instrText")
            instr.text = text
            run._r.append(instr)


def title(doc: DocumentType, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size, run.font.name = TITLE_SIZE, TITLE_FONT
    _east_asian(run._r.get_or_add_rPr(), TITLE_FONT)


def heading(doc: DocumentType, text: str) -> None:
    """A section's heading: bold, in the body font (黑体 is not on every workstation)."""
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.keep_with_next = True
    run = paragraph.add_run(text)
    run.font.size, run.bold = BODY_SIZE, True
    _east_asian(run._r.get_or_add_rPr(), BODY_FONT)


def line(doc: DocumentType, text: str, size: Pt = BODY_SIZE,
         space_before: Pt | None = None) -> Paragraph:
    """A paragraph of body text; `space_before` sets it apart (e.g. the lines to sign)."""
    paragraph = doc.add_paragraph()
    if space_before is not None:
        paragraph.paragraph_format.space_before = space_before
    run = paragraph.add_run(text)
    run.font.size = size
    _east_asian(run._r.get_or_add_rPr(), BODY_FONT)  # on every run, as Word expects
    return paragraph


def keep_with_next(block: Paragraph | Table) -> None:
    """The paragraph, or the table's last row, stays on the page of what follows (so the
    lines to sign never start a page of their own)."""
    if isinstance(block, Paragraph):
        block.paragraph_format.keep_with_next = True
        return
    last = block._tbl.tr_lst[-1]
    for paragraph in last.iter(qn("w:p")):
        paragraph.get_or_add_pPr().keepNext_val = True


def _group_row(prepared: CT_Row, widths_mm: list[float]) -> CT_Row:
    """The prepared row as one bold cell across the table, kept with the row after it."""
    tr = deepcopy(prepared)
    cells = tr.tc_lst
    for extra in cells[1:]:
        tr.remove(extra)
    cell = cells[0]
    cell.grid_span = len(widths_mm)
    cell.width = Mm(sum(widths_mm))
    for paragraph in cell.p_lst:
        paragraph.get_or_add_pPr().keepNext_val = True  # a group's label never ends a page
    for rpr in tr.iter(qn("w:rPr")):
        rpr.get_or_add_b()
    return tr


def table(doc: DocumentType, header: list[str], rows: list[list[str]],
          widths_mm: list[float], bold_rows: frozenset[int] = frozenset(),
          group_rows: frozenset[int] = frozenset()) -> Table:
    """A bordered table whose header row repeats on every page and whose rows never split.

    Rows are deep copies of one prepared row (python-docx's add_row() is far too slow for
    ledgers of thousands of rows; see DESIGN.md); `bold_rows` are indexes into `rows`.
    `group_rows` (indexes too) are a group's label, e.g. a cabinet shelf: the row's first
    value written bold in one cell across the whole width (its other values unused)."""
    grid: Table = doc.add_table(rows=2, cols=len(header))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.font.size, run.bold = TABLE_SIZE, True
            _east_asian(run._r.get_or_add_rPr(), BODY_FONT)
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    grid.autofit = False
    for column, width in zip(grid.columns, widths_mm, strict=True):
        column.width = Mm(width)  # the grid LibreOffice and Word lay out by
        for cell in column.cells:
            cell.width = Mm(width)
    template = grid.rows[1]
    template._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for cell in template.cells:
        run = cell.paragraphs[0].add_run("x")
        run.font.size = TABLE_SIZE
        _east_asian(run._r.get_or_add_rPr(), BODY_FONT)  # copied with every row
    prepared = template._tr
    prepared.getparent().remove(prepared)
    group = _group_row(prepared, widths_mm) if group_rows else None
    body = grid._tbl
    for index, values in enumerate(rows):
        if group is not None and index in group_rows:
            tr = deepcopy(group)
            next(tr.iter(qn("w:t"))).text = values[0]
            body.append(tr)
            continue
        tr = deepcopy(prepared)
        for text_node, value in zip(tr.iter(qn("w:t")), values, strict=True):
            text_node.text = value
            if value != value.strip():
                text_node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        if index in bold_rows:
            for rpr in tr.iter(qn("w:rPr")):
                rpr.get_or_add_b()  # in the schema's order, where Word looks for it
        body.append(tr)
    return grid
