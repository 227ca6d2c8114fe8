"""Shows a refused save's messages next to the fields they name, and clears them on edit."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import FieldError, ValidationFailed
from desktop.ui.errors import environment_message

ERROR_STYLE = "color: #b00020;"
# A bare border drew line edits at half their height: show() holds each box to its height.
MESSAGE_BESIDE_WIDTH = 240  # px: 不能为空 … 与区局代码相同，各级单位的代码不能重复
FIELD_ERROR_STYLE = "border: 1px solid #d93025; border-radius: 2px;"


class FieldErrors(QObject):
    """Register each field with its Chinese label (the one the services name in FieldError)
    and the QLabel under it; `show(error)` fills them, anything unnamed goes to `general`."""

    def __init__(self, general: QLabel, parent: QObject | None = None, *,
                 beside: bool = False) -> None:
        super().__init__(parent)
        self.general = general
        self.beside = beside  # messages to the right of the fields (a dialog short of height)
        general.setStyleSheet(ERROR_STYLE)
        general.setWordWrap(True)
        general.hide()
        # The summary line keeps its place too: a dialog does not squeeze its fields for it.
        general.setMinimumHeight(general.fontMetrics().lineSpacing() + 4)
        policy = general.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        general.setSizePolicy(policy)
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self._summary = False  # the general line holds the count of the fields to correct

    def field(self, label: str, widget: QWidget, *aliases: str, caption: str | None = None,
              marks: QWidget | None = None) -> QWidget:
        """The widget with its red message line below it (and `caption` above), registered under
        `label` and any other names the services use for it; put the result in a layout.
        `marks` is the part of a compound widget that gets the red border and the focus.
        The message line keeps its place when empty, so the fields never move as messages
        come and go (with `beside`, it stands to the right of the field, in a column of its
        own)."""
        holder = QWidget()
        message = QLabel()
        if self.beside:
            line = QHBoxLayout(holder)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(widget, 1)
            message.setFixedWidth(MESSAGE_BESIDE_WIDTH)
            line.addWidget(message)
        else:
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(1)
            if caption is not None:
                column.addWidget(QLabel(caption))
            column.addWidget(widget)
            column.addWidget(message)
        for name in (label, *aliases):
            self.add(name, marks or widget, message)
        self._reserve(message)
        return holder

    def _reserve(self, message: QLabel) -> None:
        """An empty message line still takes one line's height (or, beside, its width)."""
        message.setText("不能为空")  # one line of a message, as the label draws it
        message.setMinimumHeight(message.sizeHint().height())
        message.setText("")
        policy = message.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        message.setSizePolicy(policy)

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
            self.clear_one(name, count=False)
        self.general.clear()
        self.general.hide()
        self._summary = False

    def clear_one(self, name: str, *, count: bool = True) -> None:
        widget, message = self._fields[name]
        if message.isVisible() or message.text():
            message.clear()
            message.hide()
            widget.setStyleSheet("")
            if count:
                self._recount()

    def remaining(self) -> int:
        """How many fields still show a message."""
        return len({id(m) for _, m in self._fields.values() if m.text()})

    def _recount(self) -> None:
        """The summary follows the fields as they are corrected, and goes with the last one."""
        if not self._summary:
            return
        left = self.remaining()
        where = (QCoreApplication.translate("FieldErrors", "右侧") if self.beside
                 else QCoreApplication.translate("FieldErrors", "下方"))
        if left > 1:
            self.general.setText(QCoreApplication.translate(
                "FieldErrors", "有 {0} 处需要改正，见各栏{1}的红字。").format(left, where))
        elif left == 1:
            self.general.setText(QCoreApplication.translate(
                "FieldErrors", "还有 1 处需要改正，见该栏{0}的红字。").format(where))
        else:
            self.general.clear()
            self.general.hide()
            self._summary = False

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
                message.setToolTip(problem.message)
                message.show()
                # The box keeps its height under the red frame.
                if isinstance(widget, QLineEdit | QComboBox | QDateEdit | QDateTimeEdit):
                    widget.setFixedHeight(widget.height() if widget.isVisible()
                                          else widget.sizeHint().height())
                widget.setStyleSheet(FIELD_ERROR_STYLE)
                first = first or widget
            else:
                unplaced.append(f"{problem.field}：{problem.message}")
        if unplaced:
            self.general.setText("\n".join(unplaced))
            self.general.show()
        count = len(problems)
        if count > 1 and not unplaced:
            self._summary = True
            self.general.show()
            self._recount()
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
