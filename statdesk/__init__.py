"""statdesk — 统计资料管理台, the statistics office's desk on an offline workstation."""

from store.versions import VERSION as __version__

__all__ = ["__version__"]
