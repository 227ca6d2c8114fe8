"""The workbench's line about backups: no good backup for some days (or none at all), and after a
restore, until the first sync, that the office must sync before it registers. Reads its own
status and follows backups, restores and sync rounds; hidden while there is nothing to say."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from desktop.domain.workflow import Role
from desktop.services.dto import Changed
from desktop.ui.context import AppContext

if TYPE_CHECKING:
    from desktop.services.backup import BackupStatus

STYLE = ("QLabel#backupBanner {{ background: {bg}; border: 1px solid {border}; "
         "border-radius: 4px; padding: 6px; }}")


class BackupBanner(QLabel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("backupBanner")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.hide()
        ctx.ops.sig_changed.connect(self._on_changed)
        self.reload()

    def reload(self) -> None:
        self.ctx.ops.query(self.ctx.services.backups.status, self.show_status, owner=self)

    def show_status(self, status: BackupStatus) -> None:
        lines = []
        if status.sync_first:
            lines.append(self.tr("请先同步：") + status.sync_first)
        if status.warning:
            if self.ctx.user.has(Role.ADMIN):
                advice = self.tr("请在「设置 → 备份」中立即备份，并检查备份文件夹（U 盘或移动硬盘是否插好）。")
            else:
                advice = self.tr("请告知本单位的系统管理员。")
            text = self.tr("备份：") + status.warning
            if status.failed_last and status.last_failure:
                text += status.last_failure.rstrip("。") + "。"
            lines.append(text + advice)
        urgent = bool(status.sync_first)
        self.setStyleSheet(STYLE.format(bg="#fdecec" if urgent else "#fff4d6",
                                        border="#e3a3a3" if urgent else "#e8c46a"))
        self.setText("\n".join(lines))
        self.setVisible(bool(lines))

    def _on_changed(self, changed: Changed) -> None:
        if changed.entity in ("backup", "sync"):
            self.reload()
