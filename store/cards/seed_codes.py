"""The code tables' starting content: a county-level procuratorate's usual entries.

Each entry: code, Chinese name, English name, short code (pinyin initials, for
typing), and for outcomes the business type they belong to. Administrators
edit them later; an entry once used is retired, never deleted.
"""

from __future__ import annotations

DEPARTMENTS = [
    ("D01", "第一检察部", "First Procuratorial Department (criminal)", "dyjcb"),
    ("D02", "第二检察部", "Second Procuratorial Department (criminal execution)", "dejcb"),
    ("D03", "第三检察部", "Third Procuratorial Department (civil and administrative)", "dsjcb"),
    ("D04", "第四检察部", "Fourth Procuratorial Department (public interest)", "dsijcb"),
    ("D05", "控告申诉检察部", "Complaints and Appeals Department", "kgss"),
    ("D06", "侦查部门", "Investigation Department", "zcbm"),
]
BUSINESS_TYPES = [
    ("SCDB", "审查逮捕", "Review of arrest", "scdb"),
    ("SCQS", "审查起诉", "Review for prosecution", "scqs"),
    ("ZZLA", "自侦立案侦查", "Own investigation", "zzla"),
    ("MSXZ", "民事行政检察", "Civil and administrative supervision", "msxz"),
    ("XSZX", "刑事执行检察", "Criminal execution supervision", "xszx"),
    ("KGSS", "控告申诉", "Complaints and appeals", "kgss"),
    ("GYSS", "公益诉讼", "Public interest litigation", "gyss"),
]
OUTCOMES = [
    ("SCDB", "PZDB", "批准逮捕", "arrest approved", "pzdb"),
    ("SCDB", "BPDB", "不批准逮捕", "arrest not approved", "bpdb"),
    ("SCQS", "TQGS", "提起公诉", "prosecuted", "tqgs"),
    ("SCQS", "BQS", "不起诉", "not prosecuted", "bqs"),
    ("SCQS", "THBZ", "退回补充侦查", "returned for further investigation", "thbz"),
    ("ZZLA", "YSQS", "移送起诉", "sent for prosecution", "ysqs"),
    ("ZZLA", "CXAJ", "撤销案件", "case withdrawn", "cxaj"),
    ("MSXZ", "TCKS", "提出抗诉", "protest lodged", "tcks"),
    ("MSXZ", "ZSJY", "提出再审检察建议", "retrial recommended", "zsjy"),
    ("MSXZ", "BZCJD", "不支持监督申请", "application not supported", "bzc"),
    ("XSZX", "JZWF", "纠正违法", "correction of violation", "jzwf"),
    ("XSZX", "JCJY", "检察建议", "procuratorial recommendation", "jcjy"),
    ("KGSS", "DF", "答复", "answered", "df"),
    ("KGSS", "YS", "移送", "transferred", "ys"),
    ("GYSS", "SQJY", "诉前检察建议", "pre-litigation recommendation", "sqjy"),
    ("GYSS", "TQGYSS", "提起公益诉讼", "public interest suit filed", "tqgyss"),
    ("GYSS", "ZJSC", "终结审查", "review closed", "zjsc"),
]
CHARGES = [
    ("C01", "盗窃罪", "theft", "dqz"),
    ("C02", "诈骗罪", "fraud", "zpz"),
    ("C03", "故意伤害罪", "intentional injury", "gyshz"),
    ("C04", "危险驾驶罪", "dangerous driving", "wxjsz"),
    ("C05", "交通肇事罪", "causing a traffic accident", "jtzsz"),
    ("C06", "抢劫罪", "robbery", "qjz"),
    ("C07", "寻衅滋事罪", "picking quarrels and provoking trouble", "xxzsz"),
    ("C08", "开设赌场罪", "running a gambling house", "ksdcz"),
    ("C09", "帮助信息网络犯罪活动罪", "aiding information network crime", "bzxxwl"),
    ("C10", "走私、贩卖、运输、制造毒品罪", "drug trafficking", "zsfmdp"),
    ("C11", "非法吸收公众存款罪", "illegal public deposit taking", "ffxscs"),
    ("C12", "贪污罪", "embezzlement", "twz"),
    ("C13", "受贿罪", "taking bribes", "shz"),
    ("C14", "挪用公款罪", "misappropriation of public funds", "nygkz"),
    ("C15", "滥用职权罪", "abuse of power", "lyzqz"),
    ("C16", "玩忽职守罪", "dereliction of duty", "whzsz"),
]
RANKS = [
    ("R0", "无职级", "no rank", "wzj"),
    ("R1", "科级以下", "below section level", "kjyx"),
    ("R2", "科级", "section level", "kj"),
    ("R3", "县处级", "county/division level", "xcj"),
    ("R4", "厅局级", "bureau level", "tjj"),
]


def _row(kind: str, sort: int, code: str, zh: str, en: str, short: str,
         parent: str = "") -> str:
    def q(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"
    return f"({q(kind)}, {q(code)}, {q(zh)}, {q(en)}, {q(short)}, {q(parent)}, {sort})"


def seed_sql() -> list[str]:
    rows = [_row("department", i, *d) for i, d in enumerate(DEPARTMENTS)]
    rows += [_row("business_type", i, *b) for i, b in enumerate(BUSINESS_TYPES)]
    rows += [_row("outcome", i, code, zh, en, short, parent)
             for i, (parent, code, zh, en, short) in enumerate(OUTCOMES)]
    rows += [_row("charge", i, *c) for i, c in enumerate(CHARGES)]
    rows += [_row("rank", i, *r) for i, r in enumerate(RANKS)]
    return ["INSERT INTO code (kind, code, name_zh, name_en, short, parent, sort) VALUES "
            + ", ".join(rows)]
