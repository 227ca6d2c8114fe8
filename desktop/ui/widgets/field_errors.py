"""Shows a refused save's messages next to the fields they name, and clears them on edit."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import FieldError, ValidationFailed
from desktop.ui.errors import environment_message

ERROR_STYLE = "color: #b00020;"
FIELD_ERROR_STYLE = "border: 1px solid #d93025; border-radius: 2px;"


class FieldErrors(QObject):
    """Register each field with its Chinese label (the one the services name in FieldError)
    and the QLabel under it; `show(error)` fills them, anything unnamed goes to `general`."""

    def __init__(self, general: QLabel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.general = general
        general.setStyleSheet(ERROR_STYLE)
        general.setWordWrap(True)
        general.hide()
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}

    def field(self, label: str, widget: QWidget, *aliases: str, caption: str | None = None,
              marks: QWidget | None = None) -> QWidget:
        """The widget with its red message line below it (and `caption` above), registered under
        `label` and any other names the services use for it; put the result in a layout.
        `marks` is the part of a compound widget that gets the red border and the focus."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if caption is not None:
            column.addWidget(QLabel(caption))
        message = QLabel()
        column.addWidget(widget)
        column.addWidget(message)
        for name in (label, *aliases):
            self.add(name, marks or widget, message)
        return holder

    def add(self, label: str, widget: QWidget, message: QLabel) -> None:
        message.setStyleSheet(ERROR_STYLE)
        message.setWordWrap(True)
        message.hide()
        self._fields[label] = (widget, message)
        signal = None
        if isinstance(widget, QLineEdit):
            signal = widget.textEdited
        elif isinstance(widget, QPlainTextEdit):
            signal = widget.textChanged
        elif isinstance(widget, QComboBox):
            signal = widget.currentIndexChanged
        elif isinstance(widget, (QDateEdit, QDateTimeEdit)):
            signal = widget.dateTimeChanged
        if signal is not None:
            signal.connect(lambda *_, name=label: self.clear_one(name))

    def clear(self) -> None:
        for name in self._fields:
            self.clear_one(name)
        self.general.clear()
        self.general.hide()

    def clear_one(self, name: str) -> None:
        widget, message = self._fields[name]
        if message.isVisible() or message.text():
            message.clear()
            message.hide()
            widget.setStyleSheet("")

    def show(self, error: BaseException) -> bool:
        """True when the error was the user's input (shown here); False for anything else."""
        self.clear()
        if isinstance(error, ValidationFailed):
            problems = list(error.errors)
        elif isinstance(error, FieldError):
            problems = [error]
        else:
            return False
        first: QWidget | None = None
        unplaced = []
        for problem in problems:
            if problem.field in self._fields:
                widget, message = self._fields[problem.field]
                message.setText(problem.message)
                message.show()
                widget.setStyleSheet(FIELD_ERROR_STYLE)
                first = first or widget
            else:
                unplaced.append(f"{problem.field}：{problem.message}")
        if unplaced:
            self.general.setText("\n".join(unplaced))
            self.general.show()
        count = len(problems)
        if count > 1 and not unplaced:
            self.general.setText(
                QCoreApplication.translate("FieldErrors", "有 {0} 处需要改正，见各栏下方的红字。").format(count))
            self.general.show()
        if first is not None:
            first.setFocus()
        return True

    def show_refusal(self, error: BaseException) -> bool:
        """A refused save: the user's input next to its fields, or the machine's trouble (a
        locked or full database) in the general line. False for a bug, which the caller hands
        to the program's reporter."""
        if self.show(error):
            return True
        message = environment_message(error)
        if message is None:
            return False
        self.general.setText(message)
        self.general.show()
        return True

    def message_of(self, label: str) -> str:
        return self._fields[label][1].text()
