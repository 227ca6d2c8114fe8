"""The 同步 tab's list of this office's PCs (name, number block, last sync, backlog), and
revoking a lost one: the office's administrator, from another PC of the office."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.workflow import Role
from desktop.services.sync_info import OfficePC
from desktop.ui.context import AppContext
from desktop.ui.views.settings.common import ERROR_STYLE, tr
from desktop.ui.views.settings.sync_enrol import note
from desktop.ui.widgets import messages
from desktop.ui.widgets.tables import fit_columns

COLUMNS = ("电脑名称", "编号段", "登记时间", "上次同步", "待发送", "状态")


class OfficePCsBox(QGroupBox):
    """Asks the hub (network) when shown and after each round; only administrators see it."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(tr("本单位的电脑"), parent)
        self.ctx = ctx
        self.admin = ctx.user.has(Role.ADMIN)
        self.pcs: list[OfficePC] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        fit_columns(self.table, (0,), 0)
        self.table.setMinimumHeight(110)
        self.table.setMaximumHeight(170)
        self.table.itemSelectionChanged.connect(self._selected)
        self.refresh_button = QPushButton(tr("刷新"))
        self.refresh_button.clicked.connect(self.refresh)
        self.revoke_button = QPushButton(tr("停用所选电脑…"))
        self.revoke_button.setToolTip(tr("电脑丢失或更换后使用：停用后它不能再同步"))
        self.revoke_button.setEnabled(False)
        self.revoke_button.clicked.connect(lambda: self.revoke())
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        row = QHBoxLayout()
        row.addWidget(self.refresh_button)
        row.addWidget(self.revoke_button)
        row.addWidget(self.error, 1)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(note(tr(
            "每台电脑用自己的一段编号登记（如 0001 起、1001 起），离线时也不会编出相同的单号。"
            "增加电脑：请区局为本单位再生成一个登记码，在新电脑的首次使用设置中选择"
            "「加入已有单位」。")))
        self.setVisible(self.admin)

    # -- loading ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self.admin:
            return
        sync, user = self.ctx.services.sync, self.ctx.user
        self.refresh_button.setEnabled(False)
        self.ctx.ops.run(lambda _state: sync.office_pcs(user), self.show_pcs, owner=self,
                         on_error=self._failed, database=False)

    def show_pcs(self, pcs: list[OfficePC]) -> None:
        self.refresh_button.setEnabled(True)
        self.error.hide()
        self.pcs = list(pcs)
        self.table.setRowCount(len(self.pcs))
        for row, pc in enumerate(self.pcs):
            name = pc.name + (tr("（本机）") if pc.this else "")
            state = tr("已停用") if pc.revoked else tr("使用中")
            values = (name, tr("{0} 起").format(pc.first_number), pc.enrolled_at,
                      pc.last_sync_at or tr("尚未同步"), str(pc.backlog), state)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(tr("设备编号 {0}").format(pc.device_id))
                self.table.setItem(row, column, item)
        self._selected()

    def _failed(self, error: BaseException) -> None:
        """Offline is normal: the list just says it cannot be had now."""
        self.refresh_button.setEnabled(True)
        self.revoke_button.setEnabled(False)
        self.error.setText(tr("无法读取本单位的电脑列表：{0}").format(error))
        self.error.show()

    def _chosen(self) -> OfficePC | None:
        rows = self.table.selectionModel().selectedRows()
        return self.pcs[rows[0].row()] if rows and rows[0].row() < len(self.pcs) else None

    def _selected(self) -> None:
        pc = self._chosen()
        self.revoke_button.setEnabled(pc is not None and not pc.revoked and not pc.this)

    # -- revoking --------------------------------------------------------------------------------
    def revoke(self, confirmed: bool = False) -> None:
        pc = self._chosen()
        if pc is None or pc.revoked or pc.this:
            return
        if not confirmed and not messages.confirm(self, tr("停用电脑"), tr(
                "停用「{0}」？\n\n停用后这台电脑不能再与区局同步（它上面尚未同步的 {1} 项记录"
                "不会再送到区局）。电脑找回后须由区局重新生成登记码再登记。").format(
                    pc.name, pc.backlog)):
            return
        sync, user = self.ctx.services.sync, self.ctx.user
        self.revoke_button.setEnabled(False)
        self.ctx.ops.run(lambda _state: sync.revoke_pc(user, pc.device_id),
                         lambda _pc: self.refresh(), owner=self, on_error=self._revoke_failed,
                         database=False)

    def _revoke_failed(self, error: BaseException) -> None:
        self._selected()
        self.ctx.ops.report(self, error)
