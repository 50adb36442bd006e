"""The one message catalog: every user-facing string goes through `_()`.

English source strings; the Chinese catalog and `--lang` switching come with
the app issue. Kept free of Textual so store/ and the command line can use it.
"""

from __future__ import annotations


def _(message: str) -> str:
    """Translate a message (identity until the catalogs are added)."""
    return message
