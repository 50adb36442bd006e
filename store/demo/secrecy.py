"""The demo store's secrecy register: a year of classified documents received and distributed,
the last quarter's check-in and a holiday-eve check, written through the store's own functions.

Everything goes through `secrecy.receive`, `secrecy.distribute`, `checks.start/mark/close`
and the incident functions, so the rows, custody events and audit entries are exactly those
the app writes. Those functions stamp with `store.clock`; to date each step on its day in
the past, `_clock_moved` points `store.clock.now` at a time this module moves along, and
always puts the real clock back. The audit entries therefore carry their sample dates
although they follow the entries of the demo's creation in the log.

The story, relative to today (the dates in parentheses for a store built on 2026-11-30):

* about seventy documents over the past year from the province's and the city's
  procuratorates, the county's political-legal committee, secrecy bureau and Party
  committee office; mostly 秘密, some 机密, a few 绝密; three to six copies each, handed to
  the custodians on each distribution list within a few working days (copies beyond the
  list stay on file);
* the last quarter's check-in (2026-Q3), on its due day: most copies checked in, a few kept
  with a reason, one missing — found again a few weeks later, its incident closed;
* the check before the last holiday within a year (国庆节, eve 2026-09-30): one USB drive
  not in its cabinet, its incident still open;
* this quarter: new documents distributed, checked-in copies handed out again, a list
  widened and a copy passed on with approval — work for this quarter's check-in, which is
  left for the clerk to start. No run is left open.

The holiday-eve check snapshots the catalogue as demo_items wrote it, loans up to today, so
its lines show a few items registered or lent after the eve as they stand now; the drive
reported missing is one with no later event. Everything happens in one transaction (one
commit): the whole register costs a fraction of a second.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import NamedTuple

from store import clock, holidays
from store.custody import incidents, items, people
from store.custody.models import CustodyEvent, Incident, Item, Person
from store.report import deadlines
from store.secrecy import checks, closing
from store.secrecy import register as secrecy
from store.secrecy.models import Recipient
from store.vault.database import db, records
from store.vault.session import Session

SENDERS = [  # (organ, its document-number prefixes, weight, prints for the whole province)
    ("某省人民检察院", ("某检发", "某检办发"), 0.25, True),
    ("某市人民检察院", ("某市检发", "某市检办"), 0.35, True),
    ("中共某县委政法委员会", ("某政法",), 0.16, False),
    ("某县国家保密局", ("某保发",), 0.14, False),
    ("中共某县委办公室", ("某委办发",), 0.10, False),
]
YEARLY = {"某检发": 130, "某检办发": 80, "某市检发": 110, "某市检办": 60, "某政法": 45,
          "某保发": 18, "某委办发": 90}
"""About how many documents each series numbers in a year: 文号 grow with the date."""
TITLES = {
    "某省人民检察院": ["关于开展刑事案件质量专项评查的通知", "关于重大敏感案件办理情况的通报",
                "关于进一步加强检察机关涉密载体管理的通知", "关于职务犯罪案件线索管理工作的规定",
                "关于涉众型经济犯罪案件风险研判情况的通报", "全省检察机关业务数据会商情况通报",
                "关于扫黑除恶常态化工作的部署意见", "关于印发《检察业务数据核查办法》的通知"],
    "某市人民检察院": ["关于{month}月份重点案件督办情况的通报", "关于开展统计数据质量核查的通知",
                "关于危害国家安全犯罪案件办理的工作提示", "关于做好重大节日期间安全稳定工作的通知",
                "全市检察机关检察长会议纪要", "关于案件质量评查结果的通报",
                "关于{month}月份检察业务运行态势的分析报告"],
    "中共某县委政法委员会": ["关于重点人员稳控工作的通知", "关于矛盾纠纷排查化解情况的通报",
                   "县委政法委全体（扩大）会议纪要", "关于平安建设考核情况的通报",
                   "关于重大活动期间维稳安保工作的方案"],
    "某县国家保密局": ["关于开展年度保密自查自评工作的通知", "关于节假日期间保密工作的提示",
                "关于涉密人员管理情况的通报", "关于开展保密技术检查的通知"],
    "中共某县委办公室": ["关于做好重要会议安全保卫工作的通知",
                 "关于县委常委会会议议定事项督办情况的通报"],
}
TOP_TITLES = ["关于重大案件侦查工作部署的通报", "关于涉及国家安全重大线索的通报",
              "关于重要专案工作的情况通报"]
LEVELS = [("secret", 0.7), ("confidential", 0.25), ("top", 0.05)]
HEADS = ["zbz", "wbz", "lbz", "cbz", "hbz"]
STAFF = ["lwj", "zhq", "wxm", "sjy", "zyh", "hgl"]
LEADERS = ["cjc", "ljc"]
KEPT = ["案件仍在办理，承办部门需继续使用", "正在组织学习传达，已报分管检察长同意",
        "专项工作尚未结束，需留存备查", "随案卷在用，年底前清退"]
CHECKER, SUPERVISORS = "bmb", ("jxa", "gzm")
"""The secrecy office walks the cabinets; discipline inspection or the office supervises."""


class _Received(NamedTuple):
    item_id: int
    received_on: str


class _OnFile(NamedTuple):
    """A copy in the office's custody, handed out before."""

    reg_no: str
    document_id: int


