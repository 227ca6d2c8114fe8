"""Enter in a one-line field moves to the next field, as on a paper form (Tab still works)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QLineEdit,
    QWidget,
)


def _next_stop(widget: QWidget, forward: bool) -> QWidget | None:
    """The next (or previous) widget Tab would reach after this one, skipping its own parts."""
    step = QWidget.nextInFocusChain if forward else QWidget.previousInFocusChain
    other = step(widget)
    while other is not None and other is not widget:
        if (other.focusPolicy() & Qt.FocusPolicy.TabFocus) and other.isVisible() \
                and other.isEnabled() and not widget.isAncestorOf(other):
            return other
        other = step(other)
    return None


class EnterMovesOn(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Tab leaves a date and time box (Qt would walk its year, month, day, hour, minute
        # first): on a form, Tab goes to the next field; the arrows and digits edit the parts.
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            and isinstance(watched, QDateTimeEdit)
        ):
            forward = event.key() == Qt.Key.Key_Tab and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            target = _next_stop(watched, forward)
            if target is not None:
                target.setFocus(Qt.FocusReason.TabFocusReason if forward
                                else Qt.FocusReason.BacktabFocusReason)
                return True
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
