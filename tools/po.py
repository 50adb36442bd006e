"""The message catalog, without extra tools: extract `_()`/`N_()` strings, update and compile .po.

    python -m tools.po update     add new source strings to every .po (kept translations stay)
    python -m tools.po compile    write each .po's .mo beside it
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("statdesk", "store", "exports", "tui")
CATALOGS = sorted((ROOT / "store" / "locale").glob("*/LC_MESSAGES/statdesk.po"))
MARKERS = {"_", "N_"}


def extract() -> dict[str, list[str]]:
    """Every literal passed to `_()` or `N_()` in the sources, with where it stands."""
    found: dict[str, list[str]] = {}
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id in MARKERS and node.args
                        and isinstance(node.args[0], ast.Constant)
                        and isinstance(node.args[0].value, str)):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.setdefault(node.args[0].value, []).append(where)
    return found


def _unquote(text: str) -> str:
    return ast.literal_eval(text) if text else ""


def parse(path: Path) -> dict[str, str]:
    """msgid → msgstr of a .po file (the header entry under "")."""
    entries: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None:
            entries["".join(msgid)] = "".join(msgstr)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [_unquote(line[6:])], None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [_unquote(line[7:])]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(_unquote(line))
        elif not line or line.startswith("#"):
            continue
    flush()
    return entries


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


HEADER = ("Project-Id-Version: statdesk\nLanguage: {lang}\nMIME-Version: 1.0\n"
          "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n")


def write(path: Path, lang: str, sources: dict[str, list[str]], known: dict[str, str]) -> None:
    """Rewrite a .po with every source string, in source order, keeping translations."""
    out = ['msgid ""', f"msgstr {_quote(HEADER.format(lang=lang))}", ""]
    for msgid, places in sources.items():
        out.append("#: " + " ".join(places[:3]))
        out.append(f"msgid {_quote(msgid)}")
        out.append(f"msgstr {_quote(known.get(msgid, ''))}")
        out.append("")
    path.write_text("\n".join(out), encoding="utf-8")


def compile_mo(entries: dict[str, str]) -> bytes:
    """GNU .mo bytes for the translated entries (untranslated ones fall back to English)."""
    pairs = sorted((k, v) for k, v in entries.items() if v)
    ids = b"".join(k.encode() + b"\0" for k, _ in pairs)
    strs = b"".join(v.encode() + b"\0" for _, v in pairs)
    count = len(pairs)
    header_size = 7 * 4
    ids_table = header_size
    strs_table = ids_table + count * 8
    ids_start = strs_table + count * 8
    strs_start = ids_start + len(ids)
    id_offsets, str_offsets, pos_id, pos_str = [], [], 0, 0
    for key, value in pairs:
        id_offsets += [len(key.encode()), ids_start + pos_id]
        str_offsets += [len(value.encode()), strs_start + pos_str]
        pos_id += len(key.encode()) + 1
        pos_str += len(value.encode()) + 1
    header = struct.pack("<7I", 0x950412DE, 0, count, ids_table, strs_table, 0, 0)
    return (header + struct.pack(f"<{len(id_offsets)}I", *id_offsets)
            + struct.pack(f"<{len(str_offsets)}I", *str_offsets) + ids + strs)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "update":
        sources = extract()
        for path in CATALOGS:
            write(path, path.parent.parent.name, sources, parse(path))
            missing = [k for k in sources if not parse(path).get(k)]
            print(f"{path.relative_to(ROOT)}: {len(sources)} messages, {len(missing)} untranslated")
    elif command == "compile":
        for path in CATALOGS:
            path.with_suffix(".mo").write_bytes(compile_mo(parse(path)))
            print(f"wrote {path.with_suffix('.mo').relative_to(ROOT)}")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
