"""What the settings tabs share: a form dialog that keeps its input when refused, table helpers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import FieldError, ValidationFailed
from desktop.ui.context import AppContext
from desktop.ui.widgets.field_errors import FieldErrors
from desktop.ui.widgets.tables import fit_columns

ERROR_STYLE = "color: #b3261e;"
W = TypeVar("W", bound=QWidget)
KEY_ROLE = Qt.ItemDataRole.UserRole


def tr(text: str) -> str:
    return QCoreApplication.translate("settings", text)


class FormDialog(QDialog):
    """A form whose save runs on the database worker. A refusal is shown in the dialog, next to
    the field it names, and the dialog stays open with everything the user typed."""

    sig_saved = Signal(object)  # what the service returned

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.form = QFormLayout()
        # Errors that name no field of this form (or no field at all) go above the buttons.
        self.general_error = QLabel()
        self.errors = FieldErrors(self.general_error, self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def add_field(self, label: str, widget: W, field: str | None = None) -> W:
        """A row of the form; `field` is the name the services use in FieldError (default: label)."""
        self.form.addRow(label, self.errors.field(field or label, widget))
        return widget

    def error_text(self, field: str | None = None) -> str:
        """What the dialog shows for a field (None: the general message); empty when nothing."""
        if field is not None:
            return self.errors.message_of(field)
        return self.general_error.text() if not self.general_error.isHidden() else ""

    # -- to implement ------------------------------------------------------------------------
    def prepare(self) -> Callable[[], Any]:
        """Check what the form can check itself (raise FieldError) and return the service call.

        Read every widget here, on the UI thread: the returned call runs on the worker.
        """
        raise NotImplementedError

    # -- saving ------------------------------------------------------------------------------
    def submit(self) -> None:
        self.clear_errors()
        try:
            call = self.prepare()
        except (FieldError, ValidationFailed) as error:
            self.show_error(error)
            return
        self.ok_button.setEnabled(False)  # one save at a time
        self._ctx.ops.mutate(call, self._saved, owner=self, on_error=self._refused)

    def clear_errors(self) -> None:
        self.errors.clear()

    def show_error(self, error: BaseException) -> bool:
        """Show a refusal in the dialog; False for a bug, which the program's reporter handles."""
        return self.errors.show_refusal(error)

    def _saved(self, result: Any) -> None:
        self.ok_button.setEnabled(True)
        self.sig_saved.emit(result)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.ok_button.setEnabled(True)
        if not self.show_error(error):
            self._ctx.ops.report(self, error)


def make_table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    fit_columns(table, (len(headers) - 1,))
    return table


def fill_table(table: QTableWidget, rows: Sequence[tuple[object, Sequence[str]]]) -> None:
    """Replace the rows (each a key and its texts), keeping the selected key selected."""
    kept = selected_key(table)
    table.setRowCount(len(rows))
    for r, (key, texts) in enumerate(rows):
        for c, text in enumerate(texts):
            item = QTableWidgetItem(text)
            item.setData(KEY_ROLE, key)
            table.setItem(r, c, item)
        if key == kept:
            table.selectRow(r)
    if kept is not None and selected_key(table) != kept:
        table.clearSelection()


def selected_key(table: QTableWidget) -> Any:
    rows = table.selectionModel().selectedRows()
    if not rows:
        return None
    item = table.item(rows[0].row(), 0)
    return item.data(KEY_ROLE) if item is not None else None


def select_key(table: QTableWidget, key: object) -> bool:
    """Select the row of a key (tests and the tabs after a save use it)."""
    for r in range(table.rowCount()):
        item = table.item(r, 0)
        if item is not None and item.data(KEY_ROLE) == key:
            table.selectRow(r)
            return True
    return False


def button_row(*buttons: QPushButton, status: QLabel | None = None) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    if status is not None:
        row.addWidget(status)
    return row


def show_dialog(previous: QDialog | None, dialog: QDialog) -> QDialog:
    """Open a dialog without blocking (window-modal); the closed one before it is let go."""
    if previous is not None and not previous.isVisible():
        previous.deleteLater()
    dialog.open()
    return dialog
