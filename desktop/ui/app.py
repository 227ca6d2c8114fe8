"""The program's start: Qt application, Chinese translations, database, first-start setup, login."""

from __future__ import annotations

import argparse
import gc
import sys
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QLibraryInfo,
    QLocale,
    QObject,
    QSize,
    QStandardPaths,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QFontDatabase, QFontInfo, QIcon
from PySide6.QtWidgets import QApplication, QProgressDialog

from desktop import __version__, paths, shipped
from desktop.ui.errors import ErrorReporter
from desktop.ui.ops import Cancelled, Ops, ProgressRelay, TaskState

if TYPE_CHECKING:  # the services (SQLAlchemy, the models) are imported on the database worker
    from desktop.bootstrap import Services
    from desktop.services.dto import CurrentUser


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    from desktop.cli import chinese_argparse

    chinese_argparse.install()  # usage, options, the errors: before the parser is made
    parser = argparse.ArgumentParser(prog="hejie", description="和解台：消费投诉登记、调解与台账")
    parser.add_argument("--version", action="version", version=f"hejie {__version__}",
                        help="显示版本号并退出")
    parser.add_argument("--demo", action="store_true", help="打开演示数据库（首次使用时自动生成）")
    parser.add_argument("--data-dir", type=Path, help="数据文件夹（默认为用户数据文件夹下的 Hejie）")
    parser.add_argument("--user", help="登录框预先填写的用户名")
    return parser.parse_args(argv)


def data_folder(args: argparse.Namespace) -> Path:
    """--data-dir, else HEJIE_DATA_DIR, else Qt's AppDataLocation (…/Hejie)."""
    if args.data_dir:
        base = args.data_dir
    else:
        import os

        env = os.environ.get("HEJIE_DATA_DIR")
        base = Path(env) if env else Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
        if args.demo:
            base = base / "demo"
    return base


