"""The words on paper (issue 19, points 4 and 13): every kind of Word file, written in Chinese,
says no rule code ("（依据 D5）", "（C11）"), no "Q3", no ASCII ; : , ( ) beside Chinese and no
stray space between Chinese words ("在 本院保密销毁室 由"); the English paper keeps Chinese for
data and the few terms it means to keep; no paper prints an operator's login, whether or not
the operator has a full name.

All text is read: the body's paragraphs and table cells, headers and footers (the raw XML, so
a Section cut into several tables, a field's text or a footer line all count), and for the
login the file's properties too.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from store import i18n, operators
from store.vault.session import Actor, Session
from tests.conftest import CLERK_PW
from tests.paper_fixture import Writer, kinds_fixture  # noqa: F401 (the fixture `kinds`)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")

HAN = "\u3400-\u9fff"
CHINESE = f"[{HAN}\u3001-\u303f\uff01-\uff5e]"  # 汉字 and Chinese punctuation (not 　 itself)
RULE_CODE = re.compile(r"(?<![A-Za-z0-9])[A-D]\d{1,2}(?![0-9])")
QUARTER = re.compile(r"(?<![A-Za-z0-9])Q[1-4](?![0-9])")
ASCII_MARKS = ",;:()"
SPACE = re.compile(f"(?<={CHINESE}) (?={CHINESE})")
"""One space between two Chinese characters: a slip. A wider gap (two spaces or more, or 　)
between the fields of a signature line is layout, and left alone."""
PAGE_OF = re.compile(r"第\s*\d*\s*页\s+共\s*\d*\s*页")
"""The footer's "第 N 页 共 M 页": its fields read as two parts, the gap is meant."""

NAMELESS = "tjy"
"""An operator added without a full name: their login must not reach paper either."""
LOGINS = re.compile(rf"(?<![A-Za-z])(admin|{NAMELESS})(?![A-Za-z])")

TYPED_WITH_SPACES = ("某检发〔2026〕7号 关于加强统计数据保密的通知",)
"""Data as the store holds it (the registered copy's title: 文号 and title): not words of the
paper's own."""

DATA = ("测试县人民检察院", "市人民检察院", "某市人民检察院", "王管理", "李统计", "结案集中",
        "某检刑诉〔2026〕501号", "郑某诈骗案", "处理人数多于案件人数，请核对",
        "李文杰", "张部长", "王部长", "孙佳怡", "陈检察长", "蒋秀安", "郭智明", "保密办刘",
        "第一检察部", "第二检察部", "第三检察部", "控告申诉检察部", "纪检监察室", "办公室",
        "借-011", "统-2026-", "销-2026-", "销审〔2026〕3号", "本院保密销毁室", "到期载体",
        "2026年10月统计报表", "2026年第三季度登记卡合订本", "A柜-1层", "A柜-2层", "保密柜-1层",
        *TYPED_WITH_SPACES)
"""What the fixture typed (names, titles, units, places, numbers): Chinese on English paper."""
KEPT = ("自侦大要案台账", "大案要案", "借阅登记单", "清交", "内部", "秘密", "机密", "绝密")
"""Terms the English paper keeps in Chinese on purpose, beside the English words."""


def paragraphs(path: Path) -> list[str]:
    """The text of every paragraph of the body (table cells included), headers and footers."""
    found = []
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if not PARTS.fullmatch(name):
                continue
            root = etree.fromstring(package.read(name))
            for paragraph in root.iter(f"{W}p"):
                text = "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
                if text.strip():
                    found.append(text)
    return found


