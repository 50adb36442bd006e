"""People, a received classified document and its distribution list, for the secrecy tests."""

from __future__ import annotations

from store.custody import items, people
from store.secrecy import register as secrecy
from store.vault.session import Session


def setup(session: Session) -> list[items.Item]:
    """The desk's people plus two custodians and a supervisor; document 〔2026〕7号 received in
    five copies for zbz and wbz."""
    people.add(session, "lwj", "李文杰", "staff", department="第一检察部")
    people.add(session, "zbz", "张部长", "head", department="第一检察部")
    people.add(session, "wbz", "王部长", "head", department="第二检察部")
    people.add(session, "sjy", "孙佳怡", "staff", department="第三检察部")
    people.add(session, "cjc", "陈检察长", "leader")
    people.add(session, "bmb", "保密办刘", "secrecy")
    people.add(session, "jxa", "蒋秀安", "supervisor", department="纪检监察室")
    people.add(session, "xgaj", "李警官", "external", unit="某县公安局", county_or_above=True)
    return secrecy.receive(session, receipt())


def receipt(**changes: object) -> secrecy.Receipt:
    fields: dict[str, object] = dict(
        sender="某市人民检察院", doc_no="某检发〔2026〕7号", title="关于加强统计数据保密的通知",
        received_on="2026-11-20", classification="confidential", copies="5", copy_numbers="",
        pages="6", recipients="zbz wbz", location="保密柜-1层")
    fields.update(changes)
    return secrecy.Receipt(**fields)  # type: ignore[arg-type]
