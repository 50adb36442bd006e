"""The demo's cases as a county procuratorate sees them in 2026: who the persons are, what
becomes of each, and how long each stage takes (the tables: seed_codes.CODES_2026).

No 反贪 at county level: bribery, embezzlement and misappropriation arrive from the
supervisory commission as 审查起诉 cases (监委移送), often with a 决定逮捕 of their own; the
procuratorate investigates only judicial staff's duty crimes (ZCZW), a few cases a year.
Most cases have one person; some have two to five, with outcomes that differ. About 85% of
the persons at 审查起诉 plead guilty and accept punishment (认罪认罚). A case returned for
further investigation (退查) comes back (重报) and is concluded later; some take an extension.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")


class Choice(Generic[T]):
    """Weighted choices, each drawn with one random number (a million cards draw millions of
    times: random.choices builds its lists on every call)."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> T:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.total)]


def weighted(pairs: Sequence[tuple[str, float]]) -> Choice[str]:
    return Choice([p[0] for p in pairs], [p[1] for p in pairs])


# (charge, label in case names, weight, how often the case passes 审查逮捕 first)
ORDINARY = [("C04", "危险驾驶", 20, 0.01), ("C01", "盗窃", 15, 0.55), ("C09", "帮信", 10, 0.45),
            ("C02", "诈骗", 9, 0.6), ("C03", "故意伤害", 6, 0.45), ("C05", "交通肇事", 5, 0.1),
            ("C29", "掩饰、隐瞒犯罪所得", 4, 0.35), ("C07", "寻衅滋事", 4, 0.6),
            ("C08", "开设赌场", 3, 0.6), ("C35", "赌博", 1, 0.3), ("C10", "贩卖毒品", 3, 0.9),
            ("C45", "容留他人吸毒", 1, 0.6), ("C06", "抢劫", 1, 0.95), ("C30", "强奸", 1, 0.95),
            ("C31", "故意杀人", 0.3, 1.0), ("C32", "聚众斗殴", 1, 0.6),
            ("C33", "妨害公务", 0.7, 0.4), ("C34", "袭警", 0.7, 0.5),
            ("C11", "非法吸收公众存款", 1.5, 0.5),
            ("C36", "组织、领导传销活动", 0.7, 0.6), ("C37", "妨害信用卡管理", 1, 0.4),
            ("C49", "虚开增值税专用发票", 0.6, 0.3), ("C48", "职务侵占", 0.8, 0.4),
            ("C38", "拒不支付劳动报酬", 0.8, 0.1), ("C47", "拒不执行判决、裁定", 0.8, 0.2),
            ("C39", "污染环境", 0.6, 0.2), ("C40", "非法捕捞水产品", 0.8, 0.05),
            ("C41", "非法占用农用地", 0.5, 0.05), ("C42", "失火", 0.5, 0.05),
            ("C43", "重大责任事故", 0.4, 0.1), ("C44", "生产、销售有毒、有害食品", 0.4, 0.3),
            ("C17", "非法拘禁", 1, 0.6)]
ECONOMIC = frozenset({"C02", "C11", "C36", "C37", "C49", "C48", "C29"})
"""Charges the second department (economic crimes) takes."""
GANGS = frozenset({"C08", "C32", "C07", "C10", "C11", "C36", "C09", "C17", "C35", "C06"})
"""Charges whose cases often have several persons."""
DUTY = [("C13", "受贿", 50), ("C12", "贪污", 25), ("C14", "挪用公款", 12), ("C50", "行贿", 10),
        ("C51", "单位行贿", 3)]
"""Duty crimes referred by the supervisory commission (监委移送审查起诉)."""
JUDICIAL = [("C15", "滥用职权", 3), ("C16", "玩忽职守", 3), ("C22", "徇私枉法", 2),
            ("C19", "刑讯逼供", 1), ("C21", "虐待被监管人", 1), ("C24", "执行判决、裁定失职", 1),
            ("C25", "执行判决、裁定滥用职权", 1), ("C18", "非法搜查", 0.5),
            ("C17", "非法拘禁", 0.5), ("C20", "暴力取证", 0.5), ("C23", "民事、行政枉法裁判", 0.5),
            ("C26", "私放在押人员", 0.3), ("C27", "失职致使在押人员脱逃", 0.3),
            ("C28", "徇私舞弊减刑、假释、暂予监外执行", 0.5)]
"""The 14 charges of judicial staff the procuratorate investigates itself (ZCZW)."""

ORDINARY_PICK = Choice(ORDINARY, [c[2] for c in ORDINARY])
DUTY_PICK = Choice(DUTY, [c[2] for c in DUTY])
JUDICIAL_PICK = Choice(JUDICIAL, [c[2] for c in JUDICIAL])

