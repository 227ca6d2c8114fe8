"""What the user is told when something goes wrong: their environment, or our bug."""

from __future__ import annotations

import datetime as dt
import platform
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop import __version__
from desktop.domain.errors import DomainError, ValidationFailed
from desktop.ui.widgets import messages


def _tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


class DeviceError(Exception):
    """A device or the system refused (a printer, a PDF that cannot be read back); the
    message is a Chinese sentence for the user."""


def environment_message(error: BaseException) -> str | None:
    """A Chinese sentence for errors the user or the machine caused; None for a bug."""
    if isinstance(error, DeviceError):
        return str(error)
    if isinstance(error, ValidationFailed):
        return "\n".join(f"{e.field}：{e.message}" for e in error.errors)
    if isinstance(error, DomainError):
        return str(error)
    if isinstance(error, PermissionError):
        return _tr("没有权限访问文件：") + str(error.filename or error)
    if isinstance(error, FileNotFoundError):
        return _tr("找不到文件：") + str(error.filename or error)
    if isinstance(error, OSError) and error.errno == 28:
        return _tr("磁盘已满，无法写入。请清理磁盘空间后再试。")
    return None


class ErrorReporter:
    """Shows environment errors as a message, bugs as a crash dialog that saves a report."""

    def __init__(self, report_dir: Path) -> None:
        self.report_dir = report_dir

    def __call__(self, owner: QObject | None, error: BaseException) -> None:
        parent = owner if isinstance(owner, QWidget) else QApplication.activeWindow()
        message = environment_message(error)
        if message is not None:
            messages.warn(parent, _tr("无法完成"), message)
            return
        self.report_bug(parent, error)

    def report_bug(self, parent: QWidget | None, error: BaseException) -> Path | None:
        path = self.save_report(error)
        text = _tr("程序遇到了一个错误，这不是您的操作造成的。已经保存的数据不受影响。")
        if path is not None:
            text += "\n\n" + _tr("错误报告已保存到：") + f"\n{path}\n" + _tr("请把这个文件发给技术支持。")
        box = QMessageBox(QMessageBox.Icon.Critical, _tr("程序错误"), text, parent=parent)
        box.setDetailedText("".join(traceback.format_exception(error)))
        box.exec()
        return path

    def save_report(self, error: BaseException) -> Path | None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        try:
            self.report_dir.mkdir(parents=True, exist_ok=True)
            path = self.report_dir / f"crash-{stamp}.txt"
            path.write_text(
                f"和解台 {__version__}  Python {sys.version.split()[0]}  {platform.platform()}\n"
                f"{dt.datetime.now().isoformat()}\n\n" + "".join(traceback.format_exception(error)),
                encoding="utf-8",
            )
            return path
        except OSError:
            return None

    def install(self) -> None:
        """Uncaught exceptions in slots end here instead of vanishing on stderr."""
        def hook(kind, value, tb):  # type: ignore[no-untyped-def]
            if issubclass(kind, KeyboardInterrupt):
                sys.__excepthook__(kind, value, tb)
                return
            traceback.print_exception(kind, value, tb)
            self(None, value)
        sys.excepthook = hook