def install_translations(app: QApplication) -> list[QTranslator]:
    """Qt's own buttons and dialogs (确定/取消, file and print dialogs) in Chinese: Qt's
    qtbase_zh_CN from PySide6's translations folder (the bundle keeps it), and the program's
    own supplement (resources/translations) for what Qt 6's texts changed since that was made."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded = []
    for name, where in (("qtbase_zh_CN", folder), ("qt_zh_CN", folder),
                        (str(shipped.path(shipped.QT_TRANSLATION)), "")):
        translator = QTranslator(app)
        if translator.load(name, where):
            app.installTranslator(translator)
            loaded.append(translator)
    return loaded


def register_fonts(app: QApplication) -> list[str]:
    """The Chinese font the printed forms embed, for the window too: a PC without a Chinese
    system font would otherwise show boxes. It comes after the system's UI font, so Latin
    text keeps the system look and only what that font lacks is drawn from ours."""
    from desktop.forms import fonts

    font_id = QFontDatabase.addApplicationFont(str(fonts.font_path(fonts.HEADING)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if families:
        font = app.font()
        # The resolved family, not an alias such as "Sans Serif": Qt skips a listed family it
        # cannot find by name and would draw everything in the next one.
        font.setFamilies([QFontInfo(font).family(), families[0]])
        app.setFont(font)
    return families


def application_icon() -> QIcon:
    """The red seal with 和 (resources/icons/), at the sizes drawn for it: the login dialog, the
    main window and every other window without its own icon show it."""
    icon = QIcon()
    for size, file in shipped.icon_paths().items():
        icon.addFile(str(file), QSize(size, size))
    return icon


class Launcher(QObject):
    """Opens the database off the UI thread, runs set-up or login, and shows the window;
    comes back here to switch user."""

    def __init__(self, app: QApplication, data_dir: Path, demo: bool, username: str) -> None:
        super().__init__()
        self.app, self.data_dir, self.demo = app, data_dir, demo
        self.username = username
        self.reporter = ErrorReporter(data_dir / "logs")
        self.reporter.install()
        self.ops = Ops(self.reporter)
        self.services: Services | None = None
        self.window = None
        self.exit_code = 0

    def start(self) -> None:
        from desktop.bootstrap import demo_to_build, login_office

        # A database that is set up is encrypted: the login window needs only the office's
        # name (in the key file beside it), and the password typed there opens the database
        # (first_login). Otherwise (no database yet, not set up, a plain file from before
        # encryption) the services are opened first, for the first-start set-up.
        office = login_office(self.data_dir)
        if office is not None:
            self._show_login(office, first=True)
            # While the password is typed: the workbench's modules, on the pool.
            self.ops.run(lambda _state: import_module("desktop.ui.main_window"), database=False)
            return
        progress = QProgressDialog(self.tr("正在打开数据库……"), self.tr("取消"), 0, 0)
        progress.setWindowTitle(self.tr("和解台"))
        progress.setCancelButton(None)  # type: ignore[arg-type]
        progress.setMinimumDuration(400)
        self._progress = progress
        # The demo's first start builds its database (some 15 s to a minute): say each step,
        # with a 取消 that stops the build (nothing half-built is kept: bootstrap.open_demo).
        build_note = demo_to_build(self.data_dir) if self.demo else None
        steps = ProgressRelay(self)
        if build_note is not None:
            self._show_demo_build(progress, steps, build_note)

        def work(state: TaskState) -> Services | None:
            from desktop.bootstrap import open_demo, open_services

            def step(what: str, done: int, total: int) -> None:
                if state.cancelled:
                    raise Cancelled()
                steps.raw.emit(what, done, total)

            if self.demo:
                try:
                    return open_demo(self.data_dir, step)
                except Cancelled:
                    return None  # the user stopped the build: _opened quits
            return open_services(self.data_dir)

        self._task = self.ops.run(work, self._opened, on_error=self._failed_to_open)
        if build_note is not None:
            progress.canceled.connect(self._task.cancel)

    def first_login(self, username: str, password: str) -> CurrentUser:
        """登录 of the login window at start, on the database worker: the password opens the
        data key, the key the database, and the account is checked as at every login."""
        from desktop.bootstrap import unlock_and_login

        if self.services is not None:  # opened by an earlier try whose account check failed
            return self.services.users.login(username, password)
        services, user = unlock_and_login(self.data_dir, username, password)
        self.services = services
        return user

    def _show_demo_build(self, progress: QProgressDialog, steps: ProgressRelay, note: str) -> None:
        from desktop.demo.generate import STEPS

        head = self.tr("首次使用演示库，正在生成演示数据（约需一分钟）。")
        if note:
            head = note + "\n" + head
        progress.setCancelButtonText(self.tr("取消"))
        progress.setMinimumDuration(0)
        progress.setMinimumWidth(460)
        progress.setAutoReset(False)
        progress.setLabelText(head)

        def shown(what: str, done: int, total: int) -> None:
            number = STEPS.index(what) + 1 if what in STEPS else 0
            line = self.tr("第 {0} 步，共 {1} 步：{2}").format(number, len(STEPS), what) if number else what
            if total:
                line += f"  {done}/{total}"
            progress.setLabelText(head + "\n" + line)
            progress.setMaximum(total)
            progress.setValue(min(done, total))

        steps.shown.connect(shown)
        progress.show()

    def _failed_to_open(self, error: BaseException) -> None:
        self._progress.close()
        self.ops.report(None, error)
        self.exit_code = 2
        self.app.quit()

    def _opened(self, services: Services | None) -> None:
        self._progress.close()
        if services is None:  # the demo build was cancelled
            self.app.quit()
            return
        self.services = services
        self.ops.query(services.setup.is_initialized, self._initialized_known)

    def _initialized_known(self, initialized: bool) -> None:
        assert self.services is not None
        if initialized and self.services.ctx.keyring is None:
            self._encryption_login()
            return
        if initialized:
            self.login()
            return
        from desktop.ui.dialogs.setup_dialog import SetupDialog

        dialog = SetupDialog(self.services, self.ops)
        dialog.sig_initialized.connect(lambda admin: self._set_username(admin.username))
        dialog.accepted.connect(self.login)
        dialog.rejected.connect(self.app.quit)
        dialog.show()
        self._dialog = dialog

    def _set_username(self, name: str) -> None:
        self.username = name

    def login(self) -> None:
        assert self.services is not None
        self.ops.query(self.services.offices.local, lambda office: self._show_login(office.name))

    def _show_login(self, office: str, first: bool = False, encrypting: bool = False) -> None:
        from desktop.ui.dialogs.login import LoginDialog
        from desktop.ui.settings import last_username  # with it QtPrintSupport: only now

        default = self.username or last_username() or ("wangfang" if self.demo else "")
        login = self.first_login if first else self.encrypt_login if encrypting else None
        dialog = LoginDialog(self.services, self.ops, username=default, office=office,
                             login=login, recover=self.recover if first else None)
        if encrypting:
            dialog.message.setStyleSheet("color: #555;")
            dialog.message.setText(self.tr(
                "本版本起数据库加密保存。请一位管理员登录：登录后程序把数据库加密（数据多时需要"
                "一两分钟），并打印恢复密钥单。其他用户以后照常登录。"))
        if self.demo:
            dialog.message.setStyleSheet("color: #555;")
            dialog.message.setText(self.tr("演示库：所有演示账号的密码都是 demo1234"))
        dialog.sig_logged_in.connect(self._logged_in)
        dialog.rejected.connect(self._login_cancelled)
        dialog.show()
        self._dialog = dialog

    def _encryption_login(self) -> None:
        """The first start after the upgrade to encryption: an administrator logs in, which
        encrypts the database; the recovery key sheet is shown before the window opens."""
        assert self.services is not None
        services = self.services
        self.ops.query(services.offices.local,
                       lambda office: self._show_login(office.name, encrypting=True))

    def encrypt_login(self, username: str, password: str) -> CurrentUser:
        from desktop.bootstrap import encrypt_and_login

        assert self.services is not None
        self.services, user = encrypt_and_login(self.services, username, password)
        self._recovery_code = (self.services.setup.first_recovery_key(),
                               self.services.offices.local().name, self.services.ctx.clock.now())
        return user

    def recover(self) -> None:
        """「忘记所有密码？用恢复密钥」: the recovery key opens the database, an administrator
        gets a new password and is logged in."""
        from desktop.ui.dialogs.recovery import RecoveryLoginDialog

        login = self._dialog

        def open_with(code: str) -> Services:
            from desktop.bootstrap import unlock_with_recovery

            if self.services is None:
                self.services = unlock_with_recovery(self.data_dir, code)
            return self.services

        dialog = RecoveryLoginDialog(self.ops, open_with, parent=login)

        def logged_in(user: CurrentUser) -> None:
            login.hide()
            self._logged_in(user)

        dialog.sig_logged_in.connect(logged_in)
        dialog.show()
        self._recovery = dialog

    def _login_cancelled(self) -> None:
        if self.window is None:
            self.app.quit()

    def _logged_in(self, user) -> None:  # type: ignore[no-untyped-def]
        from desktop.ui.context import load_lookups
        from desktop.ui.settings import set_last_username

        recovery = getattr(self, "_recovery_code", None)
        if recovery is not None:  # just encrypted: the recovery key sheet before the window
            from desktop.ui.dialogs.recovery import RecoveryKeyDialog

            self._recovery_code = None
            self._dialog = RecoveryKeyDialog(*recovery)
            self._dialog.accepted.connect(lambda: self._logged_in(user))
            self._dialog.show()
            return

        assert self.services is not None
        set_last_username(user.username)
        services = self.services
        self.ops.query(lambda: load_lookups(services, user), lambda lookups: self._open_window(user, lookups))

    def _open_window(self, user, lookups) -> None:  # type: ignore[no-untyped-def]
        from desktop.ui.context import AppContext
        from desktop.ui.main_window import MainWindow

        assert self.services is not None
        ctx = AppContext(self.services, self.ops, user, lookups, self.data_dir, self.demo)
        self.window = MainWindow(ctx)
        self.window.sig_switch_user.connect(self._switch_user)
        self.window.sig_closed.connect(self.app.quit)
        self.window.show()
        # Load the forms' fonts now (about 0.3 s, once), so the first 打印 does not wait.
        from desktop.forms import fonts

        self.ops.run(lambda _state: fonts.warm_up(), database=False)

    def _switch_user(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        self.username = ""
        self.login()

    def shutdown(self) -> None:
        self.ops.shutdown()
        if self.services is not None:
            self.services.close()


def collect_garbage_in_the_ui_thread(app: QApplication) -> QTimer:
    """Qt objects caught in reference cycles must be destroyed in the thread that owns them.
    Python's collector runs in whatever thread allocates, often the database worker; so, as
    Anki does, switch automatic collection off and collect on a timer in the UI thread."""
    gc.disable()
    timer = QTimer(app)
    timer.setInterval(10_000)
    timer.timeout.connect(gc.collect)
    timer.start()
    return timer


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(paths.APP_NAME)
    app.setApplicationDisplayName("和解台")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(application_icon())
    app.setQuitOnLastWindowClosed(False)  # the launcher decides: dialogs come and go at login
    install_translations(app)
    register_fonts(app)
    from desktop.ui import user_guide

    user_guide.instance()  # F1 in every window, the login's and set-up's too
    collect_garbage_in_the_ui_thread(app)
    launcher = Launcher(app, data_folder(args), args.demo, args.user or "")
    launcher.start()
    code = app.exec()
    launcher.shutdown()
    return launcher.exit_code or code
