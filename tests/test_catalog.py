"""Both languages are complete, and the shipped .mo matches its .po source."""

from __future__ import annotations

import re

from store import i18n
from tools import po

PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def test_every_message_has_a_chinese_translation() -> None:
    sources = po.extract()
    for catalog in po.CATALOGS:
        entries = po.parse(catalog)
        missing = [msgid for msgid in sources if not entries.get(msgid)]
        assert missing == [], f"{catalog.name}: untranslated: {missing[:5]}"
        stale = [msgid for msgid in entries if msgid and msgid not in sources]
        assert stale == [], f"{catalog.name}: no longer in the code: {stale[:5]}"


def test_english_is_complete_because_it_is_the_source() -> None:
    """English needs no catalog: the code's messages are English; in English mode each comes
    back unchanged, and none of them is Chinese-only (the bilingual title aside)."""
    import unicodedata

    i18n.set_language("en")
    for msgid in po.extract():
        assert i18n._(msgid) == msgid
        letters = [ch for ch in msgid if ch.isalpha()]
        latin = [ch for ch in letters if unicodedata.name(ch, "").startswith("LATIN")]
        assert latin, f"no English in {msgid!r}"


def test_translations_keep_every_placeholder() -> None:
    for catalog in po.CATALOGS:
        for msgid, msgstr in po.parse(catalog).items():
            if msgid:
                assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), \
                    msgid


def test_shipped_mo_matches_the_po_source() -> None:
    for catalog in po.CATALOGS:
        assert catalog.with_suffix(".mo").read_bytes() == po.compile_mo(po.parse(catalog)), \
            "run `python -m tools.po compile`"


def test_switching_language_switches_messages() -> None:
    try:
        i18n.set_language("zh")
        assert i18n._("wrong password") == "密码错误"
        assert i18n.language() == "zh"
        i18n.set_language("en")
        assert i18n._("wrong password") == "wrong password"
    finally:
        i18n.set_language("en")


def test_chinese_is_the_default(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import importlib

    monkeypatch.delenv(i18n.ENV_LANG, raising=False)
    try:
        importlib.reload(i18n)
        assert i18n.language() == "zh"
    finally:
        monkeypatch.setenv(i18n.ENV_LANG, "en")
        importlib.reload(i18n)
