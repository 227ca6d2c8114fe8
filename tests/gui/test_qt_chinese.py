"""Issue 23, item 1: what Qt itself shows (file dialogs, the print and page set-up dialogs,
message boxes) is Chinese. Offscreen there is no native dialog, so these are Qt's own widget
dialogs, the ones a Linux PC without a desktop portal shows: every visible label, button,
group, tab, list header and the list's type/size/date cells must be Chinese."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtPrintSupport import QPageSetupDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QMessageBox,
    QTabWidget,
    QTreeView,
    QWidget,
)

from desktop import shipped
from desktop.ui import file_dialogs
from desktop.ui.app import install_translations

CJK = re.compile(r"[\u4e00-\u9fff]")
LETTERS = re.compile(r"[A-Za-z]")
# Texts with Latin letters that are Chinese usage too (abbreviations, the file-type suffixes).
ALLOWED = {"PDF", "...", "pt", "mm", "in", "CC", "DD", "KB"}
# Paper sizes keep their names in Chinese too: A4, B5, JIS B5, ANSI C, 8 x 10 in, 4 (2x2).
PAPER = re.compile(r"[A-Z]{1,2}\d+|(ANSI|JIS B) ?\w+|\d+ x \d+ in|\d+ \(\dx\d\)")


def english(text: str) -> bool:
    if PAPER.fullmatch(text.strip()):
        return False
    text = re.sub(r"[\d,.]+ ", "", text.replace("&", "")).strip()
    return bool(LETTERS.search(text)) and not CJK.search(text) and text not in ALLOWED


@pytest.fixture
def chinese_qt() -> Iterator[None]:
    translators = install_translations(QApplication.instance())  # type: ignore[arg-type]
    assert len(translators) == 3, "Qt's qtbase_zh_CN, qt_zh_CN or the program's supplement is missing"
    yield
    for translator in translators:
        QCoreApplication.removeTranslator(translator)


def visible_texts(dialog: QWidget) -> list[str]:
    """What a user reads: labels, buttons (and their tooltips when they have no text), group
    titles, tabs, choices, column headers, and the file list's type/size/date cells."""
    out = [dialog.windowTitle()]
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisibleTo(dialog):
            continue
        if isinstance(widget, QLabel):
            out.append(widget.text())
        elif isinstance(widget, QAbstractButton):
            out.append(widget.text() or widget.toolTip())
        elif isinstance(widget, QGroupBox):
            out.append(widget.title())
        elif isinstance(widget, QTabWidget):
            out += [widget.tabText(i) for i in range(widget.count())]
        elif isinstance(widget, QComboBox) and widget.objectName() not in ("lookInCombo", "printers"):
            out += [widget.itemText(i) for i in range(widget.count())]  # (paths, printer names: not ours)
        if isinstance(widget, QTreeView) and widget.model() is not None:
            model, root = widget.model(), widget.rootIndex()
            for column in range(model.columnCount(root)):
                out.append(str(model.headerData(column, Qt.Orientation.Horizontal)))
                if column == 0:
                    continue  # file names
                out += [str(model.data(model.index(row, column, root))) for row in range(model.rowCount(root))]
    return [t for t in out if t]


