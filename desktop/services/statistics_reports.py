"""The statistics on paper: the statistics report of a period (from the `StatsReport` the 统计
page or the CLI already has) and the half-yearly 处办质量评审表, each recorded in the printing
log like the other list forms.

The review's on-time figure is the statistics' own: an item is on time when the statistics'
late list (`StatsReport.late`) does not name it, so both papers count with one definition."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from desktop.db.quality_review import QualityReviewRepository
from desktop.db.repositories import OfficeRepository
from desktop.domain.aftercare import Satisfaction
from desktop.domain.errors import FieldError, NotFound
from desktop.domain.statistics import Period, ratio
from desktop.forms import stats_forms
from desktop.forms.catalog import STATISTICS_FORMS
from desktop.forms.data import Letterhead
from desktop.services.base import Service, ServiceContext, require_scope
from desktop.services.dto import Changed, CurrentUser
from desktop.services.printing import PrintService, RenderedForm
from desktop.services.statistics import StatisticsService, StatsQuery, StatsReport

NO_HANDLER = "（未指定）"
# What the closing dialog stored before 回访 existed, read as the 回访's codes.
_OLD_SATISFACTION = {"满意": "satisfied", "基本满意": "basic", "不满意": "unsatisfied"}


@dataclass(frozen=True)
class HalfYear:
    """The first (1–6) or second (7–12) half of a year: the review's period."""

    year: int
    half: int  # 1 or 2

    def __post_init__(self) -> None:
        if self.half not in (1, 2) or not 2000 <= self.year <= 2100:
            raise FieldError("评审期间", "请写成 2026H1（上半年）或 2026H2（下半年）")

    @staticmethod
    def parse(text: str) -> HalfYear:
        found = re.fullmatch(r"\s*(\d{4})\s*[Hh]\s*([12])\s*", text)
        if not found:
            raise FieldError("评审期间", f"「{text}」不是半年度，请写成 2026H1 或 2026H2")
        return HalfYear(int(found[1]), int(found[2]))

    @staticmethod
    def of(day: date) -> HalfYear:
        return HalfYear(day.year, 1 if day.month <= 6 else 2)

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def label(self) -> str:
        return f"{self.year}年{'上' if self.half == 1 else '下'}半年"

    @property
    def code(self) -> str:
        return f"{self.year}H{self.half}"

    def period(self) -> Period:
        return Period(self.start, self.end)

    def previous(self) -> HalfYear:
        return HalfYear(self.year, 1) if self.half == 2 else HalfYear(self.year - 1, 2)


@dataclass(frozen=True)
class ReviewLine:
    """One row of the review: an office, an office's handler, or the total."""

    names: tuple[str, ...]  # (office,) or (office, handler)
    handled: int
    on_time: int
    average_days: float | None
    followed_up: int
    satisfied: int
    basic: int
    unsatisfied: int
    reopened: int
    total: bool = False

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.on_time, self.handled)

    @property
    def satisfaction_rate(self) -> float | None:
        return ratio(self.satisfied + self.basic, self.satisfied + self.basic + self.unsatisfied)


@dataclass(frozen=True)
class QualityReview:
    office_id: int
    office_name: str
    half: HalfYear
    generated_at: datetime
    offices: tuple[ReviewLine, ...]  # every office of the scope, the chosen one first
    handlers: tuple[ReviewLine, ...]  # handlers with an item closed in the half, by office
    total: ReviewLine

    def handler(self, name: str) -> ReviewLine:
        return next(x for x in self.handlers if x.names[-1] == name)

    def office(self, name: str) -> ReviewLine:
        return next(x for x in self.offices if x.names[0] == name)


