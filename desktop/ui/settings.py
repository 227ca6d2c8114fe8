"""Remembered window geometry, table layouts, folders and the printer set-up (QSettings)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMarginsF, QSettings
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QHeaderView, QSplitter, QWidget

ORGANIZATION = "Hejie"
APPLICATION = "Hejie"


def settings() -> QSettings:
    # INI everywhere (not the Windows registry): one readable file an administrator can copy.
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def _key(widget: QWidget, what: str) -> str:
    return f"layout/{type(widget).__name__}/{what}"


def restore_geometry(widget: QWidget) -> bool:
    value = settings().value(_key(widget, "geometry"))
    return isinstance(value, QByteArray) and widget.restoreGeometry(value)


def save_geometry(widget: QWidget) -> None:
    settings().setValue(_key(widget, "geometry"), widget.saveGeometry())


def restore_header(owner: QWidget, header: QHeaderView, name: str = "table") -> bool:
    """The table's columns as the user left them (order, sort, hidden ones); their widths
    only when the user had set them by hand, else they fit the window (widgets/tables.py)."""
    from desktop.ui.widgets.tables import ColumnFitter

    value = settings().value(_key(owner, name))
    restored = isinstance(value, QByteArray) and header.restoreState(value)
    view = header.parentWidget()
    fitter = view.findChild(ColumnFitter) if view is not None else None
    if fitter is not None:
        by_hand = settings().value(_key(owner, f"{name}-by-hand"), False)
        fitter.user_sized = restored and by_hand in (True, "true")
        fitter.later()
    return restored


def save_header(owner: QWidget, header: QHeaderView, name: str = "table") -> None:
    from desktop.ui.widgets.tables import ColumnFitter

    settings().setValue(_key(owner, name), header.saveState())
    view = header.parentWidget()
    fitter = view.findChild(ColumnFitter) if view is not None else None
    if fitter is not None:
        settings().setValue(_key(owner, f"{name}-by-hand"), fitter.user_sized)


def restore_splitter(owner: QWidget, splitter: QSplitter, name: str = "splitter") -> None:
    value = settings().value(_key(owner, name))
    if isinstance(value, QByteArray):
        splitter.restoreState(value)


def save_splitter(owner: QWidget, splitter: QSplitter, name: str = "splitter") -> None:
    settings().setValue(_key(owner, name), splitter.saveState())


def last_username() -> str:
    return str(settings().value("login/last_username", "") or "")


def set_last_username(name: str) -> None:
    settings().setValue("login/last_username", name)


def last_folder(purpose: str, default: str = "") -> str:
    """The folder a file dialog for `purpose` last used (PDFs saved, attachments chosen)."""
    return str(settings().value(f"folders/{purpose}", default) or default)


def set_last_folder(purpose: str, folder: str) -> None:
    settings().setValue(f"folders/{purpose}", folder)


def restore_printer(printer: QPrinter) -> None:
    """The printer, paper, margins, duplex and colour chosen last time. Orientation is not
    kept: each form brings its own."""
    s = settings()
    name = str(s.value("printer/name", "") or "")
    if name and name in QPrinterInfo.availablePrinterNames():
        printer.setPrinterName(name)
    size = s.value("printer/page_size")
    if size is not None:
        page = QPageSize(QPageSize.PageSizeId(int(size)))
        if page.isValid():
            printer.setPageSize(page)
    margins = s.value("printer/margins_mm")
    if isinstance(margins, str):
        margins = margins.split(",")
    if isinstance(margins, list) and len(margins) == 4:
        printer.setPageMargins(QMarginsF(*(float(m) for m in margins)), QPageLayout.Unit.Millimeter)
    duplex = s.value("printer/duplex")
    if duplex is not None:
        printer.setDuplex(QPrinter.DuplexMode(int(duplex)))
    colour = s.value("printer/colour")
    if colour is not None:
        printer.setColorMode(QPrinter.ColorMode(int(colour)))


def save_printer(printer: QPrinter) -> None:
    s = settings()
    if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat:
        s.setValue("printer/name", printer.printerName())
    layout = printer.pageLayout()
    s.setValue("printer/page_size", layout.pageSize().id().value)
    m = layout.margins(QPageLayout.Unit.Millimeter)
    s.setValue("printer/margins_mm", ",".join(f"{v:g}" for v in (m.left(), m.top(), m.right(), m.bottom())))
    s.setValue("printer/duplex", printer.duplex().value)
    s.setValue("printer/colour", printer.colorMode().value)
