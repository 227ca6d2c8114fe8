"""What the user is told when something goes wrong: their environment, or our bug."""

from __future__ import annotations

import datetime as dt
import platform
import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop import __version__, paths
from desktop.domain.errors import DomainError, ValidationFailed
from desktop.domain.masking import COMPOUND_SURNAMES, MASK_CHAR, SINGLE_SURNAMES, mask
from desktop.ui.widgets import messages


def _tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


class DeviceError(Exception):
    """A device or the system refused (a printer, a PDF that cannot be read back); the
    message is a Chinese sentence for the user."""


def refusal_text(error: BaseException, report: Callable[[], None], fallback: str) -> str:
    """The line a dialog shows when its action is refused: the user's or the machine's reason
    as it is; for a bug, `report` (the program's reporter) and then `fallback`."""
    message = environment_message(error)
    if message is None:
        report()
        return fallback
    return message


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
    if _NUMBER_CLASH in str(error):
        # The day's counter lies behind the numbers already given (set back outside the
        # program, or a database restored without it): the complaint was not saved.
        return _tr("新投诉的编号与本机已有的投诉编号重复，投诉未保存。本机的投诉编号计数可能被改动过，"
                   "请联系信息管理员用「hejie-admin audit verify」核对审计日志。")
    return None


_NUMBER_CLASH = "UNIQUE constraint failed: complaints.number"


# What a report says at its top (it is sent to support, outside the office).
SCRUBBED_NOTICE = (
    "本报告已去除个人信息：数据库语句的参数（[parameters: …]，含投诉人姓名、电话、身份证号、地址等）"
    "已整段删除；错误信息中引号和「」内的中文内容已替换为【已隐去】；其余文字中的电话、身份证号、银行卡号、"
    "车牌号、住址和姓名已按公示遮盖规则替换（如【电话】、张某），单独出现的像姓名的两到四个汉字也只留姓氏。"
    "程序代码的位置和行号保留。"
)
REMOVED = "【已隐去】"
_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\n|$)|\[parameters: .*$", re.MULTILINE)
# A quoted value in an error message (a row's value in a constraint, conversion or pydantic
# message): removed whole when it holds Chinese text, which is a name, address or fact.
_QUOTED = re.compile("'[^'\\n]*[\u4e00-\u9fff][^'\\n]*'|\"[^\"\\n]*[\u4e00-\u9fff][^\"\\n]*\""
                     "|「[^」\\n]*」|“[^”\\n]*”")
# Two to four Chinese characters standing alone (between non-Chinese characters): a name the
# masking rules find no cue for ("王小明" in a value list). Kept as surname + 某 when they begin
# with a known surname and the rest is one or two characters; a short word that happens to
# (金额 → 金某) is the price of that.
_LONE = re.compile("(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,4}(?![\u4e00-\u9fff])")
_CODE_LINE = re.compile(r'^\s+File "')


def _lone_name(match: re.Match[str]) -> str:
    word = match[0]
    if match.string[match.start() - 1:match.start()] == "【":
        return word  # a tag the masking put there: 【车牌号】
    for surname in sorted(COMPOUND_SURNAMES, key=len, reverse=True):
        if word.startswith(surname) and 1 <= len(word) - len(surname) <= 2:
            return surname + MASK_CHAR
    if word[0] in SINGLE_SURNAMES and len(word) <= 3 and MASK_CHAR not in word[1:]:
        return word[0] + MASK_CHAR
    return word


def scrub(text: str) -> str:
    """A traceback without personal data: SQL parameters dropped, quoted Chinese values
    removed, the rest masked as for publication. The lines naming a source file and the
    source lines under them are code, left as they are."""
    text = _PARAMETERS.sub("[parameters: 已删除]", text)
    out: list[str] = []
    after_file = False
    for line in text.splitlines(keepends=True):
        if _CODE_LINE.match(line) or (after_file and line.startswith("    ")):
            out.append(line)  # "File …, line N" and the source line under it: our code
            after_file = bool(_CODE_LINE.match(line))
            continue
        after_file = False
        out.append(_LONE.sub(_lone_name, mask(_QUOTED.sub(REMOVED, line))))
    return "".join(out)


def report_text(error: BaseException) -> str:
    """The traceback of `error` (with its causes) as a crash report shows it: scrubbed."""
    return scrub("".join(traceback.format_exception(error)))


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
        box.setDetailedText(report_text(error))
        box.exec()
        return path

    def save_report(self, error: BaseException) -> Path | None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        try:
            paths.private_dir(self.report_dir)
            path = self.report_dir / f"crash-{stamp}.txt"
            return paths.write_private(
                path,
                f"和解台 {__version__}  Python {sys.version.split()[0]}  {platform.platform()}\n"
                f"{dt.datetime.now().isoformat()}\n{SCRUBBED_NOTICE}\n\n" + report_text(error),
            )
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
