"""Reusable widgets: the translated footer, form fields, console-safe Textual widgets."""

from tui.widgets.choice import Choice
from tui.widgets.console import Palette, SecretInput, Table
from tui.widgets.field import Field
from tui.widgets.footer import AppFooter

__all__ = ["AppFooter", "Choice", "Field", "Palette", "SecretInput", "Table"]
