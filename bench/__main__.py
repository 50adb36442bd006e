"""`python -m bench`: every figure beside a baseline from the same run.

Not a timed test: machines here are noisy, so compare the columns, not runs.
Sizes are options (`--audit-entries`, `--cards`) for a quick look; the README's
figures use the defaults.
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.pop("STATDESK_TEST_KDF_ITER", None)  # production keyslot cost

from bench import app, backup, cards, desk, foundation, report

HEAD = ("figure", "statdesk", "baseline (same run)", "ratio", "target")


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
    args = parser.parse_args(argv)
    print(f"statdesk bench · {foundation.describe()}")
    rows = foundation.run(args.repeat, args.writes)
    rows += app.run(args.repeat, args.audit_entries)
    rows += backup.run(args.cards)
    rows += cards.run(args.cards)
    rows += report.run(args.cards)
    rows += desk.run()
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
