"""The 统计 page: opened from the navigation, a period changed, the figures shown with their
definitions, exported to a workbook that reads back."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from desktop.domain.statistics import FIGURE_BY_KEY, Period
from desktop.ui.main_window import MainWindow
from desktop.ui.views.statistics import StatisticsPage
from tests.conftest import World
from tests.gui.conftest import wait_idle
from tests.integration.test_statistics import _november


def test_open_statistics_change_the_period_and_export(
        world: World, make_ctx, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _november(world)
    ctx = make_ctx(world.desk)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, ctx)
    page = window.show_page("statistics")
    assert isinstance(page, StatisticsPage)
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: page.report is not None, timeout=10000)
    assert page.report.period == Period.month(2026, 10)  # last month first
    assert page.figures.item(0, 1).text() == "1"  # E, received in October
    page.set_period(Period.month(2026, 11))
    page.refresh()
    qtbot.waitUntil(lambda: page.report is not None and page.report.period.start.month == 11,
                    timeout=10000)
    wait_idle(qtbot, ctx)
    labels = [page.figures.item(r, 0).text() for r in range(page.figures.rowCount())]
    row = labels.index("按时处结率")
    assert page.figures.item(row, 1).text() == "80.0%"
    assert FIGURE_BY_KEY["on_time_rate"].definition in page.figures.item(row, 1).toolTip()
    assert page.late_table.rowCount() == 1 and page.late_table.item(0, 8).text() == "5"
    assert page.trend_view.chart().series()[0].count() == 12
    target = tmp_path / "统计.xlsx"
    page.export(target)
    qtbot.waitUntil(target.exists, timeout=10000)
    wait_idle(qtbot, ctx)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:3] == ["主要指标", "按类型", "按来源渠道"]
    figures = book["主要指标"]
    assert "长桥" in figures["A1"].value and "2026年11月" in figures["A1"].value
    assert figures.freeze_panes == "A3"
    assert [c.value for c in figures[2]][0] == "指标"
    rate = next(r for r in figures.iter_rows(min_row=3) if r[0].value == "按时处结率")
    assert rate[1].value == 0.8 and rate[1].number_format == "0.0%"
    late = book["超时办结清单"]
    assert late["D3"].is_date and late["D3"].number_format == "yyyy-mm-dd"
    assert late["I3"].value == 5
    frame = pd.read_excel(target, sheet_name="按类型", header=1)
    assert list(frame.columns[:2]) == ["类型", "接收件数"]
    assert dict(zip(frame["类型"], frame["接收件数"], strict=True)) == {
        "投诉": 5, "举报": 1, "咨询": 1, "合计": 7}
    assert book["指标口径"].column_dimensions["B"].width == 90


def test_an_administrator_maps_a_category_to_a_national_class(
        world: World, make_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.views.settings.codes import CodesTab

    ctx = make_ctx(world.admin)
    tab = CodesTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.set_kind("category")
    wait_idle(qtbot, ctx)
    headers = [tab.table.horizontalHeaderItem(i).text() for i in range(tab.table.columnCount())]
    assert headers[-1] == "国家分类"
    row = next(r for r in range(tab.table.rowCount()) if tab.table.item(r, 0).text() == "catering")
    assert tab.table.item(row, 3).text() == "餐饮和住宿服务"
    tab.table.selectRow(row)
    tab.choose_national_class("svc_culture")
    wait_idle(qtbot, ctx)
    assert world.s.national_classes.mapping()["catering"] == "svc_culture"
    qtbot.waitUntil(lambda: tab.table.item(row, 3).text() == "文化娱乐体育服务", timeout=5000)
    tab.set_kind("national_class")
    wait_idle(qtbot, ctx)
    assert tab.table.columnCount() == 3 and not tab.class_button.isVisible()


def test_print_the_report_and_the_review_from_the_page(
        world: World, make_ctx, qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader
    from PySide6.QtWidgets import QInputDialog

    from desktop.db import models as m
    from desktop.ui import file_dialogs

    _november(world)
    ctx = make_ctx(world.desk)
    page = StatisticsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.report is not None, timeout=10000)
    assert not page.pdf_button.isHidden() and page.pdf_button.isEnabled()
    assert page.pdf_button.text() == "打印/导出 PDF…"
    page.set_period(Period.month(2026, 11))
    page.refresh()
    qtbot.waitUntil(lambda: page.report is not None and page.report.period.start.month == 11,
                    timeout=10000)
    wait_idle(qtbot, ctx)
    report_pdf, review_pdf = tmp_path / "统计报表.pdf", tmp_path / "评审表.pdf"
    answers = iter([str(report_pdf), str(review_pdf)])
    monkeypatch.setattr(file_dialogs, "save_file", lambda *a, **k: next(answers))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("2026年下半年", True))
    page.report_action.trigger()  # the button's menu: 统计报表（本页期间）…
    qtbot.waitUntil(report_pdf.exists, timeout=20000)
    wait_idle(qtbot, ctx)
    text = PdfReader(report_pdf).pages[0].extract_text()
    assert "统计月报" in text and "2026年11月" in text and "长桥分局" in text
    page.review_action.trigger()
    qtbot.waitUntil(review_pdf.exists, timeout=20000)
    wait_idle(qtbot, ctx)
    text = PdfReader(review_pdf).pages[0].extract_text()
    assert "处办质量评审表" in text and "2026年下半年" in text
    assert "已保存" in page.status.text()
    with world.s.ctx.engine.connect() as conn:
        forms = [r[0] for r in conn.execute(m.Printing.__table__.select().with_only_columns(
            m.Printing.form).order_by(m.Printing.id))]
    assert forms[-2:] == ["stats-report", "quality-review"]
