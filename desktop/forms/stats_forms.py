"""The statistics on paper: the monthly (or any period's) statistics report with its figures,
charts and grouped tables, and the half-yearly 处办质量评审表 (seed 001: June and December).

The charts are drawn with ReportLab's own graphics in black, white and greys (a black-and-white
printer keeps them apart), and every label is set in the embedded fonts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from desktop.forms import fonts
from desktop.forms.data import Letterhead
from desktop.forms.sheet import (
    BLANK_DATE,
    LIST_SECTION,
    NOTE,
    Pdf,
    SheetHeader,
    build,
    heading,
    para,
    ruled_table,
    signatures,
)

GREYS = ["#202020", "#5a5a5a", "#8c8c8c", "#b4b4b4", "#d2d2d2", "#404040", "#a0a0a0", "#e8e8e8"]
# The grouped tables the report prints, in this order (the late list comes last, on its own).
REPORT_TABLES = ("by_kind", "by_channel", "by_category", "by_office", "by_handler", "top",
                 "monthly", "open")
CHINESE_NUMBERS = "一二三四五六七八九十"


def cell(value: Any, fmt: str) -> str:
    """A statistics value as the paper prints it (— for none)."""
    if isinstance(value, tuple):
        value, fmt = value
    if value is None:
        return "—"
    if fmt == "percent":
        return f"{float(value) * 100:.1f}%"
    if fmt == "money":
        return f"{float(value):,.2f}"
    if fmt == "int" or (fmt == "number" and float(value) == int(value)):
        return f"{int(value):,}"
    if fmt == "number":
        return f"{float(value):,.1f}"
    if fmt == "days":  # an average: always one decimal
        return f"{float(value):.1f}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def _signed(value: float | None) -> str:
    """同比/环比 as +12.5% / −3.0%; — when there is nothing to compare with."""
    if value is None:
        return "—"
    return f"{'+' if value > 0 else ''}{value * 100:.1f}%".replace("-", "−")


def _widths(columns: Sequence[str], formats: Sequence[str], width: float) -> list[float]:
    """Text columns wide, number columns narrow, scaled to the page's width."""
    weights = [(3.2 if f == "text" else 2.0 if f == "date" else 1.6 if f in ("money", "mixed")
                else 1.2) for f in formats]
    weights = [max(w, 0.45 * min(len(c), 8)) for w, c in zip(weights, columns, strict=True)]
    total = sum(weights)
    return [width * w / total for w in weights]


def _table(columns: Sequence[str], formats: Sequence[str], rows: Sequence[Sequence[Any]],
           width: float, small: bool = False, fractions: Sequence[float] | None = None) -> Table:
    text = [[cell(v, f) for v, f in zip(row, formats, strict=True)] for row in rows]
    centred = tuple(i for i, f in enumerate(formats) if f != "text")
    totals = [i for i, row in enumerate(rows) if row and row[0] in ("合计", "其中超期")]
    widths = ([width * f for f in fractions] if fractions and len(fractions) == len(columns)
              else _widths(columns, formats, width))
    return ruled_table(list(columns), text, widths, small=small,
                       centered=centred, shaded_rows=totals)


# -- charts ------------------------------------------------------------------------------------
def _drawing(width: float, height: float) -> Drawing:
    # The renderer starts each drawing in its initial font: Helvetica, never embedded, unless told.
    return Drawing(width, height, initialFontName=fonts.BODY)


def _title(drawing: Drawing, text: str, width: float, height: float) -> None:
    drawing.add(String(width / 2, height - 11, text, fontName=fonts.HEADING, fontSize=10,
                       textAnchor="middle"))


