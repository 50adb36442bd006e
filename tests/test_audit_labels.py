"""Every action and entity the code writes to the audit log has a label for the log screen."""

from __future__ import annotations

import re
from pathlib import Path

from store.audit import log as audit

ROOT = Path(__file__).resolve().parent.parent
APPEND = re.compile(r'audit\.append\(\s*[^,]+,\s*"([a-z_.-]+)",\s*"([a-z_]+)"', re.S)


def test_every_audited_action_and_entity_has_a_label() -> None:
    found = [m.groups() for source in (ROOT / "store").rglob("*.py")
             for m in APPEND.finditer(source.read_text(encoding="utf-8"))]
    assert len(found) > 30  # the pattern still finds the calls
    assert sorted({a for a, _e in found} - set(audit.ACTIONS)) == []
    assert sorted({e for _a, e in found} - set(audit.ENTITIES)) == []
