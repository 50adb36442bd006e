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
PLURAL_MARKERS = {"ngettext"}
PLURAL = "\0"
"""A plural message is held as `singular\0plural` (its msgstr as its forms joined the same way),
as GNU .mo files hold them."""
PLURAL_FORMS = {"zh_CN": "nplurals=1; plural=0;"}


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
                elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id in PLURAL_MARKERS and len(node.args) >= 2
                        and all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                for a in node.args[:2])):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    key = node.args[0].value + PLURAL + node.args[1].value  # type: ignore
                    found.setdefault(key, []).append(where)
    return found


def _unquote(text: str) -> str:
    return ast.literal_eval(text) if text else ""


def parse(path: Path) -> dict[str, str]:
    """msgid → msgstr of a .po file (the header entry under "")."""
    entries: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    plural: list[str] | None = None
    forms: list[list[str]] = []
    current: list[str] | None = None

    def flush() -> None:
        if msgid is not None and plural is not None:
            entries["".join(msgid) + PLURAL + "".join(plural)] = PLURAL.join(
                "".join(form) for form in forms) if any("".join(f) for f in forms) else ""
        elif msgid is not None and msgstr is not None:
            entries["".join(msgid)] = "".join(msgstr)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("msgid "):
            flush()
            msgid, msgstr, plural, forms = [_unquote(line[6:])], None, None, []
            current = msgid
        elif line.startswith("msgid_plural "):
            plural = [_unquote(line[13:])]
            current = plural
        elif line.startswith("msgstr["):
            forms.append([_unquote(line.split("]", 1)[1].strip())])
            current = forms[-1]
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
          "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n"
          "Plural-Forms: {plural}\n")


def write(path: Path, lang: str, sources: dict[str, list[str]], known: dict[str, str]) -> None:
    """Rewrite a .po with every source string, in source order, keeping translations."""
    nplurals = PLURAL_FORMS[lang]
    out = ['msgid ""', f"msgstr {_quote(HEADER.format(lang=lang, plural=nplurals))}", ""]
    count = int(nplurals.split(";")[0].split("=")[1])
    for msgid, places in sources.items():
        out.append("#: " + " ".join(places[:3]))
        if PLURAL in msgid:
            singular, plural = msgid.split(PLURAL)
            forms = known.get(msgid, "").split(PLURAL)
            forms += [""] * (count - len(forms))
            out.append(f"msgid {_quote(singular)}")
            out.append(f"msgid_plural {_quote(plural)}")
            out += [f"msgstr[{i}] {_quote(form)}" for i, form in enumerate(forms[:count])]
        else:
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
