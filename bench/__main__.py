"""`python -m bench`: every figure beside a baseline from the same run.

Not a timed test: machines here are noisy, so compare the columns, not runs.
Sizes are options (`--audit-entries`, `--cards`, `--items`, `--batch-items`) for a quick
look; the README's figures use the defaults. `--only NAME` (repeatable) runs some of the
groups, e.g. `python -m bench --only secrecy`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

os.environ.pop("STATDESK_TEST_KDF_ITER", None)  # production keyslot cost

from bench import app, audit_deep, backup, cards, desk, destruction, foundation, report, secrecy

HEAD = ("figure", "statdesk", "baseline (same run)", "ratio", "target")
GROUPS = ("foundation", "app", "backup", "cards", "report", "desk", "secrecy", "destruction",
          "audit")


def table(rows: list[foundation.Row]) -> str:
    widths = [max(len(h), *(len(str(r[i])) for r in rows)) for i, h in enumerate(HEAD)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(HEAD, widths, strict=True)) + "  met"]
    for row in rows:
        cells = [str(c).ljust(w) for c, w in zip(row[:5], widths, strict=True)]
        lines.append("  ".join(cells) + ("  yes" if row[5] else "  NO"))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--audit-entries", type=int, default=1_000_000)
    parser.add_argument("--cards", type=int, default=1_000_000,
                        help="rows for the backup figures and cards for the card figures")
    parser.add_argument("--items", type=int, default=100_000,
                        help="items for the checklist figures")
    parser.add_argument("--batch-items", type=int, default=2000,
                        help="items on the destruction batch of the manifest figure")
    parser.add_argument("--only", action="append", choices=GROUPS, metavar="NAME",
                        help=f"run only this group (repeatable): {', '.join(GROUPS)}")
    args = parser.parse_args(argv)
    groups: dict[str, Callable[[], list[foundation.Row]]] = {
        "foundation": lambda: foundation.run(args.repeat, args.writes),
        "app": lambda: app.run(args.repeat, args.audit_entries),
        "backup": lambda: backup.run(args.cards),
        "cards": lambda: cards.run(args.cards),
        "report": lambda: report.run(args.cards),
        "desk": lambda: desk.run(),
        "secrecy": lambda: secrecy.run(args.items),
        "destruction": lambda: destruction.run(args.batch_items),
        "audit": lambda: audit_deep.run(args.cards),
    }
    print(f"statdesk bench · {foundation.describe()}")
    rows = [row for name in GROUPS if name in (args.only or GROUPS) for row in groups[name]()]
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