def settle(qtbot, dialog: QWidget) -> None:  # type: ignore[no-untyped-def]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "子文件夹").mkdir()
    (tmp_path / "登记表.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 2000)
    (tmp_path / "notes.toml").write_text("a = 1\n", "utf-8")
    (tmp_path / "small.bin").write_bytes(b"12345")
    return tmp_path


@pytest.mark.parametrize("kind", ["open_file", "open_files", "save_file", "existing_folder"])
def test_every_file_dialog_of_the_program_is_chinese(chinese_qt, qtbot, folder: Path, kind: str) -> None:  # type: ignore[no-untyped-def]
    mode = {"open_file": QFileDialog.FileMode.ExistingFile, "open_files": QFileDialog.FileMode.ExistingFiles,
            "save_file": QFileDialog.FileMode.AnyFile, "existing_folder": QFileDialog.FileMode.Directory}[kind]
    dialog = file_dialogs.make_dialog(None, "选择附件", str(folder), "PDF 文件 (*.pdf);;所有文件 (*)",
                                      mode=mode, save=kind == "save_file")
    dialog.setNameFilter("所有文件 (*)")
    settle(qtbot, dialog)
    tree = dialog.findChild(QTreeView)
    assert tree is not None, "offscreen Qt draws its own dialog"
    model = tree.model()
    wanted = 1 if kind == "existing_folder" else 4
    qtbot.waitUntil(lambda: model.rowCount(tree.rootIndex()) == wanted, timeout=5000)
    texts = visible_texts(dialog)
    assert [t for t in texts if english(t)] == []
    assert "查找范围(L)：" in [t.replace("&", "") for t in texts]
    assert "大小" in texts and "修改日期" in texts
    cells = {str(model.index(r, 0, tree.rootIndex()).data()):
             [str(model.index(r, c, tree.rootIndex()).data()) for c in (1, 2, 3)]
             for r in range(model.rowCount(tree.rootIndex()))}
    assert cells["子文件夹"][1] == "文件夹"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", cells["子文件夹"][2])  # not "5 12 2026"
    if kind != "existing_folder":
        assert cells["登记表.pdf"][:2] == ["2 KB", "PDF 文件"]
        assert cells["small.bin"][0] == "5 字节"
    # The sidebar is wide enough for 计算机 (the issue saw "计…").
    sidebar = dialog.findChild(QWidget, "sidebar")
    assert sidebar is not None and sidebar.width() >= sidebar.fontMetrics().horizontalAdvance("计算机") + 40


@pytest.mark.qt_log_ignore("QPageSetupDialog: Cannot be used on non-native printers")
def test_the_print_dialog_and_page_setup_are_chinese(chinese_qt, qtbot) -> None:  # type: ignore[no-untyped-def]
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    settle(qtbot, dialog)
    options = [b for b in dialog.findChildren(QAbstractButton) if "选项" in b.text()]
    assert options, "the 选项 >> button"
    options[0].click()  # the page set, copies, colour, duplex
    seen = []
    for tabs in dialog.findChildren(QTabWidget):
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            seen += visible_texts(dialog)
    seen += visible_texts(dialog)
    assert [t for t in seen if english(t)] == []
    assert any("页面组" in t for t in seen) or any("份数" in t for t in seen)
    setup = QPageSetupDialog(printer)
    settle(qtbot, setup)
    texts = visible_texts(setup)
    assert [t for t in texts if english(t)] == [] and any("纸张" in t for t in texts)


def test_message_boxes_buttons_are_chinese(chinese_qt, qtbot) -> None:  # type: ignore[no-untyped-def]
    buttons = QMessageBox.StandardButton
    box = QMessageBox(QMessageBox.Icon.Question, "和解台", "确认？",
                      buttons.Yes | buttons.No | buttons.Ok | buttons.Cancel | buttons.Close
                      | buttons.Save | buttons.Discard | buttons.Retry)
    box.setDetailedText("详细情况")
    settle(qtbot, box)
    texts = visible_texts(box)
    assert [t for t in texts if english(t)] == []
    assert {"是(Y)", "否(N)", "确定", "取消", "关闭"} <= {t.replace("&", "") for t in texts}


def test_qt_dialogs_use_the_chinese_locale(chinese_qt) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QDate, QLocale

    assert QLocale().name() == "zh_CN"
    assert QLocale().toString(QDate(2026, 12, 5), QLocale.FormatType.ShortFormat) == "2026/12/5"


def test_the_shipped_qm_is_compiled_from_the_ts(tmp_path: Path) -> None:
    """resources/translations/hejie_qt_zh_CN.qm is what lrelease makes of the .ts beside it."""
    qm = shipped.path(shipped.QT_TRANSLATION)
    ts = qm.with_suffix(".ts")
    import PySide6

    lrelease = shutil.which("lrelease", path=str(Path(PySide6.__file__).parent)) \
        or shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))
    if lrelease is None:
        pytest.skip("no lrelease here")
    fresh = tmp_path / "fresh.qm"
    subprocess.run([lrelease, "-silent", str(ts), "-qm", str(fresh)], check=True)
    assert fresh.read_bytes() == qm.read_bytes(), "run pyside6-lrelease on resources/translations/*.ts"


def test_a_qt_dialog_the_program_does_not_make_is_chinese_too(chinese_qt, qtbot, folder: Path) -> None:  # type: ignore[no-untyped-def]
    """The print dialog's 输出文件 "..." opens Qt's plain file dialog: the translation alone
    must cover its labels."""
    dialog = QFileDialog(None, "", str(folder))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    settle(qtbot, dialog)
    labels = [w.text() for w in dialog.findChildren(QLabel) if w.isVisibleTo(dialog)]
    assert [t for t in labels if english(t)] == []
