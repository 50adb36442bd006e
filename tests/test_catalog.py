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
            if msgid and po.PLURAL in msgid:  # every form keeps the singular's placeholders
                singular, plural = msgid.split(po.PLURAL)
                assert set(PLACEHOLDER.findall(singular)) == set(PLACEHOLDER.findall(plural))
                for form in msgstr.split(po.PLURAL):
                    assert set(PLACEHOLDER.findall(form)) == set(PLACEHOLDER.findall(singular)), \
                        msgid
            elif msgid:
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


def test_a_counted_sentence_is_one_plural_message(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`ngettext` messages go through the .po and .mo whole: Chinese's one form, and English
    choosing by the count."""
    import gettext
    import io

    catalog = tmp_path / "statdesk.po"
    po.write(catalog, "zh_CN", {"{n} card" + po.PLURAL + "{n} cards": ["x.py:1"]},
             {"{n} card" + po.PLURAL + "{n} cards": "{n} 张卡片"})
    assert "msgid_plural \"{n} cards\"" in catalog.read_text(encoding="utf-8")
    assert "msgstr[0] \"{n} 张卡片\"" in catalog.read_text(encoding="utf-8")
    parsed = po.parse(catalog)
    assert parsed["{n} card" + po.PLURAL + "{n} cards"] == "{n} 张卡片"
    zh = gettext.GNUTranslations(io.BytesIO(po.compile_mo(parsed)))
    assert zh.ngettext("{n} card", "{n} cards", 1) == "{n} 张卡片"
    assert zh.ngettext("{n} card", "{n} cards", 7) == "{n} 张卡片"
    i18n.set_language("en")
    assert i18n.ngettext("{n} card", "{n} cards", 1) == "{n} card"
    assert i18n.ngettext("{n} card", "{n} cards", 2) == "{n} cards"
