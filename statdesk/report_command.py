"""`statdesk report YYYY-MM [--docx FILE]`: the month's report on the terminal, or as Word."""

from __future__ import annotations

import argparse
import unicodedata
from pathlib import Path

from statdesk.common import acting_secret, authenticate, passwords_from, paths_from, say
from store.i18n import _


def width(text: str) -> int:
    """Terminal cells: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def aligned(rows: list[list[str]]) -> list[str]:
    """The first column to the left, the figures to the right, in terminal cells."""
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
    from exports import report_files
    from store.report import figures as report
    from store.report import submission

    built = report.build(month)
    lines = [_("Monthly statistical report · {month}").format(month=built.month),
             report_files.state_line(built, submission.revisions(built.month))]
    for period, heading in (("month", _("This month")), ("ytd", _("Year to date (累计)"))):
        section = report_files.figures_section(built, period, heading)
        lines += ["", section.heading, *aligned([section.header, *section.rows])]
        if section.note:
            lines.append(section.note)
    return lines
