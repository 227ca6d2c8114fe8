"""Printing from the window: the print menus, the preview, printing to a (PDF file) printer,
saving the PDF, the printing log in the history, and scanning a printed sheet's code."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, QMarginsF, Qt, QTimer
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QWidget

from desktop.domain.workflow import Action, Status
from desktop.services.printing import FormRequest
from desktop.ui import file_dialogs
from desktop.ui.dialogs import print_preview
from desktop.ui.dialogs.action_dialog import ActionDialog
from desktop.ui.dialogs.print_options import PeriodDialog, QuarterDialog
from desktop.ui.dialogs.print_preview import PrintPreviewDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.ops import Cancelled
from desktop.ui.printing import PrintResult, print_pdf
from desktop.ui.views.complaint_window import ComplaintWindow
from desktop.ui.views.ledger import LedgerPage
from desktop.ui.views.workbench import WorkbenchPage
from tests.conftest import World, draft
from tests.gui.conftest import type_text, wait_idle


# -- helpers ---------------------------------------------------------------------------------------
def _register(world: World, n: int = 0, **overrides: object) -> int:
    values: dict[str, object] = dict(received_at=datetime(2026, 11, 19, 9, 30) - timedelta(hours=5 * n),
                                     complainant_phone=f"139{n:08d}")
    values.update(overrides)
    return world.s.complaints.register(world.clerk, draft(**values)).ids[0]


def _version(world: World, cid: int) -> int:
    return world.s.complaints.get(world.clerk, cid).version


def _accept(world: World, cid: int) -> None:
    world.s.complaints.accept(world.clerk, cid, expected_version=_version(world, cid))


def _mediate(world: World, cid: int, minute: int = 0) -> None:
    world.s.records.add_mediation_record(
        world.clerk, cid, held_at=datetime(2026, 11, 20, 9, minute), means="on_site",
        participants="投诉人张某、经营者代表、调解员", content="双方陈述，经营者同意检测")


def _window(qtbot, ctx, cid: int) -> ComplaintWindow:  # type: ignore[no-untyped-def]
    window = ComplaintWindow(ctx, cid)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, ctx)
    return window


def _menu(window: ComplaintWindow) -> list[str]:
    return [a.text() for a in window.print_menu.actions()]


def _preview(qtbot, parent: QWidget) -> PrintPreviewDialog:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: parent.findChild(PrintPreviewDialog) is not None, timeout=10000)
    dialog = parent.findChild(PrintPreviewDialog)
    assert dialog.isVisible()
    return dialog


def _close(qtbot, dialog: PrintPreviewDialog, parent: QWidget) -> None:  # type: ignore[no-untyped-def]
    dialog.close()
    qtbot.waitUntil(lambda: parent.findChild(PrintPreviewDialog) is None, timeout=5000)


def _pdf_printer(path: Path) -> QPrinter:
    """A real QPrinter writing a PDF file; 150 dpi keeps the test quick."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(150)
    return printer


def _pages(data: bytes | Path) -> PdfReader:
    return PdfReader(io.BytesIO(data) if isinstance(data, bytes) else str(data))


def _text(data: bytes) -> str:
    return "".join(page.extract_text() for page in _pages(data).pages)


