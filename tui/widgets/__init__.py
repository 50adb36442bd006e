"""Reusable widgets: the translated footer, form fields, console-safe Textual widgets."""

from tui.widgets.console import Choice, Palette, SecretInput, Table
from tui.widgets.field import Field
from tui.widgets.footer import AppFooter

__all__ = ["AppFooter", "Choice", "Field", "Palette", "SecretInput", "Table"]
