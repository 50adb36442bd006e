"""The one message catalog: every user-facing string goes through `_()`.

Source strings are English; `locale/zh_CN/LC_MESSAGES/statdesk.po` (compiled
to the shipped `.mo`) holds the Chinese. A sentence that counts things is one `ngettext()` message
with both English forms, never fragments glued together. Chinese is the default; `--lang en`,
the language setting or `STATDESK_LANG` choose English. `N_()` marks a string
for the catalog that is translated later, where it is shown (key bindings
are declared at import time, before the language is known).
It sits at the store's level, below everything that shows a message: the store, the Word
files, the command line and the app all take their words from here (DESIGN.md's layers).
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "statdesk"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("zh", "en")
ENV_LANG = "STATDESK_LANG"
_LOCALES = {"zh": "zh_CN", "en": "en"}

_current = "zh"
_catalog: gettext.NullTranslations = gettext.NullTranslations()


def set_language(lang: str) -> None:
    """Switch every later `_()` to `lang` ("zh" or "en")."""
    global _current, _catalog
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    if lang == "en":
        _catalog = gettext.NullTranslations()
    else:
        _catalog = gettext.translation(DOMAIN, localedir=LOCALE_DIR,
                                       languages=[_LOCALES[lang]], fallback=True)
    _current = lang


def language() -> str:
    return _current


def _(message: str) -> str:
    """Translate a message into the current language."""
    return _catalog.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The sentence for `n` things, whole, in the current language (Chinese has one form;
    English chooses by `n`). Both forms keep their placeholders: format them after."""
    return _catalog.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for the catalog; it is translated where it is shown."""
    return message


set_language(os.environ.get(ENV_LANG, "zh") if os.environ.get(ENV_LANG) in LANGUAGES else "zh")
