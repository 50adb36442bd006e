"""`statdesk report YYYY-MM [--docx FILE]`: the month's report on the terminal, or as Word."""

from __future__ import annotations

import argparse
import unicodedata
from pathlib import Path

from statdesk.common import acting_secret, authenticate, passwords_from, paths_from, say
from store.i18n import _

NONE = "-"
"""A figure with nothing to compare with: the terminal may be a console whose font has ASCII
and CJK only (no em dash, no division sign)."""


def width(text: str) -> int:
    """Terminal cells: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def aligned(rows: list[list[str]], header_lines: int = 1) -> list[str]:
    """The first column to the left, the figures to the right, in terminal cells; a title
    on two lines ("This month\ncases") takes the first `header_lines` rows."""
    parts = [cell.split("\n") for cell in rows[0]]
    parts = [[""] * (header_lines - len(cell)) + cell for cell in parts]
    rows = [[cell[i] for cell in parts] for i in range(header_lines)] + rows[1:]
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [row[0] + " " * (widths[0] - width(row[0]))]
        cells += [" " * (w - width(cell)) + cell for cell, w in zip(row[1:], widths[1:],
                                                                     strict=True)]
        lines.append("  ".join(cells).rstrip())
    return lines


def cmd_report(args: argparse.Namespace) -> int:
    from store.report import figures as report
    from store.vault.folder import StoreDir

    month = report.check_month(args.month)
    with StoreDir(paths_from(args)) as folder:
        session = authenticate(folder, args, acting_secret(args, passwords_from(args)))
        try:
            if args.docx:
                from exports import report_files

                path = report_files.monthly(session, month, Path(args.docx))
                say(_("Report written: {path}").format(path=path))
                return 0
            for line in report_lines(month):
                say(line)
        finally:
            session.close()
    return 0


def report_lines(month: str) -> list[str]:
    """The month's report as the terminal prints it: per business type its lines, this month
    and the year to date in 件 and 人 with 同比; the 合计 in 件; the stocks' days, the rates
    with their formulas, and what the checks found."""
    from exports import report_files, report_rows
    from store.report import figures as report
    from store.report import submission

    built = report.build(month)
    lines = [_("Monthly statistical report · {month}").format(month=built.month),
             report_files.state_line(built, submission.revisions(built.month)), ""]
    table = [report_rows.headers()]
    for row in report_rows.rows(built, none=NONE):
        table.append([row.label, *(row.cells or ("",) * len(report_rows.COLUMNS))])
    lines += aligned(table, header_lines=2)
    if built.empty:
        lines.append(report_files.empty_note(built))
    lines += ["", *report_files.under_table(built, NONE, "/"), ""]
    lines += report_rows.check_lines(built) or [report_rows.checks_passed(built)]
    return lines
