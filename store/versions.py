"""statdesk's version, held here once: the package, `pyproject.toml` and the store read it.

Kept at store level (and free of imports) because the store records it: in `meta`
when a store is made or upgraded, and in every backup's manifest.
"""

from __future__ import annotations

VERSION = "0.6.0"
"""This statdesk. `pyproject.toml` takes the package version from here."""

UNRECORDED = "0.1.0"
"""What wrote a store that holds no `statdesk_version`: 0.1.0 did not record it."""