# Cases other than criminal ones: department, outcomes, days to conclude, names by outcome.
OTHERS: dict[str, tuple[str, Choice[str], tuple[int, int]]] = {
    "XSJD": ("D01", weighted([("JDLA", 0.25), ("JDCA", 0.15), ("ZCJZ", 0.35), ("ESKS", 0.08),
                              ("XSTQKS", 0.04), ("SPJZ", 0.13)]), (10, 60)),
    "XSZX": ("D03", weighted([("JZWF", 0.6), ("JCJY", 0.4)]), (5, 40)),
    "MSJC": ("D04", weighted([("MSTQKS", 0.12), ("MSZSJY", 0.13), ("MSJCJY", 0.35),
                              ("MSBZC", 0.4)]), (30, 90)),
    "XZJC": ("D04", weighted([("XZTQKS", 0.05), ("XZZSJY", 0.1), ("XZJCJY", 0.45),
                              ("XZBZC", 0.4)]), (30, 90)),
    "GYSS": ("D04", weighted([("SQJY", 0.7), ("TQGYSS", 0.1), ("ZJSC", 0.2)]), (30, 120)),
    "KGSS": ("D05", weighted([("DF", 0.7), ("YS", 0.25), ("SFJZ", 0.05)]), (3, 60)),
}
NAMES: dict[str, str | list[str]] = {
    "JDLA": "{s}某{c}案立案监督", "JDCA": "{s}某{c}案立案监督", "ZCJZ": "{s}某{c}案侦查活动监督",
    "ESKS": "{s}某{c}案刑事审判监督", "XSTQKS": "{s}某{c}案刑事审判监督",
    "SPJZ": "{s}某{c}案刑事审判监督",
    "XSZX": ["看守所监管活动监督案", "社区矫正监督案", "减刑、假释案件监督", "财产刑执行监督案"],
    "MSJC": ["某公司合同纠纷监督案", "{s}某民间借贷纠纷监督案", "{s}某劳动争议监督案",
             "民事执行活动监督案"],
    "XZJC": ["{s}某诉县自然资源局行政处罚监督案", "行政非诉执行监督案", "{s}某工伤认定行政监督案"],
    "GYSS": ["生态环境保护公益诉讼案", "食品药品安全公益诉讼案", "国有财产保护公益诉讼案",
             "安全生产公益诉讼案"],
    "KGSS": ["信访事项", "{s}某刑事申诉案", "{s}某不服不起诉决定申诉案"], "SFJZ": "{s}某司法救助案",
}
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许"
            "韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")


class Person(NamedTuple):
    """A person of a card, as its row holds it."""

    name: str
    minor: int
    charge: str
    custody: str
    outcome: str
    outcome_kind: str
    plea: int


class Event(NamedTuple):
    """An event of a case (returned, resent, extended) on a day."""

    kind: str
    day: date
    days: int
    note: str


class Stage(NamedTuple):
    """What a stage of a case comes to: its persons, events and the day it ends (None: open
    at `today`)."""

    persons: list[Person]
    events: list[Event]
    concluded: date | None


GANG_SIZE = Choice((1, 2, 3, 4, 5), (45, 25, 15, 8, 7))
USUAL_SIZE = Choice((1, 2, 3, 4, 5), (86, 9, 3, 1, 1))
NOT_ARRESTED = weighted([("WZ", 0.55), ("ZJ", 0.3), ("BG", 0.15)])
CUSTODY_DUTY = weighted([("JY", 0.55), ("QB", 0.45)])
CUSTODY_DRIVING = weighted([("QB", 0.9), ("", 0.1)])
CUSTODY_USUAL = weighted([("QB", 0.75), ("JY", 0.12), ("JS", 0.05), ("", 0.08)])
CUSTODY_OWN = weighted([("QB", 0.6), ("JY", 0.3), ("JS", 0.1)])
PROSECUTED_MINOR = weighted([("TQGS", 0.6), ("BQS", 0.4)])
PROSECUTED_DUTY = weighted([("TQGS", 0.94), ("BQS", 0.06)])
PROSECUTED_PLEA = weighted([("TQGS", 0.83), ("BQS", 0.16), ("ZZSC", 0.01)])
PROSECUTED_DENIED = weighted([("TQGS", 0.9), ("BQS", 0.08), ("ZZSC", 0.02)])
NOT_PROSECUTED_MINOR = weighted([("FTJ", 0.5), ("XD", 0.4), ("CY", 0.1)])
NOT_PROSECUTED_ADULT = weighted([("XD", 0.7), ("CY", 0.15), ("FD", 0.15)])
OWN_OUTCOME = weighted([("YSQS", 0.85), ("CXAJ", 0.15)])


