"""Enter in a one-line field moves to the next field, as on a paper form (Tab still works)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QWidget


class EnterMovesOn(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
            and isinstance(watched, (QLineEdit, QComboBox, QAbstractSpinBox))
        ):
            # An open completer popup takes Enter itself to pick its entry.
            if isinstance(watched, QLineEdit) and watched.completer() is not None \
                    and watched.completer().popup().isVisible():
                return False
            if isinstance(watched, QComboBox) and watched.view().isVisible():
                return False
            tab = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier)
            QApplication.sendEvent(watched, tab)
            return True
        return False

    def install(self, *widgets: QWidget) -> None:
        for widget in widgets:
            widget.installEventFilter(self)
