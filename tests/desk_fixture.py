"""People and items for the desk's tests."""

from __future__ import annotations

from store.custody import items, people
from store.vault.session import Session


def setup(session: Session) -> dict[str, str]:
    """Registers people and items; returns the items' numbers by a short name."""
    people.add(session, "lwj", "李文杰", "staff", department="第一检察部")
    people.add(session, "zbz", "张部长", "head", department="第一检察部")
    people.add(session, "wbz", "王部长", "head", department="第二检察部")
    people.add(session, "cjc", "陈检察长", "leader")
    people.add(session, "bmb", "保密办刘", "secrecy")
    people.add(session, "xgaj", "李警官", "external", unit="某县公安局", county_or_above=True)
    people.add(session, "pcs", "赵所长", "external", unit="某镇派出所", county_or_above=False)
    made = {}
    for key, title, kind, level in [
            ("report", "2026年10月统计报表", "report", "internal"),
            ("volume", "2026年第三季度登记卡合订本", "volume", "secret"),
            ("secret", "自侦案件统计（机密）", "classified", "confidential"),
            ("ledger", "2026年自侦大要案台账", "ledger", "internal")]:
        made[key] = items.register(session, title, kind, level, pages="12",
                                   location="A柜-2层", custodian="李统计").reg_no
    return made