def names(rng: random.Random, count: int) -> list[str]:
    """Persons' names as cards give them: a surname and 某 (or 某某), different surnames."""
    chosen: list[str] = []
    while len(chosen) < count:
        surname = SURNAMES[int(rng.random() * len(SURNAMES))]
        if surname not in chosen:
            chosen.append(surname)
    return [s + ("某某" if rng.random() < 0.33 else "某") for s in chosen]


def how_many(rng: random.Random, charge: str) -> int:
    """Persons in a case: mostly one; gangs, drugs and gambling more often several."""
    if charge == "C04":
        return 1
    return (GANG_SIZE if charge in GANGS else USUAL_SIZE)(rng)


def arrest(rng: random.Random, people: list[tuple[str, int]], charge: str, goes_on: bool,
           decided: bool) -> list[Person]:
    """审查逮捕: every person detained; arrested (or, for a case of the supervisory
    commission, arrest decided) or not, each with its kind. A case that goes on to 审查起诉
    mostly has its persons arrested."""
    found = []
    for name, minor in people:
        if decided:
            outcome, kind = "PZDB", "JD"
        elif goes_on:
            outcome, kind = ("PZDB", "PZ") if rng.random() < (0.7 if minor else 0.88) \
                else ("BPDB", "WZ")
        else:
            outcome = "PZDB" if rng.random() < 0.35 else "BPDB"
            kind = "PZ" if outcome == "PZDB" else NOT_ARRESTED(rng)
        found.append(Person(name, minor, charge, "JY", outcome, kind,
                            int(rng.random() < 0.5)))
    return found


def prosecution_people(rng: random.Random, people: list[tuple[str, int]], charge: str,
                       earlier: list[Person] | None, duty: bool) -> list[Person]:
    """审查起诉's persons when received (outcomes come at the end): custody from the arrest
    stage when there was one, else mostly on bail; 认罪认罚 for about 85%."""
    found = []
    for seq, (name, minor) in enumerate(people):
        if earlier is not None:
            custody = "JY" if earlier[seq].outcome == "PZDB" else "QB"
            plea = 1 if earlier[seq].plea else int(rng.random() < 0.75)
        else:
            custody = (CUSTODY_DUTY if duty else CUSTODY_DRIVING if charge == "C04"
                       else CUSTODY_USUAL)(rng)
            plea = int(rng.random() < 0.85)
        found.append(Person(name, minor, charge, custody, "", "", plea))
    return found


def prosecution_outcome(rng: random.Random, person: Person, duty: bool) -> Person:
    """提起公诉 for most; 不起诉 with its kind (附条件 for minors only); rarely 终止审查."""
    outcome = (PROSECUTED_MINOR if person.minor else PROSECUTED_DUTY if duty
               else PROSECUTED_PLEA if person.plea else PROSECUTED_DENIED)(rng)
    kind = ""
    if outcome == "BQS":
        kind = (NOT_PROSECUTED_MINOR if person.minor else NOT_PROSECUTED_ADULT)(rng)
    return person._replace(outcome=outcome, outcome_kind=kind)


def prosecution_course(rng: random.Random, start: date, today: date,
                       duty: bool) -> tuple[list[Event], date]:
    """审查起诉 from receipt to conclusion: up to two 退查 each re-sent (重报) within a month,
    sometimes an extension of 15 days, a few cases past the time limit. The conclusion may
    lie after `today` (the case is open)."""
    events: list[Event] = []
    begun = start
    for round_no in range(2):
        if rng.random() >= (0.14 if round_no == 0 else 0.2):
            break
        returned = begun + timedelta(days=rng.randint(12, 28))
        events.append(Event("returned", returned, 0, "退回监察委员会补充调查" if duty
                            else "退回公安机关补充侦查"))
        begun = returned + timedelta(days=rng.randint(12, 30))
        events.append(Event("resent", begun, 0, "补充调查完毕，重新移送" if duty
                            else "补充侦查完毕，重新移送"))
    late = rng.random() < 0.015
    if rng.random() < 0.06:  # extended near the end of its 30 days, concluded after
        extended = rng.randint(20, 28)
        events.append(Event("extended", begun + timedelta(days=extended), 15,
                            "案情重大复杂，延长审查起诉期限十五日"))
        days = rng.randint(46, 75) if late else rng.randint(extended + 1, 44)
    else:
        days = rng.randint(31, 60) if late else \
            rng.randint(3, 15) if rng.random() < 0.5 else rng.randint(10, 29)
    return [e for e in events if e.day <= today], begun + timedelta(days=days)


def own_investigation(rng: random.Random, people: list[tuple[str, int]], charge: str,
                      ) -> list[Person]:
    """司法工作人员相关职务犯罪侦查: 移送起诉 for most, 撤销案件 for the rest."""
    outcome = OWN_OUTCOME(rng)
    return [Person(name, 0, charge, CUSTODY_OWN(rng),
                   outcome, "", int(rng.random() < 0.6)) for name, _minor in people]