@dataclass
class _Document:
    receipt: secrecy.Receipt
    custodians: list[str]
    copies: list[items.Item] = field(default_factory=list)
    """Once received."""


class _Clock:
    """The time the demo's steps happen at, moved on by them."""

    def __init__(self, start: datetime) -> None:
        self.at = start

    def now(self) -> datetime:
        return self.at

    def forward(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@contextmanager
def _clock_moved(moved: _Clock) -> Iterator[None]:
    """`store.clock.now` reads `moved` inside the block, so that the store's functions stamp
    what they write with the sample dates; the clock in place before (the real one, or a
    test's) is back afterwards, whatever happens. Only for generating the demo, in the one
    thread doing it, before the app opens."""
    before = clock.now
    clock.now = moved.now
    try:
        yield
    finally:
        clock.now = before


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute)).astimezone()


def generate(session: Session, documents: int = 70, seed: int = 11) -> int:
    """About `documents` received documents over the past year with their distributions, the
    last quarter's check-in and the last holiday eve's check (see the module's docstring);
    needs the demo's people (demo_items.PEOPLE). Returns the number of copies registered."""
    story = _Story(session, random.Random(seed), clock.today())
    story.plan(documents)
    with db.atomic(), _clock_moved(story.clock):
        story.run()
    return sum(len(d.copies) for d in story.docs)


