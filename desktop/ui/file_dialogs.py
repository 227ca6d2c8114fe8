"""The file dialogs of the program (attach, save a PDF or a workbook, choose a folder), in Chinese.

Where the platform has its own dialog (Windows, macOS; Linux with a desktop portal or the
desktop's Qt theme) Qt shows that one, in the system's language. Otherwise Qt draws its own
widget dialog; then, beyond the translation (desktop/ui/app.py install_translations), its list
shows dates as 2026-12-05 14:30, sizes as 13 KB and types as 文件夹 / PDF 文件 (Qt formats
them with the system locale, which on an English or C-locale Linux gives "5 12 2026", "Folder"
and English MIME names), and its sidebar is wide enough for 计算机.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QIdentityProxyModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QFileDialog, QFileSystemModel, QSplitter, QTreeView, QWidget

_SIZE, _TYPE, _DATE = 1, 2, 3  # QFileSystemModel's columns after the name


class ChineseFileColumns(QIdentityProxyModel):
    """QFileSystemModel's size, type and date columns in Chinese, whatever the system locale."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.locale = QLocale(QLocale.Language.Chinese, QLocale.Country.China)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        source = self.sourceModel()
        if (role == Qt.ItemDataRole.DisplayRole and index.column() in (_SIZE, _TYPE, _DATE)
                and isinstance(source, QFileSystemModel)):
            info = source.fileInfo(self.mapToSource(index))
            if index.column() == _DATE:
                return self.locale.toString(info.lastModified(), "yyyy-MM-dd HH:mm")
            if index.column() == _TYPE:
                if info.isDir():
                    return "文件夹" if not info.isRoot() else "驱动器"
                suffix = info.suffix().upper()
                return f"{suffix} 文件" if suffix else "文件"
            if info.isDir():
                return ""
            size = info.size()
            return f"{size} 字节" if size < 1024 else f"{-(-size // 1024):,} KB"  # as Windows shows it
        return super().data(index, role)


def _dress(dialog: QFileDialog) -> None:
    """Qt's own widget dialog (no native one here): Chinese columns, a wide enough sidebar."""
    if dialog.findChild(QTreeView) is None:
        return  # a native dialog: nothing of ours to dress
    dialog.setProxyModel(ChineseFileColumns(dialog))
    tree = dialog.findChild(QTreeView)
    metrics = tree.fontMetrics()
    header = tree.header()
    # Qt sized the columns for its own texts: room for 2026-12-05 14:30 and 123,456 KB.
    header.resizeSection(_DATE, metrics.horizontalAdvance("2026-12-05 14:30") + 24)
    header.resizeSection(_SIZE, max(header.sectionSize(_SIZE), metrics.horizontalAdvance("123,456 KB") + 24))
    header.resizeSection(_TYPE, max(header.sectionSize(_TYPE), metrics.horizontalAdvance("XLSX 文件") + 24))
    splitter = dialog.findChild(QSplitter)
    if splitter is not None and splitter.count() == 2:
        splitter.setSizes([150, 600])
    dialog.resize(max(dialog.width(), 820), max(dialog.height(), 480))


def make_dialog(parent: QWidget | None, title: str, folder: str = "", name_filter: str = "", *,
                mode: QFileDialog.FileMode = QFileDialog.FileMode.ExistingFile,
                save: bool = False) -> QFileDialog:
    """The dialog the functions below show (tests open it without exec)."""
    dialog = QFileDialog(parent, title, folder, name_filter)
    dialog.setFileMode(mode)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
    if mode == QFileDialog.FileMode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    _dress(dialog)
    return dialog


def _run(dialog: QFileDialog) -> list[str]:
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted:
            return []
        return dialog.selectedFiles()
    finally:
        dialog.deleteLater()


def open_file(parent: QWidget | None, title: str, folder: str = "", name_filter: str = "") -> str:
    """One existing file, or "" when cancelled."""
    chosen = _run(make_dialog(parent, title, folder, name_filter))
    return chosen[0] if chosen else ""


def open_files(parent: QWidget | None, title: str, folder: str = "", name_filter: str = "") -> list[str]:
    """Existing files (several may be chosen), or [] when cancelled."""
    return _run(make_dialog(parent, title, folder, name_filter, mode=QFileDialog.FileMode.ExistingFiles))


def save_file(parent: QWidget | None, title: str, suggested: str = "", name_filter: str = "") -> str:
    """Where to save (asks before replacing a file), or "" when cancelled."""
    chosen = _run(make_dialog(parent, title, suggested, name_filter, mode=QFileDialog.FileMode.AnyFile,
                              save=True))
    return chosen[0] if chosen else ""


def existing_folder(parent: QWidget | None, title: str, folder: str = "") -> str:
    """A folder, or "" when cancelled."""
    chosen = _run(make_dialog(parent, title, folder, mode=QFileDialog.FileMode.Directory))
    return chosen[0] if chosen else ""
