"""The code tables' starting content: a county-level procuratorate's usual entries.

Each entry: code, Chinese name, English name, short code (pinyin initials, for
typing), and for outcomes the business type they belong to. Administrators
edit them later; an entry once used is retired, never deleted.

Two generations: the tables as they were first seeded (DEPARTMENTS … RANKS, migration 4,
from before the 2018–2019 reforms: 反贪 cases investigated by the procuratorate, 民事行政检察
as one business), and `CODES_2026`, the tables of a county procuratorate today, which a new
store starts on and an existing one is offered (`code_admin.offered`).
"""

from __future__ import annotations

from typing import NamedTuple

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


class Entry(NamedTuple):
    """An entry of the 2026 tables; `parent` is an outcome's business type."""

    code: str
    name_zh: str
    name_en: str
    short: str
    parent: str = ""


JUDICIAL_STAFF_CHARGES = ("C17", "C18", "C19", "C20", "C21", "C15", "C16", "C22", "C23", "C24",
                          "C25", "C26", "C27", "C28")
"""The 14 charges a procuratorate itself investigates (司法工作人员相关职务犯罪, business type
ZCZW), in the order of the 2018 provisions."""

DUTY_CHARGES = ("C12", "C13", "C14", "C50", "C51")
"""Duty crimes investigated by the supervisory commission (监察委员会) and referred for
prosecution (监委移送审查起诉): they come to the procuratorate as 审查起诉 cases."""

