"""The statistics' periods and figures: what each figure counts, once (docs/statistics.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from desktop.domain.errors import FieldError


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    RANGE = "range"

    @property
    def label(self) -> str:
        return {"month": "月", "quarter": "季度", "year": "年", "range": "自定义"}[self.value]


@dataclass(frozen=True)
class Period:
    """Days `start` to `end`, both counted."""

    start: date
    end: date
    kind: PeriodKind = PeriodKind.RANGE

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise FieldError("统计期间", f"结束日期 {self.end} 早于开始日期 {self.start}")
        if (self.end - self.start).days > 366 * 5:
            raise FieldError("统计期间", "统计期间不能超过五年")

    @staticmethod
    def month(year: int, month: int) -> Period:
        start = date(year, month, 1)
        return Period(start, _month_end(start), PeriodKind.MONTH)

    @staticmethod
    def quarter(year: int, quarter: int) -> Period:
        start = date(year, 3 * quarter - 2, 1)
        return Period(start, _month_end(date(year, 3 * quarter, 1)), PeriodKind.QUARTER)

    @staticmethod
    def year(year: int) -> Period:
        return Period(date(year, 1, 1), date(year, 12, 31), PeriodKind.YEAR)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return f"{self.start.year}年{self.start.month}月"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.start.year}年第{(self.start.month + 2) // 3}季度"
        if self.kind is PeriodKind.YEAR:
            return f"{self.start.year}年"
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"

    def year_before(self) -> Period:
        """同比: the same period a year earlier (29 February becomes the 28th)."""
        if self.kind is PeriodKind.MONTH:
            return Period.month(self.start.year - 1, self.start.month)
        if self.kind is PeriodKind.QUARTER:
            return Period.quarter(self.start.year - 1, (self.start.month + 2) // 3)
        if self.kind is PeriodKind.YEAR:
            return Period.year(self.start.year - 1)
        return Period(_minus_year(self.start), _minus_year(self.end))

    def previous(self) -> Period:
        """环比: the period just before, of the same kind (a range: as many days)."""
        if self.kind is PeriodKind.MONTH:
            last = self.start - timedelta(days=1)
            return Period.month(last.year, last.month)
        if self.kind is PeriodKind.QUARTER:
            last = self.start - timedelta(days=1)
            return Period.quarter(last.year, (last.month + 2) // 3)
        if self.kind is PeriodKind.YEAR:
            return Period.year(self.start.year - 1)
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def months(self) -> list[date]:
        """The first day of each month the period touches."""
        out, day = [], self.start.replace(day=1)
        while day <= self.end:
            out.append(day)
            day = _month_end(day) + timedelta(days=1)
        return out


def _month_end(first: date) -> date:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _minus_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# Open items at the period's end, by calendar days since receipt.
AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 7, "7日以内"), (8, 30, "8–30日"), (31, 60, "31–60日"), (61, 90, "61–90日"),
    (91, None, "90日以上"))


def age_band(days: int) -> str:
    for low, high, label in AGE_BANDS:
        if days >= low and (high is None or days <= high):
            return label
    return AGE_BANDS[0][2]


# The limits 按时处结率 checks, in the order a late list names them.
LIMIT_LABELS = {
    "acceptance": "受理决定",
    "report_check": "举报核查（立案决定）",
    "odr": "在线消费纠纷解决（ODR）",
    "mediation": "调解",
    "termination_notice": "终止调解告知",
}


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    definition: str
    percent: bool = False
    money: bool = False


# Each figure's one definition: the window's tooltips, the workbook's 口径 sheet and
# docs/statistics.md say the same (tests/unit/test_statistics_domain.py holds the doc to it).
FIGURES: tuple[Figure, ...] = (
    Figure("received", "接收总数",
           "统计期间内接收（登记的接收时间在期间内）的投诉、举报、咨询件数，按统计范围内的处理单位计。"),
    Figure("complaints", "投诉件数", "接收总数中类型为投诉的件数。"),
    Figure("reports", "举报件数", "接收总数中类型为举报的件数。"),
    Figure("consultations", "咨询件数", "接收总数中类型为咨询的件数。"),
    Figure("dispatched", "区局分流件数", "接收总数中来源渠道为“区局平台分流”的件数（台账第一部分）。"),
    Figure("self_received", "自行接收件数", "接收总数中来源渠道不是“区局平台分流”的件数（台账第二部分）。"),
    Figure("intake_rate", "接处率",
           "受理（或举报的立案）决定期限在统计期间内的投诉、举报中，在期限当日或之前已作出决定"
           "（受理、不予受理、转办；举报为立案、不予立案）的件数 ÷ 受理（立案）决定期限在统计期间内的件数。"
           "咨询、并案的举报不计；等待补交身份证明的投诉在收到证明前不计；每件只在处理它的单位计一次。",
           percent=True),
    Figure("on_time_rate", "按时处结率",
           "统计期间内办结的投诉、举报中，每一项时限（受理决定、ODR、调解、终止调解告知；举报为立案决定）"
           "都未超过的件数 ÷ 统计期间内办结的投诉、举报件数。时限按该件适用的时限规则计算，"
           "检验检测鉴定的中止期间不计入。超时的件逐件列出：超过哪一项时限、超过几天（自然日）。",
           percent=True),
    Figure("acceptance_rate", "受理率",
           "统计期间内接收的投诉中已受理的件数 ÷ 其中已作出受理决定（受理、不予受理、转办）的件数。",
           percent=True),
    Figure("closing_rate", "办结率",
           "统计期间内接收的投诉、举报中，到统计期末已办结的件数 ÷ 统计期间内接收的投诉、举报件数。",
           percent=True),
    Figure("closed", "办结件数", "办结日期在统计期间内的投诉、举报件数。"),
    Figure("mediation_success_rate", "调解成功率",
           "统计期间内办结、办结结果为调解成功、调解不成或终止调解的件数中，调解成功的比例。",
           percent=True),
    Figure("recovered", "挽回经济损失（元）", "统计期间内办结的件所记录的挽回经济损失之和。",
           money=True),
    Figure("disputed", "争议金额（元）", "统计期间内接收的投诉、举报所填涉及金额之和。", money=True),
    Figure("case_transfers", "诉转案件数", "发现涉嫌违法并诉转案（移送核查）的日期在统计期间内的件数。"),
    Figure("at_fault", "有责任投诉件数", "统计期间内办结、办结时认定经营者有责任的件数。"),
    Figure("follow_up_rate", "回访率",
           "统计期间内办结的投诉、举报中，已有回访记录（无论是否联系上）的件数 ÷ 统计期间内办结的件数。",
           percent=True),
    Figure("satisfaction_rate", "满意率",
           "统计期间内办结且回访联系上、记有满意度的件中，满意与基本满意的件数 ÷ 记有满意度的件数。",
           percent=True),
    Figure("average_days", "平均办结用时（工作日）",
           "统计期间内办结的投诉、举报，从接收日到办结日的工作日数（接收当日不计）的平均值。"),
    Figure("open_at_end", "期末未办结件数",
           "接收日期不晚于统计期末、到期末尚未办结的投诉、举报件数（不含咨询和并案），按已过自然日分段。"),
    Figure("overdue_at_end", "期末超期件数",
           "期末未办结件中，现行处理期限早于统计期末（统计期末晚于今天时按今天）的件数。"),
)
FIGURE_BY_KEY = {f.key: f for f in FIGURES}


def ratio(numerator: int, denominator: int) -> float | None:
    """A rate as a fraction (0.987); None when nothing was counted (shown as —, not 100 %)."""
    return numerator / denominator if denominator else None


def change(current: float | None, earlier: float | None) -> float | None:
    """同比/环比 as a fraction of the earlier value; None when the earlier one is 0 or absent."""
    if current is None or earlier in (None, 0):
        return None
    return (current - earlier) / earlier
