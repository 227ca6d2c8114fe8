"""处理同步冲突: the open conflicts with the district, and per field which side's value to keep."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import FieldError
from desktop.services.dto import Changed
from desktop.services.sync_info import ConflictInfo
from desktop.ui.context import AppContext
from desktop.ui.errors import environment_message
from desktop.ui.settings import restore_geometry, save_geometry
from desktop.ui.widgets.field_errors import ERROR_STYLE
from desktop.ui.widgets.tables import fit_columns

OFFICE, HUB = "office", "hub"
KEY_ROLE = Qt.ItemDataRole.UserRole


def tr(text: str) -> str:
    return QCoreApplication.translate("SyncConflictsDialog", text)


def _local(at: datetime) -> str:
    """Operations are stamped in UTC; the clerk reads local time."""
    return at.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.setWordWrap(True)
    fit_columns(table, tuple(range(len(headers))))
    return table


class Choice(QWidget):
    """保留本单位 / 采用区局 for one field; neither is preselected, the user decides."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = QRadioButton(tr("保留本单位"))
        self.hub = QRadioButton(tr("采用区局"))
        self.group = QButtonGroup(self)
        self.group.addButton(self.office)
        self.group.addButton(self.hub)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 0, 6, 0)
        row.addWidget(self.office)
        row.addWidget(self.hub)

    def value(self) -> str | None:
        if self.office.isChecked():
            return OFFICE
        return HUB if self.hub.isChecked() else None

    def set_value(self, value: str) -> None:
        (self.office if value == OFFICE else self.hub).setChecked(True)


