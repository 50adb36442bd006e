"""What an operator name and a password must look like."""

from __future__ import annotations

import re
import unicodedata

from store.errors import InvalidInput
from store.i18n import _

RECOVERY_ACTOR = "(recovery)"
"""Who the audit log names when the recovery code was used."""
UNKNOWN_NAME = "(unknown)"
"""Failed attempts under names that are no operator are counted here, without the name:
a password typed into the name field must not be kept in plaintext."""

MIN_PASSWORD = 10
MAX_PASSWORD = 256
RESERVED_NAMES = {"recovery", "system"}
_NAME = re.compile(r"^[^\W_][\w.-]{0,31}$")


def shown(text: object, limit: int = 40) -> str:
    """Typed text made safe to echo in a one-line message: no control characters, short."""
    cleaned = "".join(ch if unicodedata.category(ch)[0] != "C" else "?" for ch in str(text))
    return cleaned if len(cleaned) <= limit else cleaned[:limit - 3] + "..."


def check_name(name: str) -> str:
    """A login name: letters (Chinese too), digits, `.`, `_`, `-`; 1–32; not reserved."""
    name = unicodedata.normalize("NFC", name.strip())
    if not name:
        raise InvalidInput(_("the operator name is empty"))
    if not _NAME.match(name) or name.lower() in RESERVED_NAMES:
        raise InvalidInput(_("\"{name}\" cannot be an operator name: use 1-32 letters, digits, "
                             "'.', '_' or '-', starting with a letter or digit")
                           .format(name=shown(name)))
    return name


def check_password(password: str) -> str:
    """A new password: at least 10 characters, no control characters."""
    if not password:
        raise InvalidInput(_("the new password is empty"))
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(_("the new password is too short: at least {n} characters")
                           .format(n=MIN_PASSWORD))
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(_("the new password is too long: at most {n} characters")
                           .format(n=MAX_PASSWORD))
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in password):
        raise InvalidInput(_("the new password contains a control character or bytes that "
                             "are not text"))
    return password


def check_text(value: str, what: str, limit: int = 200) -> str:
    """Free text typed by an operator (a name, a reason): one line, real characters."""
    value = value.strip()
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise InvalidInput(_("the {what} contains characters that are not text").format(what=what))
    if len(value) > limit:
        raise InvalidInput(_("the {what} is too long: at most {n} characters").format(
            what=what, n=limit))
    return value


def check_confirmation(password: str, confirmation: str) -> None:
    if password != confirmation:
        raise InvalidInput(_("the two new passwords differ"))
