"""Store messages use the one catalog."""

from statdesk.i18n import _

__all__ = ["_"]