def _nice_top(value: int) -> tuple[int, int]:
    """An axis top and step with round numbers (top ≥ value)."""
    value = max(value, 4)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000,
                 20000, 25000, 50000, 100000):
        if value / step <= 6:
            top = ((value + step - 1) // step) * step
            return top, step
    step = 10 ** (len(str(value)) - 1)
    return ((value + step - 1) // step) * step, step


def trend_chart(months: Sequence[str], now: Sequence[int], last_year: Sequence[int],
                width: float, height: float = 62 * mm) -> Drawing:
    """The monthly items received: this year solid black, last year dashed grey."""
    d = _drawing(width, height)
    _title(d, "月度接收件数（实线：本期所在的 12 个月；虚线：上年同月）", width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 14 * mm, 16 * mm
    chart.width, chart.height = width - 20 * mm, height - 30 * mm
    chart.data = [list(now), list(last_year)]
    chart.categoryAxis.categoryNames = list(months)
    chart.categoryAxis.labels.fontName = fonts.BODY
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.dy = -2
    top, step = _nice_top(max([*now, *last_year, 1]))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, top, step
    chart.valueAxis.labels.fontName = fonts.BODY
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.labelTextFormat = "{:,.0f}".format
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.lines[0].strokeColor, chart.lines[0].strokeWidth = colors.black, 1.8
    chart.lines[1].strokeColor, chart.lines[1].strokeWidth = colors.Color(0.45, 0.45, 0.45), 1.3
    chart.lines[1].strokeDashArray = (4, 2)
    d.add(chart)
    legend_y = 4 * mm
    for i, (label, colour, dash) in enumerate((("本期所在年度", colors.black, None),
                                                ("上年同月", colors.Color(0.45, 0.45, 0.45), (4, 2)))):
        x = width / 2 - 40 * mm + i * 42 * mm
        d.add(Line(x, legend_y + 3, x + 10 * mm, legend_y + 3, strokeColor=colour,
                   strokeWidth=1.6, strokeDashArray=dash))
        d.add(String(x + 12 * mm, legend_y, label, fontName=fonts.BODY, fontSize=8.5))
    return d


def mix_chart(title: str, mix: Sequence[tuple[str, int]], width: float,
              height: float = 58 * mm) -> Drawing:
    """A mix as a grey pie with a legend giving each part's count and share."""
    d = _drawing(width, height)
    _title(d, title, width, height)
    total = sum(n for _, n in mix)
    if not total:
        d.add(String(width / 2, height / 2, "本期无", fontName=fonts.BODY, fontSize=9,
                     textAnchor="middle"))
        return d
    size = min(height - 24 * mm, width * 0.36)
    pie = Pie()
    pie.x, pie.y = 6 * mm, (height - 16 - size) / 2
    pie.width = pie.height = size
    pie.data = [n for _, n in mix]
    pie.labels = None
    pie.sideLabels = False
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 0.8
    for i in range(len(mix)):
        pie.slices[i].fillColor = colors.HexColor(GREYS[i % len(GREYS)])
        pie.slices[i].fontName = fonts.BODY
    d.add(pie)
    legend = Legend()
    legend.x = pie.x + size + 6 * mm
    legend.y = pie.y + size / 2 + min(len(mix), 10) * 11 / 2
    legend.fontName, legend.fontSize = fonts.BODY, 8
    legend.alignment = "right"
    legend.deltay = 11
    legend.columnMaximum = 10
    legend.dx = legend.dy = 7
    legend.strokeColor = colors.Color(0.4, 0.4, 0.4)
    legend.strokeWidth = 0.3
    legend.colorNamePairs = [
        (colors.HexColor(GREYS[i % len(GREYS)]),
         f"{_short(label, 9)}  {n:,}（{n * 100 / total:.0f}%）")
        for i, (label, n) in enumerate(mix)]
    d.add(legend)
    return d


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


# -- the statistics report --------------------------------------------------------------------
@dataclass(frozen=True)
class ReportFigure:
    label: str
    value: Any
    year_before: Any
    previous: Any
    fmt: str
    yoy: float | None
    mom: float | None


def statistics_report(report: Any, lh: Letterhead, printed_at: datetime,
                      scope_text: str = "") -> Pdf:
    """The statistics of a period (a `services.statistics.StatsReport`) on A4: the figures with
    同比/环比, the trend and the mixes drawn, the grouped tables, the late list, the
    definitions; page numbers at the foot, signature lines at the end."""
    period = report.period
    title = "消费投诉举报统计月报" if period.kind.value == "month" else "消费投诉举报统计报表"
    subtitle = (f"统计期间：{period.label}（{period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}）　"
                f"统计范围：{scope_text or report.office_name}"
                + ("　分类：按国家（12315）分类" if report.by_national else ""))
    h = SheetHeader(title=title, letterhead=lh, printed_at=printed_at, subtitle=subtitle,
                    issuer=report.office_name)
    w = h.width
    story: list[Flowable] = list(heading(h))
    sections = iter(CHINESE_NUMBERS)

    def section(text: str) -> None:
        story.append(CondPageBreak(35 * mm))
        story.append(para(f"{next(sections)}、{text}", LIST_SECTION))

    section("主要指标")
    rows = []
    for f in report.figures:
        fmt = "percent" if f.percent else ("money" if f.money else "number")
        rows.append([f.label, cell(f.value, fmt), cell(f.year_before, fmt), cell(f.previous, fmt),
                     _signed(f.yoy), _signed(f.mom)])
    columns = ["指标", f"本期\n{period.label}", f"去年同期\n{period.year_before().label}",
               f"上期\n{period.previous().label}", "同比", "环比"]
    story.append(ruled_table(columns, rows, [w * x for x in (0.30, 0.15, 0.15, 0.15, 0.125, 0.125)],
                             centered=(1, 2, 3, 4, 5), small=True))
    story.append(Spacer(1, 1.5 * mm))
    story.append(para("比率类指标不计同比、环比增幅，请直接比较三期数值；比较期为 0 时增幅记为“—”。"
                      "各项指标的口径见本表末“指标口径”。", NOTE))

    section("图表")
    story.append(trend_chart(report.trend_months, report.trend, report.trend_last_year, w))
    story.append(Spacer(1, 3 * mm))
    pies = Table([[mix_chart("来源渠道构成", report.channel_mix, w / 2),
                   mix_chart("国家分类构成" if report.by_national else "投诉分类构成",
                             report.category_mix, w / 2)]],
                 colWidths=[w / 2, w / 2])
    pies.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("FONTNAME", (0, 0), (-1, -1), fonts.BODY)]))
    story.append(pies)

    section("分组统计")
    for i, key in enumerate(REPORT_TABLES, start=1):
        t = report.table(key)
        block: list[Flowable] = [para(f"（{CHINESE_NUMBERS[i - 1]}）{t.title}", LIST_SECTION)]
        if t.rows:
            block.append(_table(t.columns, t.formats, t.rows, w, small=True))
        else:
            block.append(para("本期无。", NOTE))
        if len(t.rows) <= 14:
            story.append(KeepTogether(block))
        else:
            story.extend(block)

    late = report.table("late")
    section(f"超时办结清单（{len(late.rows)} 件次）")
    if late.rows:
        story.append(_table(late.columns, late.formats, late.rows, w, small=True,
                            fractions=(0.19, 0.13, 0.07, 0.095, 0.095, 0.13, 0.095, 0.095, 0.1)))
    else:
        story.append(para("本期办结的投诉、举报均未超过时限。", NOTE))

    story.append(PageBreak())  # the definitions: an appendix of their own
    section("指标口径")
    definitions = report.table("definitions")
    story.append(ruled_table(list(definitions.columns), [list(r) for r in definitions.rows],
                             [w * 0.22, w * 0.78], small=True, centered=()))
    story.append(signatures([("制表人", BLANK_DATE), ("审核人", BLANK_DATE)], w * 0.9))
    return build(h, story)


