"""Qt's own buttons in Chinese; environment errors told in Chinese, bugs saved as a report."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from sqlalchemy.exc import OperationalError

from desktop.db.uow import UnitOfWork
from desktop.domain.errors import FieldError, StorageError, ValidationFailed
from desktop.ui.app import install_translations
from desktop.ui.errors import ErrorReporter, environment_message


def test_qt_standard_buttons_speak_chinese(qtbot) -> None:  # type: ignore[no-untyped-def]
    translators = install_translations(QApplication.instance())
    try:
        assert translators, "qtbase_zh_CN.qm was not found in Qt's translations folder"
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        texts = {b.text().replace("&", "") for b in box.buttons()}
        assert any("取消" in t for t in texts), texts
    finally:
        for t in translators:
            QCoreApplication.removeTranslator(t)


def test_environment_errors_get_a_chinese_sentence_and_bugs_none(world) -> None:  # type: ignore[no-untyped-def]
    # The unit of work turns SQLite's "locked" into a StorageError the window can show as is.
    try:
        with UnitOfWork(world.s.ctx.engine, write=False):
            raise OperationalError("INSERT …", {}, sqlite3.OperationalError("database is locked"))
    except StorageError as exc:
        locked = exc
    assert "另一个程序" in environment_message(locked)
    full = OSError(28, "No space left on device")
    assert "磁盘已满" in environment_message(full)
    wrong = ValidationFailed([FieldError("投诉人电话", "格式不对"), FieldError("事实与理由", "不能为空")])
    assert environment_message(wrong) == "投诉人电话：格式不对\n事实与理由：不能为空"
    assert environment_message(KeyError("bug")) is None


def test_a_bug_report_is_saved_with_the_traceback(tmp_path: Path) -> None:
    reporter = ErrorReporter(tmp_path / "logs")
    try:
        raise RuntimeError("something we did wrong")
    except RuntimeError as exc:
        path = reporter.save_report(exc)
    assert path is not None and path.parent == tmp_path / "logs"
    text = path.read_text(encoding="utf-8")
    assert "RuntimeError: something we did wrong" in text and "test_a_bug_report" in text
