"""The 企业库 page: find an enterprise, see how it fares in complaints, open one of them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QCloseEvent, QHideEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.complaint import ComplaintFilter
from desktop.services.dto import Changed, EnterpriseInfo
from desktop.services.enterprises import EDITORS, EnterpriseFigures
from desktop.ui.context import AppContext
from desktop.ui.dialogs.enterprise_dialog import EnterpriseDialog
from desktop.ui.models.complaint_table import COLUMN_INDEX, ComplaintTableModel
from desktop.ui.settings import restore_header, restore_splitter, save_header, save_splitter
from desktop.ui.widgets.complaint_view import FLEXIBLE
from desktop.ui.widgets.tables import fit_columns

ANY_INDEX = QModelIndex | QPersistentModelIndex
SEARCH_DELAY_MS = 250
LIST_LIMIT = 500

# (key, title): the register's columns.
ENTERPRISE_COLUMNS = (
    ("name", "企业名称"),
    ("credit_code", "统一社会信用代码"),
    ("industry", "行业"),
    ("phone", "电话"),
    ("alliance_member", "联盟成员"),
)


class EnterpriseTableModel(QAbstractTableModel):
    """The enterprises found by the last search; small (at most LIST_LIMIT), so held whole."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[EnterpriseInfo] = []

    def rowCount(self, parent: ANY_INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ANY_INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ENTERPRISE_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(ENTERPRISE_COLUMNS)):
            return self.tr(ENTERPRISE_COLUMNS[section][1])
        return None

    def data(self, index: ANY_INDEX, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e = self._rows[index.row()]
        key = ENTERPRISE_COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            match key:
                case "name":
                    return e.name
                case "credit_code":
                    return e.credit_code or ""
                case "industry":
                    return e.industry
                case "phone":
                    return e.phone
                case "alliance_member":
                    return self.tr("是") if e.alliance_member else ""
        if role == Qt.ItemDataRole.UserRole:
            return e.id
        if role == Qt.ItemDataRole.ToolTipRole and key == "name":
            return f"{e.name}\n{e.address}" if e.address else e.name
        return None

    def set_rows(self, rows: list[EnterpriseInfo]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> EnterpriseInfo:
        return self._rows[row]

    def row_of_id(self, enterprise_id: int) -> int | None:
        return next((i for i, e in enumerate(self._rows) if e.id == enterprise_id), None)


class EnterprisesPage(QWidget):
    """Left: the register, searched as you type. Right: the selected enterprise's figures and
    its complaints (within the user's scope); activating a complaint asks the window to open it."""

    sig_open_complaint = Signal(int)  # complaint id

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.can_edit = ctx.user.has(*EDITORS)
        self._list_generation = 0
        self._figures_generation = 0
        self._shown: EnterpriseInfo | None = None
        self._select_after: int | None = None  # an enterprise just saved, to select on arrival

        # -- left: search and the register --
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("按企业名称或统一社会信用代码查找"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.reload)  # Enter: no need to wait

        self.model = EnterpriseTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self._setup_table(self.table)
        # Each column to its texts, the name taking the rest (cut in the middle if need be).
        self.table_fitter = fit_columns(self.table, (0,), 0)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(lambda _index: self.edit_enterprise())
        self.list_note = QLabel()
        self.list_note.setWordWrap(True)

        self.add_button = QPushButton(self.tr("新增"))
        self.edit_button = QPushButton(self.tr("编辑"))
        self.add_button.clicked.connect(self.add_enterprise)
        self.edit_button.clicked.connect(self.edit_enterprise)
        if not self.can_edit:
            for button in (self.add_button, self.edit_button):
                button.setToolTip(self.tr("您的角色不能维护企业库"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.list_note)
        left_layout.addLayout(buttons)

        # -- right: figures and complaints of the selected enterprise --
        self.title = QLabel()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.figure_labels: dict[str, QLabel] = {}
        figures = QFormLayout()
        for key, label in (
            ("complaints", self.tr("投诉总数")),
            ("open", self.tr("未办结")),
            ("closed", self.tr("已办结")),
            ("success_rate", self.tr("调解成功率")),
            ("at_fault", self.tr("经营者有责")),
            ("recovered", self.tr("挽回经济损失")),
        ):
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.figure_labels[key] = value
            figures.addRow(label, value)
        self.figure_labels["success_rate"].setToolTip(self.tr(
            "已办结且有调解结果（调解成功、调解不成、终止调解）的投诉中，调解成功所占的比例；"
            "不予受理、转办的投诉不计入。只统计您所在单位管辖范围内的投诉。"))

        self.complaints = ComplaintTableModel(ctx, self)
        self.complaint_table = QTableView()
        self.complaint_table.setModel(self.complaints)
        self._setup_table(self.complaint_table)
        self.complaint_fitter = fit_columns(
            self.complaint_table, [COLUMN_INDEX[k] for k in FLEXIBLE if k in COLUMN_INDEX],
            stretch=COLUMN_INDEX["subject"])
        self.complaint_table.activated.connect(self._complaint_activated)
        self.complaint_count = QLabel()
        self.complaints.sig_count_changed.connect(self._count_changed)

        self.empty_note = QLabel(self.tr("在左边选择一家企业，查看它的投诉情况。"))
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail_box = QWidget()
        detail_layout = QVBoxLayout(self.detail_box)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.title)
        detail_layout.addWidget(self.details)
        detail_layout.addLayout(figures)
        detail_layout.addWidget(self.complaint_count)
        detail_layout.addWidget(self.complaint_table, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.empty_note, 1)
        right_layout.addWidget(self.detail_box, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        # The register first: its names are what the clerk reads (at 1366 px the list took
        # two fifths and cut them); the figures and complaints of the one chosen beside it.
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([600, 400])  # in proportion; a remembered split replaces it
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

        restore_splitter(self, self.splitter)
        restore_header(self, self.table.horizontalHeader(), "enterprises")
        restore_header(self, self.complaint_table.horizontalHeader(), "complaints")
        # The enterprise's name is the same on every row, and the people and offices are the
        # ledger's business: hidden here, so that the rest fit beside the register.
        # (单号, 接收时间, 状态 and 商品或服务 fit beside the register at 1366 px; the whole
        # record is a double-click away.)
        for key in ("respondent_name", "complainant_name", "complainant_phone", "channel_code",
                    "office_id", "handler_id", "sync", "matched", "kind", "due_on",
                    "category_code"):
            self.complaint_table.setColumnHidden(COLUMN_INDEX[key], True)
        ctx.ops.sig_changed.connect(self._on_changed)
        self._show_enterprise(None)
        self.reload()

    @staticmethod
    def _setup_table(table: QTableView) -> None:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)  # one line a row: a time never breaks in two
        table.verticalHeader().hide()

    # -- what the window and tests ask ------------------------------------------------------------
    @property
    def shown_enterprise(self) -> EnterpriseInfo | None:
        return self._shown

    @Slot()
    def reload(self) -> None:
        """Search the register again with what the search box holds."""
        self._search_timer.stop()
        self._list_generation += 1
        generation, text = self._list_generation, self.search.text().strip()
        services, user = self.ctx.services, self.ctx.user
        self.ctx.ops.query(lambda: services.enterprises.list(user, text, LIST_LIMIT),
                           lambda rows: self._list_arrived(generation, text, rows), owner=self)

    def select_enterprise(self, enterprise_id: int) -> bool:
        row = self.model.row_of_id(enterprise_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    @Slot()
    def add_enterprise(self) -> EnterpriseDialog | None:
        if not self.can_edit:
            return None
        # What was searched for and not found is most likely what is about to be added.
        text = self.search.text().strip()
        looks_like_code = len(text) >= 4 and text.isascii() and text.isalnum()
        dialog = EnterpriseDialog(self.ctx, self, name="" if looks_like_code else text)
        if looks_like_code:
            dialog.credit_code.setText(text.upper())
        return self._open_dialog(dialog)

    @Slot()
    def edit_enterprise(self) -> EnterpriseDialog | None:
        if not self.can_edit or self._shown is None:
            return None
        return self._open_dialog(EnterpriseDialog(self.ctx, self, enterprise=self._shown))

    # -- internals --------------------------------------------------------------------------------
    def _open_dialog(self, dialog: EnterpriseDialog) -> EnterpriseDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_saved.connect(self._saved)
        dialog.open()  # not exec(): the window stays responsive, and tests can fill it in
        return dialog

    @Slot(int)
    def _saved(self, enterprise_id: int) -> None:
        # The broadcast change has already asked for the list again; select it when it comes.
        self._select_after = enterprise_id

    def _list_arrived(self, generation: int, text: str, rows: list[EnterpriseInfo]) -> None:
        if generation != self._list_generation:
            return  # the user has typed on since
        keep = self._select_after or (self._shown.id if self._shown else None)
        self.model.set_rows(rows)
        if len(rows) >= LIST_LIMIT:
            self.list_note.setText(self.tr("只列出前 {0} 家，请输入名称或代码缩小范围。")
                                   .format(LIST_LIMIT))
        elif not rows:
            self.list_note.setText(self.tr("没有找到符合“{0}”的企业。").format(text) if text
                                   else self.tr("企业库中还没有企业。"))
        else:
            self.list_note.setText(self.tr("共 {0} 家").format(len(rows)))
        if keep is not None and self.select_enterprise(keep):
            self._select_after = None
        elif self._select_after is not None and text:
            # Just saved but outside the search: show the whole register so it can be selected.
            self.search.setText("")
            self.reload()
        else:
            self._select_after = None
            self._show_enterprise(None)

    @Slot(QItemSelection, QItemSelection)
    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        enterprise = self.model.row_at(rows[0].row()) if rows else None
        if enterprise != self._shown:
            self._show_enterprise(enterprise)

    def _show_enterprise(self, enterprise: EnterpriseInfo | None) -> None:
        same = (enterprise is not None and self._shown is not None
                and enterprise.id == self._shown.id)
        self._shown = enterprise
        self.edit_button.setEnabled(self.can_edit and enterprise is not None)
        self.add_button.setEnabled(self.can_edit)
        self.empty_note.setVisible(enterprise is None)
        self.detail_box.setVisible(enterprise is not None)
        if enterprise is None:
            self._figures_generation += 1
            return
        self.title.setText(enterprise.name)
        marks = [m for m, on in ((self.tr("放心消费联盟成员"), enterprise.alliance_member),
                                 (self.tr("示范街区"), enterprise.demo_street)) if on]
        parts = [enterprise.credit_code or self.tr("（无统一社会信用代码）"), enterprise.industry,
                 enterprise.address, enterprise.phone, *marks]
        self.details.setText("　".join(p for p in parts if p))
        if not same:  # an edit of the same enterprise leaves its complaints as they are
            for label in self.figure_labels.values():
                label.setText("…")
            self.complaints.set_filter(ComplaintFilter(enterprise_id=enterprise.id))
        self._load_figures()

    def _load_figures(self) -> None:
        if self._shown is None:
            return
        self._figures_generation += 1
        generation, enterprise_id = self._figures_generation, self._shown.id
        services, user = self.ctx.services, self.ctx.user
        self.ctx.ops.query(lambda: services.enterprises.figures(user, enterprise_id),
                           lambda f: self._figures_arrived(generation, f), owner=self)

    def _figures_arrived(self, generation: int, f: EnterpriseFigures) -> None:
        if generation != self._figures_generation:
            return
        labels = self.figure_labels
        labels["complaints"].setText(str(f.complaints))
        labels["open"].setText(str(f.open))
        labels["closed"].setText(str(f.closed))
        labels["success_rate"].setText(
            self.tr("无调解结果") if f.success_rate is None
            else self.tr("{0:.1f}%（{1}/{2}）").format(f.success_rate * 100, f.settled, f.mediated))
        labels["at_fault"].setText(str(f.at_fault))
        labels["recovered"].setText(self.tr("{0:,.2f} 元").format(f.recovered))

    @Slot(int)
    def _count_changed(self, total: int) -> None:
        self.complaint_count.setText(self.tr("正在统计…") if total < 0
                                     else self.tr("投诉 {0} 件（本单位管辖范围内）").format(total))

    @Slot(QModelIndex)
    def _complaint_activated(self, index: QModelIndex) -> None:
        row = self.complaints.loaded_row(index.row()) if index.isValid() else None
        if row is not None:  # a long list's row not fetched yet opens nothing
            self.sig_open_complaint.emit(row.id)

    @Slot(object)
    def _on_changed(self, changed: Changed) -> None:
        if changed.entity == "enterprise":
            self.reload()  # a new or renamed enterprise may enter or leave the search
        elif self._shown is not None and (changed.entity == "complaint"
                                          or changed.complaint_id is not None):
            self._load_figures()

    def _save_layout(self) -> None:
        save_splitter(self, self.splitter)
        save_header(self, self.table.horizontalHeader(), "enterprises")
        save_header(self, self.complaint_table.horizontalHeader(), "complaints")

    def hideEvent(self, event: QHideEvent) -> None:
        self._save_layout()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_layout()
        super().closeEvent(event)