class _Story:
    """Dated steps, planned first, then run in order of their time with the clock at each."""

    def __init__(self, session: Session, rng: random.Random, today: date) -> None:
        self.session, self.rng, self.today = session, rng, today
        self.listed = holidays.listed_between(today - timedelta(days=400),
                                              today + timedelta(days=40))
        self.quarter_start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        self.quarter_day = deadlines.working_day_on_or_before(
            self.quarter_start - timedelta(days=1), self.listed)
        self.eve = self._last_eve()
        busy = {self.quarter_day, self.eve}
        self.working = [d for d in (today - timedelta(days=n) for n in range(365, 0, -1))
                        if holidays.is_working_day(d, self.listed) and d not in busy]
        self.steps: list[tuple[datetime, int, Callable[[], None]]] = []
        self.planned = 0
        self.docs: list[_Document] = []
        self.clock = _Clock(_at(today - timedelta(days=366), 9))

    def add(self, when: datetime, step: Callable[[], None]) -> None:
        self.planned += 1
        heapq.heappush(self.steps, (when, self.planned, step))

    def run(self) -> None:
        while self.steps:  # a step may plan more (a copy found again weeks later)
            when, _n, step = heapq.heappop(self.steps)
            self.clock.at = max(when, self.clock.at)  # a long step pushes the next one on
            step()

    def _last_eve(self) -> date | None:
        """The eve of the latest holiday in the past year (None: no holidays entered)."""
        names = {h.day: h.name for y in {self.today.year - 1, self.today.year}
                 for h in holidays.list_year(y)}
        eves = [e for e, _name in deadlines.holiday_eves(
            self.today - timedelta(days=350), self.today, self.listed, names)
            if e < self.today]
        return max(eves) if eves else None

    def plan(self, documents: int) -> None:
        rng, working = self.rng, self.working
        days = sorted(rng.sample(working[:-1], min(documents, len(working) - 1)))
        self.docs = _documents(rng, days)
        for doc in self.docs:
            self._receive_and_distribute(doc)
        self.add(_at(self.quarter_day, 8, 30), self._quarter_check_in)
        if self.eve is not None:
            self.add(_at(self.eve, 14, 30), self._holiday_check)
        this_quarter = [d for d in working if d >= self.quarter_start]
        for day in sorted(rng.sample(this_quarter, min(12, len(this_quarter)))):
            self.add(_at(day, 15, rng.randrange(60)), self._hand_out_again)
        if this_quarter:
            self.add(_at(this_quarter[-1], 16, 40), self._pass_on)

    def _receive_and_distribute(self, doc: _Document) -> None:
        day, rng = date.fromisoformat(doc.receipt.received_on), self.rng

        def receive() -> None:
            doc.copies = secrecy.receive(self.session, doc.receipt)

        self.add(_at(day, rng.randint(9, 10), rng.randrange(60)), receive)
        later = [d for d in self.working if d >= day][:4]
        for n, code in enumerate(doc.custodians):
            when = rng.choice(later[:2] if doc.receipt.classification == "top" else later)
            self.add(_at(when, rng.randint(11, 16), rng.randrange(60)),
                     partial(self._distribute, doc, n, code))

    def _distribute(self, doc: _Document, n: int, code: str) -> None:
        secrecy.distribute(self.session, doc.copies[n].reg_no, code)

    def _quarter_check_in(self) -> None:
        """The last quarter's check-in on its due day: a scan for most copies, a few kept
        with their reason, one missing (found again a few weeks later, its incident closed)."""
        rng, session, day = self.rng, self.session, self.quarter_day
        run = checks.start(session, "quarter")
        walked = checks.all_lines(run.id)
        received = {row.item_id: row.received_on for row in records(
            _Received, "SELECT i.id AS item_id, d.received_on FROM item i"
            " JOIN document d ON d.id = i.document_id")}
        recent = [line for line in walked
                  if received[line.item_id] >= (day - timedelta(days=40)).isoformat()]
        kept = dict(zip((line.id for line in rng.sample(recent, min(len(KEPT), len(recent)))),
                        KEPT, strict=False))
        staff = {person.name for person in Person.select(Person.name)
                 .where(Person.role == "staff")}
        held = [line for line in walked if line.id not in kept
                and line.classification == "secret" and line.holder in staff]
        missing = rng.choice(held or [line for line in walked if line.id not in kept])
        for line in walked:
            self.clock.forward(seconds=rng.randint(20, 70))
            if line.id in kept:
                checks.mark(session, run.id, line.reg_no, "kept", kept[line.id])
            elif line is missing:
                checks.mark(session, run.id, line.reg_no, "missing", "承办人称已清退，部门内未找到")
            else:
                checks.mark(session, run.id, line.reg_no)
        self.clock.forward(minutes=25)
        closing.close(session, run.id, CHECKER, SUPERVISORS[0])
        later = [d for d in self.working if d > day][12:13]
        if later:
            self.add(_at(later[0], 10, 15), lambda: self._found_again(missing.reg_no))

    def _found_again(self, number: str) -> None:
        incidents.found_again(self.session, number, "在承办部门归档案卷中找到，已收回")
        incident = Incident.select(Incident.id).join(Item, on=Item.id == Incident.item_id).where(
            Item.reg_no == number, Incident.status == "open").get()
        self.clock.forward(hours=2)
        incidents.close(self.session, incident.id, "经核查系随案卷误归档，未造成失泄密；"
                                                   "已对承办人进行保密提醒谈话，清退台账已补登")

    def _holiday_check(self) -> None:
        """The check before the holiday: every item present or accounted for, but one USB
        drive not in its cabinet (its incident stays open for the secrecy officer)."""
        session = self.session
        run = checks.start(session, "holiday")
        walked = checks.all_lines(run.id)
        later = {event.item_id for event in CustodyEvent.select(CustodyEvent.item_id)
                 .where(CustodyEvent.at > clock.stamp()).distinct()}
        stored = [line for line in walked if line.expected == "storage"
                  and line.item_id not in later]  # the demo's loans go on to this day
        drives = [line for line in stored if "U盘" in line.title
                  and line.classification in secrecy.CLASSIFIED]
        missing = (drives or stored or walked)[0]
        for line in walked:
            self.clock.forward(seconds=12)
            if line is missing:
                checks.mark(session, run.id, line.reg_no, "missing",
                            "节前检查时柜内未找到，已报保密委员会办公室")
            elif line.expected == "storage":
                checks.mark(session, run.id, line.reg_no)
            else:
                checks.mark(session, run.id, line.reg_no, "accounted")
        self.clock.forward(minutes=20)
        closing.close(session, run.id, CHECKER, SUPERVISORS[1])

    def _hand_out_again(self) -> None:
        """Two or three copies checked in before, handed out again to someone on their list."""
        rng = self.rng
        on_file = records(
            _OnFile, "SELECT i.reg_no, i.document_id FROM item i"
            " JOIN document d ON d.id = i.document_id WHERE i.status = 'in'"
            " AND d.received_on >= ? AND EXISTS (SELECT 1 FROM distribution x"
            " WHERE x.item_id = i.id) ORDER BY i.id",
            ((self.today - timedelta(days=200)).isoformat(),))
        for copy in rng.sample(on_file, min(rng.randint(2, 3), len(on_file))):
            listed = [p.code for p, _a in secrecy.recipients(copy.document_id)]
            self.clock.forward(minutes=rng.randint(3, 20))
            secrecy.distribute(self.session, copy.reg_no, rng.choice(listed))

    def _pass_on(self) -> None:
        """A head's copy passed on to a member of their department: the list widened with
        the chief's approval, the hand-over approved by the secrecy office."""
        for doc in reversed(self.docs):
            if doc.receipt.received_on < self.quarter_start.isoformat() or not doc.copies:
                continue
            copy = secrecy.copy(doc.copies[0].id)
            holder = people.by_code(doc.custodians[0])
            if copy.status != "distributed" or holder is None or holder.role != "head":
                continue
            listed = Recipient.select(Recipient.person_id).where(
                Recipient.document_id == copy.document_id)
            colleague = Person.select(Person.code).where(
                Person.department == holder.department, Person.role == "staff",
                Person.id.not_in(listed)).order_by(Person.code).first()
            if colleague is None:
                continue
            secrecy.add_recipient(self.session, copy.document_id, colleague.code, LEADERS[0])
            self.clock.forward(minutes=10)
            secrecy.distribute(self.session, copy.reg_no, colleague.code, CHECKER)
            return


