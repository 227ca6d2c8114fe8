"""Every message box the program shows goes through here (tests answer them instead)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def warn(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent, title, text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def notify(parent: QWidget | None, title: str, text: str, action: str = "",
           on_action: Callable[[], None] | None = None) -> None:
    """A notice that does not stop the user's work (news from a background task); `action`
    labels a button that runs `on_action` (say, open the list concerned)."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Close, parent)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.button(QMessageBox.StandardButton.Close).setText(box.tr("关闭"))
    if action and on_action is not None:
        button = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
        button.clicked.connect(on_action)
    box.show()
