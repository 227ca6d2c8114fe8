"""Remembered window geometry and table layouts (QSettings, keyed by class and purpose)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QSplitter, QWidget

ORGANIZATION = "Hejie"
APPLICATION = "Hejie"


def settings() -> QSettings:
    # INI everywhere (not the Windows registry): one readable file an administrator can copy.
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def _key(widget: QWidget, what: str) -> str:
    return f"layout/{type(widget).__name__}/{what}"


def restore_geometry(widget: QWidget) -> bool:
    value = settings().value(_key(widget, "geometry"))
    return isinstance(value, QByteArray) and widget.restoreGeometry(value)


def save_geometry(widget: QWidget) -> None:
    settings().setValue(_key(widget, "geometry"), widget.saveGeometry())


def restore_header(owner: QWidget, header: QHeaderView, name: str = "table") -> bool:
    value = settings().value(_key(owner, name))
    return isinstance(value, QByteArray) and header.restoreState(value)


def save_header(owner: QWidget, header: QHeaderView, name: str = "table") -> None:
    settings().setValue(_key(owner, name), header.saveState())


def restore_splitter(owner: QWidget, splitter: QSplitter, name: str = "splitter") -> None:
    value = settings().value(_key(owner, name))
    if isinstance(value, QByteArray):
        splitter.restoreState(value)


def save_splitter(owner: QWidget, splitter: QSplitter, name: str = "splitter") -> None:
    settings().setValue(_key(owner, name), splitter.saveState())


def last_username() -> str:
    return str(settings().value("login/last_username", "") or "")


def set_last_username(name: str) -> None:
    settings().setValue("login/last_username", name)
