"""What a Word file says about itself: core properties (creator, dates, title, language), the
languages its styles and theme fonts default to, and the font table naming each font's
fallback, so that a workstation without 方正小标宋简体 or 仿宋_GB2312 prints the nearest face.
"""

from __future__ import annotations

from datetime import UTC

from docx.document import Document as DocumentType
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from store import clock
from store.i18n import language

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
NUMBER_FONT = "宋体"  # the page number, GB/T 9704 7.5

FONTS: tuple[tuple[str, str, str, str, str], ...] = (
    # name, w:altName (the fallback), panose, family, pitch, as Word writes these faces
    (TITLE_FONT, "华文中宋", "02010600010101010101", "auto", "variable"),
    ("华文中宋", "宋体", "02010600040101010101", "auto", "variable"),
    (HEADING_FONT, "SimHei", "02010609060101010101", "modern", "fixed"),
    (BODY_FONT, "仿宋", "02010609030101010101", "modern", "fixed"),
    ("仿宋", "FangSong", "02010609060101010101", "modern", "fixed"),
    (NUMBER_FONT, "SimSun", "02010600030101010101", "auto", "variable"),
)
"""The chains: 方正小标宋简体 → 华文中宋 → 宋体 (title); 黑体 → SimHei (headings);
仿宋_GB2312 → 仿宋 → FangSong (body); 宋体 → SimSun (page numbers)."""

GB2312_CHARSET = "86"


def language_tag() -> str:
    """The language the words of the file are written in, as Word tags it."""
    return "en-US" if language() == "en" else "zh-CN"


def describe(doc: DocumentType, title: str = "", author: str = "") -> None:
    """Core properties: creator and last editor `author` (the unit and the operator), created
    and modified now (store.clock), the document's title and language; no trace of the
    template's (python-docx's) creator, description or 2013 dates."""
    now = clock.now().astimezone(UTC).replace(tzinfo=None, microsecond=0)
    core = doc.core_properties
    core.author = core.last_modified_by = author
    core.title = title
    core.language = language_tag()
    core.created = core.modified = now
    core.comments = core.keywords = core.subject = core.category = ""
    core.revision = 1
    _languages(doc)
    _font_table(doc)


def _languages(doc: DocumentType) -> None:
    """styles.xml's docDefaults and settings.xml's theme font language: East Asian text is
    Chinese whatever the language of the words (the template says en-US and ja-JP). Text in
    Latin script — dates, figures, registration numbers, hashes — is tagged English in both
    languages: tagged Chinese, LibreOffice breaks a line between any two of its characters
    ("2026-1 / 1-25", "40. / 0%"); tagged English it breaks only where a word may."""
    tag = "en-US"
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = etree.SubElement(rpr, qn("w:lang"))  # last but for what the template lacks
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), "zh-CN")
    theme = doc.settings.element.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), tag)
        theme.set(qn("w:eastAsia"), "zh-CN")


def _font_table(doc: DocumentType) -> None:
    part = doc.part.part_related_by(RT.FONT_TABLE)
    fonts = etree.fromstring(part.blob)
    named = {font.get(qn("w:name")) for font in fonts.iter(qn("w:font"))}
    for name, alternative, panose, family, pitch in FONTS:
        if name in named:
            continue
        font = etree.SubElement(fonts, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alternative), ("w:panose1", panose),
                           ("w:charset", GB2312_CHARSET), ("w:family", family),
                           ("w:pitch", pitch)):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8",
                                standalone=True)
