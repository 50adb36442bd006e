"""The demo store's destruction register: a year of batches carried out, one left as a draft
for the clerk to try, and two holds, written through the store's own functions.

Everything goes through `destruction.create/add/approve/mark_printed/execute_batch`,
`items.register` (the drafts and printing waste) and `holds.place`, so the rows, custody
events and audit entries are exactly those the app writes. The steps are dated in the past
with demo_secrecy's moved clock, in order of their time, all in one transaction (a fraction
of a second).

The story, relative to today (the dates in parentheses for a store built on 2026-11-30):

* a week after each of the last two half-years (2026-01, 2026-07) a batch of the oldest
  monthly reports and card volumes past their retention, an analysis superseded, and the
  drafts and printing waste of the half-year's last report (D6, registered the days
  before): approved by a leader (销审〔2026〕N号) two working days later and printed for
  signing, shredded in 本院保密销毁室 four working days after that, the handler one of the
  staff, two supervisors present; in the later one a volume was kept back at the execution
  (经核查仍需保留), three supervisors named and two present;
* between the two (2026-04) a batch of disks and USB drives, degaussed and physically
  destroyed at 县保密局指定销毁点;
* six weeks ago every ledger registered last year held for an inspection (上级巡视检查待查),
  and three weeks ago the oldest card volume still destroyable held because its case is not
  closed (案件尚未办结); both on;
* three working days ago (2026-11-25), or today early in a month, a draft batch of five
  eligible items with their reasons (expired, superseded, last month's proof as waste), for
  the clerk to approve, print and carry out.

An item joins a batch only if `destruction_rules.why_not` finds nothing against it, and only one
registered before the batch and with no later event in its chain of custody (the demo's
loans run up to today), so that each chain ends with its destruction. The check on the last
holiday eve (demo_secrecy) snapshotted the catalogue before these batches were written: its
lines still list the items destroyed before the eve, as present.
"""

from __future__ import annotations

import heapq
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial

from store import clock, holidays
from store.custody import items
from store.demo.secrecy import _at, _Clock, _clock_moved
from store.destruction import batches as destruction
from store.destruction import holds
from store.destruction import rules as destruction_rules
from store.destruction.batches import Arrangements, Execution
from store.vault.database import db, records
from store.vault.session import Session

ROOM, BUREAU = "本院保密销毁室", "县保密局指定销毁点"
KEPT = "经核查仍需保留：控告申诉检察部复查案件需调阅该卷"
ITEM_HOLD = "案件尚未办结，第一检察部申请暂缓销毁"
KIND_HOLD = "上级巡视检查待查，{year}年台账暂停销毁"


@dataclass(frozen=True)
class _Pick:
    """Items of some kinds for a batch: the oldest eligible ones registered at least `older`
    days before it."""
    kinds: tuple[str, ...]
    count: int
    reason: str
    note: str = ""
    older: int = 180


@dataclass
class _Plan:
    """A batch to write: its arrangements, what goes on it, and (once written) its id."""
    note: str
    created: date
    picks: list[_Pick]
    waste: list[tuple[str, str, str]] = field(default_factory=list)
    """Drafts and printing waste registered in the days before: (title, kind, note)."""
    approver: str = ""
    """Empty: the batch is left as a draft."""
    place: str = ""
    method: str = ""
    handler: str = ""
    supervisors: str = ""
    present: str = ""
    keep: bool = False
    """One card volume kept back at the execution."""
    registered: list[tuple[str, str]] = field(default_factory=list)
    """The waste's registration numbers, with its note."""
    batch_id: int = 0


def generate(session: Session, seed: int = 13,
             printed: Callable[[int], tuple[str, str]] | None = None) -> list[str]:
    """The past batches carried out, the two holds and this month's draft (see the module's
    docstring); needs the demo's people (demo_items.PEOPLE) and items. Returns the numbers of
    the batches written, oldest first."""
    story = _Story(session, random.Random(seed), clock.now())
    story.printed = printed
    story.plan()
    with db.atomic(), _clock_moved(story.clock):
        story.run()
    return story.numbers


