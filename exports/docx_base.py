"""Word documents in the GB/T 9704-2012 layout: A4, official margins, East Asian fonts set.

python-docx does not set the East Asian font from `font.name`, nor repeat a
table's header row: both are done here on the XML (see DESIGN.md, known traps).
"""

from __future__ import annotations

import math
from copy import deepcopy

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.parfmt import CT_PPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from exports import docx_footer, docx_meta, docx_widths

TITLE_FONT = docx_meta.TITLE_FONT
HEADING_FONT = docx_meta.HEADING_FONT
BODY_FONT = docx_meta.BODY_FONT
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(12)  # 小四
FIGURE_TITLE_SIZE = Pt(10.5)  # 五号: the titles of figures' columns
FOOTER_SIZE = docx_footer.SMALL_SIZE  # 小五: the lines under the page number
SHORT_TABLE = 12
"""A table of this many rows or fewer never splits across pages: a business type's table in
the briefing runs to 9–12 lines, and split, its last lines sat alone on the next page under a
header with nothing to say which business they are (twelve rows take a third of a page)."""
KEPT_WITH_SIGNATURES = 3
"""The last rows of the last table that stay on the signatures' page."""

TEXT_WIDTH_MM = 156.0  # 210 - 28 - 26
TEXT_HEIGHT_MM = 225.0  # 297 - 37 - 35
GRID_LINES, GRID_CHARS = 22, 28
LINE_PITCH = 579
"""225 mm / 22 lines = 10.227 mm = 28.99 pt = 579.8 twips; Word writes 579."""
CHAR_SPACE = round((TEXT_WIDTH_MM / 25.4 * 72 / GRID_CHARS - BODY_SIZE.pt) * 4096)
"""Word's w:charSpace is what each character's pitch adds to the body size, in 1/4096 pt:
156 mm = 442.205 pt; / 28 = 15.793 pt a character; 15.793 - 16 = -0.207 pt; x 4096 = -848.
Written, but the grid's type is "lines" (GRID_TYPE): LibreOffice puts a 三号 character,
wider than a 15.79 pt cell, in two cells, so a linesAndChars grid prints the body spread
out to 14 characters a line there; Word compresses it to 28. On the line grid both print
22 lines a page; the 28 characters come from CONDENSED."""
GRID_TYPE = "lines"
CONDENSED = math.floor((TEXT_WIDTH_MM / 25.4 * 72 / GRID_CHARS - BODY_SIZE.pt) * 20)
"""The body's character spacing (w:spacing, in 1/20 pt): 156 mm holds 27 characters of 三号
at their own width (442.2 / 16 = 27.6); condensed by 0.25 pt (-5) each, 28 (28 x 15.75 =
441 pt), in Word and LibreOffice alike."""
R_PR = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
        "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
        "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing",
        "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
        "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
        "w:eastAsianLayout", "w:specVanish", "w:oMath")


def _east_asian(rpr: CT_RPr, font: str) -> None:
    """Every slot of the run's (or style's) rFonts names `font`, the theme's fonts dropped;
    rFonts is put where the schema wants it (first, after rStyle): Word may ignore a font
    placed after w:sz."""
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def _insert(parent: BaseOxmlElement, tag: str, sequence: tuple[str, ...],
            value: str | None = None) -> BaseOxmlElement:
    """A child `tag` of `parent` (for the few python-docx has no setter for), placed before
    the first sibling that the schema's `sequence` puts after it."""
    child = OxmlElement(tag)
    if value is not None:
        child.set(qn("w:val"), value)
    later = sequence[sequence.index(tag) + 1:]
    for sibling in parent:
        if sibling.tag in {qn(t) for t in later}:
            sibling.addprevious(child)
            return child
    parent.append(child)
    return child


TR_PR = ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter",
         "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")
P_PR = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
        "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
        "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
        "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
        "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
        "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
        "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr")
SECT_PR = ("w:footnotePr", "w:endnotePr", "w:type", "w:pgSz", "w:pgMar", "w:paperSrc",
           "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt", "w:vAlign",
           "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter",
           "w:docGrid", "w:printerSettings")


def off_grid(ppr: CT_PPr) -> None:
    """The paragraph keeps its own line height, off the body's 22-line grid (tables)."""
    if ppr.find(qn("w:snapToGrid")) is None:
        _insert(ppr, "w:snapToGrid", P_PR, "0")