class SyncConflictsDialog(QDialog):
    sig_resolved = Signal(str)  # the conflict's op id

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("处理同步冲突"))
        self.conflicts: dict[str, ConflictInfo] = {}
        self.choices: dict[str, Choice] = {}
        self._shown_op: str | None = None
        names = {u.username: u.display_name for u in ctx.lookups.users}
        self._name = lambda username: names.get(username, username)  # noqa: E731

        intro = QLabel(tr(
            "同一条记录，本单位和区局都修改过，且改的是同一项。请逐项选择保留哪一方的值。"))
        intro.setWordWrap(True)
        self.list = _table([tr("投诉单号"), tr("记录"), tr("本单位修改人"), tr("修改时间"), tr("冲突项")])
        header = self.list.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in enumerate((170, 110, 110, 130)):
            self.list.setColumnWidth(column, width)
        self.list.itemSelectionChanged.connect(self._selection_changed)
        self.empty = QLabel(tr("没有待处理的冲突。"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()

        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold;")
        self.fields = _table([tr("字段"), tr("本单位的值"), tr("区局的值"), tr("保留哪一方")])
        self.fields.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        fields_header = self.fields.horizontalHeader()
        fields_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        fields_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # Cell widgets do not count for ResizeToContents: the radio buttons' own width.
        fields_header.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        self.fields.setColumnWidth(3, Choice().sizeHint().width() + 8)
        self.fields.setColumnWidth(0, 110)
        self.all_office = QPushButton(tr("全部保留本单位"))
        self.all_office.clicked.connect(lambda: self.choose_all(OFFICE))
        self.all_hub = QPushButton(tr("全部采用区局"))
        self.all_hub.clicked.connect(lambda: self.choose_all(HUB))
        all_row = QHBoxLayout()
        all_row.addWidget(self.heading, 1)
        all_row.addWidget(self.all_office)
        all_row.addWidget(self.all_hub)
        note = QLabel(tr("「保留本单位」的值在下次同步时发送到区局；「采用区局」的值确定后立即写入本机。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.status = QLabel()
        self.status.setStyleSheet("color: #1b5e20;")

        detail = QWidget()
        column = QVBoxLayout(detail)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(all_row)
        column.addWidget(self.fields, 1)
        column.addWidget(note)
        column.addWidget(self.error)
        top = QWidget()
        top_column = QVBoxLayout(top)
        top_column.setContentsMargins(0, 0, 0, 0)
        top_column.addWidget(self.list)
        top_column.addWidget(self.empty)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(detail)
        self.splitter.setSizes([150, 370])

        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(tr("确定"), QDialogButtonBox.ButtonRole.ApplyRole)
        self.ok_button.setToolTip(tr("按所选处理这一条冲突"))
        self.ok_button.clicked.connect(self.resolve)
        close = self.buttons.addButton(tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)
        if not restore_geometry(self):
            self.resize(880, 600)
        ctx.ops.sig_changed.connect(self._on_changed)
        self._show_detail(None)
        self.reload()

    # -- loading ---------------------------------------------------------------------------------
    def reload(self) -> None:
        sync, user = self.ctx.services.sync, self.ctx.user
        self.ctx.ops.query(lambda: sync.conflicts(user), self._show, owner=self)

    def _show(self, conflicts: list[ConflictInfo]) -> None:
        kept = self.selected_op()
        self.conflicts = {c.op_id: c for c in conflicts}
        self.list.blockSignals(True)
        self.list.setRowCount(len(conflicts))
        for r, c in enumerate(conflicts):
            texts = [c.complaint_number or tr("（无投诉）"), c.entity_label, self._name(c.made_by),
                     _local(c.made_at), "、".join(f.label for f in c.fields)]
            for col, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(KEY_ROLE, c.op_id)
                item.setToolTip(text)
                self.list.setItem(r, col, item)
        self.list.blockSignals(False)
        self.list.setVisible(bool(conflicts))
        self.empty.setVisible(not conflicts)
        if not self.select(kept) and conflicts:
            self.select(conflicts[0].op_id)
        elif not conflicts:
            self._show_detail(None)

    def select(self, op_id: str | None) -> bool:
        for r in range(self.list.rowCount()):
            item = self.list.item(r, 0)
            if op_id is not None and item is not None and item.data(KEY_ROLE) == op_id:
                self.list.selectRow(r)
                self._selection_changed()
                return True
        return False

    def selected_op(self) -> str | None:
        rows = self.list.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.list.item(rows[0].row(), 0)
        return item.data(KEY_ROLE) if item is not None else None

    def _selection_changed(self) -> None:
        op_id = self.selected_op()
        conflict = self.conflicts.get(op_id) if op_id else None
        # The same conflict again (a refresh after a round): keep the choices already made.
        if conflict is None or op_id != self._shown_op:
            self._show_detail(conflict)

    def _show_detail(self, conflict: ConflictInfo | None) -> None:
        self._shown_op = conflict.op_id if conflict else None
        self.choices = {}
        self.error.hide()
        self.fields.setRowCount(0)
        for widget in (self.all_office, self.all_hub, self.ok_button):
            widget.setEnabled(conflict is not None)
        if conflict is None:
            self.heading.clear()
            return
        if conflict.entity == "complaints":
            where = tr("投诉 {0}").format(conflict.complaint_number)
        elif conflict.complaint_number:
            where = tr("投诉 {0} 的{1}").format(conflict.complaint_number, conflict.entity_label)
        else:
            where = conflict.entity_label
        self.heading.setText(tr("{0}：{1} 于 {2} 的修改").format(
            where, self._name(conflict.made_by), _local(conflict.made_at)))
        self.fields.setRowCount(len(conflict.fields))
        for r, f in enumerate(conflict.fields):
            for col, text in enumerate((f.label, f.office_text, f.hub_text)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.fields.setItem(r, col, item)
            choice = Choice()
            self.fields.setCellWidget(r, 3, choice)
            self.choices[f.field] = choice
        self.fields.resizeRowsToContents()

    # -- choosing --------------------------------------------------------------------------------
    def choose(self, field: str, side: str) -> None:
        self.choices[field].set_value(side)

    def choose_all(self, side: str) -> None:
        for choice in self.choices.values():
            choice.set_value(side)

    def resolve(self) -> None:
        """确定: the chosen values for the selected conflict; the service says what is missing."""
        op_id = self.selected_op()
        conflict = self.conflicts.get(op_id) if op_id else None
        if conflict is None:
            return
        choices = {name: value for name, choice in self.choices.items()
                   if (value := choice.value()) is not None}
        sync, user = self.ctx.services.sync, self.ctx.user

        def call() -> list[Changed]:
            sync.resolve(user, conflict.op_id, choices)
            changes = [Changed("sync", ())]
            if conflict.complaint_id is not None:
                # The district's values were written into the complaint or one of its records.
                changes.insert(0, Changed("complaint", (conflict.complaint_id,),
                                          complaint_id=conflict.complaint_id))
            return changes

        self.error.hide()
        self.ok_button.setEnabled(False)
        self.ctx.ops.mutate(call, lambda _: self._resolved(conflict), owner=self,
                            on_error=self._refused)

    def _resolved(self, conflict: ConflictInfo) -> None:
        self.ok_button.setEnabled(True)
        self.status.setText(tr("已处理 {0} 的冲突。").format(
            conflict.complaint_number or conflict.entity_label))
        self.sig_resolved.emit(conflict.op_id)  # the broadcast Changed("sync") reloads the list

    def _refused(self, error: BaseException) -> None:
        self.ok_button.setEnabled(True)
        # The service names no field of this dialog: its sentence alone reads better.
        message = error.message if isinstance(error, FieldError) else environment_message(error)
        if message is None:
            self.ctx.ops.report(self, error)
            return
        self.error.setText(message)
        self.error.show()
        self.reload()  # handled elsewhere meanwhile: the list says so

    def error_text(self) -> str:
        return self.error.text() if not self.error.isHidden() else ""

    def _on_changed(self, changed: Changed) -> None:
        if changed.entity == "sync":
            self.reload()

    def done(self, result: int) -> None:
        save_geometry(self)
        super().done(result)
