"""The 设置 page for administrators, one module per tab."""

from desktop.ui.views.settings.page import SettingsPage

__all__ = ["SettingsPage"]