def new_document(landscape: bool = False, footer: str = "", audit_line: str = "",
                 title: str = "", author: str = "") -> DocumentType:
    """A4 with the official margins (top 37, bottom 35, left 28, right 26 mm), 仿宋 body on
    the 22 x 28 grid; the page number of GB/T 9704 with `footer`'s lines (split on "\n",
    "{page}" and "{pages}" as fields) and `audit_line` (exports.carrier.audit_line: the audit
    head) small under it; `title` and `author` (the unit and the operator) in the file's
    properties, created now."""
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
    form = normal.paragraph_format
    form.space_before = form.space_after = Pt(0)
    form.line_spacing = 1.0
    _east_asian(normal.element.get_or_add_rPr(), BODY_FONT)
    if not landscape:
        _grid(section._sectPr)
        _default_size(doc)
        _insert(normal.element.get_or_add_rPr(), "w:spacing", R_PR, str(CONDENSED))
    # Landscape pages hold the wide tables: GB/T 9704's 22 x 28 grid is defined on the
    # portrait page's 156 x 225 mm, and tables are exempt from it anyway, so those pages keep
    # the template's plain line pitch.
    docx_footer.page_footers(doc, footer, audit_line)
    docx_meta.describe(doc, title, author)
    return doc


def _default_size(doc: DocumentType) -> None:
    """The documents' default size is the body's too: LibreOffice measures the character
    grid's pitch from it (Word from the Normal style), and both must find 三号."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = None if defaults is None else defaults.find(qn("w:rPrDefault"))
    rpr = None if rpr is None else rpr.find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        size = None if rpr is None else rpr.find(qn(tag))
        if size is not None:
            size.set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))


def _grid(sect_pr: BaseOxmlElement) -> None:
    """22 lines a portrait page (docGrid; see CHAR_SPACE for the characters)."""
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = _insert(sect_pr, "w:docGrid", SECT_PR)
    grid.set(qn("w:type"), GRID_TYPE)
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))


def title(doc: DocumentType, text: str) -> None:
    """The title in 二号, off the character grid (on it, each of its characters would take
    two of the grid's 三号 cells)."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    off_grid(paragraph._p.get_or_add_pPr())
    run = paragraph.add_run(text)
    run.font.size = TITLE_SIZE
    _east_asian(run._r.get_or_add_rPr(), TITLE_FONT)  # 华文中宋, then 宋体: the font table


def heading(doc: DocumentType, text: str) -> None:
    """A section's heading: 黑体 (SimHei where the workstation names it so: the font table),
    kept with its table."""
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.keep_with_next = True
    run = paragraph.add_run(text)
    run.font.size, run.bold = BODY_SIZE, True
    _east_asian(run._r.get_or_add_rPr(), HEADING_FONT)


def line(doc: DocumentType, text: str, size: Pt = BODY_SIZE,
         space_before: Pt | None = None) -> Paragraph:
    """A paragraph of body text; `space_before` sets it apart (e.g. the lines to sign)."""
    paragraph = doc.add_paragraph()
    if space_before is not None:
        paragraph.paragraph_format.space_before = space_before
    if size != BODY_SIZE:  # the grid's cells are 三号: smaller text would be spread out
        off_grid(paragraph._p.get_or_add_pPr())
    run = paragraph.add_run(text)
    run.font.size = size
    _east_asian(run._r.get_or_add_rPr(), BODY_FONT)  # on every run, as Word expects
    return paragraph


def keep_with_next(block: Paragraph | Table, rows: int = 1) -> None:
    """The paragraph, or the table's last `rows` rows, stay on the page of what follows (so
    the lines to sign never start a page of their own)."""
    if isinstance(block, Paragraph):
        block.paragraph_format.keep_with_next = True
        return
    for tr in block._tbl.tr_lst[-rows:]:
        _keep_row(tr)


def _keep_row(tr: BaseOxmlElement) -> None:
    """The row stays on the page of the row (or paragraph) after it."""
    for paragraph in tr.iter(qn("w:p")):
        paragraph.get_or_add_pPr().keepNext_val = True


def _row_properties(tr: CT_Row, header: bool) -> None:
    trpr = tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        _insert(trpr, "w:cantSplit", TR_PR)
    if header and trpr.find(qn("w:tblHeader")) is None:
        _insert(trpr, "w:tblHeader", TR_PR, "true")


def _spanning(row: CT_Row, spans: list[tuple[str, int]], widths_mm: list[float],
              header: bool) -> CT_Row:
    """A copy of `row` whose cells span the columns `spans` says (label, columns), bold."""
    tr = deepcopy(row)
    cells = list(tr.tc_lst)
    for extra in cells[len(spans):]:
        tr.remove(extra)
    at = 0
    for cell, (label, span) in zip(tr.tc_lst, spans, strict=True):
        cell.grid_span = span
        cell.width = Mm(sum(widths_mm[at:at + span]))
        at += span
        texts = list(cell.iter(qn("w:t")))
        if texts:
            texts[0].text = label
            for extra_text in texts[1:]:
                extra_text.text = ""
    for rpr in tr.iter(qn("w:rPr")):
        rpr.get_or_add_b()
    for paragraph in tr.iter(qn("w:p")):
        paragraph.get_or_add_pPr().keepNext_val = True
    _row_properties(tr, header)
    return tr


def _separator(doc: DocumentType) -> BaseOxmlElement:
    """A paragraph 1 pt high between two tables, so that Word does not join them into one."""
    paragraph = doc.add_paragraph()
    form = paragraph.paragraph_format
    form.space_before = form.space_after = Pt(0)
    form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    form.line_spacing = Pt(1)
    ppr = paragraph._p.get_or_add_pPr()
    off_grid(ppr)
    mark = _insert(ppr, "w:rPr", P_PR)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    mark.append(size)
    return paragraph._p


def tables(doc: DocumentType, header: list[str], rows: list[list[str]],
           widths_mm: list[float], bold_rows: frozenset[int] = frozenset(),
           group_rows: frozenset[int] = frozenset(), whole: frozenset[int] = frozenset(),
           header_groups: tuple[tuple[str, int], ...] = (), figures_from: int | None = None,
           ) -> list[Table]:
    """A bordered table whose header row (under `header_groups`' row, if any: labels over
    groups of columns) repeats on every page and whose rows never split.

    Rows are deep copies of one prepared row (python-docx's add_row() is far too slow for
    ledgers of thousands of rows; see DESIGN.md); `bold_rows` are indexes into `rows`, each
    kept on the page of the two rows above it (a total never leaves its table). `group_rows`
    (indexes too) are a group's label, e.g. a cabinet shelf: its first value, bold in one
    cell across. A group of more than SHORT_TABLE rows is a table of its own whose label is a
    second header row, so that it is repeated on every page the group runs to (a 1 pt
    paragraph between the tables); shorter groups share a table and never split.
    `whole` columns never break inside (docx_widths.fit). From `figures_from` on, figures
    are right-aligned under centred titles a size smaller. A table of up to SHORT_TABLE rows
    never splits; an empty one stays with what follows (its note)."""
    title_sizes = [FIGURE_TITLE_SIZE.pt if figures_from is not None and c >= figures_from
                   else TABLE_SIZE.pt for c in range(len(header))]
    widths_mm = docx_widths.fit(widths_mm, header, [r for i, r in enumerate(rows)
                                                    if i not in group_rows],
                                whole, title_sizes, TABLE_SIZE.pt)
    grid: Table = doc.add_table(rows=2, cols=len(header))
    grid.style = "Table Grid"
    for column, (cell, text) in enumerate(zip(grid.rows[0].cells, header, strict=True)):
        cell.text = text
        if figures_from is not None and column >= figures_from:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in cell.paragraphs[0].runs:
            run.font.size, run.bold = Pt(title_sizes[column]), True
            _east_asian(run._r.get_or_add_rPr(), BODY_FONT)
    grid.autofit = False
    for column, width in zip(grid.columns, widths_mm, strict=True):
        column.width = Mm(width)  # the grid LibreOffice and Word lay out by
        for cell in column.cells:
            cell.width = Mm(width)
    template = grid.rows[1]
    for column, cell in enumerate(template.cells):
        paragraph = cell.paragraphs[0]
        if figures_from is not None and column >= figures_from:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = paragraph.add_run("x")
        run.font.size = TABLE_SIZE
        _east_asian(run._r.get_or_add_rPr(), BODY_FONT)  # copied with every row
        # an empty cell's line is as high as its paragraph mark: the table's size
        mark = _insert(paragraph._p.get_or_add_pPr(), "w:rPr", P_PR)
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), str(int(TABLE_SIZE.pt * 2)))
        mark.append(size)
    for paragraph in grid._tbl.iter(qn("w:p")):
        off_grid(paragraph.get_or_add_pPr())  # tables keep their own line height
    head = grid.rows[0]._tr
    _row_properties(head, header=True)
    _row_properties(template._tr, header=False)
    prepared = template._tr
    prepared.getparent().remove(prepared)
    if header_groups:
        head.addprevious(_spanning(head, list(header_groups), widths_mm, header=True))
    for paragraph in head.iter(qn("w:p")):
        paragraph.get_or_add_pPr().keepNext_val = True  # a header never ends a page
    across = [("", len(header))]
    label = _spanning(prepared, across, widths_mm, header=True) if group_rows else None
    inline = _spanning(prepared, across, widths_mm, header=False) if group_rows else None
    bare = deepcopy(grid._tbl) if group_rows else None
    long = _long_groups(len(rows), group_rows)
    made: list[tuple[BaseOxmlElement, list[BaseOxmlElement]]] = [(grid._tbl, [])]
    bold: list[BaseOxmlElement] = []
    groups: list[list[BaseOxmlElement]] = []  # a short group: its label and rows, kept together
    alone = False  # whether the table written last holds one long group
    for index, values in enumerate(rows):
        if label is not None and inline is not None and bare is not None \
                and index in group_rows:
            body, trs = made[-1]
            if index > 0 and (index in long or alone):  # a long group: a table of its own
                after = _separator(doc)
                body.addnext(after)
                body = deepcopy(bare)
                after.addnext(body)
                made.append((body, []))
            alone = index in long
            tr = deepcopy(label if alone else inline)
            next(tr.iter(qn("w:t"))).text = values[0]
            body.append(tr)
            if not alone:
                made[-1][1].append(tr)
                groups.append([tr])
            continue
        tr = deepcopy(prepared)
        for text_node, value in zip(tr.iter(qn("w:t")), values, strict=True):
            text_node.text = value
            if value != value.strip():
                text_node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        if index in bold_rows:
            for rpr in tr.iter(qn("w:rPr")):
                rpr.get_or_add_b()  # in the schema's order, where Word looks for it
            bold.append(tr)
        body, trs = made[-1]
        body.append(tr)
        trs.append(tr)
        if groups and not alone:
            groups[-1].append(tr)
    for group in groups:  # a short group never splits, nor leaves its label
        for tr in group[:-1]:
            _keep_row(tr)
    _keep(made, bold, short=len(rows) <= SHORT_TABLE)
    return [Table(body, grid._parent) for body, _trs in made]


