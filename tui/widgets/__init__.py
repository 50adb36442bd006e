"""Reusable widgets: the translated footer, form fields."""

from tui.widgets.field import Field
from tui.widgets.footer import AppFooter

__all__ = ["AppFooter", "Field"]
