"""Puts a rendered PDF on paper: QtPdf draws each page at the printer's resolution.

Runs in a worker thread (Qt allows painting on a QPrinter outside the GUI thread; QtPdf
serialises its PDFium calls behind one lock), so the window stays live while a long ledger
goes to the printer. The caller must leave the QPrinter alone until the work has finished.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QStyle, QWidget

from desktop.ui.errors import DeviceError
from desktop.ui.ops import Cancelled

# PDFium renders into one image; a whole A4 page at 1200 dpi would need half a gigabyte, so
# pages are rendered in horizontal bands of at most this many pixels (64 MB in ARGB32).
BAND_PIXELS = 16_000_000

Progress = Callable[[int, int], None]


class PrintFailed(DeviceError):
    """The PDF could not be read back or the printer refused the job."""


class PdfPages:
    """A PDF held in memory, opened with QtPdf. Use it in one thread and close it there."""

    def __init__(self, pdf: bytes) -> None:
        self._data = QByteArray(pdf)
        self._buffer = QBuffer(self._data)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument()
        self.document.load(self._buffer)  # synchronous for a QBuffer
        if self.document.status() != QPdfDocument.Status.Ready:
            self.close()
            raise PrintFailed("无法读取生成的 PDF，请重新生成后再试。")

    @property
    def count(self) -> int:
        return self.document.pageCount()

    def landscape(self, page: int) -> bool:
        size = self.document.pagePointSize(page)
        return size.width() > size.height()

    def close(self) -> None:
        self.document.close()
        self._buffer.close()

    def __enter__(self) -> PdfPages:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def print_icon(widget: QWidget) -> QIcon:
    """A printer where the platform has one (Qt maps it to Windows' icon font and to Linux
    icon themes), else the style's document icon."""
    fallback = widget.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogContentsView)
    return QIcon.fromTheme(QIcon.ThemeIcon.DocumentPrint, fallback)


def pages_to_print(printer: QPrinter, count: int) -> list[int]:
    """Zero-based page numbers in the order the print dialog asked for."""
    ranges = printer.pageRanges()
    pages = [n for n in range(count) if ranges.isEmpty() or ranges.contains(n + 1)]
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        pages.reverse()
    # A driver that cannot make copies itself gets each sheet again.
    copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
    if copies == 1:
        return pages
    if printer.collateCopies():
        return pages * copies
    return [n for n in pages for _ in range(copies)]


def _set_orientation(printer: QPrinter, landscape: bool) -> None:
    wanted = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    if printer.pageLayout().orientation() != wanted:
        printer.setPageOrientation(wanted)


def _target(printer: QPrinter, page_points: QSize) -> QRect:
    """Where the page goes: the printer's paintable area, the page's shape kept, centred on top."""
    area = printer.pageRect(QPrinter.Unit.DevicePixel).toRect()
    size = page_points.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    return QRect(QPoint((area.width() - size.width()) // 2, 0), size)


def _draw_page(painter: QPainter, pages: PdfPages, page: int, target: QRect) -> None:
    width = max(1, target.width())
    band = max(1, min(target.height(), BAND_PIXELS // width))
    options = QPdfDocumentRenderOptions()
    options.setScaledSize(target.size())
    top = 0
    while top < target.height():
        height = min(band, target.height() - top)
        options.setScaledClipRect(QRect(0, top, width, height))
        rendered = pages.document.render(page, QSize(width, height), options)
        # PDFium leaves the paper transparent; drawn as is, a printer may make it black.
        sheet = QImage(width, height, QImage.Format.Format_RGB32)
        sheet.fill(QColor("white"))
        on_sheet = QPainter(sheet)
        on_sheet.drawImage(0, 0, rendered)
        on_sheet.end()
        painter.drawImage(target.x(), target.y() + top, sheet)
        top += height


@dataclass(frozen=True)
class PrintResult:
    pages: int  # pages of the document that went to the printer (a page range prints fewer)
    cancelled: bool = False


def print_pdf(pdf: bytes, printer: QPrinter, progress: Progress | None = None) -> PrintResult:
    """Print every page the printer's page range selects.

    `progress(done, total)` is called before each page and may raise `Cancelled`. The job is
    then aborted where the driver allows it (Windows); PDF-based engines (CUPS, a PDF file)
    cannot abort, so the pages already drawn still go out, and the result says how many."""
    with PdfPages(pdf) as pages:
        order = pages_to_print(printer, pages.count)
        if not order:
            raise PrintFailed(f"所选页码不在本文件范围内（共 {pages.count} 页）。")
        if progress is not None:
            try:
                progress(0, len(order))
            except Cancelled:
                return PrintResult(0, cancelled=True)  # before the job exists: nothing to undo
        _set_orientation(printer, pages.landscape(order[0]))
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintFailed("无法开始打印，请检查打印机是否已连接、是否有纸。")
        done = 0
        try:
            for done, page in enumerate(order):
                if done:
                    if progress is not None:
                        progress(done, len(order))
                    # Takes effect with the page newPage() starts. Only PDF-based engines (CUPS,
                    # files) allow it mid-job; forms never mix orientations within one document.
                    _set_orientation(printer, pages.landscape(page))
                    if not printer.newPage():
                        raise PrintFailed("打印机没有接受下一页，打印已中断。")
                size = pages.document.pagePointSize(page).toSize()
                _draw_page(painter, pages, page, _target(printer, size))
        except Cancelled:
            aborted = printer.abort()
            painter.end()
            return PrintResult(0 if aborted else len(set(order[:done])), cancelled=True)
        except BaseException:
            printer.abort()
            painter.end()
            raise
        if not painter.end():
            raise PrintFailed("打印没有完成，请检查打印机。")
        return PrintResult(len(set(order)))