def _long_groups(count: int, group_rows: frozenset[int]) -> frozenset[int]:
    """The labels of groups of more than SHORT_TABLE rows: those may run over a page, so each
    is a table of its own whose label repeats with the header. Shorter groups share a table
    and never split, so their labels need no repeating (nor the header above each)."""
    starts = sorted(group_rows)
    ends = [*starts[1:], count][:len(starts)]
    return frozenset(start for start, end in zip(starts, ends, strict=True)
                     if end - start - 1 > SHORT_TABLE)


def _keep(made: list[tuple[BaseOxmlElement, list[BaseOxmlElement]]],
          bold: list[BaseOxmlElement], short: bool) -> None:
    """A short table on one page (its separators kept with the next table too); a table of a
    few rows within a group as well; a bold row (a total) with the two rows above it."""
    for position, (body, trs) in enumerate(made):
        if short and position < len(made) - 1:
            for tr in trs:
                _keep_row(tr)
            body.getnext().get_or_add_pPr().keepNext_val = True  # the separator
        elif short or len(trs) <= SHORT_TABLE:
            for tr in trs[:-1]:
                _keep_row(tr)
        for tr in bold:
            if tr in trs:
                at = trs.index(tr)
                for above in trs[max(0, at - 2):at]:
                    _keep_row(above)
