"""打印预览: the exact PDF that will be printed, with 打印…, 页面设置… and 另存为 PDF….

Every sheet that leaves the program (printed or saved) is written to the printing log, so the
complaint's 处理经过 says who printed which form when, with the code on the paper."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMargins, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QColor, QGuiApplication, QKeySequence, QPalette
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPageSetupDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.files import write_atomic
from desktop.services.dto import Changed
from desktop.services.printing import FormRequest, RenderedForm
from desktop.ui import file_dialogs
from desktop.ui.context import AppContext
from desktop.ui.ops import Task, TaskState
from desktop.ui.printing import PrintResult, print_pdf
from desktop.ui.settings import (
    last_folder,
    restore_geometry,
    restore_printer,
    save_geometry,
    save_printer,
    set_last_folder,
)

BANNER_STYLE = "background: #fff4d6; border: 1px solid #e8c46a; padding: 6px;"
ZOOM_STEP, ZOOM_MIN, ZOOM_MAX = 1.25, 0.25, 4.0


class PrintPreviewDialog(QDialog):
    sig_recorded = Signal(object)  # Changed: a printing or a saved copy went into the log

    def __init__(self, ctx: AppContext, rendered: RenderedForm, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx, self.rendered = ctx, rendered
        self.printer: QPrinter | None = None  # made on first use: it asks the system for printers
        self._task: Task | None = None
        self.setWindowTitle(self.tr("打印预览 — 《{0}》 {1}").format(rendered.form.title, rendered.scope))

        # The view reads the bytes in place: keep the array and its buffer as long as the dialog.
        self._data = QByteArray(rendered.pdf)
        self._buffer = QBuffer(self._data, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        # Sheets on a grey desk, apart from each other, so page breaks show.
        palette = self.view.palette()
        palette.setColor(QPalette.ColorRole.Dark, QColor("#8a8f96"))
        self.view.setPalette(palette)
        self.view.setPageSpacing(14)
        self.view.setDocumentMargins(QMargins(14, 14, 14, 14))

        self.pages_label = QLabel(self.tr("共 {0} 页").format(self.document.pageCount()))
        self.warning = QLabel("\n".join(rendered.warnings))
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(BANNER_STYLE)
        self.warning.setVisible(bool(rendered.warnings))
        self.status = QLabel()
        self.status.setStyleSheet("color: #1d5e20;")

        self.zoom_out_button = self._tool(self.tr("缩小"), QKeySequence.StandardKey.ZoomOut,
                                          lambda: self.zoom(1 / ZOOM_STEP))
        self.zoom_in_button = self._tool(self.tr("放大"), QKeySequence.StandardKey.ZoomIn,
                                         lambda: self.zoom(ZOOM_STEP))
        self.fit_width_button = self._tool(self.tr("适合宽度"), None, self.fit_width)
        self.whole_page_button = self._tool(self.tr("整页"), None, self.whole_page)
        self.setup_button = QPushButton(self.tr("页面设置…"))
        self.setup_button.clicked.connect(self.page_setup)
        self.save_button = QPushButton(self.tr("另存为 PDF…"))
        self.save_button.clicked.connect(lambda: self.save_pdf())
        self.print_button = QPushButton(self.tr("打印…"))
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_)
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.clicked.connect(self.close)
        for key, slot in ((QKeySequence.StandardKey.Print, self.print_),
                          (QKeySequence.StandardKey.Save, lambda: self.save_pdf())):
            action = QAction(self)
            action.setShortcut(key)
            action.triggered.connect(slot)
            self.addAction(action)

        top = QHBoxLayout()
        for button in (self.zoom_out_button, self.zoom_in_button, self.fit_width_button,
                       self.whole_page_button):
            top.addWidget(button)
        top.addSpacing(12)
        top.addWidget(self.pages_label)
        top.addStretch()
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        for button in (self.setup_button, self.save_button, self.print_button, self.close_button):
            bottom.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.warning)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        if not restore_geometry(self):
            self._default_size()

    def _tool(self, text: str, key: QKeySequence.StandardKey | None,
              slot: Callable[[], None]) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        if key is not None:
            button.setShortcut(QKeySequence(key))
        button.clicked.connect(slot)
        return button

    def _default_size(self) -> None:
        """A4 pages at a readable width, as tall as the screen allows."""
        screen = (self.parentWidget() or self).screen().availableGeometry()
        self.resize(min(980, screen.width() - 40), screen.height() - 60)

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    # -- zoom ----------------------------------------------------------------------------------
    def _fit_factor(self) -> float:
        """The zoom factor QPdfView uses for 适合宽度 (it does not report it)."""
        page = self.document.pagePointSize(0)
        margins = self.view.documentMargins()
        width = self.view.viewport().width() - margins.left() - margins.right()
        points = page.width() * self.view.logicalDpiX() / 72
        return max(ZOOM_MIN, width / points) if points > 0 else 1.0

    def zoom(self, step: float) -> None:
        current = (self._fit_factor() if self.view.zoomMode() != QPdfView.ZoomMode.Custom
                   else self.view.zoomFactor())
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(ZOOM_MAX, max(ZOOM_MIN, current * step)))

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def whole_page(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)

    # -- the printer ---------------------------------------------------------------------------
    def ensure_printer(self) -> QPrinter:
        if self.printer is None:
            self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            restore_printer(self.printer)
            self.printer.setDocName(Path(self.rendered.filename).stem)
        return self.printer

    def page_setup(self) -> None:
        printer = self.ensure_printer()
        if QPageSetupDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            save_printer(printer)

    def print_(self) -> None:
        if self.busy:
            return
        printer = self.ensure_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, self.page_count)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        save_printer(printer)
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> Task:
        """Send the pages to `printer` on a worker, with progress and 取消; log it when done."""
        pdf = self.rendered.pdf
        progress = QProgressDialog(self.tr("正在打印《{0}》……").format(self.rendered.form.title),
                                   self.tr("取消"), 0, self.page_count, self)
        progress.setWindowTitle(self.tr("打印"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        progress.setAutoClose(False)
        progress.setAutoReset(False)

        def work(state: TaskState) -> PrintResult:
            return print_pdf(pdf, printer, state.progress)

        def shown(done: int, total: int) -> None:
            if not shiboken6.isValid(progress):
                return
            progress.setMaximum(total)
            progress.setLabelText(self.tr("正在打印第 {0} 页，共 {1} 页……").format(min(done + 1, total), total))
            progress.setValue(done)

        def finished(result: PrintResult) -> None:
            if result.pages:
                self._record("print", result.pages)  # even if the preview was closed meanwhile
            if not shiboken6.isValid(self):
                return
            self._set_busy(None)
            progress.hide()
            progress.deleteLater()
            if not result.cancelled:
                text = self.tr("已送往打印机，{0} 页。").format(result.pages)
            elif result.pages:
                text = self.tr("已取消。这台打印机不能中途撤销，已送出的 {0} 页仍会打印。").format(result.pages)
            else:
                text = self.tr("已取消打印。")
            self.status.setText(text)

        def failed(error: BaseException) -> None:
            alive = shiboken6.isValid(self)
            if alive:
                self._set_busy(None)
                progress.hide()
                progress.deleteLater()
            self.ctx.ops.report(self if alive else None, error)

        # No owner: the sheets go out and are logged even if the window that asked is closed.
        task = self.ctx.ops.run(work, finished, on_error=failed, on_progress=shown, database=False)
        progress.canceled.connect(task.cancel)
        self._set_busy(task)
        return task

    # -- a PDF file ----------------------------------------------------------------------------
    def save_pdf(self, path: str | None = None) -> Task | None:
        """Save the exact PDF shown; `path` skips the file dialog."""
        if self.busy:
            return None
        if path is None:
            documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            folder = last_folder("pdf", documents)
            path = file_dialogs.save_file(
                self, self.tr("另存为 PDF"), str(Path(folder) / self.rendered.filename),
                self.tr("PDF 文件 (*.pdf)"))
            if not path:
                return None
        target = Path(path if path.lower().endswith(".pdf") else path + ".pdf")
        set_last_folder("pdf", str(target.parent))
        data = self.rendered.pdf

        def write(_state: TaskState) -> Path:
            return write_atomic(target, data)

        def written(saved: Path) -> None:
            self._record("pdf", self.rendered.pages)
            if shiboken6.isValid(self):
                self._set_busy(None)
                self.status.setText(self.tr("已保存到 {0}").format(saved))

        def failed(error: BaseException) -> None:
            alive = shiboken6.isValid(self)
            if alive:
                self._set_busy(None)
            self.ctx.ops.report(self if alive else None, error)

        task = self.ctx.ops.run(write, written, on_error=failed, database=False)
        self._set_busy(task)
        return task

    # -- the printing log ----------------------------------------------------------------------
    def _record(self, how: str, pages: int) -> None:
        """Log the printing (`how`: print / pdf) of `pages` pages (a page range prints fewer).
        Called when the dialog may already be gone."""
        services, user = self.ctx.services, self.ctx.user
        rendered = replace(self.rendered, pages=pages)

        def recorded(changed: Changed) -> None:
            if shiboken6.isValid(self):
                where = (self.tr("已记入该投诉的处理经过") if rendered.complaint_id
                         else self.tr("已记入打印记录"))
                self.status.setText(f"{self.status.text().rstrip('。')}，{where}。")
                self.sig_recorded.emit(changed)

        self.ctx.ops.mutate(lambda: services.printing.record(user, rendered, how), recorded)

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done

    def _set_busy(self, task: Task | None) -> None:
        self._task = task
        for button in (self.print_button, self.save_button, self.setup_button):
            button.setEnabled(task is None)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:
            # The worker still paints on the printer; 取消 in the progress window stops it.
            event.ignore()
            return
        save_geometry(self)
        super().closeEvent(event)


def preview_form(ctx: AppContext, parent: QWidget,
                 request: FormRequest | Callable[[], FormRequest]) -> Task:
    """Render the form on the database worker, then open its preview over `parent`.

    `request` may be a function, called on the worker, when building it needs the database."""
    services, user = ctx.services, ctx.user

    def work() -> RenderedForm:
        return services.printing.render(user, request() if callable(request) else request)

    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def done(rendered: RenderedForm) -> None:
        QGuiApplication.restoreOverrideCursor()
        if not shiboken6.isValid(parent):
            return  # the window that asked was closed meanwhile
        dialog = PrintPreviewDialog(ctx, rendered, parent)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def failed(error: BaseException) -> None:
        QGuiApplication.restoreOverrideCursor()
        ctx.ops.report(parent if shiboken6.isValid(parent) else QApplication.activeWindow(), error)

    # No owner: the cursor must come back even when `parent` is gone.
    return ctx.ops.query(work, done, on_error=failed)
