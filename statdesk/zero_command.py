"""`statdesk report zero MONTH DEPARTMENT --by NAME [--on DATE]`: a department's zero return
(零报): it has no cases in the month, so its cards count as handed in (C4).

`statdesk report` takes the month as its first word, so argparse cannot also give it a
subcommand: `routed` turns `report zero ...` into the command `report-zero ...` before the
arguments are parsed, and that command's parser calls itself `statdesk report zero`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from statdesk.common import acting_secret, authenticate, passwords_from, paths_from, say
from store.i18n import _

COMMAND = "report-zero"
"""The name `report zero` is parsed under (not listed in the help)."""
_WITH_VALUE = frozenset({"--data-dir", "--lang", "--user", "--docx", "--by", "--on"})
"""Options whose value is the next word (so it is never taken for a command)."""


def add_parser(sub: argparse._SubParsersAction,  # type: ignore[type-arg]
               report: argparse.ArgumentParser, auth: argparse.ArgumentParser) -> None:
    """The `report zero` command, said in the help of `statdesk report`."""
    report.epilog = _("statdesk report zero MONTH DEPARTMENT --by NAME [--on DATE]: record "
                      "that a department has no cases in the month (零报)")
    zero = sub.add_parser(COMMAND, parents=[auth], prog="statdesk report zero",
                          description=_("record that a department has no cases in the month "
                                        "(零报): its cards count as handed in"))
    zero.add_argument("month", metavar=_("MONTH"), help=_("the statistical month, e.g. 2026-11"))
    zero.add_argument("department", metavar=_("DEPARTMENT"),
                      help=_("the department's code, e.g. D02"))
    zero.add_argument("--by", required=True, metavar=_("NAME"),
                      help=_("the department's person who says it has no cases"))
    zero.add_argument("--on", metavar=_("DATE"),
                      help=_("the day they said so (default: today)"))


def routed(argv: Sequence[str]) -> list[str]:
    """The arguments with `report zero` as the command `report-zero` (options may stand
    before the command and between its words); anything else as it was."""
    words = list(argv)
    command: int | None = None
    index = 0
    while index < len(words):
        word = words[index]
        if word in _WITH_VALUE:
            index += 2
            continue
        if not word.startswith("-"):
            if command is not None:  # the command's first word
                if word == "zero" and words[command] == "report":
                    return [*words[:command], COMMAND, *words[command + 1:index],
                            *words[index + 1:]]
                break
            command = index
            if word != "report":
                break
        index += 1
    return words


def cmd_zero(args: argparse.Namespace) -> int:
    from store import clock
    from store.report import zero
    from store.vault.folder import StoreDir

    with StoreDir(paths_from(args)) as folder:
        session = authenticate(folder, args, acting_secret(args, passwords_from(args)))
        try:
            said = zero.confirm_zero(session, args.month, args.department, args.by,
                                     args.on or clock.today().isoformat())
        finally:
            session.close()
    say(_("Zero return recorded: {department} has no cases in {month} (said by {name} on "
          "{day}); its cards count as handed in.").format(
        department=said.department, month=said.month, name=said.confirmed_by,
        day=said.confirmed_on))
    return 0