def _ink(path: Path) -> float:
    """The share of inked pixels on the first page, read back with QtPdf."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor, QImage, QPainter

    from desktop.ui.printing import PdfPages

    with PdfPages(path.read_bytes()) as pdf:
        image = pdf.document.render(0, QSize(298, 421))
    sheet = QImage(image.size(), QImage.Format.Format_RGB32)
    sheet.fill(QColor("white"))
    painter = QPainter(sheet)
    painter.drawImage(0, 0, image)
    painter.end()
    dark = sum(1 for y in range(sheet.height()) for x in range(sheet.width())
               if QColor(sheet.pixel(x, y)).lightness() < 200)
    return dark / (sheet.width() * sheet.height())


def _history(window: ComplaintWindow) -> list[str]:
    return [window.history_table.item(r, 3).text() for r in range(window.history_table.rowCount())]


def _ok(dialog) -> None:  # type: ignore[no-untyped-def]
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()


# -- the complaint window --------------------------------------------------------------------------
def test_the_print_menu_lists_the_forms_the_complaint_has_reached(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    cid = _register(world)
    ctx = make_ctx(world.clerk)
    window = _window(qtbot, ctx, cid)
    assert window.print_button.isEnabled()
    assert _menu(window) == ["投诉登记表"]  # received under the 2026 rules: the 2026 forms
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    seen: list[bool] = []

    def look_and_close() -> None:  # the menu runs its own event loop until closed
        seen.append(window.print_menu.isVisible())
        window.print_menu.hide()

    QTimer.singleShot(300, look_and_close)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # Ctrl+P opens the menu
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    assert seen == [True]

    # Changes made elsewhere in the program rebuild the menu.
    ctx.ops.mutate(lambda: world.s.complaints.accept(world.clerk, cid, expected_version=_version(world, cid)))
    qtbot.waitUntil(lambda: _menu(window) == ["投诉登记表", "投诉受理决定书"], timeout=5000)
    ctx.ops.mutate(lambda: _mediate(world, cid) or world.s.records.add_mediation_record(
        world.clerk, cid, held_at=datetime(2026, 11, 20, 9, 40), means="phone",
        participants="双方", content="电话回访"))
    qtbot.waitUntil(lambda: len(_menu(window)) == 4, timeout=5000)
    assert _menu(window)[2:] == ["调解记录（第 1 次，2026-11-20）", "调解记录（第 2 次，2026-11-20）"]
    ctx.ops.mutate(lambda: world.s.complaints.settle(world.clerk, cid, terms="退款 3000 元",
                                                     expected_version=_version(world, cid)))
    qtbot.waitUntil(lambda: _menu(window)[-1] == "投诉调解书", timeout=5000)

    rejected = _register(world, 1)
    world.s.complaints.reject(world.clerk, rejected, ground="not_consumer", expected_version=_version(world, rejected))
    assert _menu(_window(qtbot, ctx, rejected)) == ["投诉登记表", "投诉不予受理决定书"]

    ended = _register(world, 2)
    _accept(world, ended)
    world.s.complaints.terminate(world.clerk, ended, ground="no_agreement", expected_version=_version(world, ended))
    assert _menu(_window(qtbot, ctx, ended)) == ["投诉登记表", "投诉受理决定书", "投诉终止调解决定书"]

    # Received under the 2020 rules: today's forms, as they were.
    old = _register(world, 3, received_at=datetime(2026, 3, 19, 9, 30))
    _accept(world, old)
    world.s.complaints.terminate(world.clerk, old, ground="no_agreement", expected_version=_version(world, old))
    assert _menu(_window(qtbot, ctx, old)) == ["消费投诉登记表", "受理通知书", "终止调解告知书"]


def test_preview_then_print_to_a_printer_and_the_history_says_so(world: World, make_ctx, tmp_path, qtbot) -> None:  # type: ignore[no-untyped-def]
    cid = _register(world)
    _accept(world, cid)
    _mediate(world, cid)
    ctx = make_ctx(world.clerk)
    window = _window(qtbot, ctx, cid)
    action = next(a for a in window.print_menu.actions() if a.text().startswith("调解记录"))
    action.trigger()
    dialog = _preview(qtbot, window)
    rendered = dialog.rendered
    assert rendered.form.key == "mediation-record" and rendered.complaint_id == cid
    assert dialog.page_count == rendered.pages == len(_pages(rendered.pdf).pages) >= 1
    assert dialog.pages_label.text() == f"共 {rendered.pages} 页"
    assert not dialog.warning.isVisible()  # every character is in the fonts

    # Zoom leaves 适合宽度 for a factor larger than the fitted one; 适合宽度 comes back.
    dialog.fit_width()
    fitted = dialog._fit_factor()
    dialog.zoom_in_button.click()
    assert dialog.view.zoomMode() == dialog.view.ZoomMode.Custom
    assert dialog.view.zoomFactor() == pytest.approx(fitted * 1.25, rel=0.01)
    dialog.fit_width_button.click()
    assert dialog.view.zoomMode() == dialog.view.ZoomMode.FitToWidth

    out = tmp_path / "printed.pdf"
    with qtbot.waitSignal(window.sig_loaded, timeout=20000):  # the history refreshes by itself
        dialog.print_to(_pdf_printer(out))
    printed = _pages(out)
    assert len(printed.pages) == rendered.pages
    box = printed.pages[0].mediabox
    assert box.width < box.height  # A4 portrait, as the form
    # The form itself on white paper (not a blank or a black sheet), a little smaller to fit
    # inside the printer's margins.
    original = tmp_path / "form.pdf"
    original.write_bytes(rendered.pdf)
    assert 0.4 * _ink(original) < _ink(out) < 1.1 * _ink(original)
    wait_idle(qtbot, ctx)
    assert f"打印《调解记录》，{rendered.pages} 页，核验码 {rendered.checksum}" in _history(window)
    assert "已记入该投诉的处理经过" in dialog.status.text()


def test_save_as_pdf_writes_the_exact_file_remembers_the_folder_and_is_logged(world: World, make_ctx, tmp_path, monkeypatch, qtbot) -> None:  # type: ignore[no-untyped-def]
    cid = _register(world)
    ctx = make_ctx(world.clerk)
    window = _window(qtbot, ctx, cid)
    window.print_menu.actions()[0].trigger()
    dialog = _preview(qtbot, window)
    folder = tmp_path / "案卷"
    folder.mkdir()
    asked: list[str] = []

    def choose(parent, title, suggested, filters):  # type: ignore[no-untyped-def]
        asked.append(suggested)
        return str(folder / "登记表")  # without .pdf: the dialog adds it

    monkeypatch.setattr(file_dialogs, "save_file", choose)
    with qtbot.waitSignal(dialog.sig_recorded, timeout=10000):
        dialog.save_button.click()
    saved = folder / "登记表.pdf"
    assert saved.read_bytes() == dialog.rendered.pdf
    assert asked[0].endswith(dialog.rendered.filename)
    wait_idle(qtbot, ctx)
    assert any(line.startswith("另存为 PDF《投诉登记表》") for line in _history(window))
    _close(qtbot, dialog, window)

    # The next save starts in the folder used last time.
    window.print_menu.actions()[0].trigger()
    again = _preview(qtbot, window)
    with qtbot.waitSignal(again.sig_recorded, timeout=10000):
        again.save_pdf()
    assert Path(asked[1]).parent == folder


def test_a_long_list_prints_landscape_the_chosen_pages_and_can_be_cancelled(world: World, make_ctx, tmp_path, qtbot) -> None:  # type: ignore[no-untyped-def]
    for n in range(30):
        _register(world, n)
    ctx = make_ctx(world.clerk)
    page = LedgerPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    page.date_from.setDate(QDate(2026, 11, 1))
    page.date_to.setDate(QDate(2026, 11, 20))
    page.use_dates.setChecked(True)
    wait_idle(qtbot, ctx)
    page.act_print_ledger.trigger()  # the list has dates: no question asked
    dialog = _preview(qtbot, page)
    assert dialog.rendered.form.key == "ledger" and dialog.page_count >= 3

    everything = tmp_path / "all.pdf"
    with qtbot.waitSignal(dialog.sig_recorded, timeout=30000):
        dialog.print_to(_pdf_printer(everything))
    pages = _pages(everything).pages
    assert len(pages) == dialog.page_count
    assert all(p.mediabox.width > p.mediabox.height for p in pages)  # landscape sheets

    second = tmp_path / "second.pdf"
    printer = _pdf_printer(second)
    printer.setFromTo(2, 2)
    with qtbot.waitSignal(dialog.sig_recorded, timeout=30000):
        dialog.print_to(printer)
    assert len(_pages(second).pages) == 1
    assert "1 页" in dialog.status.text()

    # 取消 while printing: what went out (a PDF engine cannot take pages back) is what is logged.
    recorded: list[object] = []
    dialog.sig_recorded.connect(recorded.append)
    stopped = tmp_path / "cancelled.pdf"
    task = dialog.print_to(_pdf_printer(stopped))
    task.cancel()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30000)
    wait_idle(qtbot, ctx)
    assert dialog.status.text().startswith("已取消") and dialog.print_button.isEnabled()
    if recorded:
        went_out = len(_pages(stopped).pages)
        assert 0 < went_out < dialog.page_count and f"{went_out} 页仍会打印" in dialog.status.text()
    else:
        assert not stopped.exists() and dialog.status.text() == "已取消打印。"


def test_print_pdf_stops_between_pages_when_cancelled(world: World, tmp_path, qtbot) -> None:  # type: ignore[no-untyped-def]
    for n in range(30):
        _register(world, n)
    pdf = world.s.printing.render(world.clerk, FormRequest("ledger")).pdf

    def cancel_at(page: int, seen: list[tuple[int, int]]):  # type: ignore[no-untyped-def]
        def progress(done: int, total: int) -> None:
            seen.append((done, total))
            if done == page:
                raise Cancelled()
        return progress

    # Before the first page: no job is started at all.
    seen: list[tuple[int, int]] = []
    assert print_pdf(pdf, _pdf_printer(tmp_path / "none.pdf"), cancel_at(0, seen)) == PrintResult(0, True)
    assert seen == [(0, 3)] and not (tmp_path / "none.pdf").exists()
    # After the first: a PDF engine cannot abort, so exactly the finished page goes out.
    seen = []
    assert print_pdf(pdf, _pdf_printer(tmp_path / "one.pdf"), cancel_at(1, seen)) == PrintResult(1, True)
    assert seen == [(0, 3), (1, 3)] and len(_pages(tmp_path / "one.pdf").pages) == 1
    # Not cancelled: every page.
    assert print_pdf(pdf, _pdf_printer(tmp_path / "all.pdf")) == PrintResult(3)
    assert len(_pages(tmp_path / "all.pdf").pages) == 3


def test_the_page_setup_is_remembered_for_the_next_preview(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.settings import save_printer

    cid = _register(world)
    window = _window(qtbot, make_ctx(world.clerk), cid)
    window.print_menu.actions()[0].trigger()
    dialog = _preview(qtbot, window)
    printer = dialog.ensure_printer()
    assert printer.resolution() >= 300  # a HighResolution printer
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A5))
    printer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)
    save_printer(printer)  # what 页面设置… does once accepted
    _close(qtbot, dialog, window)
    window.print_menu.actions()[0].trigger()
    again = _preview(qtbot, window).ensure_printer()
    assert again.pageLayout().pageSize().id() == QPageSize.PageSizeId.A5
    assert again.pageLayout().margins(QPageLayout.Unit.Millimeter).left() == pytest.approx(12)


# -- the find box ----------------------------------------------------------------------------------
def test_scanning_a_printed_code_opens_the_complaint_and_says_whether_it_changed(world: World, make_ctx, shown, qtbot) -> None:  # type: ignore[no-untyped-def]
    cid = _register(world)
    rendered = world.s.printing.render(world.clerk, FormRequest("registration", complaint_id=cid))
    world.s.printing.record(world.clerk, rendered, "print")
    number = world.s.complaints.get(world.clerk, cid).number
    code = f"HEJIE:{number}:{rendered.checksum}"
    ctx = make_ctx(world.clerk)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, ctx)

    # A scanner types the code and presses Enter.
    type_text(qtbot, window.find_box, code)
    qtbot.keyClick(window.find_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(shown.shown), timeout=5000)
    assert cid in window._complaints and window._complaints[cid].isVisible()
    assert window.find_box.text() == ""
    kind, _, text = shown.shown[-1]
    assert kind == "info" and "没有改动" in text and "clerk" in text

    # The record is corrected after printing: the same sheet is now out of date.
    detail = world.s.complaints.get(world.clerk, cid)
    world.s.complaints.edit(world.clerk, cid, draft(received_at=detail.received_at, complainant_phone="13900000000",
                                                   subject="家用轿车（白色）"),
                            expected_version=detail.version)
    window._complaints[cid].close()
    qtbot.waitUntil(lambda: cid not in window._complaints, timeout=5000)
    type_text(qtbot, window.find_box, code.lower())  # Caps Lock on the scanner
    qtbot.keyClick(window.find_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(shown.shown) == 2, timeout=5000)
    kind, _, text = shown.shown[-1]
    assert kind == "warn" and "已有改动" in text
    assert cid in window._complaints

    # A plain number still opens the complaint, without a message.
    window._complaints[cid].close()
    qtbot.waitUntil(lambda: cid not in window._complaints, timeout=5000)
    type_text(qtbot, window.find_box, number)
    qtbot.keyClick(window.find_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cid in window._complaints, timeout=5000)
    wait_idle(qtbot, ctx)
    QApplication.processEvents()
    assert len(shown.shown) == 2


# -- the lists -------------------------------------------------------------------------------------
def _ledger(qtbot, ctx) -> LedgerPage:  # type: ignore[no-untyped-def]
    page = LedgerPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    return page


def test_the_ledger_print_menu_asks_what_each_list_covers(world: World, make_ctx, shown, qtbot) -> None:  # type: ignore[no-untyped-def]
    first = _register(world, 0, received_at=datetime(2026, 11, 3, 9, 0))
    second = _register(world, 1, received_at=datetime(2026, 11, 5, 9, 0), respondent_name="苏州美家家电有限公司")
    older = _register(world, 2, received_at=datetime(2026, 10, 8, 9, 0))
    _accept(world, second)
    ctx = make_ctx(world.clerk)
    page = _ledger(qtbot, ctx)
    numbers = {cid: world.s.complaints.get(world.clerk, cid).number for cid in (first, second, older)}

    # 投诉台账 of the current filter, without dates: a period is asked for, this month by default.
    page.status.setCurrentIndex(page.status.findData(Status.REGISTERED.value))
    wait_idle(qtbot, ctx)
    period = page.print_ledger()
    assert isinstance(period, PeriodDialog)
    assert period.period() == (date(2026, 11, 1), date(2026, 11, 20))
    _ok(period)
    dialog = _preview(qtbot, page)
    text = _text(dialog.rendered.pdf)
    assert dialog.rendered.form.key == "ledger" and dialog.rendered.scope == "2026-11-01–2026-11-20"
    assert numbers[first] in text and numbers[second] not in text and numbers[older] not in text
    _close(qtbot, dialog, page)

    # 季度未办结件核对表: this quarter by default.
    quarterly = page.print_quarterly()
    assert isinstance(quarterly, QuarterDialog) and quarterly.quarter() == (2026, 4)
    _ok(quarterly)
    dialog = _preview(qtbot, page)
    assert dialog.rendered.form.key == "quarterly-check" and dialog.rendered.scope == "2026Q4"
    assert all(n in _text(dialog.rendered.pdf) for n in numbers.values())
    _close(qtbot, dialog, page)


def test_the_workbench_prints_the_card_list_under_the_card_name(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    mine = [_register(world, 0, received_at=datetime(2026, 11, 10, 9, 0)),
            _register(world, 1, received_at=datetime(2026, 10, 28, 9, 0))]
    elsewhere = world.s.complaints.register(world.other_clerk, draft(complainant_phone="13900000077")).ids[0]
    ctx = make_ctx(world.clerk)
    page = WorkbenchPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, ctx)
    page.print_button.click()
    dialog = _preview(qtbot, page)
    text = _text(dialog.rendered.pdf)
    assert dialog.rendered.form.key == "ledger"
    assert "我的在办" in text
    # From the oldest complaint listed, so none of the open ones falls outside the period.
    assert dialog.rendered.scope == "2026-10-28–2026-11-20"
    assert all(world.s.complaints.get(world.clerk, cid).number in text for cid in mine)
    assert world.s.complaints.get(world.other_clerk, elsewhere).number not in text


# -- 调解成功 and its performance deadline ------------------------------------------------------------
def _settle_dialog(qtbot, ctx, world: World) -> tuple[int, ComplaintWindow, ActionDialog]:  # type: ignore[no-untyped-def]
    cid = _register(world, len(world.s.complaints.page(world.clerk, _all()).rows))
    _accept(world, cid)
    _mediate(world, cid)
    window = _window(qtbot, ctx, cid)
    window.action_buttons[Action.SETTLE].click()
    dialog = window.findChildren(ActionDialog)[-1]
    wait_idle(qtbot, ctx)
    type_text(qtbot, dialog.fields["terms"], "经营者退还货款 3000 元")
    return cid, window, dialog


def _all():  # type: ignore[no-untyped-def]
    from desktop.domain.complaint import ComplaintFilter

    return ComplaintFilter()


def test_settling_stores_the_agreed_performance_deadline(world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx = make_ctx(world.clerk)
    cid, window, dialog = _settle_dialog(qtbot, ctx, world)
    on_the_spot, due = dialog.fields["on_the_spot"], dialog.fields["performance_due"]
    assert on_the_spot.isChecked() and not due.isEnabled()
    on_the_spot.click()
    assert due.isEnabled()
    due.setDate(QDate(2026, 11, 30))
    with qtbot.waitSignal(window.sig_loaded, timeout=10000):
        _ok(dialog)
    detail = world.s.complaints.get(world.clerk, cid)
    assert detail.status is Status.SETTLED and detail.performance_due_on == date(2026, 11, 30)
    assert _menu(window)[-1] == "投诉调解书"
    labels = [window.record_form.itemAt(r, window.record_form.ItemRole.FieldRole).widget().text()
              for r in range(window.record_form.rowCount())]
    assert "2026-11-30" in labels

    # Left as it is: performed on the spot, no date.
    other, other_window, other_dialog = _settle_dialog(qtbot, ctx, world)
    with qtbot.waitSignal(other_window.sig_loaded, timeout=10000):
        _ok(other_dialog)
    assert world.s.complaints.get(world.clerk, other).performance_due_on is None
    labels = [other_window.record_form.itemAt(r, other_window.record_form.ItemRole.FieldRole).widget().text()
              for r in range(other_window.record_form.rowCount())]
    assert "当场履行" in labels


# -- the window's font -----------------------------------------------------------------------------
def test_the_shipped_chinese_font_backs_the_window_font(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QFont, QRawFont, QTextLayout

    from desktop.ui.app import register_fonts

    before = qapp.font()
    try:
        families = register_fonts(qapp)
        assert "WenQuanYi Zen Hei" in families
        primary, fallback = qapp.font().families()
        assert fallback == "WenQuanYi Zen Hei"
        # Chinese the system's UI font lacks is drawn with ours, not as boxes.
        layout = QTextLayout("调解台账", qapp.font())
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        used = {run.rawFont().familyName() for run in layout.glyphRuns()}
        if not QRawFont.fromFont(QFont(primary)).supportsCharacter(ord("调")):
            assert used == {"WenQuanYi Zen Hei"}
        assert all(run.rawFont().supportsCharacter(ord("调")) for run in layout.glyphRuns())
    finally:
        qapp.setFont(before)


def test_preview_form_reports_a_refusal_instead_of_opening(world: World, make_ctx, shown, qtbot) -> None:  # type: ignore[no-untyped-def]
    cid = _register(world)
    ctx = make_ctx(world.clerk)
    window = _window(qtbot, ctx, cid)
    print_preview.preview_form(ctx, window, FormRequest("agreement", complaint_id=cid))
    wait_idle(qtbot, ctx)
    assert window.findChild(PrintPreviewDialog) is None
    assert any("没有调解协议" in t for t in shown.texts("warn"))
    assert QApplication.overrideCursor() is None