CODES_2026: dict[str, list[Entry]] = {
    # Departments after the 2019 reform (捕诉一体, 第一…第N检察部). The statistics office
    # (综合业务部 / 案件管理) is not listed: it hands in no cards and confirms no figures.
    "department": [
        Entry("D01", "第一检察部", "First Procuratorial Department (criminal)", "dyjcb"),
        Entry("D02", "第二检察部",
              "Second Procuratorial Department (economic and duty crimes)", "dejcb"),
        Entry("D03", "第三检察部",
              "Third Procuratorial Department (criminal execution, judicial staff)", "dsjcb"),
        Entry("D04", "第四检察部",
              "Fourth Procuratorial Department (civil, administrative, public interest)",
              "dsijcb"),
        Entry("D07", "未成年人检察部", "Juvenile Procuratorial Department", "wcnrjcb"),
        Entry("D05", "控告申诉检察部", "Complaints and Appeals Department", "kgss"),
    ],
    "business_type": [
        Entry("SCDB", "审查逮捕", "Review of arrest", "scdb"),
        Entry("SCQS", "审查起诉", "Review for prosecution", "scqs"),
        Entry("XSJD", "刑事诉讼监督", "Criminal litigation supervision", "xsssjd"),
        Entry("XSZX", "刑事执行检察", "Criminal execution supervision", "xszx"),
        Entry("ZCZW", "司法工作人员相关职务犯罪侦查",
              "Investigation of duty crimes by judicial staff", "sfzwzc"),
        Entry("MSJC", "民事检察", "Civil procuratorial supervision", "msjc"),
        Entry("XZJC", "行政检察", "Administrative procuratorial supervision", "xzjc"),
        Entry("GYSS", "公益诉讼检察", "Public interest litigation", "gyss"),
        Entry("KGSS", "控告申诉检察", "Complaints and appeals", "kgss"),
    ],
    # In each business type's order: a case with several persons counts under its first
    # outcome that any of them has (提起公诉 before 不起诉).
    "outcome": [
        Entry("PZDB", "批准逮捕", "arrest approved", "pzdb", "SCDB"),
        Entry("BPDB", "不批准逮捕", "arrest not approved", "bpdb", "SCDB"),
        Entry("TQGS", "提起公诉", "prosecuted", "tqgs", "SCQS"),
        Entry("BQS", "不起诉", "not prosecuted", "bqs", "SCQS"),
        Entry("ZZSC", "终止审查", "review terminated", "zzsc", "SCQS"),
        Entry("JDLA", "监督立案", "case opened on supervision", "jdla", "XSJD"),
        Entry("JDCA", "监督撤案", "case withdrawn on supervision", "jdca", "XSJD"),
        Entry("ZCJZ", "纠正侦查活动违法", "unlawful investigation corrected", "zcjz", "XSJD"),
        Entry("ESKS", "提出抗诉（二审）", "protest lodged (second instance)", "esks", "XSJD"),
        Entry("XSTQKS", "提请抗诉", "protest requested of the higher procuratorate", "tqks",
              "XSJD"),
        Entry("SPJZ", "纠正审判活动违法", "unlawful trial activity corrected", "spjz", "XSJD"),
        Entry("JZWF", "纠正违法", "correction of violation", "jzwf", "XSZX"),
        Entry("JCJY", "检察建议", "procuratorial recommendation", "jcjy", "XSZX"),
        Entry("YSQS", "移送起诉", "sent for prosecution", "ysqs", "ZCZW"),
        Entry("CXAJ", "撤销案件", "case withdrawn", "cxaj", "ZCZW"),
        Entry("MSTQKS", "提请抗诉", "protest requested of the higher procuratorate", "tqks",
              "MSJC"),
        Entry("MSZSJY", "再审检察建议", "retrial recommended", "zsjcjy", "MSJC"),
        Entry("MSJCJY", "检察建议", "procuratorial recommendation", "jcjy", "MSJC"),
        Entry("MSBZC", "不支持监督申请", "application not supported", "bzcjdsq", "MSJC"),
        Entry("XZTQKS", "提请抗诉", "protest requested of the higher procuratorate", "tqks",
              "XZJC"),
        Entry("XZZSJY", "再审检察建议", "retrial recommended", "zsjcjy", "XZJC"),
        Entry("XZJCJY", "检察建议", "procuratorial recommendation", "jcjy", "XZJC"),
        Entry("XZBZC", "不支持监督申请", "application not supported", "bzcjdsq", "XZJC"),
        Entry("SQJY", "诉前检察建议", "pre-litigation recommendation", "sqjy", "GYSS"),
        Entry("TQGYSS", "提起公益诉讼", "public interest suit filed", "tqgyss", "GYSS"),
        Entry("ZJSC", "终结审查", "review closed", "zjsc", "GYSS"),
        Entry("DF", "答复", "answered", "df", "KGSS"),
        Entry("YS", "移送", "transferred", "ys", "KGSS"),
        Entry("SFJZ", "司法救助", "judicial aid granted", "sfjz", "KGSS"),
    ],
    "charge": [
        Entry("C04", "危险驾驶罪", "dangerous driving", "wxjsz"),
        Entry("C01", "盗窃罪", "theft", "dqz"),
        Entry("C09", "帮助信息网络犯罪活动罪", "aiding information network crime", "bzxxwl"),
        Entry("C02", "诈骗罪", "fraud", "zpz"),
        Entry("C03", "故意伤害罪", "intentional injury", "gyshz"),
        Entry("C05", "交通肇事罪", "causing a traffic accident", "jtzsz"),
        Entry("C29", "掩饰、隐瞒犯罪所得、犯罪所得收益罪", "concealing criminal proceeds",
              "ysymfzsd"),
        Entry("C07", "寻衅滋事罪", "picking quarrels and provoking trouble", "xxzsz"),
        Entry("C08", "开设赌场罪", "running a gambling house", "ksdcz"),
        Entry("C35", "赌博罪", "gambling", "dbz"),
        Entry("C10", "走私、贩卖、运输、制造毒品罪", "drug trafficking", "zsfmdp"),
        Entry("C45", "容留他人吸毒罪", "harbouring drug use", "rltrxd"),
        Entry("C46", "非法持有毒品罪", "illegal possession of drugs", "ffcydp"),
        Entry("C06", "抢劫罪", "robbery", "qjz"),
        Entry("C30", "强奸罪", "rape", "qjz"),
        Entry("C31", "故意杀人罪", "intentional homicide", "gysrz"),
        Entry("C32", "聚众斗殴罪", "affray", "jzdoz"),
        Entry("C33", "妨害公务罪", "obstructing public duties", "fhgwz"),
        Entry("C34", "袭警罪", "assaulting a police officer", "xjz"),
        Entry("C11", "非法吸收公众存款罪", "illegal public deposit taking", "ffxscs"),
        Entry("C36", "组织、领导传销活动罪", "organising pyramid selling", "zzldcx"),
        Entry("C37", "妨害信用卡管理罪", "obstructing credit card management", "fhxykgl"),
        Entry("C49", "虚开增值税专用发票罪", "issuing false VAT invoices", "xkzzsfp"),
        Entry("C48", "职务侵占罪", "occupational embezzlement", "zwqzz"),
        Entry("C38", "拒不支付劳动报酬罪", "refusing to pay wages", "jbzfldbc"),
        Entry("C47", "拒不执行判决、裁定罪", "refusing to enforce judgments", "jbzxpjcd"),
        Entry("C39", "污染环境罪", "polluting the environment", "wrhjz"),
        Entry("C40", "非法捕捞水产品罪", "illegal fishing", "ffblscp"),
        Entry("C41", "非法占用农用地罪", "illegal occupation of farmland", "ffzynyd"),
        Entry("C42", "失火罪", "negligently causing a fire", "shz"),
        Entry("C43", "重大责任事故罪", "major liability accident", "zdzrsg"),
        Entry("C44", "生产、销售有毒、有害食品罪", "producing or selling toxic food", "scxsydyh"),
        # Duty crimes: investigated by the supervisory commission, referred for prosecution.
        Entry("C12", "贪污罪", "embezzlement", "twz"),
        Entry("C13", "受贿罪", "taking bribes", "shz"),
        Entry("C14", "挪用公款罪", "misappropriation of public funds", "nygkz"),
        Entry("C50", "行贿罪", "offering bribes", "xhz"),
        Entry("C51", "单位行贿罪", "bribery by a unit", "dwxhz"),
        # The 14 charges of judicial staff the procuratorate investigates itself (ZCZW).
        Entry("C17", "非法拘禁罪", "illegal detention", "ffjjz"),
        Entry("C18", "非法搜查罪", "illegal search", "ffscz"),
        Entry("C19", "刑讯逼供罪", "extorting a confession by torture", "xxbgz"),
        Entry("C20", "暴力取证罪", "obtaining evidence by violence", "blqzz"),
        Entry("C21", "虐待被监管人罪", "maltreating persons in custody", "ndbjgrz"),
        Entry("C15", "滥用职权罪", "abuse of power", "lyzqz"),
        Entry("C16", "玩忽职守罪", "dereliction of duty", "whzsz"),
        Entry("C22", "徇私枉法罪", "bending the law for personal gain", "xswfz"),
        Entry("C23", "民事、行政枉法裁判罪", "perverting justice in civil or administrative trials",
              "msxzwfcp"),
        Entry("C24", "执行判决、裁定失职罪", "neglect of duty in enforcing judgments", "zxpdsz"),
        Entry("C25", "执行判决、裁定滥用职权罪", "abuse of power in enforcing judgments",
              "zxpdlyzq"),
        Entry("C26", "私放在押人员罪", "releasing a detainee without authority", "sfzyry"),
        Entry("C27", "失职致使在押人员脱逃罪", "negligently letting a detainee escape", "szzszyry"),
        Entry("C28", "徇私舞弊减刑、假释、暂予监外执行罪",
              "favouritism in commutation, parole or serving outside prison", "xswbjx"),
    ],
    "rank": [
        Entry("R0", "无职级", "no rank", "wzj"),
        Entry("R1", "科级以下", "below section level", "kjyx"),
        Entry("R2", "科级", "section level", "kj"),
        Entry("R3", "县处级", "county/division level", "xcj"),
        Entry("R4", "厅局级", "bureau level", "tjj"),
    ],
}
"""The code tables of a county procuratorate in 2026. The same code as before wherever the
meaning is the same; new codes for what is new (an outcome's business type never changes,
except 移送起诉 and 撤销案件, which follow the procuratorate's own investigations from ZZLA
to ZCZW)."""


def first_tables() -> dict[str, list[Entry]]:
    """The tables as first seeded (migration 4), as entries."""
    return {"department": [Entry(*d) for d in DEPARTMENTS],
            "business_type": [Entry(*b) for b in BUSINESS_TYPES],
            "outcome": [Entry(code, zh, en, short, parent)
                        for parent, code, zh, en, short in OUTCOMES],
            "charge": [Entry(*c) for c in CHARGES], "rank": [Entry(*r) for r in RANKS]}


def retired_in_2026() -> dict[str, list[str]]:
    """The first tables' codes that the 2026 tables no longer have (ZZLA, MSXZ, THBZ, ...)."""
    return {kind: [e.code for e in entries if e.code not in {n.code for n in CODES_2026[kind]}]
            for kind, entries in first_tables().items()}
