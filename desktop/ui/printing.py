"""Puts a rendered PDF on paper: QtPdf draws each page as an image, at the printer's
resolution capped to FORM_DPI; a document without colour goes in the printer's grey mode.

Why images: Qt has no way to hand a PDF's vector pages to a QPrinter (QPrinter only paints;
QtPdf renders pages to bitmaps), and the same path serves Windows' GDI drivers and CUPS. A
printer asked for at its own resolution (QPrinter.HighResolution: 600 or 1200 dpi) got a
1200-dpi colour bitmap per A4 page, some 6.5 MB in the spool; the forms' smallest text (9 pt)
and the QR code need no more than 300 dpi, and they are black and white, so a page goes as a
300-dpi grey image (0.3 MB; bench/bench_print_spool.py measures it).

Runs in a worker thread (Qt allows painting on a QPrinter outside the GUI thread; QtPdf
serialises its PDFium calls behind one lock), so the window stays live while a long ledger
goes to the printer. The caller must leave the QPrinter alone until the work has finished.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QStyle, QWidget

from desktop.ui.errors import DeviceError
from desktop.ui.ops import Cancelled

# PDFium renders into one image; a whole A4 page at 1200 dpi would need half a gigabyte, so
# pages are rendered in horizontal bands of at most this many pixels (64 MB in ARGB32).
BAND_PIXELS = 16_000_000
# The resolution pages are rendered at, at most: a printer of higher resolution gets the image
# scaled by its driver. 300 dpi draws 9-pt text and the QR code's modules cleanly.
FORM_DPI = 300

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


def render_scale(printer: QPrinter, dpi: int = FORM_DPI) -> float:
    """Image pixels per printer pixel: 1 up to `dpi`, less for a printer of higher resolution."""
    return min(1.0, dpi / max(1, printer.resolution()))


def _on_white(image: QImage) -> QImage:
    """PDFium leaves the paper transparent; drawn as is, a printer may make it black."""
    sheet = QImage(image.size(), QImage.Format.Format_RGB32)
    sheet.fill(QColor("white"))
    painter = QPainter(sheet)
    painter.drawImage(0, 0, image)
    painter.end()
    return sheet


def all_grey(pages: PdfPages, numbers: list[int]) -> bool:
    """Whether these pages have no colour (drawn at 72 dpi to see: some 10 ms a page)."""
    for page in sorted(set(numbers)):
        if not _on_white(pages.document.render(page, pages.document.pagePointSize(page).toSize())).allGray():
            return False
    return True


def _draw_page(painter: QPainter, pages: PdfPages, page: int, target: QRect, scale: float = 1.0) -> None:
    """Render `page` at `scale` × the target's printer pixels and draw it over the target."""
    width = max(1, round(target.width() * scale))
    full = max(1, round(target.height() * scale))
    band = max(1, min(full, BAND_PIXELS // width))
    options = QPdfDocumentRenderOptions()
    options.setScaledSize(QSize(width, full))
    to_printer = target.width() / width
    top = 0
    while top < full:
        height = min(band, full - top)
        options.setScaledClipRect(QRect(0, top, width, height))
        sheet = _on_white(pages.document.render(page, QSize(width, height), options))
        painter.drawImage(QRectF(target.x(), target.y() + top * to_printer, target.width(),
                                 height * to_printer), sheet)
        top += height


@dataclass(frozen=True)
class PrintResult:
    pages: int  # pages of the document that went to the printer (a page range prints fewer)
    cancelled: bool = False


def print_pdf(pdf: bytes, printer: QPrinter, progress: Progress | None = None, *,
              dpi: int | None = FORM_DPI, grey_pages: bool = True) -> PrintResult:
    """Print every page the printer's page range selects, rendered at the printer's resolution
    capped to `dpi` (None: not capped); a document without colour goes in the printer's grey
    mode (`grey_pages`; the printer's own setting is put back after the job): Qt's PDF engine
    (CUPS, a PDF file) then stores each page as a lossless grey image instead of a colour JPEG,
    a third of the size. (The bench compares with dpi=None, grey_pages=False.)

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
        chosen_mode = printer.colorMode()
        if grey_pages and chosen_mode == QPrinter.ColorMode.Color and all_grey(pages, order):
            printer.setColorMode(QPrinter.ColorMode.GrayScale)
        try:
            return _print_pages(pages, order, printer, progress, render_scale(printer, dpi) if dpi else 1.0)
        finally:
            printer.setColorMode(chosen_mode)


def _print_pages(pages: PdfPages, order: list[int], printer: QPrinter, progress: Progress | None,
                 scale: float) -> PrintResult:
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
            _draw_page(painter, pages, page, _target(printer, size), scale)
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
