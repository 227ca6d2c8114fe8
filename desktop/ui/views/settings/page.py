"""The 设置 page: administrators maintain users, offices, codes, working days, time limits, 回访,
sync, backups, and personal data (retention, the log of outputs)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from desktop.domain.workflow import Role
from desktop.ui.backup_controller import BackupController
from desktop.ui.context import AppContext
from desktop.ui.sync_controller import SyncController
from desktop.ui.views.settings.backup import BackupTab
from desktop.ui.views.settings.calendar import CalendarTab
from desktop.ui.views.settings.codes import CodesTab
from desktop.ui.views.settings.follow_up import FollowUpTab
from desktop.ui.views.settings.offices import OfficesTab
from desktop.ui.views.settings.privacy import PrivacyTab
from desktop.ui.views.settings.rules import RulesTab
from desktop.ui.views.settings.sync import SyncTab
from desktop.ui.views.settings.users import UsersTab


class SettingsPage(QWidget):
    """Tabs for an administrator; anyone else is told whom to ask (the services refuse them too)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 sync: SyncController | None = None,
                 backups: BackupController | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        layout = QVBoxLayout(self)
        self.tabs: QTabWidget | None = None
        self.users: UsersTab | None = None
        self.offices: OfficesTab | None = None
        self.codes: CodesTab | None = None
        self.calendar: CalendarTab | None = None
        self.rules: RulesTab | None = None
        self.follow_up: FollowUpTab | None = None
        self.sync: SyncTab | None = None
        self.backup: BackupTab | None = None
        self.privacy: PrivacyTab | None = None
        if not ctx.user.has(Role.ADMIN):
            self.refusal = QLabel(self.tr(
                "「设置」只对系统管理员开放。{name}没有系统管理员角色；如需新增用户、修改单位、代码表、"
                "工作日、办理时限、回访、同步或备份设置，请联系本单位的系统管理员。"
                "与区局同步（立即同步、处理冲突、U 盘同步包）请用「文件 → 与区局同步…」。").format(name=ctx.user.display_name))
            self.refusal.setWordWrap(True)
            self.refusal.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(self.refusal)
            return
        self.tabs = QTabWidget()
        self.users = UsersTab(ctx)
        self.offices = OfficesTab(ctx)
        self.codes = CodesTab(ctx)
        self.calendar = CalendarTab(ctx)
        self.rules = RulesTab(ctx)
        self.follow_up = FollowUpTab(ctx)
        self.sync = SyncTab(ctx, sync)  # the window's controller: its rounds and timer
        # The window's backup controller (its automatic backups); a page of its own otherwise.
        self.backup = BackupTab(ctx, backups or BackupController(ctx, self))
        self.tabs.addTab(self.users, self.tr("用户与角色"))
        self.tabs.addTab(self.offices, self.tr("单位"))
        self.tabs.addTab(self.codes, self.tr("代码表"))
        self.tabs.addTab(self.calendar, self.tr("工作日"))
        self.tabs.addTab(self.rules, self.tr("办理时限"))
        self.tabs.addTab(self.follow_up, self.tr("回访"))
        self.tabs.addTab(self.sync, self.tr("同步"))
        self.tabs.addTab(self.backup, self.tr("备份"))
        self.privacy = PrivacyTab(ctx)
        self.tabs.addTab(self.privacy, self.tr("个人信息"))
        layout.addWidget(self.tabs)
