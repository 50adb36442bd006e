"""argparse's own words (usage, the headings, `-h`'s help, its error lines) in the language of
the rest of statdesk; `Formatter` writes help with the language's colon after a heading.

argparse takes its words from `gettext.gettext` under the name `argparse._`, read when a help
or an error is written; `install()` points that name (and `argparse.ngettext`) at statdesk's
catalog, where the messages below have their translations.
"""

from __future__ import annotations

import argparse
import unicodedata

from store import i18n
from store.i18n import N_, _

WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("one of the arguments %s is required"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)
"""The messages of argparse that a statdesk command can show (argparse's own msgids)."""


class Formatter(argparse.HelpFormatter):
    """argparse's help layout, each heading followed by the colon of the current language
    ("位置参数：", not "位置参数:")."""

    class _Section(argparse.HelpFormatter._Section):
        def format_help(self) -> str:
            text: str = super().format_help()
            heading = self.heading
            if isinstance(heading, str) and heading and heading is not argparse.SUPPRESS:
                text = text.replace(f"{heading}:\n", _("{heading}:").format(heading=heading)
                                    + "\n", 1)
            return text

    def add_argument(self, action: argparse.Action) -> None:
        """argparse sets the help column by the options' lengths in characters; a wide
        character (a Chinese metavar) takes two columns."""
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            wide = _columns(self._format_action_invocation(action)) + self._current_indent
            self._action_max_length = max(self._action_max_length, wide)

    def _format_action(self, action: argparse.Action) -> str:
        """argparse pads an option to the help column by its length in characters; a wide
        character (a Chinese metavar) takes two columns: take off the spaces it over-fills."""
        text = super()._format_action(action)
        invocation = self._format_action_invocation(action)
        extra = _columns(invocation) - len(invocation)
        head = " " * self._current_indent + invocation
        if extra and text.startswith(head + " " * (extra + 2)):
            text = head + text[len(head) + extra:]
        return text


def _columns(text: str) -> int:
    """How many columns `text` takes on a terminal (wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def install() -> None:
    """argparse's words from statdesk's catalog, in the language current when they are shown."""
    setattr(argparse, "_", i18n._)  # noqa: B010 - a module's global, replaced on purpose
    setattr(argparse, "ngettext", i18n.ngettext)  # noqa: B010