class StatisticsReportService(Service):
    def __init__(self, ctx: ServiceContext, *, statistics: StatisticsService,
                 printing: PrintService) -> None:
        super().__init__(ctx)
        self.statistics = statistics
        self.printing = printing

    # -- the review -------------------------------------------------------------------------
    def review(self, user: CurrentUser, half: HalfYear, office_id: int | None = None) -> QualityReview:
        """The 处办质量评审表's figures for `half`, per office of the chosen scope and per handler."""
        office_id = office_id or user.office_id
        require_scope(user, office_id, "所选单位")
        # The statistics decide which closed items missed a limit (one definition for both).
        stats = self.statistics.report(user, StatsQuery(half.period(), office_id))
        late = {x.number for x in stats.late}
        calendar = self.ctx.reference.calendar()
        with self._uow(None, "", write=False) as uow:
            offices = OfficeRepository(uow.session)
            chosen = offices.get(office_id)
            if chosen is None:
                raise NotFound(f"单位 {office_id} 不存在")
            scope: frozenset[int] | None = (None if chosen.kind == "district" else
                                            frozenset(offices.subtree_ids(office_id)))
            if user.scope is not None:
                scope = frozenset(user.scope & (scope or user.scope))
            in_scope = sorted((o for o in offices.all() if scope is None or o.id in scope),
                              key=lambda o: (o.id != office_id, o.code))
            names = {o.id: o.name for o in in_scope}
            repo = QualityReviewRepository(uow.session)
            items = repo.closed(half.start, half.end, scope)
            reopened = repo.reopened([c["uuid"] for c in items])
            people = {c["handler_id"] for c in items if c["handler_id"] is not None}
            handler_names = {i: self.user_name(uow, i) for i in people}

        def line(names: tuple[str, ...], rows: list[dict], total: bool = False) -> ReviewLine:
            days = [calendar.working_days_between(c["received_at"].date(), c["closed_on"])
                    for c in rows]
            marks = [_satisfaction(c["satisfaction"]) for c in rows]
            return ReviewLine(
                names, handled=len(rows), on_time=sum(1 for c in rows if c["number"] not in late),
                average_days=round(sum(days) / len(days), 1) if days else None,
                followed_up=sum(1 for c in rows if c["follow_ups"]),
                satisfied=marks.count("satisfied"), basic=marks.count("basic"),
                unsatisfied=marks.count("unsatisfied"),
                reopened=sum(1 for c in rows if c["uuid"] in reopened), total=total)

        office_lines = tuple(line((o.name,), [c for c in items if c["office_id"] == o.id])
                             for o in in_scope)
        handler_lines = []
        for o in in_scope:
            mine = [c for c in items if c["office_id"] == o.id]
            who = sorted({c["handler_id"] for c in mine},
                         key=lambda i: (i is None, handler_names.get(i, "") if i else ""))
            for person in who:
                handler_lines.append(line(
                    (o.name, handler_names.get(person, "") if person else NO_HANDLER),
                    [c for c in mine if c["handler_id"] == person]))
        return QualityReview(office_id=office_id, office_name=names[office_id], half=half,
                             generated_at=self.ctx.clock.now().replace(microsecond=0),
                             offices=office_lines, handlers=tuple(handler_lines),
                             total=line(("合计",), items, total=True))

    # -- the papers -------------------------------------------------------------------------
    def report_pdf(self, user: CurrentUser, report: StatsReport, office_id: int | None = None,
                   scope_text: str = "") -> RenderedForm:
        """The statistics report of `report` (as the page or the CLI computed it) on A4."""
        office_id = office_id or user.office_id
        require_scope(user, office_id, "所选单位")
        info = STATISTICS_FORMS["stats-report"]
        lh = self._letterhead(office_id)
        pdf = stats_forms.statistics_report(report, lh, self.ctx.clock.now(), scope_text)
        period = report.period
        name = f"{info.title}-{report.office_name}-{period.label}".replace(" ", "")
        return self.printing._rendered(info, pdf, period.label, name,
                                       [n for n, _ in report.top] + [x.handler for x in report.late])

    def review_pdf(self, user: CurrentUser, review: QualityReview) -> RenderedForm:
        require_scope(user, review.office_id, "所选单位")
        info = STATISTICS_FORMS["quality-review"]
        pdf = stats_forms.quality_review(review, self._letterhead(review.office_id),
                                         self.ctx.clock.now())
        return self.printing._rendered(
            info, pdf, review.half.code, f"{info.title}-{review.office_name}-{review.half.code}",
            [" ".join(x.names) for x in review.handlers])

    def record(self, user: CurrentUser, rendered: RenderedForm, how: str) -> Changed:
        """Into the printing log, as the ledger and the other list forms are."""
        return self.printing.record(user, rendered, how)

    def _letterhead(self, office_id: int) -> Letterhead:
        with self._uow(None, "", write=False) as uow:
            return self.printing._letterhead(uow, office_id)


def _satisfaction(value: str | None) -> str | None:
    if not value:
        return None
    value = _OLD_SATISFACTION.get(value, value)
    return value if value in set(Satisfaction) else None
