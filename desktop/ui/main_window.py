"""The main window: navigation, pages, the find-by-number box, the status bar, sync rounds."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QProgressBar,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop import __version__
from desktop.domain.workflow import Role
from desktop.services.dto import Changed
from desktop.services.printing import CodeCheck
from desktop.ui import user_guide
from desktop.ui.backup_controller import BackupController, BackupOutcome, restored_message
from desktop.ui.context import AppContext, load_lookups
from desktop.ui.settings import restore_geometry, restore_splitter, save_geometry, save_splitter
from desktop.ui.sync_controller import RoundOutcome, SyncController, describe_status
from desktop.ui.widgets import messages


class ClickableLabel(QLabel):
    sig_clicked = Signal()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.sig_clicked.emit()
        super().mouseReleaseEvent(event)


class MainWindow(QMainWindow):
    sig_switch_user = Signal()
    sig_closed = Signal()

    PAGES = ("workbench", "ledger", "register", "enterprises", "credit", "disclosure",
             "statistics", "settings")
    # 诚信名单 is the bureau's work (消保科 confirms; desk staff and the heads read it).
    CREDIT_ROLES = (Role.CONSUMER_PROTECTION, Role.DESK_STAFF, Role.ADMIN, Role.DEPARTMENT_HEAD,
                    Role.DEPUTY_DIRECTOR)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.switching = False
        self._complaints: dict[int, QWidget] = {}
        self._pages: dict[str, QWidget] = {}
        self.sync = SyncController(ctx, self)
        self._sync_window: QDialog | None = None
        self.backups = BackupController(ctx, self)
        self.backups.busy_elsewhere = lambda: (
            self.tr("正在与区局同步，请等同步结束后再恢复。") if self.sync.running else "")
        self.restored = False  # the database was replaced: the window closes without asking
        user = ctx.user
        self.setWindowTitle(self.tr("和解台 — {0} {1}").format(user.office_name, user.display_name)
                            + (self.tr("（演示库）") if ctx.demo else ""))

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMaximumWidth(180)
        self.nav.setStyleSheet("QListWidget#navigation { font-size: 15px; }"
                               "QListWidget#navigation::item { padding: 9px 6px; }")
        self.stack = QStackedWidget()
        style = self.style()
        icons = {
            "workbench": QStyle.StandardPixmap.SP_DesktopIcon,
            "ledger": QStyle.StandardPixmap.SP_FileDialogDetailedView,
            "register": QStyle.StandardPixmap.SP_FileDialogNewFolder,
            "enterprises": QStyle.StandardPixmap.SP_DirHomeIcon,
            "credit": QStyle.StandardPixmap.SP_DialogApplyButton,
            "disclosure": QStyle.StandardPixmap.SP_FileDialogContentsView,
            "statistics": QStyle.StandardPixmap.SP_FileDialogListView,
            "settings": QStyle.StandardPixmap.SP_FileDialogInfoView,
        }
        titles = {"workbench": self.tr("工作台"), "ledger": self.tr("投诉台账"),
                  "register": self.tr("投诉登记"), "enterprises": self.tr("企业库"),
                  "credit": self.tr("诚信名单"),
                  "disclosure": self.tr("公示"), "statistics": self.tr("统计"),
                  "settings": self.tr("设置")}
        for key in self.PAGES:
            if key == "settings" and not user.has(Role.ADMIN):
                continue
            if key == "credit" and not user.has(*self.CREDIT_ROLES):
                continue
            item = QListWidgetItem(style.standardIcon(icons[key]), titles[key])
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
        self.nav.currentItemChanged.connect(self._nav_changed)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.setCentralWidget(self.splitter)
        self._build_actions()
        self._build_status_bar()

        ctx.ops.sig_changed.connect(self._on_changed)
        ctx.ops.sig_busy_changed.connect(self._busy_changed)
        self.sync.sig_status_changed.connect(lambda _: self._show_sync_status())
        self.sync.sig_online_changed.connect(lambda _: self._show_sync_status())
        self.sync.sig_started.connect(self._sync_started)
        self.sync.sig_finished.connect(self._sync_finished)
        self.sync.start_automatic()
        self.backups.sig_finished.connect(self._backup_finished)
        self.backups.sig_restore_started.connect(self.sync.stop)
        self.backups.sig_restore_failed.connect(lambda _: self.sync.start_automatic())
        self.backups.sig_restored.connect(self._restored)
        self.backups.start_automatic()
        self.splitter.setSizes([160, 1100])
        restore_splitter(self, self.splitter)
        self._first_show = not restore_geometry(self)
        self.nav.setCurrentRow(0)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        if self._first_show:
            # First start: office laptops are mostly 1366×768, where only a maximised window
            # leaves the ledger room for its columns.
            self._first_show = False
            screen = self.screen().availableGeometry()
            if screen.width() < 1600:
                self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
            else:
                self.resize(1440, 900)

    # -- building --------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        bar = QToolBar(self.tr("常用"))
        bar.setObjectName("main_toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(bar)
        style = self.style()
        self.act_new = QAction(style.standardIcon(QStyle.StandardPixmap.SP_FileIcon), self.tr("新登记"), self)
        self.act_new.setShortcut(QKeySequence.StandardKey.New)
        self.act_new.triggered.connect(lambda: self.show_page("register"))
        self.act_refresh = QAction(style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload), self.tr("刷新"), self)
        self.act_refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        self.act_refresh.triggered.connect(self.refresh)
        self.act_lock = QAction(style.standardIcon(QStyle.StandardPixmap.SP_DialogNoButton), self.tr("锁定"), self)
        self.act_lock.setShortcut(QKeySequence("Ctrl+L"))
        self.act_lock.setToolTip(self.tr("离开座位时锁定，输入密码继续（Ctrl+L）"))
        self.act_lock.triggered.connect(self.lock)
        self.act_sync = QAction(self.tr("与区局同步…"), self)
        self.act_sync.triggered.connect(self.show_sync)
        self.act_switch = QAction(self.tr("切换用户"), self)
        self.act_switch.triggered.connect(self.switch_user)
        self.act_quit = QAction(self.tr("退出"), self)
        self.act_quit.setShortcut(QKeySequence.StandardKey.Quit)
        self.act_quit.triggered.connect(self.close)
        self.find_box = QLineEdit()
        self.find_box.setPlaceholderText(self.tr("输入单号或扫描表格二维码，回车打开"))
        self.find_box.setToolTip(self.tr("扫描打印出的表格右上角的二维码，可核对纸面内容与系统记录是否一致"))
        self.find_box.setClearButtonEnabled(True)
        self.find_box.setMaximumWidth(300)
        self.find_box.returnPressed.connect(self.find_number)
        self.act_find = QAction(self.tr("按单号查找"), self)
        self.act_find.setShortcut(QKeySequence("Ctrl+G"))
        self.act_find.triggered.connect(lambda: (self.find_box.setFocus(), self.find_box.selectAll()))
        self.addAction(self.act_find)
        bar.addAction(self.act_new)
        bar.addAction(self.act_refresh)
        bar.addSeparator()
        bar.addWidget(QLabel(self.tr(" 查找单号 ")))
        bar.addWidget(self.find_box)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addAction(self.act_lock)

        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("文件(&F)"))
        file_menu.addAction(self.act_new)
        file_menu.addAction(self.act_sync)
        file_menu.addSeparator()
        file_menu.addAction(self.act_lock)
        file_menu.addAction(self.act_switch)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        view_menu = menu.addMenu(self.tr("查看(&V)"))
        view_menu.addAction(self.act_refresh)
        view_menu.addAction(self.act_find)
        help_menu = menu.addMenu(self.tr("帮助(&H)"))
        self.act_guide = help_menu.addAction(self.tr("使用说明"))
        self.act_guide.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))  # F1
        self.act_guide.triggered.connect(lambda: user_guide.instance().show(self.help_topic()))
        self.setProperty("hejie_help_f1", True)  # (user_guide.Help gives other windows their F1)
        help_menu.addSeparator()
        about = help_menu.addAction(self.tr("关于和解台"))
        about.triggered.connect(self._about)

    def _build_status_bar(self) -> None:
        user = self.ctx.user
        roles = "、".join(r.label for r in sorted(user.roles, key=lambda r: r.value))
        self.who = QLabel(self.tr("当前用户：{0}（{1}）").format(user.display_name, roles))
        self.where = QLabel(self.tr("单位：{0}").format(user.office_name))
        self.database = QLabel(self.tr("数据库：{0}").format(self.ctx.services.database))
        self.database.setToolTip(str(self.ctx.services.database))
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setMaximumHeight(14)
        self.busy.hide()
        self._busy_timer = QTimer(self, singleShot=True, interval=300)
        self._busy_timer.timeout.connect(lambda: self.busy.setVisible(self.ctx.ops.busy > 0))
        self.sync_label = ClickableLabel()
        self.sync_label.setTextFormat(Qt.TextFormat.RichText)
        self.sync_label.setCursor(Qt.CursorShape.PointingHandCursor)
        self.sync_label.sig_clicked.connect(self._sync_menu)
        bar = self.statusBar()
        bar.addWidget(self.who)
        bar.addWidget(self.where)
        bar.addWidget(self.database, 1)
        bar.addPermanentWidget(self.busy)
        bar.addPermanentWidget(self.sync_label)

    # -- pages -----------------------------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """Pages are built when first shown, so the window opens at once."""
        if key not in self._pages:
            widget = self._make_page(key)
            open_signal = getattr(widget, "sig_open_complaint", None)
            if open_signal is not None:
                open_signal.connect(self.open_complaint)
            self._pages[key] = widget
            self.stack.addWidget(widget)
        return self._pages[key]

    def _make_page(self, key: str) -> QWidget:
        if key == "workbench":
            from desktop.ui.views.workbench import WorkbenchPage
            return WorkbenchPage(self.ctx)
        if key == "ledger":
            from desktop.ui.views.ledger import LedgerPage
            return LedgerPage(self.ctx)
        if key == "register":
            from desktop.ui.views.registration import RegistrationPage
            return RegistrationPage(self.ctx)
        if key == "enterprises":
            from desktop.ui.views.enterprises import EnterprisesPage
            return EnterprisesPage(self.ctx)
        if key == "credit":
            from desktop.ui.views.credit_lists import CreditListsPage
            return CreditListsPage(self.ctx)
        if key == "disclosure":
            from desktop.ui.views.disclosure import DisclosurePage
            return DisclosurePage(self.ctx)
        if key == "statistics":
            from desktop.ui.views.statistics import StatisticsPage
            return StatisticsPage(self.ctx)
        from desktop.ui.views.settings import SettingsPage
        return SettingsPage(self.ctx, sync=self.sync, backups=self.backups)

    def show_page(self, key: str) -> QWidget:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.nav.setCurrentRow(row)
        return self.page(key)

    def _nav_changed(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.stack.setCurrentWidget(self.page(item.data(Qt.ItemDataRole.UserRole)))

    def open_complaint(self, complaint_id: int) -> QWidget:
        """One window per complaint; asking again brings it to the front."""
        from desktop.ui.views.complaint_window import ComplaintWindow

        window = self._complaints.get(complaint_id)
        if window is None:
            window = ComplaintWindow(self.ctx, complaint_id)
            window.destroyed.connect(lambda *_, i=complaint_id: self._complaints.pop(i, None))
            window.sig_open_complaint.connect(self.open_complaint)
            self._complaints[complaint_id] = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def find_number(self) -> None:
        """A typed number, or the code a barcode scanner types from a printed sheet (it ends
        with Enter); for a code, say whether the record changed since the sheet was printed."""
        text = self.find_box.text().strip()
        if not text:
            return
        services, user = self.ctx.services, self.ctx.user

        def found(check: CodeCheck) -> None:
            self.find_box.clear()
            window = self.open_complaint(check.complaint_id)
            if check.scanned and check.message:
                # After the window is up: a message box opened here would hold it back.
                QTimer.singleShot(0, lambda: self._tell_code(window, check))

        self.ctx.ops.query(lambda: services.printing.check_code(user, text), found, owner=self)

    def _tell_code(self, window: QWidget, check: CodeCheck) -> None:
        parent = window if shiboken6.isValid(window) else self
        if check.unchanged is False:
            messages.warn(parent, self.tr("纸面内容已过时"), check.message)
        else:
            messages.inform(parent, self.tr("核对表格"), check.message)

    def refresh(self) -> None:
        for widget in self._pages.values():
            reload = getattr(widget, "reload", None)
            if reload is not None:
                reload()

    # -- sync with the district -------------------------------------------------------------------
    def _show_sync_status(self) -> None:
        text, tip = describe_status(self.sync.status, self.sync.online)
        if self.sync.running:
            text = self.tr("正在同步……　") + text
        self.sync_label.setText(text)
        self.sync_label.setToolTip(tip)

    def _sync_started(self, _manual: bool) -> None:
        self._show_sync_status()

    def _sync_finished(self, outcome: RoundOutcome) -> None:
        self._show_sync_status()
        if outcome.error is not None:
            self.statusBar().showMessage(self.tr("同步失败：{0}").format(outcome.message), 15000)
            return
        report = outcome.report
        assert report is not None
        if not report.dispatched:
            if outcome.manual:
                self.statusBar().showMessage(self.tr("同步完成：{0}").format(outcome.message), 15000)
            return
        numbers = report.dispatched
        shown = "、".join(numbers[:10]) + (self.tr(" 等") if len(numbers) > 10 else "")
        text = self.tr("收到区局分流投诉 {0} 件：{1}").format(len(numbers), shown)
        self.statusBar().showMessage(text, 60000)
        messages.notify(self, self.tr("区局分流投诉"), text, self.tr("在台账中查看"),
                        self.show_dispatched)

    def show_dispatched(self) -> QWidget:
        """The ledger with only the complaints the district dispatched (区局平台分流件)."""
        self.raise_()
        self.activateWindow()
        ledger = self.show_page("ledger")
        show = getattr(ledger, "show_dispatched", None)
        if show is not None:
            show()
        return ledger

    def _sync_menu(self) -> QMenu:
        menu = QMenu(self)
        run = menu.addAction(self.tr("立即同步"), lambda: self.sync.run_now(manual=True))
        settings = self.sync.settings
        run.setEnabled(bool(settings and settings.enrolled) and not self.sync.running)
        conflicts = menu.addAction(self.tr("处理冲突…"), self.open_sync_conflicts)
        conflicts.setEnabled(bool(self.sync.status and self.sync.status.conflicts))
        menu.addSeparator()
        menu.addAction(self.act_sync)
        # Above the label: the status bar is at the bottom of the screen.
        menu.popup(self.sync_label.mapToGlobal(QPoint(0, -menu.sizeHint().height())))
        return menu

    def open_sync_conflicts(self) -> QWidget:
        from desktop.ui.dialogs.sync_conflicts import SyncConflictsDialog

        dialog = SyncConflictsDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_sync(self) -> QWidget:
        """与区局同步: an administrator's 设置 → 同步; anyone else (设置 is closed to them) gets
        the same panel in a window of its own, to sync, resolve conflicts and carry bundles."""
        if self.ctx.user.has(Role.ADMIN):
            page = self.show_page("settings")
            tabs, sync_tab = getattr(page, "tabs", None), getattr(page, "sync", None)
            if tabs is not None and sync_tab is not None:
                tabs.setCurrentWidget(sync_tab)
            return page
        from desktop.ui.views.settings.sync import SyncTab

        if self._sync_window is None or not shiboken6.isValid(self._sync_window):
            window = QDialog(self)
            window.setWindowTitle(self.tr("与区局同步"))
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            QVBoxLayout(window).addWidget(SyncTab(self.ctx, self.sync))
            window.resize(940, 560)
            self._sync_window = window
        self._sync_window.show()
        self._sync_window.raise_()
        return self._sync_window

    # -- backups ---------------------------------------------------------------------------------
    def _backup_finished(self, outcome: BackupOutcome) -> None:
        if outcome.automatic or outcome.error is not None:
            self.statusBar().showMessage(outcome.message.split("\n")[0], 30000)

    def _restored(self, result) -> None:  # type: ignore[no-untyped-def]
        messages.inform(self, self.tr("已从备份恢复"), restored_message(result))
        self.restored = True
        self.close()

    # -- changes, lock, close --------------------------------------------------------------------
    def _on_changed(self, changed: Changed) -> None:
        if changed.entity in ("code", "office", "user"):
            services, user = self.ctx.services, self.ctx.user

            def reloaded(lookups) -> None:  # type: ignore[no-untyped-def]
                self.ctx.lookups = lookups

            self.ctx.ops.query(lambda: load_lookups(services, user), reloaded, owner=self)
        for warning in changed.warnings:
            self.statusBar().showMessage(warning, 15000)

    def _busy_changed(self, count: int) -> None:
        if count == 0:
            self.busy.hide()
        elif not self._busy_timer.isActive():
            self._busy_timer.start()

    def lock(self) -> None:
        from desktop.ui.dialogs.login import LoginDialog

        windows = [w for w in (self, *self._complaints.values()) if w.isVisible()]
        for w in windows:
            w.hide()
        dialog = LoginDialog(self.ctx.services, self.ctx.ops, office=self.ctx.user.office_name,
                             locked_to=self.ctx.user.username)
        dialog.buttons.button(dialog.buttons.StandardButton.Cancel).hide()  # 切换用户 is the way out
        switch = dialog.buttons.addButton(self.tr("切换用户"), dialog.buttons.ButtonRole.ResetRole)
        switch.clicked.connect(dialog.reject)
        dialog.accepted.connect(lambda: [w.show() for w in windows])
        dialog.rejected.connect(self.switch_user)
        dialog.show()
        self._lock_dialog = dialog

    def switch_user(self) -> None:
        if not self._may_close():
            self.show()
            return
        self.switching = True
        self.sig_switch_user.emit()

    def _may_close(self) -> bool:
        register = self._pages.get("register")
        if register is not None and getattr(register, "dirty", False):
            return messages.confirm(self, self.tr("未保存的登记"),
                                    self.tr("投诉登记表里有尚未保存的内容，确定要放弃吗？"))
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.switching and not self.restored and not self._may_close():
            event.ignore()
            return
        save_geometry(self)
        save_splitter(self, self.splitter)
        self.sync.stop()
        self.backups.stop()
        for window in list(self._complaints.values()):
            window.close()
        for widget in self._pages.values():
            widget.close()  # pages save their table layouts
        super().closeEvent(event)
        if not self.switching:
            self.sig_closed.emit()

    def help_topic(self) -> str:
        """The user guide's section for the page shown (F1)."""
        key = next((k for k, w in self._pages.items() if w is self.stack.currentWidget()), "")
        return user_guide.PAGE_TOPICS.get(key, "")

    def _about(self) -> None:
        services = self.ctx.services

        def shown(rule_sets) -> None:  # type: ignore[no-untyped-def]
            messages.inform(self, self.tr("关于和解台"), user_guide.about_text(
                __version__, services.database, rule_sets, services.ctx.clock.today()))

        self.ctx.ops.query(services.reference.rule_sets, shown, owner=self)
