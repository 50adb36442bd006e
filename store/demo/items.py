"""Sample items, people and a year of loans for the demo store (and benchmark sizes).

Written in bulk, each loan with its custody events, so that the catalogue, the desk
and the dashboard have something true to show: most loans returned, a few overdue,
a few copies not yet recovered. One audit entry says what was generated.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import NamedTuple

from store import clock
from store.custody.models import Item, Person
from store.vault.database import db, records, scalar
from store.vault.session import Session

PEOPLE = [
    ("lwj", "李文杰", "staff", "第一检察部", "", 0),
    ("zhq", "赵红情", "staff", "第一检察部", "", 0),
    ("wxm", "王晓明", "staff", "第二检察部", "", 0),
    ("sjy", "孙佳怡", "staff", "第三检察部", "", 0),
    ("zyh", "周英华", "staff", "第四检察部", "", 0),
    ("hgl", "胡光亮", "staff", "控告申诉检察部", "", 0),
    ("zbz", "张建国", "head", "第一检察部", "", 0),
    ("wbz", "王立新", "head", "第二检察部", "", 0),
    ("lbz", "刘志强", "head", "第三检察部", "", 0),
    ("cbz", "陈海燕", "head", "第四检察部", "", 0),
    ("hbz", "黄国庆", "head", "控告申诉检察部", "", 0),
    ("cjc", "陈检察长", "leader", "", "", 0),
    ("ljc", "李检察长", "leader", "", "", 0),
    ("bmb", "刘保密", "secrecy", "保密委员会办公室", "", 0),
    ("jxa", "蒋秀安", "supervisor", "纪检监察室", "", 0),
    ("gzm", "郭智明", "supervisor", "办公室", "", 0),
    ("xgaj", "李警官", "external", "", "某县公安局", 1),
    ("xfy", "吴法官", "external", "", "某县人民法院", 1),
    ("sjcy", "马检察官", "external", "", "某市人民检察院", 1),
    ("zpcs", "赵所长", "external", "", "某镇派出所", 0),
]
KINDS = [("report", "统计报表", 0.35), ("volume", "登记卡合订本", 0.2),
         ("analysis", "统计分析", 0.1), ("ledger", "台账", 0.1),
         ("classified", "涉密文件", 0.15), ("disk", "光盘", 0.05), ("usb", "U盘", 0.05)]
LEVELS = [("public", 0.1), ("internal", 0.45), ("secret", 0.3), ("confidential", 0.12),
          ("top", 0.03)]


class _Year(NamedTuple):
    year: str
    items: int


def _stamp(day: date, hour: int) -> str:
    return datetime(day.year, day.month, day.day, hour).astimezone().isoformat(
        timespec="seconds")


def generate(session: Session, count: int = 300, loans: int = 600, seed: int = 7) -> int:
    """People (if none yet), `count` items and about `loans` loans over the past year."""
    rng = random.Random(seed)
    today = clock.today()
    who, stamp_now = session.actor.name, clock.stamp()
    connection = db.connection()  # type: ignore[no-untyped-call]
    with db.atomic():
        if not Person.select().exists():
            connection.executemany(
                "INSERT INTO person (code, name, role, department, unit, county_or_above,"
                " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(*p, stamp_now, who) for p in PEOPLE])
        ids = {person.code: person.id for person in Person.select(Person.code, Person.id)}
        staff = [p for p in PEOPLE if p[2] in ("staff", "head")]
        heads = {p[3]: ids[p[0]] for p in PEOPLE if p[2] == "head"}
        per_year = {int(row.year): row.items for row in records(
            _Year, "SELECT substr(created_at, 1, 4) AS year, count(*) AS items FROM item"
            " GROUP BY 1")}
        item_rows: list[tuple[object, ...]] = []
        event_rows: list[tuple[object, ...]] = []
        first_id = int(scalar("SELECT coalesce(max(id), 0) FROM item")) + 1
        # One loan at a time per item, loans following each other, the first one after the
        # day the item was registered: the day it is free from.
        free_from: dict[int, date] = {}
        for n in range(count):
            kind, label, _w = rng.choices(KINDS, [k[2] for k in KINDS])[0]
            level = rng.choices([x[0] for x in LEVELS], [x[1] for x in LEVELS])[0]
            made = today - timedelta(days=rng.randint(30, 720))
            month = f"{made.year}年{made.month}月"
            per_year[made.year] = per_year.get(made.year, 0) + 1
            item_rows.append((f"统-{made.year}-{per_year[made.year]:04d}", f"{month}{label}",
                              kind, level, 1, rng.choice([1, 1, 2, 3]), rng.randint(4, 300),
                              f"{rng.choice('ABCD')}柜-{rng.randint(1, 5)}层", "李文书", None,
                              "in", _stamp(made, 9), who))
            event_rows.append((first_id + n, _stamp(made, 9), "register", who, None, None, "",
                               None, ""))
            free_from[first_id + n] = made + timedelta(days=1)
        connection.executemany(
            "INSERT INTO item (reg_no, title, kind, classification, copy_no, copies, pages,"
            " location, custodian, original_id, status, created_at, created_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", item_rows)
        externals = [p for p in PEOPLE if p[2] == "external" and p[5]]
        plan = sorted((today - timedelta(days=rng.randint(1, 365)), first_id + rng.randrange(count))
                      for _n in range(loans))
        for n, (day, item_id) in enumerate(plan):
            if day < free_from[item_id]:
                continue
            outside = rng.random() < 0.05  # an external unit, reading in the room (B2, B4)
            borrower = rng.choice(externals if outside else staff)
            mode = "read" if outside else rng.choices(["read", "lend"], [0.7, 0.3])[0]
            due = day + timedelta(days=14) if mode == "lend" else None
            late = mode == "lend" and day > today - timedelta(days=45) and rng.random() < 0.4
            opened = _stamp(day, 10)
            slip = "" if outside else f"借-{n + 1:04d}"
            letter = f"{borrower[4][:2]}函〔{day.year}〕{n + 1}号" if outside else ""
            loan = _loan(connection, item_id, ids[borrower[0]], mode, slip, letter,
                         borrower[4] if outside else "", None if outside else
                         heads.get(borrower[3]), ids["cjc"] if mode == "lend" or outside
                         else None, due, opened, who)
            signer = ids["cjc"] if mode == "lend" or outside else heads.get(borrower[3])
            event_rows.append((item_id, opened, mode, who, ids[borrower[0]], signer,
                               slip or letter, loan, ""))
            if late and due is not None and due < today:  # still out, overdue
                free_from[item_id] = date.max
                connection.execute("UPDATE item SET status = 'lent' WHERE id = ?", (item_id,))
                continue
            back = day + timedelta(days=0 if mode == "read" else rng.randint(3, 14))
            back = min(back, today - timedelta(days=1))  # closed before today, never later
            free_from[item_id] = back + timedelta(days=1)
            closed = _stamp(back, 16)
            connection.execute("UPDATE loan SET status = 'closed', closed_at = ?, closed_by = ?,"
                               " condition = 'intact' WHERE id = ?", (closed, who, loan))
            event_rows.append((item_id, closed, "return", who, None, None, "", loan, "完好"))
        connection.executemany(
            "INSERT INTO custody_event (item_id, at, kind, by, person_id, approved_by, reference,"
            " loan_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            sorted(event_rows, key=lambda e: str(e[1])))
        session.audit.append(who, "item.generate", "item", str(count),
                             new={"items": count, "loans": loans, "seed": seed})
    _copies(session)
    return count


def _loan(connection: object, item_id: int, borrower: int, mode: str, slip: str, letter: str,
          organ: str, head: int | None, approver: int | None, due: date | None, opened: str,
          who: str) -> int:
    cursor = connection.execute(  # type: ignore[attr-defined]
        "INSERT INTO loan (item_id, borrower_id, mode, slip_no, letter_no, issuing_organ,"
        " head_id, approver_id, due_on, opened_at, opened_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (item_id, borrower, mode, slip, letter, organ, head, approver,
         due.isoformat() if due else "", opened, who))
    return int(cursor.lastrowid)


def _copies(session: Session) -> None:
    """A few copies through the desk itself: two still out, one recovered."""
    from store.custody import desk

    free = [item.reg_no for item in Item.select(Item.reg_no).where(
        Item.status == "in", Item.kind != "copy").order_by(Item.id).limit(3)]
    for number in free:
        desk.record(session, desk.Request("lwj", [number], "copy", slip_no="借-复-1",
                                          head="zbz", approver="cjc", secrecy="bmb",
                                          due_on=(clock.today() + timedelta(days=7))
                                          .isoformat()))
    copies = desk.outstanding_copies()
    if copies:
        desk.return_item(session, copies[0].reg_no)
