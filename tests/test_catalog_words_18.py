"""The Chinese catalog writes Chinese punctuation and one term for one thing (issue 18, 20).

An ASCII , ; : ( or ) whose nearest neighbour (past spaces) is a Chinese character or a
Chinese punctuation mark is a slip: Chinese text uses ，；：（）. Format fields ({n}, %(prog)s),
`quoted commands`, times (10:30), key names (Ctrl+B) and paths have no Chinese beside them and
are left alone.
"""

from __future__ import annotations

import re
from pathlib import Path

from tools import po

CATALOG = Path(__file__).resolve().parent.parent / "store" / "locale" / "zh_CN" / \
    "LC_MESSAGES" / "statdesk.po"
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff01-\uff5e「」『』、]")
SHIELDED = re.compile(r"\{[^{}]*\}|%\([A-Za-z_]+\)[sdrif]|%[sdr]|`[^`]*`|「[,;:()]」")
"""Format fields, quoted commands and a quoted mark (多项用「;」分隔: the mark to type): never
Chinese text, whatever stands beside them."""
ASCII_MARKS = ",;:()"
WIDE = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}


def _neighbour(text: str, index: int, step: int) -> str:
    index += step
    while 0 <= index < len(text) and text[index] == " ":
        index += step
    return text[index] if 0 <= index < len(text) else ""


def slips(text: str) -> list[int]:
    """Where `text` has an ASCII mark of ,;:() beside Chinese (indexes into `text`)."""
    if not CHINESE.search(text):
        return []
    masked = SHIELDED.sub(lambda m: "x" * len(m.group()), text)
    return [i for i, ch in enumerate(masked) if ch in ASCII_MARKS
            and any(CHINESE.match(_neighbour(masked, i, step) or "x") for step in (-1, 1))]


def translations() -> dict[str, str]:
    return {msgid: msgstr for msgid, msgstr in po.parse(CATALOG).items() if msgid}


def test_chinese_punctuation_in_the_catalog() -> None:
    found = [f"{msgid!r}: {msgstr!r}" for msgid, msgstr in translations().items()
             if slips(msgstr)]
    assert not found, "ASCII punctuation beside Chinese (use ，；：（）):\n" + "\n".join(found)


def test_the_check_finds_what_it_should() -> None:
    assert slips("已保存,共 {n} 张") and slips("原因:{why}") and slips("名称 (可选)")
    assert slips("{name}: 已停用")
    assert not slips("10:30 开始") and not slips("按 Ctrl+B 打开") and not slips("参数 %(name)s：x")
    assert not slips("见 `statdesk --help`") and not slips("{a}, {b}") and not slips("R01, R02")
    assert not slips("多项用「;」分隔")


ONE_TERM = {"复制件": "复印件", "卡片": "登记卡", "借用人": "借阅人", "留存": "保留"}
"""A word the catalog does not use, and the one it uses for that thing."""


def test_one_term_for_one_thing() -> None:
    found = [f"{msgstr!r} says {word}, not {term}" for msgstr in translations().values()
             for word, term in ONE_TERM.items() if word in msgstr]
    assert not found, "\n".join(found)


async def test_f1_lists_every_rule_and_names_keys_as_sentences(  # type: ignore[no-untyped-def]
        store) -> None:
    """F1 lists every logic rule with its code and text, after the keys; keys read "F3",
    "Ctrl+L", never the footer's "f3" or "^l" (issue 18, points 7 and 20)."""
    from store.cards.rules import RULES
    from store.vault.folder import StoreDir
    from tests.conftest import ADMIN_PW
    from tests.tui_support import login, screen_text, settle
    from tui.app import build_app
    from tui.screens.help import HelpScreen

    with StoreDir(store.paths) as folder:
        app = build_app(folder, lang="en")
        async with app.run_test(size=(120, 40)) as pilot:
            await login(pilot, "admin", ADMIN_PW)
            await pilot.press("f9")
            await settle(pilot)
            await pilot.press("f1")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            shown = screen_text(pilot)
            for rule in RULES:
                assert rule.code in shown and rule.description in shown, rule.code
            keys = [key for key, _what in app.screen.rows]
            assert not [k for k in keys if k.startswith("^") or re.fullmatch(r"f\d+", k)], keys
            assert shown.index("Logic rules of a card") > shown.index("command palette")