def properties(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        names = [n for n in package.namelist() if n.startswith("docProps/") and n.endswith(".xml")]
        return " ".join(package.read(n).decode("utf-8") for n in names)


def _neighbour(text: str, index: int, step: int) -> str:
    index += step
    while 0 <= index < len(text) and text[index] == " ":
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _without_data(text: str) -> str:
    for value in TYPED_WITH_SPACES:
        text = text.replace(value, "数据")
    return PAGE_OF.sub("页码", text)


def chinese_slips(text: str) -> list[str]:
    """What is wrong with one paragraph of Chinese paper."""
    if not re.search(f"[{HAN}]", text):
        return []
    text = _without_data(text)
    found = [f"rule code {m.group()}" for m in RULE_CODE.finditer(text)]
    found += [f"quarter {m.group()}" for m in QUARTER.finditer(text)]
    found += [f"ASCII {ch!r}" for i, ch in enumerate(text) if ch in ASCII_MARKS and any(
        re.fullmatch(CHINESE, _neighbour(text, i, step) or "x") for step in (-1, 1))]
    found += [f"space in {text[max(0, m.start() - 3):m.end() + 3]!r}"
              for m in SPACE.finditer(text)]
    return found


def foreign_chinese(text: str) -> list[str]:
    """Chinese on English paper that is neither data nor a term kept on purpose."""
    allowed = DATA + KEPT
    return [run for run in re.findall(f"[{HAN}]+", text)
            if not any(run in value for value in allowed)]


def logins(path: Path) -> list[str]:
    return [f"login {m.group()!r} in {text!r}" for text in [*paragraphs(path), properties(path)]
            for m in LOGINS.finditer(text)]


def _nameless(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """The session acts from now on as an operator who has no full name on record."""
    operators.add(session, NAMELESS, "admin", CLERK_PW, "")
    assert operators.display_names()[NAMELESS] == NAMELESS  # shown by login when nameless
    monkeypatch.setattr(session, "actor", Actor(NAMELESS, "admin", ""))


def _written(kinds: dict[str, Writer], folder: Path, session: Session,
             monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Path]]:
    """Every kind by the admin (王管理), then the report and the return list by a nameless
    operator."""
    assert len(kinds) == 13
    made = [(kind, writer(folder / kind)) for kind, writer in kinds.items()]
    _nameless(session, monkeypatch)
    return made + [(f"{kind} (by {NAMELESS})", kinds[kind](folder / f"{kind}-{NAMELESS}"))
                   for kind in ("report", "return-list")]


def test_chinese_paper_says_no_code_no_ascii_mark_no_stray_space_no_login(
        kinds: dict[str, Writer], session: Session, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    i18n.set_language("zh")
    found = []
    for kind, path in _written(kinds, tmp_path, session, monkeypatch):
        found += [f"{kind}: {slip} in {text!r}" for text in paragraphs(path)
                  for slip in chinese_slips(text)]
        found += [f"{kind}: {slip}" for slip in logins(path)]
    assert not found, "words on the Chinese paper:\n" + "\n".join(found)


def test_english_paper_keeps_chinese_for_data_and_kept_terms_only(
        kinds: dict[str, Writer], session: Session, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    i18n.set_language("en")
    found = []
    for kind, path in _written(kinds, tmp_path, session, monkeypatch):
        found += [f"{kind}: Chinese {run!r} in {text!r}" for text in paragraphs(path)
                  for run in foreign_chinese(text)]
        found += [f"{kind}: {slip}" for slip in logins(path)]
    assert not found, "words on the English paper:\n" + "\n".join(found)


def test_the_checks_find_what_they_should() -> None:
    assert chinese_slips("第 1 次：季度清交（依据 D5）") == ["rule code D5"]
    assert chinese_slips("借阅登记台账（C11）") == ["rule code C11"]
    assert chinese_slips("季度：2026-Q3") == ["quarter Q3"]
    assert chinese_slips("经办人：李文杰; 监销人：蒋秀安") == ["ASCII ';'"]
    assert chinese_slips("第一检察部 (1)") == ["ASCII '('"]
    assert chinese_slips("已于 2026-11-30 在 本院保密销毁室 由上述监销人") == [
        "space in '0 在 本院保'", "space in '销毁室 由上述'"]
    assert not chinese_slips("填报人：王管理    审核人：____________    日期：____________")
    assert not chinese_slips("统计月份 2026-11，借出 2026-11-20 09:00 · 2026-11-25 前归还")
    assert not chinese_slips("统-2026-0007") and not chinese_slips("R05 处理结果为 3 人")
    assert not chinese_slips("第 1 页 共 3 页 · 销-2026-001 · 6c64946904da27ba")
    assert not chinese_slips("某检发〔2026〕7号 关于加强统计数据保密的通知")
    assert not chinese_slips("A柜-1层") and not chinese_slips("no Chinese: A2, Q3; x (y)")
    assert foreign_chinese("Borrow slip (借阅登记单) 借-011 for 李文杰") == []
    assert foreign_chinese("Started by 王管理 开始") == ["开始"]
    assert LOGINS.search("制表人：admin") and not LOGINS.search("administration")
