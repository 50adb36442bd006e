"""Realistic sample cards for the demo store (and benchmark sizes): a county procuratorate.

Three years by default, a few thousand a year, with the seasons (quiet around
the Spring Festival, busy before the year closes) and a realistic share of
cards with problems. Generated cards are written in bulk: one audit entry
says how many, and nothing here runs on the real store.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from typing import NamedTuple

from store import clock
from store.cards.rules import statistical_month
from store.vault.database import db, records
from store.vault.session import Session

TYPES = [("SCDB", "D01", "刑捕", 0.30), ("SCQS", "D01", "刑诉", 0.45),
         ("ZZLA", "D06", "反贪", 0.02), ("MSXZ", "D03", "民行", 0.08),
         ("XSZX", "D02", "刑执", 0.05), ("KGSS", "D05", "控申", 0.05),
         ("GYSS", "D04", "公益", 0.05)]
OUTCOMES = {"SCDB": [("PZDB", 0.8), ("BPDB", 0.2)],
            "SCQS": [("TQGS", 0.82), ("BQS", 0.12), ("THBZ", 0.06)],
            "ZZLA": [("YSQS", 0.85), ("CXAJ", 0.15)],
            "MSXZ": [("TCKS", 0.2), ("ZSJY", 0.4), ("BZCJD", 0.4)],
            "XSZX": [("JZWF", 0.6), ("JCJY", 0.4)], "KGSS": [("DF", 0.7), ("YS", 0.3)],
            "GYSS": [("SQJY", 0.7), ("TQGYSS", 0.1), ("ZJSC", 0.2)]}
CHARGES = [("C04", "危险驾驶", 20), ("C01", "盗窃", 18), ("C02", "诈骗", 12),
           ("C09", "帮信", 10), ("C03", "故意伤害", 8), ("C05", "交通肇事", 6),
           ("C07", "寻衅滋事", 5), ("C08", "开设赌场", 4), ("C10", "贩卖毒品", 4),
           ("C06", "抢劫", 3), ("C11", "非法吸收公众存款", 2)]
OWN_CHARGES = [("C13", "受贿", 5), ("C12", "贪污", 3), ("C14", "挪用公款", 2),
               ("C15", "滥用职权", 2), ("C16", "玩忽职守", 2)]
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许"
            "韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
OTHERS = {"MSXZ": "某公司合同纠纷监督案", "XSZX": "看守所监管活动监督案", "KGSS": "信访事项",
          "GYSS": "生态环境保护公益诉讼案"}


class NewCard(NamedTuple):
    """A generated card: the columns of `card` it writes (the others keep their defaults)."""

    department: str
    business_type: str
    case_no: str
    case_name: str
    charge: str
    persons: int
    accepted_on: str
    concluded_on: str
    outcome: str
    outcome_persons: int
    amount: int | None
    rank: str
    major: str
    major_override: str
    month: str
    remarks: str
    status: str
    return_reason: str
    acknowledged: str
    entered_by: str
    entered_at: str
    updated_by: str
    updated_at: str
    problems: int


class _Numbered(NamedTuple):
    """How many cards of a business type were accepted in a year (their serial numbers)."""

    business_type: str
    year: str
    cards: int


INSERT = (f"INSERT INTO card ({', '.join(NewCard._fields)})"
          f" VALUES ({', '.join('?' * len(NewCard._fields))})")
"""Cards are written in bulk (executemany): a million in a benchmark store."""


def _pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def _card(rng: random.Random, day: date, today: date, numbers: dict[tuple[str, int], int],
          who: str) -> NewCard:
    kind, dept, abbr, _share = rng.choices(TYPES, [t[3] for t in TYPES])[0]
    numbers[(kind, day.year)] = numbers.get((kind, day.year), 0) + 1
    case_no = f"某检{abbr}〔{day.year}〕{numbers[(kind, day.year)]}号"
    criminal = kind in ("SCDB", "SCQS", "ZZLA")
    charge, name = "", OTHERS.get(kind, "")
    if criminal:
        pool = OWN_CHARGES if kind == "ZZLA" else CHARGES
        charge, label, _w = rng.choices(pool, [c[2] for c in pool])[0]
        name = f"{rng.choice(SURNAMES)}某{label}案"
    persons = rng.choice([1, 1, 1, 1, 2, 2, 3]) if criminal else 0
    concluded = day + timedelta(days=rng.randint(3, 60))
    outcome, outcome_persons = "", 0
    if concluded <= today:
        outcome = _pick(rng, OUTCOMES[kind])
        outcome_persons = persons
    else:
        concluded = None  # type: ignore[assignment]
    amount, rank, major = None, "", ""
    if kind == "ZZLA":
        amount = rng.choice([30000, 80000, 150000, 260000, 600000, 1200000])
        rank = rng.choice(["R1", "R2", "R2", "R3"])
        big, key = amount >= 500000, rank in ("R3", "R4")
        major = "both" if big and key else "major" if big else "key" if key else ""
    problem = rng.random() < 0.05 and bool(outcome)
    if problem:
        outcome_persons = persons + 1  # R05: the kind of slip review catches
    month = statistical_month(concluded or day, 25)
    this_month = month >= statistical_month(today, 25)
    status = "submitted" if this_month else ("returned" if problem else "accepted")
    reason = "处理人数多于案件人数，请核对" if status == "returned" else ""
    stamp = f"{day.isoformat()}T10:00:00+08:00"
    return NewCard(dept, kind, case_no, name, charge, persons, day.isoformat(),
                   concluded.isoformat() if concluded else "", outcome, outcome_persons, amount,
                   rank, major, "", month, "", status, reason, "", who, stamp, who, stamp,
                   int(problem))


def generate(session: Session, count: int | None = None, years: int = 3,
             seed: int = 20261130) -> int:
    """Add sample cards: about 3,000 a year for `years` years, or exactly `count` cards."""
    rng = random.Random(seed)
    today = clock.today()
    first = date(today.year - years, today.month, 1)
    days = (today - first).days
    total = count if count is not None else round(3000 * days / 365)
    numbers: dict[tuple[str, int], int] = {}
    for used in records(_Numbered, "SELECT business_type, substr(accepted_on, 1, 4) AS year,"
                                   " count(*) AS cards FROM card GROUP BY 1, 2"):
        numbers[(used.business_type, int(used.year))] = used.cards

    def season(day: date) -> float:  # quiet in February, busy in December
        return 1 + 0.25 * math.sin((day.month - 5) / 12 * 2 * math.pi) - \
            (0.3 if day.month == 2 else 0)

    chosen: list[date] = []
    while len(chosen) < total:
        day = first + timedelta(days=rng.randrange(days))
        if rng.random() < season(day) / 1.3 and day.weekday() < 5:
            chosen.append(day)
    chosen.sort()
    with db.atomic():
        connection = db.connection()  # type: ignore[no-untyped-call]
        batch: list[NewCard] = []
        for day in chosen:
            batch.append(_card(rng, day, today, numbers, session.actor.name))
            if len(batch) == 20000:
                connection.executemany(INSERT, batch)
                batch = []
        if batch:
            connection.executemany(INSERT, batch)
        session.audit.append(session.actor.name, "card.generate", "card", str(total),
                             new={"cards": total, "from": first.isoformat(), "seed": seed})
    return total