def _documents(rng: random.Random, days: list[date]) -> list[_Document]:
    numbers: dict[tuple[str, int], int] = {}
    lately: dict[str, list[str]] = {}  # no sender sends the same notice twice in a row
    made: list[_Document] = []
    for day in days:
        level = rng.choices([x[0] for x in LEVELS], [x[1] for x in LEVELS])[0]
        senders = SENDERS[:2] if level == "top" else SENDERS
        sender, prefixes, _w, wide = rng.choices(senders, [s[2] for s in senders])[0]
        prefix = rng.choice(prefixes)
        key = (prefix, day.year)
        share = (day - date(day.year, 1, 1)).days / 365 * rng.uniform(0.85, 1.1)
        numbers[key] = max(numbers.get(key, 0) + 1, round(YEARLY[prefix] * share))
        before = day.replace(day=1) - timedelta(days=1)
        pool = TOP_TITLES if level == "top" else TITLES[sender]
        recent = lately.setdefault(sender, [])
        title = rng.choice([t for t in pool if t not in recent] or pool)
        recent[:] = [*recent, title][-(len(pool) // 2):]
        custodians = _custodians(rng, level, sender)
        count = 3 if level == "top" else max(3, min(6, len(custodians) +
                                                    rng.choice([0, 1, 1, 2])))
        total, received = count, ""
        if wide:  # printed for the whole province or city: this county's copies of the run
            total = rng.choice([20, 30] if level == "top" else [40, 60, 80, 120, 150])
            first = rng.randint(1, total - count + 1)
            received = f"{first}-{first + count - 1}"
        made.append(_Document(secrecy.Receipt(
            sender=sender, doc_no=f"{prefix}〔{day.year}〕{numbers[key]}号",
            title=title.format(month=before.month), received_on=day.isoformat(),
            classification=level, copies=str(total), copy_numbers=received,
            pages=str(rng.randint(2, 24)), recipients=" ".join(custodians),
            location="机要柜-绝密" if level == "top" else f"机要柜-{rng.randint(1, 3)}层"),
            custodians))
    return made


def _custodians(rng: random.Random, level: str, sender: str) -> list[str]:
    """The distribution list: leaders for 绝密, a leader and heads for 机密, heads and their
    staff for 秘密; the secrecy bureau's notices go to the secrecy office."""
    if level == "top":
        return list(LEADERS)
    if sender == "某县国家保密局":
        return ["bmb", rng.choice(LEADERS), *(["gzm"] if rng.random() < 0.5 else [])]
    size = rng.randint(2, 4)
    if level == "confidential":
        return [rng.choice(LEADERS), *rng.sample(HEADS, size - 1)]
    heads = rng.sample(HEADS, rng.randint(1, size - 1))
    return heads + rng.sample(STAFF, size - len(heads))