# -- the half-yearly 处办质量评审表 ---------------------------------------------------------------
REVIEW_COLUMNS = ("办结件数", "按时办结", "按时处结率", "平均用时\n（工作日）", "回访件数",
                  "满意", "基本满意", "不满意", "满意率", "重新办理\n件数")
REVIEW_FORMATS = ("int", "int", "percent", "days", "int", "int", "int", "int", "percent", "int")
REVIEW_NOTES = (
    "办结件数：评审期间内办结的投诉、举报（不含咨询）；按处理单位和现承办人计。",
    "按时处结率：办结件中每一项时限（受理决定、ODR、调解、终止调解告知；举报为立案决定）都未超过的"
    "件数 ÷ 办结件数，与统计中的“按时处结率”同一口径。",
    "平均办结用时：从接收日到办结日的工作日数（接收当日不计）的平均值。",
    "回访件数：办结件中有回访记录的件数；满意、基本满意、不满意按回访记录的满意度计，"
    "满意率 =（满意＋基本满意）÷ 记有满意度的件数。",
    "重新办理件数：办结件中曾经“重新办理”（审计日志中有重新办理记录）的件数。",
)


def quality_review(review: Any, lh: Letterhead, printed_at: datetime) -> Pdf:
    """处办质量评审表 (landscape A4): the offices, then each office's handlers, with a column
    for the reviewers' remarks and their signatures at the end."""
    h = SheetHeader(
        title="投诉举报件处办质量评审表", letterhead=lh, printed_at=printed_at, landscape=True,
        issuer=review.office_name,
        subtitle=f"评审期间：{review.half.label}（{review.half.start:%Y-%m-%d} 至 "
                 f"{review.half.end:%Y-%m-%d}）　统计范围：{review.office_name}"
                 + ("及所属单位" if len(review.offices) > 1 else ""))
    w = h.width
    story: list[Flowable] = list(heading(h))
    number_w = w * 0.066
    remark_w = w * 0.12

    def lines_table(first: Sequence[str], lines: Sequence[Any], first_w: Sequence[float]) -> Table:
        rows = []
        for line in lines:
            values = (line.handled, line.on_time, line.on_time_rate, line.average_days,
                      line.followed_up, line.satisfied, line.basic, line.unsatisfied,
                      line.satisfaction_rate, line.reopened)
            rows.append([*line.names, *(cell(v, f) for v, f in zip(values, REVIEW_FORMATS,
                                                                  strict=True)), ""])
        widths = [*first_w, *([number_w] * len(REVIEW_COLUMNS)), remark_w]
        rest = w - sum(widths)
        widths[0] += rest
        shaded = [i for i, line in enumerate(lines) if line.total]
        return ruled_table([*first, *REVIEW_COLUMNS, "评审意见"], rows, widths, small=True,
                           centered=tuple(range(len(first), len(first) + len(REVIEW_COLUMNS))),
                           shaded_rows=shaded)

    story.append(para("一、按处理单位", LIST_SECTION))
    story.append(lines_table(["处理单位"], [*review.offices, review.total], [w * 0.12]))
    story.append(CondPageBreak(40 * mm))
    story.append(para("二、按承办人", LIST_SECTION))
    if review.handlers:
        story.append(lines_table(["处理单位", "承办人"], review.handlers, [w * 0.1, w * 0.07]))
    else:
        story.append(para("评审期间没有办结的投诉、举报。", NOTE))
    story.append(signatures([("评审人（签字）", BLANK_DATE), ("督办科室负责人（签字）", BLANK_DATE)],
                            w * 0.75, row_height=10 * mm,
                            lead=[para("评审结论：", LIST_SECTION), Spacer(1, 6 * mm)]))
    story.append(Spacer(1, 3 * mm))
    story.append(para("注：" + "".join(REVIEW_NOTES), NOTE))
    return build(h, story)