class _Story:
    """Dated steps, planned first, then run in order of their time with the clock at each."""

    def __init__(self, session: Session, rng: random.Random, now: datetime) -> None:
        self.session, self.rng, self.today = session, rng, now.date()
        self.latest = now - timedelta(minutes=30)
        """No step later than this (its items added within minutes): this month's draft may
        fall on today."""
        self.listed = holidays.listed_between(self.today - timedelta(days=450),
                                              self.today + timedelta(days=10))
        self.steps: list[tuple[datetime, int, Callable[[], None]]] = []
        self.planned = 0
        self.numbers: list[str] = []
        self.references: dict[int, int] = {}
        self.clock = _Clock(_at(self.today - timedelta(days=450), 9))
        self.printed: Callable[[int], tuple[str, str]] | None = None
        """The manifest's text as printed (see store.demo.build.PrintedText)."""

    def add(self, when: datetime, step: Callable[[], None]) -> None:
        self.planned += 1
        heapq.heappush(self.steps, (min(when, self.latest), self.planned, step))

    def run(self) -> None:
        while self.steps:
            when, _n, step = heapq.heappop(self.steps)
            self.clock.at = max(when, self.clock.at)
            step()

    def working(self, day: date, after: int = 0) -> date:
        """The first working day on or after `day`, or `after` working days after that."""
        while not holidays.is_working_day(day, self.listed):
            day += timedelta(days=1)
        for _n in range(after):
            day += timedelta(days=1)
            while not holidays.is_working_day(day, self.listed):
                day += timedelta(days=1)
        return day

    def before(self, day: date, count: int) -> date:
        """The working day `count` working days before `day`."""
        for _n in range(count):
            day -= timedelta(days=1)
            while not holidays.is_working_day(day, self.listed):
                day -= timedelta(days=1)
        return day

    def plan(self) -> None:
        today = self.today
        starts = [date(y, m, 1) for y in range(today.year - 2, today.year + 1) for m in (1, 7)]
        halves = [s for s in starts
                  if today - timedelta(days=410) < s <= today - timedelta(days=35)][-2:]
        plans = [self._half_year(start, later=n == len(halves) - 1)
                 for n, start in enumerate(halves)]
        if len(halves) == 2:
            plans.insert(1, self._media(self.working(halves[0] + (halves[1] - halves[0]) / 2)))
        for plan in plans:
            self._plan_batch(plan)
        self.add(_at(self.working(today - timedelta(days=42)), 11, 20), self._hold_kind)
        self.add(_at(self.working(today - timedelta(days=20)), 16, 5), self._hold_item)
        first = self.working(today.replace(day=1))
        self._plan_batch(self._draft(max(self.before(today, 3), first) if first < today
                                     else today))

    def _half_year(self, start: date, later: bool) -> _Plan:
        """Reports and volumes past their retention, the half-year's drafts and waste."""
        last = start - timedelta(days=1)
        half = "上半年" if last.month == 6 else "下半年"
        picks = [_Pick(("report",), 4 if later else 5, "expired"),
                 _Pick(("volume",), 3 if later else 2, "expired", "登记卡已录入系统并核对无误"),
                 _Pick(("analysis",), 1, "superseded", "已被修订稿替代", older=90)]
        waste = [(f"{last.year}年{last.month}月统计报表（校对稿）", "report",
                  "校对稿，正式报表已报送"),
                 (f"{last.year}年{half}统计分析（征求意见稿）", "analysis",
                  "征求意见稿，定稿已印发"),
                 (f"{last.year}年{last.month}月统计报表（印制废页）", "report", "")]
        note = f"{last.year}年{half}到期统计资料及废稿"
        created = self.working(start + timedelta(days=6))
        if later:
            return _Plan(note, created, picks, waste[:2], "cjc", ROOM, "shred", "zhq",
                         "jxa gzm bmb", "jxa bmb", keep=True)
        return _Plan(note, created, picks, waste, "ljc", ROOM, "shred", "lwj", "jxa gzm",
                     "jxa gzm")

    def _media(self, created: date) -> _Plan:
        picks = [_Pick(("disk",), 3, "expired", "数据已导入统计专用计算机并核对", older=120),
                 _Pick(("usb",), 2, "damaged", "接口损坏，无法读取", older=30)]
        return _Plan("涉密存储介质集中销毁", created, picks, [], "ljc", BUREAU, "media", "hgl",
                     "bmb gzm", "bmb gzm")

    def _draft(self, created: date) -> _Plan:
        before = created.replace(day=1) - timedelta(days=1)
        return _Plan(f"{created.year}年{created.month}月待销毁统计资料", created,
                     [_Pick(("report",), 2, "expired"),
                      _Pick(("volume",), 1, "expired", "登记卡已录入系统并核对无误"),
                      _Pick(("analysis",), 1, "superseded", "已被修订稿替代", older=90)],
                     [(f"{before.year}年{before.month}月统计报表（校对稿）", "report",
                       "校对稿，正式报表已报送")])

    def _plan_batch(self, plan: _Plan) -> None:
        for n, waste in enumerate(plan.waste):
            day = self.before(plan.created, n + 1)
            self.add(_at(day, 16, 10 + 7 * n), partial(self._register, plan, *waste))
        self.add(_at(plan.created, 9, 30), partial(self._create, plan))
        if not plan.approver:
            return
        approved = self.working(plan.created, 2)
        carried = self.working(approved, 4)
        self.add(_at(approved, 10, 30), partial(self._approve, plan, approved, carried))
        self.add(_at(approved, 15), partial(self._print, plan))
        self.add(_at(carried, 14, 30), partial(self._execute, plan, carried))

    def candidates(self, pick: _Pick, day: date) -> list[items.Item]:
        """Items of the pick's kinds registered `pick.older` days before `day`, with nothing
        in their chain from `day` on, never on a batch, that may join one: oldest first."""
        registered = _at(day - timedelta(days=pick.older), 0).isoformat(timespec="seconds")
        since = _at(day, 0).isoformat(timespec="seconds")
        found = records(
            items.Item, f"SELECT {items.COLUMNS} FROM item i WHERE i.status = 'in'"
            " AND i.document_id IS NULL AND i.original_id IS NULL"
            " AND i.kind IN (SELECT value FROM json_each(?)) AND i.created_at < ?"
            " AND NOT EXISTS (SELECT 1 FROM custody_event e WHERE e.item_id = i.id"
            " AND e.at >= ?) AND NOT EXISTS (SELECT 1 FROM batch_item x"
            " WHERE x.item_id = i.id) ORDER BY i.created_at, i.id",
            (json.dumps(pick.kinds), registered, since))
        return [item for item in found if not destruction_rules.why_not(item, 0)]

    def _register(self, plan: _Plan, title: str, kind: str, note: str) -> None:
        made = items.register(self.session, title, kind, "internal",
                              pages=str(self.rng.randint(3, 40)), location="统计室待销毁柜",
                              custodian="李文书")
        plan.registered.append((made.reg_no, note))

    def _create(self, plan: _Plan) -> None:
        chosen = [(item, pick) for pick in plan.picks
                  for item in self.candidates(pick, plan.created)[:pick.count]]
        if not chosen and not plan.registered:
            return  # nothing to destroy: no batch
        batch = destruction.create(self.session, plan.note)
        plan.batch_id = batch.id
        self.numbers.append(batch.number)
        listed = [(item.reg_no, pick.reason, pick.note) for item, pick in chosen]
        listed += [(number, "waste", note) for number, note in plan.registered]
        for number, reason, note in listed:
            self.clock.forward(seconds=self.rng.randint(40, 150))
            destruction.add(self.session, batch.id, number, reason, note)

    def _approve(self, plan: _Plan, approved: date, carried: date) -> None:
        if not plan.batch_id:
            return
        year = approved.year
        self.references[year] = self.references.get(year, 0) + 1
        destruction.approve(self.session, plan.batch_id, Arrangements(
            plan.approver, approved.isoformat(), f"销审〔{year}〕{self.references[year]}号",
            plan.place, plan.method, carried.isoformat(), plan.handler, plan.supervisors))

    def _print(self, plan: _Plan) -> None:
        if plan.batch_id:
            text, lang = self.printed(plan.batch_id) if self.printed else ("", "")
            destruction.mark_printed(self.session, plan.batch_id, text, lang)

    def _execute(self, plan: _Plan, carried: date) -> None:
        if not plan.batch_id:
            return
        batch = destruction.get(plan.batch_id)
        volumes = [line for line in destruction.lines(batch.id) if line.kind == "volume"]
        kept = {volumes[-1].reg_no: KEPT} if plan.keep and volumes else {}
        destruction.execute_batch(self.session, batch.id, Execution(
            carried.isoformat(), plan.present, kept, batch.number))

    def _hold_kind(self) -> None:
        """Every ledger registered last year, for the inspection."""
        year = self.today.year - 1
        holds.place(self.session, KIND_HOLD.format(year=year), kind="ledger",
                    first=f"{year}-01-01", last=f"{year}-12-31")

    def _hold_item(self) -> None:
        """The oldest card volume that could otherwise be destroyed (the draft's first)."""
        found = self.candidates(_Pick(("volume",), 1, "expired"), self.clock.at.date())
        if found:
            holds.place(self.session, ITEM_HOLD, number=found[0].reg_no)
