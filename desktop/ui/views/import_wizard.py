"""投诉台账 → 导入…: an old Excel ledger or a hotline export brought in, in four steps —
the file, the sheets and their columns, the preview, the import. Reading, preview and import
run on a worker (ui/ops.py) with progress and 取消; nothing is written before 导入, and the
import is one transaction (services/history_import.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.imports import cells
from desktop.imports.mapping import IGNORE, KINDS, TARGETS, Profile, guess
from desktop.imports.plan import PlannedRow
from desktop.imports.sheets import Book, ImportCancelled
from desktop.services.history_import import ImportOutcome, Preview, SheetChoice, write_problems
from desktop.ui import file_dialogs
from desktop.ui.context import AppContext
from desktop.ui.ops import Cancelled, Task, TaskState

STEPS = ("1 选择文件", "2 工作表与列", "3 预览", "4 导入")
ACTIONS = {"add": "新增", "update": "更新", "same": "不变"}
_ANY = Qt.ItemDataRole.DisplayRole
Index = QModelIndex | QPersistentModelIndex


class PreviewModel(QAbstractTableModel):
    """The previewed rows (50,000 of them): what each becomes and its problems."""

    COLUMNS = ("工作表", "行号", "处理", "登记日期", "原始编号", "投诉人", "被投诉方", "状态",
               "问题")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[PlannedRow] = []

    def show_rows(self, rows: list[PlannedRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = _ANY) -> Any:
        if role == _ANY and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = _ANY) -> Any:
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.BackgroundRole:
            if not row.ok:
                return QColor("#f8d7da")
            if row.warned:
                return QColor("#fff3cd")
            return None
        if role not in (_ANY, Qt.ItemDataRole.ToolTipRole):
            return None
        v, col = row.values, index.column()
        if col == 0:
            return row.sheet
        if col == 1:
            return row.row
        if col == 2:
            return "不导入" if not row.ok else ACTIONS.get(row.action, "")
        if col == 3:
            at = v.get("received_at")
            return at.strftime("%Y-%m-%d") if at else ""
        if col == 4:
            return v.get("original_number") or ""
        if col == 5:
            return v.get("complainant_name") or ""
        if col == 6:
            return v.get("respondent_name") or ""
        if col == 7:
            return row.status_label if row.ok else ""
        return "；".join(map(str, row.problems))


def _sample(value: Any, target: str) -> str:
    """A sample cell as written, and as it will be read where that differs (45294 → 2024-01-03,
    13277204056.0 → 13277204056)."""
    shown = cells.text(value)
    if target in ("received_at", "closed_on"):
        at, _ = cells.when(value)
        read = (at.strftime("%Y-%m-%d %H:%M") if at and at.time() != at.min.time()
                else at.strftime("%Y-%m-%d") if at else "")
    elif target == "complainant_phone":
        read = cells.phone(value)[0]
    else:
        return shown
    return f"{shown} → {read}" if read and read != shown else shown


class ImportWizard(QDialog):
    sig_imported = Signal(object)  # ImportOutcome

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("导入历史台账"))
        self.resize(1100, 680)
        self.book: Book | None = None
        self.preview: Preview | None = None
        self.outcome: ImportOutcome | None = None
        self.task: Task | None = None
        self.choices: dict[str, SheetChoice] = {}
        self._current_sheet: str | None = None

        self.step_label = QLabel()
        self.step_label.setStyleSheet("font-weight: bold; font-size: 15px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self._file_page())
        self.stack.addWidget(self._columns_page())
        self.stack.addWidget(self._preview_page())
        self.stack.addWidget(self._done_page())

        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.back_button = QPushButton(self.tr("上一步"))
        self.next_button = QPushButton(self.tr("下一步"))
        self.next_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.forward)
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step_label)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._show_step(0)

    # -- pages ---------------------------------------------------------------------------
    def _file_page(self) -> QWidget:
        page = QWidget()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("选择 .xlsx、.xls 或 .csv 文件（CSV 可为 UTF-8 或 GBK 编码）"))
        browse = QPushButton(self.tr("浏览…"))
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.kind_group = QButtonGroup(page)
        kinds = QVBoxLayout()
        self.kind_buttons: dict[str, QRadioButton] = {}
        for code, label in KINDS:
            button = QRadioButton(label)
            self.kind_group.addButton(button)
            self.kind_buttons[code] = button
            kinds.addWidget(button)
        self.kind_buttons["ledger"].setChecked(True)
        self.profile_combo = QComboBox()
        self.profile_combo.addItem(self.tr("（按表头自动识别）"), None)
        self.profile_combo.currentIndexChanged.connect(self._profile_chosen)
        form = QFormLayout(page)
        form.addRow(self.tr("文件"), row)
        form.addRow(self.tr("记录类别"), kinds)
        self.delete_profile_button = QPushButton(self.tr("删除方案"))
        self.delete_profile_button.setEnabled(False)
        self.delete_profile_button.clicked.connect(self.delete_profile)
        profile_row = QHBoxLayout()
        profile_row.addWidget(self.profile_combo, 1)
        profile_row.addWidget(self.delete_profile_button)
        form.addRow(self.tr("导入方案"), profile_row)
        note = QLabel(self.tr(
            "程序会自动跳过标题行（如“2024年消费投诉台账”“填表人：…”）、空行、合计行和说明工作表。"
            "同一文件重复导入不会重复新增；内容有变化的行更新原记录。在“导入”之前不会写入任何内容。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        form.addRow(note)
        self.profiles: list[Profile] = []
        self.ctx.ops.query(lambda: self.ctx.services.history_import.profiles(self.ctx.user),
                           self._profiles_loaded, owner=self)
        return page

    def _columns_page(self) -> QWidget:
        page = QWidget()
        self.sheet_list = QListWidget()
        self.sheet_list.setMaximumWidth(230)
        self.sheet_list.currentItemChanged.connect(lambda *_: self._sheet_chosen())
        self.header_spin = QSpinBox()
        self.header_spin.setRange(1, 1000)
        self.header_spin.setPrefix(self.tr("第 "))
        self.header_spin.setSuffix(self.tr(" 行"))
        self.header_spin.valueChanged.connect(self._header_row_changed)
        self.column_table = QTableWidget(0, 3)
        self.column_table.setHorizontalHeaderLabels([self.tr("表头"), self.tr("示例"),
                                                     self.tr("导入为")])
        self.column_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.column_table.setColumnWidth(0, 180)
        self.column_table.setColumnWidth(2, 170)
        self.column_table.verticalHeader().setVisible(False)
        self.profile_name = QLineEdit()
        self.profile_name.setPlaceholderText(self.tr("例如：12345 工单导出"))
        save = QPushButton(self.tr("保存为导入方案"))
        save.clicked.connect(self.save_profile)
        self.save_profile_button = save
        right = QVBoxLayout()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("表头所在行")))
        top.addWidget(self.header_spin)
        top.addStretch()
        right.addLayout(top)
        right.addWidget(self.column_table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(self.tr("方案名称")))
        bottom.addWidget(self.profile_name, 1)
        bottom.addWidget(save)
        right.addLayout(bottom)
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("要导入的工作表（勾选）")))
        left.addWidget(self.sheet_list, 1)
        layout = QHBoxLayout(page)
        layout.addLayout(left)
        layout.addLayout(right, 1)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        self.counts_label = QLabel()
        self.counts_label.setWordWrap(True)
        self.counts_label.setStyleSheet("font-size: 14px;")
        self.filter_combo = QComboBox()
        for label, key in ((self.tr("全部行"), "all"), (self.tr("有问题的行"), "problems"),
                           (self.tr("错误（不导入）"), "errors"), (self.tr("警告"), "warnings")):
            self.filter_combo.addItem(label, key)
        self.filter_combo.currentIndexChanged.connect(lambda _: self._fill_preview())
        export = QPushButton(self.tr("导出问题行到 Excel…"))
        export.clicked.connect(self.export_problems)
        self.export_button = export
        self.preview_model = PreviewModel(self)
        self.preview_view = QTableView()
        self.preview_view.setModel(self.preview_model)
        self.preview_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview_view.verticalHeader().setVisible(False)
        self.preview_view.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((90, 50, 60, 90, 110, 80, 170, 120)):
            self.preview_view.setColumnWidth(col, width)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("显示")))
        bar.addWidget(self.filter_combo)
        bar.addStretch()
        bar.addWidget(export)
        layout = QVBoxLayout(page)
        layout.addWidget(self.counts_label)
        layout.addLayout(bar)
        layout.addWidget(self.preview_view, 1)
        return page

    def _done_page(self) -> QWidget:
        page = QWidget()
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        self.done_label.setStyleSheet("font-size: 14px;")
        layout = QVBoxLayout(page)
        layout.addWidget(self.done_label)
        layout.addStretch()
        return page

    # -- navigation ----------------------------------------------------------------------
    def _show_step(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        self.step_label.setText("　›　".join(
            f"<u>{name}</u>" if i == step else name for i, name in enumerate(STEPS)))
        self.back_button.setEnabled(0 < step < 3)
        self.next_button.setText({0: self.tr("下一步"), 1: self.tr("预览"),
                                  2: self.tr("导入"), 3: self.tr("完成")}[step])
        self.cancel_button.setEnabled(step < 3)
        self.status.clear()

    def back(self) -> None:
        self._show_step(max(0, self.stack.currentIndex() - 1))

    def forward(self) -> None:
        step = self.stack.currentIndex()
        if step == 0:
            self.read_file()
        elif step == 1:
            self.run_preview()
        elif step == 2:
            self.run_import()
        else:
            self.accept()

    def cancel(self) -> None:
        """取消: a running step stops (the import leaves nothing); otherwise the wizard closes."""
        if self.task is not None:
            self.task.cancel()
            self.status.setText(self.tr("正在取消……"))
            return
        self.reject()

    def _busy(self, text: str) -> None:
        self.status.setText(text)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.next_button.setEnabled(False)
        self.back_button.setEnabled(False)

    def _idle(self) -> None:
        self.task = None
        self.progress.setVisible(False)
        self.next_button.setEnabled(True)
        self.back_button.setEnabled(0 < self.stack.currentIndex() < 3)

    def _progressed(self, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _failed(self, error: BaseException) -> None:
        self._idle()
        if isinstance(error, (Cancelled, ImportCancelled)):
            self.status.setText(self.tr("已取消，未写入任何内容。"))
            return
        self.status.setText(str(error))
        self.ctx.ops.report(self, error)

    # -- step 1: the file ------------------------------------------------------------------
    def browse(self) -> None:
        path = file_dialogs.open_file(
            self, self.tr("选择要导入的台账"), "",
            self.tr("台账文件 (*.xlsx *.xls *.csv);;所有文件 (*)"))
        if path:
            self.path_edit.setText(path)

    def _profiles_loaded(self, profiles: list[Profile]) -> None:
        self.profiles = profiles
        for p in profiles:
            self.profile_combo.addItem(p.name, p.name)

    def _profile(self) -> Profile | None:
        name = self.profile_combo.currentData()
        return next((p for p in self.profiles if p.name == name), None)

    def _profile_chosen(self) -> None:
        profile = self._profile()
        self.delete_profile_button.setEnabled(profile is not None)
        if profile is not None:
            self.kind_buttons[profile.kind].setChecked(True)
            self.profile_name.setText(profile.name)

    def delete_profile(self) -> None:
        profile = self._profile()
        if profile is None:
            return
        answer = QMessageBox.question(self, self.tr("删除导入方案"),
                                      self.tr("删除导入方案「{0}」？").format(profile.name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        svc, user = self.ctx.services.history_import, self.ctx.user

        def deleted(_: object) -> None:
            self.profiles = [p for p in self.profiles if p.name != profile.name]
            self.profile_combo.removeItem(self.profile_combo.findData(profile.name))
            self.status.setText(self.tr("已删除导入方案「{0}」").format(profile.name))

        self.ctx.ops.mutate(lambda: svc.delete_profile(user, profile.name), deleted, owner=self)

    def kind(self) -> str:
        return next(code for code, b in self.kind_buttons.items() if b.isChecked())

    def read_file(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            self.status.setText(self.tr("请先选择要导入的文件"))
            return
        path = Path(text)
        svc = self.ctx.services.history_import
        self._busy(self.tr("正在读取 {0}……").format(path.name))

        def work(state: TaskState) -> Book:
            return svc.open(path, state.progress, lambda: state.cancelled)

        def done(book: Book) -> None:
            self._idle()
            self.book = book
            self.choices = {c.sheet: c for c in svc.choices(book, self._profile())}
            self._fill_sheets()
            self._show_step(1)
            if not self.choices:
                self.status.setText(self.tr("没有识别出表头行：请在左侧选择工作表并指定表头所在行"))

        self.task = self.ctx.ops.run(work, done, owner=self, on_error=self._failed,
                                     on_progress=self._progressed, database=False)

    # -- step 2: sheets and columns ----------------------------------------------------------
    def _fill_sheets(self) -> None:
        assert self.book is not None
        self.sheet_list.clear()
        for sheet in self.book.sheets:
            note = "" if sheet.header_row else self.tr("（无表头，不是数据）")
            item = QListWidgetItem(f"{sheet.name}{note}")
            item.setData(Qt.ItemDataRole.UserRole, sheet.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if sheet.name in self.choices
                               else Qt.CheckState.Unchecked)
            self.sheet_list.addItem(item)
        first = next((i for i in range(self.sheet_list.count())
                      if self.sheet_list.item(i).checkState() == Qt.CheckState.Checked), 0)
        self.sheet_list.setCurrentRow(first)

    def _sheet_chosen(self) -> None:
        self._store_columns()
        item = self.sheet_list.currentItem()
        if item is None or self.book is None:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        sheet = self.book.sheet(name)
        self._current_sheet = name
        choice = self.choices.get(name)
        if choice is None:
            row = sheet.header_row or 1
            header = [cells.text(v) for v in sheet.rows[row - 1]] if sheet.rows else []
            choice = self.choices[name] = SheetChoice(name, row, guess(header))
        self.header_spin.blockSignals(True)
        self.header_spin.setMaximum(max(1, len(sheet.rows)))
        self.header_spin.setValue(choice.header_row)
        self.header_spin.blockSignals(False)
        self._fill_columns(choice)

    def _header_row_changed(self, row: int) -> None:
        if self._current_sheet is None or self.book is None:
            return
        sheet = self.book.sheet(self._current_sheet)
        header = [cells.text(v) for v in sheet.rows[row - 1]] if len(sheet.rows) >= row else []
        choice = self.choices[self._current_sheet] = SheetChoice(
            self._current_sheet, row, (self._profile() or Profile("")).apply(header))
        self._fill_columns(choice)

    def _fill_columns(self, choice: SheetChoice) -> None:
        assert self.book is not None
        sheet = self.book.sheet(choice.sheet)
        header = [cells.text(v) for v in sheet.rows[choice.header_row - 1]] if sheet.rows else []
        sample = next((r for _, r in sheet.data(choice.header_row)
                       if any(not cells.is_blank(v) for v in r)), ())
        self.column_table.setRowCount(len(header))
        for i, title in enumerate(header):
            for col, value in ((0, title or self.tr("（第 {0} 列，无表头）").format(i + 1)),
                               (1, _sample(sample[i] if i < len(sample) else None,
                                           choice.columns.get(i, IGNORE)))):
                cell = self.column_table.item(i, col)
                if cell is None:
                    cell = QTableWidgetItem()
                    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    self.column_table.setItem(i, col, cell)
                cell.setText(value.replace("\n", " ")[:60])
            combo = QComboBox()
            combo.addItem(self.tr("（不导入）"), IGNORE)
            for t in TARGETS:
                combo.addItem(t.label, t.key)
            combo.setCurrentIndex(max(0, combo.findData(choice.columns.get(i, IGNORE))))
            self.column_table.setCellWidget(i, 2, combo)

    def _store_columns(self) -> None:
        """The current sheet's mapping as the combo boxes say."""
        name = self._current_sheet
        if name is None or name not in self.choices:
            return
        columns = {}
        for i in range(self.column_table.rowCount()):
            combo = self.column_table.cellWidget(i, 2)
            if isinstance(combo, QComboBox) and combo.currentData():
                columns[i] = str(combo.currentData())
        self.choices[name] = SheetChoice(name, self.header_spin.value(), columns)

    def set_target(self, column: int, key: str) -> None:
        """Point a column of the current sheet at a field (what the user does with a combo)."""
        combo = self.column_table.cellWidget(column, 2)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData(key))

    def checked_choices(self) -> list[SheetChoice]:
        self._store_columns()
        names = [self.sheet_list.item(i).data(Qt.ItemDataRole.UserRole)
                 for i in range(self.sheet_list.count())
                 if self.sheet_list.item(i).checkState() == Qt.CheckState.Checked]
        return [self.choices[n] for n in names if n in self.choices]

    def save_profile(self) -> None:
        if self.book is None or self._current_sheet is None:
            return
        self._store_columns()
        choice = self.choices[self._current_sheet]
        sheet = self.book.sheet(self._current_sheet)
        header = [cells.text(v) for v in sheet.rows[choice.header_row - 1]]
        try:
            profile = Profile.of(self.profile_name.text(), self.kind(), header, choice.columns)
        except Exception as error:  # a FieldError: the name
            self.status.setText(str(error))
            return
        svc, user = self.ctx.services.history_import, self.ctx.user

        def saved(_: object) -> None:
            self.profiles = [p for p in self.profiles if p.name != profile.name] + [profile]
            if self.profile_combo.findData(profile.name) < 0:
                self.profile_combo.addItem(profile.name, profile.name)
            self.status.setText(self.tr("已保存导入方案「{0}」").format(profile.name))

        self.ctx.ops.mutate(lambda: svc.save_profile(user, profile), saved, owner=self)

    # -- step 3: the preview -----------------------------------------------------------------
    def run_preview(self) -> None:
        if self.book is None:
            return
        choices = self.checked_choices()
        if not choices:
            self.status.setText(self.tr("请至少勾选一个工作表"))
            return
        book, kind = self.book, self.kind()
        svc, user = self.ctx.services.history_import, self.ctx.user
        self._busy(self.tr("正在生成预览……"))

        def work(state: TaskState) -> Preview:
            return svc.preview(user, book, choices, kind, state.progress, lambda: state.cancelled)

        def done(preview: Preview) -> None:
            self._idle()
            self.preview = preview
            self._fill_preview()
            self._show_step(2)

        self.task = self.ctx.ops.run(work, done, owner=self, on_error=self._failed,
                                     on_progress=self._progressed, database=False)

    def _fill_preview(self) -> None:
        if self.preview is None:
            return
        n = self.preview.counts
        self.counts_label.setText(self.tr(
            "共 <b>{0}</b> 行：新增 <b>{1}</b>，更新 <b>{2}</b>，不变 {3}；"
            "<span style='color:#a00'>错误（不导入）<b>{4}</b></span>，"
            "<span style='color:#8a6d00'>警告 <b>{5}</b></span>（其中资料不全 {6}）；"
            "跳过空行和合计行 {7}").format(n["rows"], n["add"], n["update"], n["same"],
                                          n["errors"], n["warnings"], n["incomplete"],
                                          n["skipped"])
            + "".join(f"<br>{note}" for note in self.preview.notes))
        wanted = self.filter_combo.currentData()
        rows = [r for r in self.preview.rows()
                if wanted == "all" or (wanted == "problems" and r.problems)
                or (wanted == "errors" and not r.ok) or (wanted == "warnings" and r.ok and r.warned)]
        self.preview_model.show_rows(rows)

    def export_problems(self) -> None:
        if self.preview is None:
            return
        path = file_dialogs.save_file(self, self.tr("导出问题行"), "问题行.xlsx",
                                      self.tr("Excel 工作簿 (*.xlsx)"))
        if path:
            self.export_problems_to(Path(path if path.lower().endswith(".xlsx") else path + ".xlsx"))

    def export_problems_to(self, target: Path) -> Task:
        """Write the problem rows off the UI thread (tens of thousands when every row lacks
        an address)."""
        preview = self.preview
        assert preview is not None
        self._busy(self.tr("正在导出问题行……"))

        def done(count: int) -> None:
            self._idle()
            self.status.setText(self.tr("已把 {0} 个有问题的行写入 {1}，改正后可再次导入").format(
                count, target.name))

        self.task = self.ctx.ops.run(lambda state: write_problems(preview, target), done,
                                     owner=self, on_error=self._failed, database=False)
        return self.task

    # -- step 4: the import ------------------------------------------------------------------
    def run_import(self) -> None:
        preview = self.preview
        if preview is None:
            return
        n = preview.counts
        if n["add"] + n["update"] == 0:
            QMessageBox.information(self, self.tr("导入"), self.tr("没有需要新增或更新的行。"))
            return
        svc, user = self.ctx.services.history_import, self.ctx.user
        self._busy(self.tr("正在导入……（取消则不写入任何内容）"))

        def work(state: TaskState) -> ImportOutcome:
            return svc.run(user, preview, state.progress, lambda: state.cancelled)

        def done(outcome: ImportOutcome) -> None:
            self._idle()
            self.outcome = outcome
            self.done_label.setText(outcome.summary() + self.tr(
                "。\n导入的记录在投诉台账中可按原始编号搜索，处理经过中注明“历史导入”及来源文件、工作表和行号；"
                "资料不全的记录已标注，统计时可选择是否计入。"))
            self._show_step(3)
            self.sig_imported.emit(outcome)

        self.task = self.ctx.ops.run(work, done, owner=self, on_error=self._failed,
                                     on_progress=self._progressed)
