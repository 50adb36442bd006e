"""The page number of GB/T 9704-2012 (7.5) and the small lines under it, on odd and even pages.

"— N —" in 4号 (14 pt) 半角宋体, one character in from the right edge of the text on odd
pages and from the left edge on even pages, its top about 7 mm under the text's last line.
Under it, small (小五) and centred: a document's own footer lines (e.g. "第 {page} 页 共
{pages} 页 · …") and the audit head. Both footers carry the same small lines.
"""

from __future__ import annotations

import re

from docx.document import Document as DocumentType
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import _Footer
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from exports import docx_meta

NUMBER_SIZE = Pt(14)  # 4号
NUMBER_LINE = Pt(16)
SMALL_SIZE = Pt(9)  # 小五
SMALL_LINE = Pt(11)
BOTTOM_MARGIN_MM = 35.0
NUMBER_GAP_MM = 7.0
"""From the text's last line down to the page number's line (its digits' top a little under
the line's top, as GB/T 9704 measures it)."""
FIELDS = re.compile(r"\{(page|pages)\}")
FIELD_CODES = {"page": "PAGE", "pages": "NUMPAGES"}


def footer_distance_mm(small_lines: int) -> float:
    """Word stacks a footer up from this distance above the page's bottom edge: the page
    number's line, then the small lines under it, end here."""
    used = float(NUMBER_LINE.mm) + small_lines * float(SMALL_LINE.mm)
    return BOTTOM_MARGIN_MM - NUMBER_GAP_MM - used


def page_footers(doc: DocumentType, footer: str = "", audit_line: str = "") -> None:
    """The odd pages' footer (the default one) and the even pages' (settings'
    evenAndOddHeaders), each the page number then the small lines."""
    small = [text for text in footer.split("\n") if text] + ([audit_line] if audit_line else [])
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    section.footer_distance = Mm(footer_distance_mm(len(small)))
    for part, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                       (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        part.is_linked_to_previous = False
        _fill(part, side, small)


def _off_grid(paragraph: Paragraph, line: Pt) -> None:
    """An exact line height, off the body's character grid (the grid is for the text)."""
    form = paragraph.paragraph_format
    form.space_before = form.space_after = Pt(0)
    form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    form.line_spacing = line
    ppr = paragraph._p.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.get_or_add_spacing().addprevious(snap)  # snapToGrid comes right before spacing


def _fill(part: _Footer, side: WD_ALIGN_PARAGRAPH, small: list[str]) -> None:
    number = part.paragraphs[0]
    number.alignment = side
    _off_grid(number, NUMBER_LINE)
    if side == WD_ALIGN_PARAGRAPH.RIGHT:
        number.paragraph_format.right_indent = NUMBER_SIZE  # 空一字
    else:
        number.paragraph_format.left_indent = NUMBER_SIZE
    _text(number, "— ", NUMBER_SIZE, docx_meta.NUMBER_FONT)
    _field(number, "PAGE", NUMBER_SIZE, docx_meta.NUMBER_FONT)
    _text(number, " —", NUMBER_SIZE, docx_meta.NUMBER_FONT)
    for text in small:
        paragraph = part.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _off_grid(paragraph, SMALL_LINE)
        at = 0
        for found in FIELDS.finditer(text):
            _text(paragraph, text[at:found.start()], SMALL_SIZE, docx_meta.BODY_FONT)
            _field(paragraph, FIELD_CODES[found[1]], SMALL_SIZE, docx_meta.BODY_FONT)
            at = found.end()
        _text(paragraph, text[at:], SMALL_SIZE, docx_meta.BODY_FONT)


def _run_properties(paragraph: Paragraph, size: Pt, font: str) -> object:
    run = paragraph.add_run()
    rpr = run._r.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    run.font.size = size
    return run._r


def _text(paragraph: Paragraph, text: str, size: Pt, font: str) -> None:
    if text:
        r = _run_properties(paragraph, size, font)
        t = OxmlElement("w:t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        r.append(t)  # type: ignore[attr-defined]


def _field(paragraph: Paragraph, code: str, size: Pt, font: str) -> None:
    """A field whose result Word and LibreOffice compute when they lay the page out ("1"
    until then)."""
    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None),
                       ("result", "1"), ("end", None)):
        r = _run_properties(paragraph, size, font)
        if kind in ("begin", "separate", "end"):
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r.append(char)  # type: ignore[attr-defined]
        elif kind == "result":
            t = OxmlElement("w:t")
            t.text = text
            r.append(t)  # type: ignore[attr-defined]
        else:
            instr = OxmlElement("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = text
            r.append(instr)  # type: ignore[attr-defined]
