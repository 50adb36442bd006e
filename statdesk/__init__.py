"""statdesk — 统计资料管理台, the statistics office's desk on an offline workstation."""

__all__ = ["__version__"]
__version__ = "0.1.0"
