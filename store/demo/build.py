"""The demo store: realistic sample data to try statdesk, never the real store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from store.errors import StoreExists
from store.i18n import _
from store.vault.folder import StoreDir
from store.vault.paths import DataPaths

if TYPE_CHECKING:
    from store.vault.session import Session

DEMO_PASSWORD = "statdesk-demo"
DEMO_OPERATORS = (("admin", "admin", "王统计"), ("clerk", "clerk", "李文书"))
DEMO_UNIT = "示例县人民检察院（演示）"


@dataclass(frozen=True)
class DemoResult:
    created: bool
    operators: tuple[tuple[str, str, str], ...]
    password: str


def is_demo(paths: DataPaths) -> bool:
    """Whether this data directory holds the demo store."""
    return paths.demo_marker.exists()


PrintedText = Callable[[int], tuple[str, str]]
"""A batch id → the canonical text of its manifest as it would be printed, and its language
(exports.destruction_files.printed_text): what a batch marked printed keeps as its record."""


def ensure_demo(paths: DataPaths, cards: int | None = None,
                printed: PrintedText | None = None) -> DemoResult:
    """Create the demo store if it is not there yet; refuse a folder holding a real store.
    `printed` gives the demo's printed batches the record a real print keeps; without it they
    are marked printed the way a store made before 0.6.0 kept them (the old digest)."""
    marker = paths.demo_marker
    with StoreDir(paths, create=True) as folder:
        if folder.has_store or paths.keys.exists():
            if not marker.exists():
                raise StoreExists(_("{root} holds a store that is not a demo store; the demo "
                                    "never touches it").format(root=paths.root))
            if cards is not None:
                raise StoreExists(_("the demo store at {root} exists already; give another "
                                    "--data-dir for one with {n} cards").format(root=paths.root,
                                                                                n=cards))
            return DemoResult(False, DEMO_OPERATORS, DEMO_PASSWORD)
        admin_name, _role, admin_display = DEMO_OPERATORS[0]
        from store import operators

        new = folder.init(admin_name, DEMO_PASSWORD, DEMO_UNIT, admin_display)
        for name, role, display in DEMO_OPERATORS[1:]:
            operators.add(new.session, name, role, DEMO_PASSWORD, display)
        from store.demo import cards as demo_cards

        demo_cards.generate(new.session, count=cards)
        if cards is None:  # the sample years: past months reconciled and submitted
            submit_past_months(new.session)
        from store.demo import items as demo_items

        demo_items.generate(new.session)
        from store.demo import destruction as demo_destruction
        from store.demo import secrecy as demo_secrecy

        # Destruction first: the National Day eve check then leaves out what was destroyed
        # in the months before it.
        demo_destruction.generate(new.session, printed=printed)
        demo_secrecy.generate(new.session)
        _analysis_reports(new.session)
        marker.write_text(
            "This folder holds the statdesk demo store: sample data, for trying only.\n"
            f"Operators: {', '.join(n for n, _r, _d in DEMO_OPERATORS)}; "
            f"password: {DEMO_PASSWORD}\n", encoding="utf-8")
        new.session.close()
    return DemoResult(True, DEMO_OPERATORS, DEMO_PASSWORD)


def submit_past_months(session: Session) -> None:
    """Every month before this one is reconciled with its departments and submitted, as an
    office would have done; this month stays open to try the flow on."""
    from store import clock
    from store.cards.models import Card
    from store.report import figures as report
    from store.report import submission

    this = clock.today().strftime("%Y-%m")
    past = Card.select(Card.month).distinct().where(Card.month < this).order_by(Card.month)
    for month in [row.month for row in past]:
        day = min(f"{month}-26", clock.today().isoformat())
        built = report.build(month)  # nothing changes until the month is submitted
        for state in submission.departments(month, built):
            submission.confirm(session, month, state.department, "部门内勤", day)
        moved = submission.swings(built)
        submission.submit(session, month, "市人民检察院", swing_note=_(
            "sample data: the month's figures vary by season") if moved else "")


ANALYSES = ["一季度刑事检察工作分析", "上半年办案情况分析", "认罪认罚从宽制度适用情况分析",
            "三季度办案数据分析", "公益诉讼工作专题分析", "控告申诉案件分析",
            "前三季度统计数据质量分析"]


def _analysis_reports(session: Session) -> None:
    """This year's analysis reports so far (C14): seven of the eight, one month apart."""
    from datetime import timedelta

    from store import clock
    from store.report import analysis

    today = clock.today()
    for n, title in enumerate(ANALYSES):
        day = today - timedelta(days=30 * (len(ANALYSES) - n))
        if day.year == today.year:
            analysis.add(session, f"{day.year}年{title}", "李文书", day.isoformat(), "统计分析")
