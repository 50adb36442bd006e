"""The recovery code: shown once at `init`, sealed in the safe, unlocks the recovery keyslot."""

from __future__ import annotations

import secrets

# Crockford's base32: no I, L, O, U, so a handwritten code reads back unambiguously.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS, GROUP_LEN = 6, 5
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    """A fresh code: 30 symbols (150 bits) in groups of five."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LEN))
    return "-".join(raw[i:i + GROUP_LEN] for i in range(0, len(raw), GROUP_LEN))


def normalize(code: str) -> str:
    """The code as typed, without spaces or dashes, upper case, look-alikes mapped."""
    cleaned = "".join(ch for ch in code.upper() if ch not in " -\t")
    return cleaned.translate(_READ_AS)


def looks_valid(code: str) -> bool:
    norm = normalize(code)
    return len(norm) == GROUPS * GROUP_LEN and all(ch in ALPHABET for ch in norm)
