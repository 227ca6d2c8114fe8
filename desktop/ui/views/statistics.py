"""The 统计 page: a period and scope, the figures with 同比/环比 and their definitions, charts,
the grouped tables and the late list; export to the statistics workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QMargins, Qt, Slot
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.statistics import Period, PeriodKind
from desktop.services.statistics import StatsQuery, StatsReport, StatsTable
from desktop.ui import file_dialogs
from desktop.ui.context import AppContext
from desktop.ui.widgets.tables import fit_columns

# Greys and black with patterns: the charts print the same on a black-and-white printer.
GREYS = ["#202020", "#595959", "#8c8c8c", "#b3b3b3", "#d0d0d0", "#404040", "#a6a6a6", "#e6e6e6"]
BREAKDOWNS = ("by_kind", "by_channel", "by_category", "by_office", "by_handler", "top",
              "monthly", "open")


def _format(value: object, fmt: str) -> str:
    if isinstance(value, tuple):
        value, fmt = value
    if value is None:
        return "—"
    if fmt == "percent":
        return f"{float(value) * 100:.1f}%"  # type: ignore[arg-type]
    if fmt == "money":
        return f"{float(value):,.2f}"  # type: ignore[arg-type]
    if fmt in ("int",) or (fmt == "number" and float(value) == int(value)):  # type: ignore[arg-type]
        return f"{int(value):,}"  # type: ignore[call-overload]
    if fmt == "number":
        return f"{float(value):,.1f}"  # type: ignore[arg-type]
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class StatisticsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.report: StatsReport | None = None
        self._office_id: int | None = None  # the scope the report shown was taken for
        today = ctx.services.ctx.clock.today()
        self.kind = QComboBox()
        for k in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR, PeriodKind.RANGE):
            self.kind.addItem(k.label, k.value)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setSuffix(self.tr(" 年"))
        self.number = QSpinBox()  # the month or the quarter
        last = today.replace(day=1).toordinal() - 1
        last_month = date.fromordinal(last)
        self.year.setValue(last_month.year)
        self.number.setRange(1, 12)
        self.number.setValue(last_month.month)
        self.start = QDateEdit(QDate(last_month.year, last_month.month, 1))
        self.end = QDateEdit(QDate(last_month.year, last_month.month, last_month.day))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.scope = QComboBox()
        self.scope.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.scope.setMinimumContentsLength(12)
        self.national = QCheckBox(self.tr("按国家分类"))
        self.national.setToolTip(self.tr("分类按全国 12315 平台的分类统计（对应关系在 设置 → 代码表 中维护）"))
        self.complete_only = QCheckBox(self.tr("不计资料不全的导入记录"))
        self.complete_only.setToolTip(self.tr("历史导入时缺少登记必填项的记录标为“资料不全”；勾选后统计不计入这些记录"))
        self.run_button = QPushButton(self.tr("统计"))
        self.export_button = QPushButton(self.tr("导出 Excel…"))
        self.export_button.setEnabled(False)
        # Paper: the report of the period shown, or the half-yearly 处办质量评审表.
        self.pdf_button = QPushButton(self.tr("打印/导出 PDF…"))
        self.pdf_button.setEnabled(False)
        menu = QMenu(self.pdf_button)
        self.report_action = menu.addAction(self.tr("统计报表（本页期间）…"))
        self.review_action = menu.addAction(self.tr("处办质量评审表（半年度）…"))
        self.pdf_button.setMenu(menu)
        self.report_action.triggered.connect(lambda: self.export_pdf())
        self.review_action.triggered.connect(lambda: self.export_review())
        self.status = QLabel()
        bar = QHBoxLayout()
        for w in (QLabel(self.tr("期间：")), self.kind, self.year, self.number, self.start,
                  QLabel("—"), self.end, QLabel(self.tr("范围：")), self.scope, self.national,
                  self.complete_only, self.run_button, self.export_button, self.pdf_button):
            bar.addWidget(w)
        bar.addStretch(1)
        self.help = QLabel(self.tr("把鼠标停在指标上可看它的口径；比率类指标不计增幅。"))
        self.help.setWordWrap(True)
        self.figures = self._table()
        self.figures.itemSelectionChanged.connect(self._show_definition)
        self.tabs = QTabWidget()
        figures_tab = QWidget()
        fl = QVBoxLayout(figures_tab)
        fl.addWidget(self.figures)
        fl.addWidget(self.help)
        self.tabs.addTab(figures_tab, self.tr("主要指标"))
        charts = QWidget()
        grid = QGridLayout(charts)
        self.trend_view, self.channel_view, self.category_view, self.top_view = (
            self._chart_view() for _ in range(4))
        grid.addWidget(self.trend_view, 0, 0)
        grid.addWidget(self.channel_view, 0, 1)
        grid.addWidget(self.category_view, 1, 0)
        grid.addWidget(self.top_view, 1, 1)
        self.tabs.addTab(charts, self.tr("图表"))
        groups = QWidget()
        gl = QVBoxLayout(groups)
        self.group = QComboBox()
        self.group_table = self._table()
        pick = QHBoxLayout()
        pick.addWidget(QLabel(self.tr("分组：")))
        pick.addWidget(self.group)
        pick.addStretch(1)
        gl.addLayout(pick)
        gl.addWidget(self.group_table)
        self.tabs.addTab(groups, self.tr("分组统计"))
        self.late_table = self._table()
        self.tabs.addTab(self.late_table, self.tr("超时办结清单"))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.run_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(lambda: self.export())
        self.group.currentIndexChanged.connect(self._show_group)
        self._kind_changed()
        services, user = ctx.services, ctx.user
        ctx.ops.query(lambda: services.statistics.scope_offices(user), self._fill_scope, owner=self)

    # -- building ----------------------------------------------------------------------------
    @staticmethod
    def _table() -> QTableWidget:
        table = QTableWidget()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.setAlternatingRowColors(True)
        fit_columns(table, (0,))  # the first column names the row (an office, a category)
        return table

    @staticmethod
    def _chart_view() -> QChartView:
        view = QChartView()
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(220)
        return view

    def _fill_scope(self, offices: list[tuple[int, str]]) -> None:
        for office_id, name in offices:
            self.scope.addItem(name, office_id)
        self.refresh()

    @Slot()
    def _kind_changed(self) -> None:
        kind = PeriodKind(self.kind.currentData())
        self.year.setVisible(kind is not PeriodKind.RANGE)
        self.number.setVisible(kind in (PeriodKind.MONTH, PeriodKind.QUARTER))
        self.number.setRange(1, 4 if kind is PeriodKind.QUARTER else 12)
        self.number.setSuffix(self.tr(" 季度") if kind is PeriodKind.QUARTER else self.tr(" 月"))
        for w in (self.start, self.end):
            w.setVisible(kind is PeriodKind.RANGE)

    def period(self) -> Period:
        kind = PeriodKind(self.kind.currentData())
        if kind is PeriodKind.MONTH:
            return Period.month(self.year.value(), self.number.value())
        if kind is PeriodKind.QUARTER:
            return Period.quarter(self.year.value(), self.number.value())
        if kind is PeriodKind.YEAR:
            return Period.year(self.year.value())
        return Period(self.start.date().toPython(), self.end.date().toPython())  # type: ignore[arg-type]

    def set_period(self, period: Period) -> None:
        self.kind.setCurrentIndex(self.kind.findData(period.kind.value))
        self.year.setValue(period.start.year)
        if period.kind is PeriodKind.MONTH:
            self.number.setValue(period.start.month)
        elif period.kind is PeriodKind.QUARTER:
            self.number.setValue((period.start.month + 2) // 3)
        self.start.setDate(QDate(period.start.year, period.start.month, period.start.day))
        self.end.setDate(QDate(period.end.year, period.end.month, period.end.day))

    # -- running -----------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        try:
            query = StatsQuery(self.period(), self.scope.currentData(), self.national.isChecked(),
                               "exclude" if self.complete_only.isChecked() else "include")
        except Exception as exc:  # a range ending before it starts
            self.status.setText(str(exc))
            return
        services, user = self._ctx.services, self._ctx.user
        self.run_button.setEnabled(False)
        self._office_id = query.office_id
        self.status.setText(self.tr("正在统计 {0}…").format(query.period.label))
        self._ctx.ops.query(lambda: services.statistics.report(user, query), self._show,
                            owner=self, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.run_button.setEnabled(True)
        self.status.setText(self.tr("统计失败：{0}").format(exc))

    def _show(self, report: StatsReport) -> None:
        self.report = report
        self.run_button.setEnabled(True)
        self.export_button.setEnabled(True)
        self.pdf_button.setEnabled(True)
        self.status.setText(self.tr("{office}　{period}（{start} 至 {end}）").format(
            office=report.office_name, period=report.period.label,
            start=report.period.start.isoformat(), end=report.period.end.isoformat()))
        self._fill(self.figures, report.table("figures"))
        for row, figure in enumerate(report.figures):
            for col in range(self.figures.columnCount()):
                item = self.figures.item(row, col)
                if item is not None:
                    item.setToolTip(f"{figure.label}：{figure.definition}")
        self.group.blockSignals(True)
        current = self.group.currentData()
        self.group.clear()
        for key in BREAKDOWNS:
            self.group.addItem(report.table(key).title, key)
        self.group.setCurrentIndex(max(0, self.group.findData(current)))
        self.group.blockSignals(False)
        self._show_group()
        self._fill(self.late_table, report.table("late"))
        self._charts(report)

    def _fill(self, widget: QTableWidget, table: StatsTable) -> None:
        widget.clear()
        widget.setColumnCount(len(table.columns))
        widget.setHorizontalHeaderLabels(list(table.columns))
        widget.setRowCount(len(table.rows))
        for r, row in enumerate(table.rows):
            for c, (value, fmt) in enumerate(zip(row, table.formats, strict=True)):
                item = QTableWidgetItem(_format(value, fmt))
                if fmt != "text":
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                widget.setItem(r, c, item)
        header = widget.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        if table.columns:  # the first (label) column takes the spare width, numbers stay close
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    @Slot()
    def _show_group(self) -> None:
        if self.report is not None and self.group.currentData():
            self._fill(self.group_table, self.report.table(self.group.currentData()))

    @Slot()
    def _show_definition(self) -> None:
        rows = self.figures.selectionModel().selectedRows() if self.report else []
        if rows and rows[0].row() < len(self.report.figures):  # type: ignore[union-attr]
            f = self.report.figures[rows[0].row()]  # type: ignore[union-attr]
            self.help.setText(f"{f.label}：{f.definition}")

    # -- charts ------------------------------------------------------------------------------
    def _chart(self, title: str) -> QChart:
        chart = QChart()
        chart.setTitle(title)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        return chart

    def _charts(self, report: StatsReport) -> None:
        trend = self._chart(self.tr("月度接收件数（实线本期，虚线上年同月）"))
        now, before = QLineSeries(), QLineSeries()
        now.setName(self.tr("本年"))
        before.setName(self.tr("上年"))
        for i, (a, b) in enumerate(zip(report.trend, report.trend_last_year, strict=True)):
            now.append(i, a)
            before.append(i, b)
        now.setPen(QPen(QColor("#000000"), 2.5))
        before.setPen(QPen(QColor("#7f7f7f"), 2, Qt.PenStyle.DashLine))
        trend.addSeries(now)
        trend.addSeries(before)
        axis_x = QBarCategoryAxis()
        axis_x.append(list(report.trend_months))
        axis_y = QValueAxis()
        axis_y.setRange(0, max([*report.trend, *report.trend_last_year, 1]) * 1.1)
        axis_y.setLabelFormat("%d")
        axis_y.applyNiceNumbers()
        trend.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        trend.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        for s in (now, before):
            s.attachAxis(axis_x)
            s.attachAxis(axis_y)
        self.trend_view.setChart(trend)
        self.channel_view.setChart(self._pie(self.tr("来源渠道"), report.channel_mix))
        self.category_view.setChart(self._pie(
            self.tr("国家分类") if report.by_national else self.tr("投诉分类"), report.category_mix))
        top = self._chart(self.tr("被投诉最多的经营者"))
        series = QHorizontalBarSeries()
        bars = QBarSet(self.tr("件数"))
        bars.setBrush(QBrush(QColor("#595959")))
        names = []
        for name, n in reversed(report.top[:8]):
            bars.append(n)
            names.append(name if len(name) <= 14 else name[:13] + "…")
        series.append(bars)
        top.addSeries(series)
        axis_names = QBarCategoryAxis()
        axis_names.append(names)
        axis_n = QValueAxis()
        axis_n.setLabelFormat("%d")
        axis_n.setRange(0, max([n for _, n in report.top[:8]] + [1]))
        axis_n.applyNiceNumbers()
        top.addAxis(axis_names, Qt.AlignmentFlag.AlignLeft)
        top.addAxis(axis_n, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_names)
        series.attachAxis(axis_n)
        top.legend().hide()
        self.top_view.setChart(top)

    def _pie(self, title: str, mix: tuple[tuple[str, int], ...]) -> QChart:
        chart = self._chart(title)
        series = QPieSeries()
        total = sum(n for _, n in mix) or 1
        for i, (label, n) in enumerate(mix):
            piece = series.append(f"{label} {n * 100 / total:.0f}%", n)
            piece.setBrush(QBrush(QColor(GREYS[i % len(GREYS)]),
                                  Qt.BrushStyle.SolidPattern if i < 4 else Qt.BrushStyle.Dense4Pattern))
            piece.setBorderColor(QColor("#ffffff"))
        chart.addSeries(series)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        return chart

    # -- export ------------------------------------------------------------------------------
    def export(self, path: Path | None = None) -> None:
        if self.report is None:
            return
        report = self.report
        if path is None:
            suggested = str(Path.home() / f"统计-{report.office_name}-{report.period.label}.xlsx")
            chosen = file_dialogs.save_file(self, self.tr("导出统计表"), suggested,
                                            self.tr("Excel 工作簿 (*.xlsx)"))
            if not chosen:
                return
            path = Path(chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx")
        target = path

        def write(state):  # type: ignore[no-untyped-def]
            from desktop.exports.statistics_xlsx import write_workbook
            return write_workbook(report, target)

        self.status.setText(self.tr("正在导出…"))
        self._ctx.ops.run(write, lambda p: self.status.setText(self.tr("已导出：{0}").format(p)),
                          owner=self, on_error=self._failed, database=False)

    # -- paper -------------------------------------------------------------------------------
    def _pdf_target(self, suggested: str) -> Path | None:
        chosen = file_dialogs.save_file(self, self.tr("保存 PDF"),
                                        str(Path.home() / suggested),
                                        self.tr("PDF 文件 (*.pdf)"))
        if not chosen:
            return None
        return Path(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")

    def export_pdf(self, path: Path | None = None) -> None:
        """The statistics report of the period shown, as a PDF (rendered on the pool thread)."""
        if self.report is None:
            return
        report, office_id = self.report, self._office_id
        services, user = self._ctx.services, self._ctx.user
        if path is None:
            path = self._pdf_target(f"统计报表-{report.office_name}-{report.period.label}.pdf")
            if path is None:
                return
        target = path

        def render(state):  # type: ignore[no-untyped-def]
            rendered = services.statistics_reports.report_pdf(user, report, office_id)
            _write(target, rendered.pdf)
            services.statistics_reports.record(user, rendered, "pdf")
            return target

        self.status.setText(self.tr("正在生成统计报表 PDF…"))
        self._ctx.ops.run(render, self._saved, owner=self, on_error=self._failed)

    def export_review(self, path: Path | None = None, half: object = None) -> None:
        """The 处办质量评审表 of a half-year of the scope chosen, as a PDF."""
        from desktop.services.statistics_reports import HalfYear

        if half is None:
            today = self._ctx.services.ctx.clock.today()
            halves = [HalfYear.of(today)]
            for _ in range(3):
                halves.append(halves[-1].previous())
            shown = HalfYear.of(self.period().end)
            labels = [h.label for h in halves]
            default = labels.index(shown.label) if shown in halves else 0
            label, ok = QInputDialog.getItem(self, self.tr("处办质量评审表"), self.tr("评审期间："),
                                             labels, default, False)
            if not ok:
                return
            half = halves[labels.index(label)]
        assert isinstance(half, HalfYear)
        chosen_half = half
        office_id = self.scope.currentData()
        services, user = self._ctx.services, self._ctx.user
        if path is None:
            path = self._pdf_target(f"处办质量评审表-{self.scope.currentText()}-{half.code}.pdf")
            if path is None:
                return
        target = path

        def render(state):  # type: ignore[no-untyped-def]
            review = services.statistics_reports.review(user, chosen_half, office_id)
            rendered = services.statistics_reports.review_pdf(user, review)
            _write(target, rendered.pdf)
            services.statistics_reports.record(user, rendered, "pdf")
            return target

        self.status.setText(self.tr("正在生成处办质量评审表 PDF…"))
        self._ctx.ops.run(render, self._saved, owner=self, on_error=self._failed)

    def _saved(self, path: Path) -> None:
        self.status.setText(self.tr("已保存：{0}").format(path))


def _write(path: Path, data: bytes) -> None:
    """Beside the target, then renamed into place: never a half-written file."""
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    part.replace(path)
