"""A small form over a dialog: fields, a red line for what is wrong, 确定/取消. The caller
connects `accepted` and reads the values; `validate` says what can be checked here."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from desktop.ui.widgets.field_errors import ERROR_STYLE


class SmallForm(QDialog):
    def __init__(self, title: str, ok: str, parent: QWidget | None, width: int = 360) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(width)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.form)

    def finish_layout(self) -> None:
        self.body.addWidget(self.error)
        self.body.addWidget(self.buttons)

    def refuse(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def validate(self) -> bool:
        """What can be checked here; False after saying what is wrong."""
        return True

    def submit(self) -> None:
        if self.validate():
            self.accept()
