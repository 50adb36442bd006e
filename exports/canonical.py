"""The canonical text of a printed document (issue 19): what its SHA-256 is computed over, so
that a reader with the paper, or with the .docx, can compute it again.

The text is built from the very strings the document prints: some of the lines under the
title, then for each of some of its tables that has rows, its heading and every row (not its
header rows), the cells of a row joined by "|", the lines joined by "\\n", encoded in UTF-8.
Which lines and which tables is each document's `Shape`; the document states the rule in one
sentence printed on it.

`from_docx` reads those lines back from a Word file: the paragraphs of the body before its
first table, and the tables whose header row is one of the shape's (a long table may have been
written as several tables, each with the header repeated; those rows are skipped).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from store.errors import InvalidInput
from store.i18n import _

if TYPE_CHECKING:
    from lxml.etree import _Element

CELL = "|"
LINE = "\n"
BATCH_NUMBER = re.compile(r"销-[0-9]{4}-[0-9]+")


def row_text(cells: Sequence[str]) -> str:
    return CELL.join(cells)


def text_of(lines: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The canonical text: `lines`, then each row's cells joined by "|", one a line."""
    return LINE.join([*lines, *(row_text(row) for row in rows)])


@dataclass(frozen=True)
class Shape:
    """How one kind of document is read back, in one language."""

    kind: str
    """e.g. "manifest", "certificate"."""
    lang: str
    title: str
    headers: tuple[tuple[str, ...], ...]
    """The header rows of the tables whose rows are in the text, as printed."""
    label: str
    """How the document prints its own digest, e.g. "SHA-256 of this list: {sha}"."""
    head_from: int = 2
    """The lines under the title in the text: from this one (0: the first) to the last
    before the first table's heading."""


@dataclass(frozen=True)
class Read:
    """A document read back: its kind, batch, the digest printed in it, its canonical lines."""

    kind: str
    lang: str
    number: str
    printed: str
    """The SHA-256 printed in the file ('' when it prints none)."""
    lines: list[str]

    @property
    def text(self) -> str:
        return LINE.join(self.lines)


def _w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


def _paragraph(p: _Element) -> str:
    return "".join(t.text or "" for t in p.iter(_w("t")))


def _cells(tr: _Element) -> tuple[str, ...]:
    return tuple("\n".join(_paragraph(p) for p in tc.iter(_w("p")))
                 for tc in tr.iterchildren(_w("tc")))


def _body(path: Path) -> _Element:
    from lxml import etree

    try:
        with zipfile.ZipFile(path) as package:
            xml = package.read("word/document.xml")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        body = etree.fromstring(xml, parser).find(_w("body"))
    except FileNotFoundError:
        raise InvalidInput(_("no file {path}").format(path=path)) from None
    except OSError as exc:  # a folder, no permission, a medium that fails
        raise InvalidInput(_("cannot read {path}: {why}").format(
            path=path, why=exc.strerror or exc)) from None
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError):
        body = None
    if body is None:
        raise InvalidInput(_("{path} is not a Word (.docx) file").format(path=path))
    return body


def _digest(label: str, said: list[str]) -> str:
    before, _sha, after = label.partition("{sha}")
    pattern = re.compile(re.escape(before) + "([0-9a-f]{64})" + re.escape(after))
    for text in said:
        found = pattern.fullmatch(text.strip())
        if found:
            return found.group(1)
    return ""


def from_docx(path: Path, shapes: Sequence[Shape]) -> Read:
    """The document at `path` read back as the shape its title names (InvalidInput when it
    cannot be read, or is none of them)."""
    body = _body(path)
    head: list[str] = []  # the paragraphs before the first table, empty ones left out
    paragraphs: list[str] = []
    tables: list[_Element] = []
    for child in body.iterchildren():
        if child.tag == _w("p"):
            text = _paragraph(child)
            paragraphs.append(text)
            if not tables and text.strip():
                head.append(text)
        elif child.tag == _w("tbl"):
            tables.append(child)
    shape = next((s for s in shapes if head and head[0].strip() == s.title), None)
    number = next((m.group(0) for line in head[1:3] for m in [BATCH_NUMBER.search(line)] if m),
                  "")
    if shape is None or not number:
        raise InvalidInput(_("{path} is not a destruction manifest or certificate written by "
                             "statdesk").format(path=path))
    lines = head[1 + shape.head_from:-1]  # the title, then the lines, then the first heading
    heading, said = "", None  # the last words printed before a table; the heading said last
    for child in body.iterchildren():
        if child.tag == _w("p"):
            heading = _paragraph(child).strip() or heading
            continue
        if child.tag != _w("tbl"):
            continue
        rows = [_cells(tr) for tr in child.iterchildren(_w("tr"))]
        if rows and rows[0] in shape.headers:
            if heading != said:  # a table's heading, once for all the parts it is split into
                lines.append(heading)
                said = heading
            lines.extend(row_text(row) for row in rows[1:] if row != rows[0])
    return Read(shape.kind, shape.lang, number, _digest(shape.label, paragraphs), lines)


def differences(found: Sequence[str], recorded: Sequence[str]) -> list[str]:
    """Each line that differs between the file and the record, said as the reader sees it."""
    said = []
    for index in range(max(len(found), len(recorded))):
        mine = found[index] if index < len(found) else None
        theirs = recorded[index] if index < len(recorded) else None
        if mine == theirs:
            continue
        if mine is None:
            said.append(_("line {n}: missing from the file; the record has “{record}”").format(
                n=index + 1, record=theirs))
        elif theirs is None:
            said.append(_("line {n}: the file has “{file}”, which the record does not").format(
                n=index + 1, file=mine))
        else:
            said.append(_("line {n}: the file has “{file}”, the record has “{record}”").format(
                n=index + 1, file=mine, record=theirs))
    return said
