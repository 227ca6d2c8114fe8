"""统计: the figures an office reports, for a period and scope, with 同比 and 环比.

SQL counts (db/statistics.py); the deadline arithmetic of 接处率 and 按时处结率 runs over the
period's items only, with the calendar cached; pandas shapes the tables. Each figure is defined
once in domain/statistics.py (and docs/statistics.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, cast

from desktop.db.repositories import CodeRepository, OfficeRepository
from desktop.db.statistics import Scope, StatisticsRepository
from desktop.domain.aftercare import Notice
from desktop.domain.calendar import DueDate, WorkingCalendar, YearSource
from desktop.domain.deadlines import Pause, RuleSet, compute_deadlines
from desktop.domain.statistics import (
    AGE_BANDS,
    FIGURE_BY_KEY,
    FIGURES,
    LIMIT_LABELS,
    Period,
    change,
    ratio,
)
from desktop.domain.workflow import Intake
from desktop.services.base import Service, require_scope
from desktop.services.complaints import ComplaintService
from desktop.services.dto import CurrentUser

KIND_LABELS = {"complaint": "投诉", "report": "举报", "consultation": "咨询"}
UNMAPPED = "（未对应国家分类）"
TOP = 10


@dataclass(frozen=True)
class StatsQuery:
    period: Period
    office_id: int | None = None  # None: the user's whole scope
    by_national: bool = False  # categories as the national (12315) classes
    # Imported history marked 资料不全: "include" (the default) or "exclude".
    incomplete: str = "include"


@dataclass(frozen=True)
class FigureRow:
    key: str
    label: str
    definition: str
    value: float | None
    year_before: float | None
    previous: float | None
    percent: bool = False
    money: bool = False

    @property
    def yoy(self) -> float | None:
        return None if self.percent else change(self.value, self.year_before)

    @property
    def mom(self) -> float | None:
        return None if self.percent else change(self.value, self.previous)


@dataclass(frozen=True)
class StatsTable:
    """One table of the report: a sheet of the workbook. `formats` per column: text, int,
    number (one decimal), money (yuan), percent, date."""

    key: str
    title: str
    columns: tuple[str, ...]
    formats: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class LateItem:
    number: str
    office: str
    handler: str
    received_on: date
    closed_on: date
    limit: str
    due_on: date
    done_on: date
    days_late: int


@dataclass(frozen=True)
class StatsReport:
    office_name: str  # the scope's office
    period: Period
    generated_at: datetime
    by_national: bool
    figures: tuple[FigureRow, ...]
    tables: tuple[StatsTable, ...]
    late: tuple[LateItem, ...]
    trend_months: tuple[str, ...]  # '1月' … for the 12 months ending with the period
    trend: tuple[int, ...]
    trend_last_year: tuple[int, ...]
    channel_mix: tuple[tuple[str, int], ...]
    category_mix: tuple[tuple[str, int], ...]
    top: tuple[tuple[str, int], ...]

    def figure(self, key: str) -> FigureRow:
        return next(f for f in self.figures if f.key == key)

    def table(self, key: str) -> StatsTable:
        return next(t for t in self.tables if t.key == key)


class _Calendar:
    """The working calendar with every answer kept: a period's items ask the same few hundred
    dates again and again. Working days are counted and added by a prefix sum over the days
    asked about (and the list of working days in it), not day by day; the answers are the
    calendar's own (tests/unit/test_statistics_calendar.py holds them equal)."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self._c = calendar
        self.add_working_days = lru_cache(maxsize=None)(self._add_working_days)
        self.working_day_on_or_after = lru_cache(maxsize=None)(calendar.working_day_on_or_after)
        self.is_working_day = lru_cache(maxsize=None)(calendar.is_working_day)
        self._prefix: dict[date, int] = {}
        self._working: list[date] = []  # the working days after the first day, in order
        self._first: date | None = None
        self._last = date.min

    def working_days_between(self, start: date, end: date) -> int:
        before = self._count_to(start)  # first: an earlier day moves the prefix's first day
        return self._count_to(end) - before

    def _add_working_days(self, start: date, n: int) -> DueDate:
        """WorkingCalendar.add_working_days: the end of the n-th working day after `start`,
        with the guessed years among the days counted."""
        if n < 0:
            raise ValueError("n must be non-negative")
        if n == 0:
            return DueDate(start, frozenset())
        target = self._count_to(start) + n  # first: an earlier day moves the first day
        while len(self._working) < target:
            self._count_to(self._last + timedelta(days=max(31, 2 * n)))
        day = self._working[target - 1]
        guessed = frozenset(y for y in range((start + timedelta(days=1)).year, day.year + 1)
                            if self._c.source(y) is YearSource.GUESSED)
        return DueDate(day, guessed)

    def _count_to(self, day: date) -> int:
        """Working days after the first day asked for, up to `day` (a prefix sum)."""
        if self._first is None or day < self._first:
            self._first = day - timedelta(days=400)
            self._prefix, self._last, self._working = {self._first: 0}, self._first, []
        if day > self._last:  # the prefix holds every day from the first to the last
            cursor, count = self._last, self._prefix[self._last]
            while cursor < day:
                cursor += timedelta(days=1)
                if self.is_working_day(cursor):
                    count += 1
                    self._working.append(cursor)
                self._prefix[cursor] = count
            self._last = day
        return self._prefix[day]


@dataclass(frozen=True)
class _Office:
    name: str
    kind: str


@dataclass
class _Facts:
    """What one period's figures are made of (the tables use the main period's)."""

    received: Any  # pandas DataFrame of the received groups
    closed: list[dict[str, Any]]  # the closed items whose limits are checked one by one
    closed_sums: dict[str, int] = field(default_factory=dict)  # over every closed item
    late: list[tuple[dict[str, Any], str, date, date]] = field(default_factory=list)
    intake_due: int = 0
    intake_met: int = 0
    open_bands: dict[str, int] = field(default_factory=dict)  # age band → items
    overdue: int = 0
    working_days: int = 0  # summed over the closed items
    _values: dict[str, float | None] | None = None

    def value(self, key: str) -> float | None:
        """Every figure of the period, worked out once on the first question."""
        if self._values is None:
            self._values = _values(self)
        return self._values[key]


class StatisticsService(Service):
    # The common case's deadlines joined in SQL (a table of due days per rule set and day);
    # False: every item's deadlines worked out here, as the tests compare.
    sql_common_case = True
    # The due-day table holds the days of each period and this many before it: an item whose
    # clock started earlier (closed long after its receipt) is worked out row by row.
    DUE_DAYS_BEFORE = 150

    def __init__(self, ctx: Any, *, complaints: ComplaintService) -> None:
        super().__init__(ctx)
        self.complaints = complaints

    def scope_offices(self, user: CurrentUser) -> list[tuple[int, str]]:
        """The offices a user may take statistics for: (id, name), the user's own first."""
        with self._uow(None, "", write=False) as uow:
            offices = OfficeRepository(uow.session).all()
        allowed = [o for o in offices if user.scope is None or o.id in user.scope]
        allowed.sort(key=lambda o: (o.id != user.office_id, o.code))
        return [(o.id, o.name) for o in allowed]

    def report(self, user: CurrentUser, query: StatsQuery,
               progress: Callable[[int, int], None] | None = None) -> StatsReport:
        period = query.period
        step = progress or (lambda done, total: None)
        with self._uow(None, "", write=False) as uow:
            offices = {o.id: _Office(o.name, o.kind) for o in OfficeRepository(uow.session).all()}
            office_id = query.office_id or user.office_id
            require_scope(user, office_id, "所选单位")
            scope: Scope = None if offices[office_id].kind == "district" else frozenset(
                OfficeRepository(uow.session).subtree_ids(office_id))
            if user.scope is not None:
                scope = frozenset(user.scope & (scope or user.scope))
            codes = CodeRepository(uow.session)
            labels = {kind: {i.code: i.label for i in codes.items(kind, include_inactive=True)}
                      for kind in ("channel", "category", "national_class")}
            parents = {i.code: i.parent for i in codes.items("category", include_inactive=True)}
            repo = StatisticsRepository(uow.session, incomplete=query.incomplete)
            users = repo.user_names()
            calendar = _Calendar(self.ctx.reference.calendar())
            rule_sets = {r.code: r for r in self.ctx.reference.rule_sets()}
            periods = (period, period.year_before(), period.previous())
            # The tables' first day: stat_wd's ordinals count the working days after it.
            first_day = min(p.start for p in periods) - timedelta(days=self.DUE_DAYS_BEFORE)
            if self.sql_common_case:
                days: set[date] = set()
                for p in periods:  # each period's days, and as many before it as the table holds
                    days.update(_days(p.start - timedelta(days=self.DUE_DAYS_BEFORE), p.end))
                repo.load_due_days(_due_days(calendar, rule_sets, sorted(days)),
                                   _ordinals(calendar, first_day, max(p.end for p in periods)))
            facts: dict[str, _Facts] = {}
            by_period: dict[Period, _Facts] = {}  # a year's 同比 and 环比 are the same year
            for i, (name, p) in enumerate((("now", period), ("year_before", period.year_before()),
                                           ("previous", period.previous()))):
                step(i, 5)
                if p not in by_period:
                    by_period[p] = self._facts(repo, p, scope, calendar, rule_sets, first_day)
                facts[name] = by_period[p]
            step(3, 5)
            months = _twelve_months(period.end)
            first, last_month_end = months[0], period.end.replace(day=1)
            trend_now = repo.monthly(first, _month_end(last_month_end), scope)
            trend_before = repo.monthly(first.replace(year=first.year - 1),
                                        _month_end(last_month_end.replace(year=last_month_end.year - 1)),
                                        scope)
            top = repo.top_respondents(period.start, period.end, scope, TOP)
        step(4, 5)

        def category_label(code: str) -> str:
            if query.by_national:
                parent = parents.get(code)
                return labels["national_class"].get(parent, parent) if parent else UNMAPPED
            return labels["category"].get(code, code)

        office_name = lambda oid: offices[oid].name if oid in offices else str(oid)  # noqa: E731
        now = facts["now"]
        figures = tuple(self._figure(key, facts) for key in (f.key for f in FIGURES))
        received = now.received
        tables: list[StatsTable] = [_figure_table(figures, period)]
        if len(received):
            received = received.assign(
                kind_label=received["kind"].map(lambda k: KIND_LABELS.get(k, k)),
                channel=received["channel_code"].map(lambda c: labels["channel"].get(c, c)),
                category=received["category_code"].map(category_label),
                office=received["office_id"].map(office_name),
                handler=received["handler_id"].map(lambda h: users.get(h, "（未指定）")),
            )
        group_title = "国家分类" if query.by_national else "投诉分类"
        for key, column, title, label in (
                ("by_kind", "kind_label", "按类型", "类型"),
                ("by_channel", "channel", "按来源渠道", "来源渠道"),
                ("by_category", "category", f"按{group_title}", group_title),
                ("by_office", "office", "按处理单位", "处理单位"),
                ("by_handler", "handler", "按承办人", "承办人")):
            tables.append(_breakdown(received, key, column, title, label))
        tables.append(StatsTable(
            "top", "被投诉最多的经营者", ("序号", "经营者", "统一社会信用代码", "件数"),
            ("int", "text", "text", "int"),
            tuple((i + 1, n, c, k) for i, (n, c, k) in enumerate(top))))
        tables.append(self._monthly_table(months, trend_now, trend_before))
        tables.append(_open_table(now))
        late = tuple(self._late_items(now, offices, users))
        tables.append(StatsTable(
            "late", "超时办结清单",
            ("投诉编号", "处理单位", "承办人", "接收日期", "办结日期", "超过的时限", "期限",
             "完成日期", "超过天数（自然日）"),
            ("text", "text", "text", "date", "date", "text", "date", "date", "int"),
            tuple((x.number, x.office, x.handler, x.received_on, x.closed_on, x.limit, x.due_on,
                   x.done_on, x.days_late) for x in late)))
        tables.append(StatsTable(
            "definitions", "指标口径", ("指标", "口径"), ("text", "text"),
            tuple((f.label, f.definition) for f in FIGURES)))
        channel_mix = _mix(received, "channel") if len(received) else ()
        category_mix = _mix(received, "category") if len(received) else ()
        step(5, 5)
        return StatsReport(
            office_name=offices[office_id].name, period=period,
            generated_at=self.ctx.clock.now().replace(microsecond=0),
            by_national=query.by_national, figures=figures, tables=tuple(tables), late=late,
            trend_months=tuple(f"{m.month}月" for m in months),
            trend=tuple(trend_now.get(f"{m:%Y-%m}", 0) for m in months),
            trend_last_year=tuple(trend_before.get(f"{m.year - 1}-{m.month:02d}", 0) for m in months),
            channel_mix=channel_mix, category_mix=category_mix,
            top=tuple((n, k) for n, _c, k in top))

    # -- one period's facts -------------------------------------------------------------------
    def _facts(self, repo: StatisticsRepository, period: Period, scope: Scope,
               calendar: _Calendar, rule_sets: dict[str, RuleSet], first_day: date) -> _Facts:
        import pandas as pd  # type: ignore[import-untyped]

        columns = ["kind", "channel_code", "category_code", "office_id", "handler_id", "n",
                   "dispatched", "accepted", "decided", "handled", "closed_by_end", "amount_cents"]
        received = pd.DataFrame(repo.received(period.start, period.end, scope), columns=columns)
        if self.sql_common_case:
            sums = repo.closed_sums(period.start, period.end, scope, Notice.TERMINATION.value)
            to_check = sums["to_check"]
            closed = repo.closed(period.start, period.end, scope, to_check) if to_check else []
            facts = _Facts(received=received, closed=closed, closed_sums=sums["sums"])
            # Working days from receipt to closing: differences of the ordinals (the working
            # days after the due-day tables' first day) of the closing and the receipt day.
            for closed_on, counted, received_wd, other in sums["days"]:
                facts.working_days += counted * calendar.working_days_between(first_day, closed_on) \
                    - received_wd + sum(calendar.working_days_between(r, closed_on) for r in other)
        else:  # every closed item read and summed here
            closed = repo.closed(period.start, period.end, scope)
            facts = _Facts(received=received, closed=closed)
            facts.closed_sums = _closed_sums(closed)
            facts.working_days = sum(calendar.working_days_between(
                c["received_at"].date(), c["closed_on"]) for c in closed)
        self._on_time(repo, facts, calendar, rule_sets)
        self._intake(repo, facts, period, scope, calendar, rule_sets)
        today = self.ctx.clock.today()
        bands = [(label, period.end - timedelta(days=high if high is not None else low))
                 for low, high, label in AGE_BANDS]
        facts.open_bands, facts.overdue = repo.open_counts(
            period.end, bands, min(period.end, today), scope)
        return facts

    def _on_time(self, repo: StatisticsRepository, facts: _Facts, calendar: _Calendar,
                 rule_sets: dict[str, RuleSet]) -> None:
        closed = facts.closed
        ids = [c["id"] for c in closed]
        pauses = repo.pauses(ids)
        terminated = [c["id"] for c in closed if c["terminated_on"] is not None]
        delivered = repo.deliveries(terminated, Notice.TERMINATION.value)
        undated = [c["uuid"] for c in closed if c["kind"] == "complaint" and c["accepted_on"] is None]
        decided = repo.decision_days(undated, ("不予受理", "转办")) if undated else {}
        cal = cast(WorkingCalendar, calendar)
        memo: dict[tuple[Any, ...], DueDate | None] = {}
        for c in closed:
            rules = rule_sets.get(c["rule_set_code"])
            if rules is None:
                continue
            limits = _limits(cal, rules, c, pauses.get(c["id"], ()), memo)
            closed_on = c["closed_on"]
            checks: list[tuple[str, DueDate | None, date | None]] = []
            if c["kind"] == Intake.REPORT:
                checks.append(("report_check", limits["report_check"],
                               c["case_decided_on"] or closed_on))
            else:
                checks.append(("acceptance", limits["acceptance"],
                               c["accepted_on"] or _first(decided.get(c["uuid"]), closed_on)))
                if c["odr_started_on"] is not None:
                    checks.append(("odr", limits["odr"], _first(
                        c["mediation_started_on"], c["settled_on"], c["terminated_on"]) or closed_on))
                if c["accepted_on"] is not None:
                    checks.append(("mediation", limits["mediation"], _first(
                        c["settled_on"], c["terminated_on"], c["violation_found_on"]) or closed_on))
                if c["terminated_on"] is not None:
                    checks.append(("termination_notice", limits["termination_notice"],
                                   delivered.get(c["id"]) or closed_on))
            for limit, due, done in checks:
                if due is not None and done is not None and done > due.day:
                    facts.late.append((c, limit, due.day, done))

    def _intake(self, repo: StatisticsRepository, facts: _Facts, period: Period, scope: Scope,
                calendar: _Calendar, rule_sets: dict[str, RuleSet]) -> None:
        among = None
        if self.sql_common_case:
            facts.intake_due, facts.intake_met, among = repo.intake_common(
                period.start, period.end, scope)
        rows = repo.decision_candidates(period.start, period.end, scope, among)
        undated = [r["uuid"] for r in rows if r["kind"] == "complaint" and r["accepted_on"] is None
                   and (r["status"] in ("rejected", "transferred", "closed"))]
        decided = repo.decision_days(undated, ("不予受理", "转办")) if undated else {}
        for r in rows:
            rules = rule_sets.get(r["rule_set_code"])
            if rules is None:
                continue
            received_on = r["received_at"].date()
            if r["kind"] == Intake.REPORT:
                if rules.report_check_days is None:
                    continue
                days = rules.report_check_days + (
                    (rules.report_check_extension or 0) if r["check_extended_on"] else 0)
                due = calendar.add_working_days(r["clock_from"] or received_on, days).day
                done = r["case_decided_on"]
            else:
                if r["id_proof_requested_on"] is not None and r["id_proof_received_on"] is None:
                    continue  # the acceptance clock waits for the proof of identity
                due = calendar.add_working_days(r["id_proof_received_on"] or received_on,
                                                rules.accept_days).day
                # A decision comes before the closing, whatever the log's clock said.
                done = r["accepted_on"] or _first(decided.get(r["uuid"]), r["closed_on"])
            if not (period.start <= due <= period.end):
                continue
            facts.intake_due += 1
            if done is not None and done <= due:
                facts.intake_met += 1

    # -- figures ------------------------------------------------------------------------------
    def _figure(self, key: str, facts: dict[str, _Facts]) -> FigureRow:
        f = FIGURE_BY_KEY[key]
        now, year_before, previous = (facts[name].value(key)
                                      for name in ("now", "year_before", "previous"))
        return FigureRow(f.key, f.label, f.definition, now, year_before, previous,
                         percent=f.percent, money=f.money)

    @staticmethod
    def _monthly_table(months: list[date], now: dict[str, int], before: dict[str, int]) -> StatsTable:
        rows = []
        for m in months:
            a, b = now.get(f"{m:%Y-%m}", 0), before.get(f"{m.year - 1}-{m.month:02d}", 0)
            rows.append((f"{m.year}年{m.month}月", a, b, change(a, b)))
        return StatsTable("monthly", "月度趋势", ("月份", "接收件数", "上年同月", "同比"),
                          ("text", "int", "int", "percent"), tuple(rows))

    @staticmethod
    def _late_items(facts: _Facts, offices: dict[int, Any], users: dict[int, str]) -> list[LateItem]:
        out = [LateItem(c["number"], offices[c["office_id"]].name if c["office_id"] in offices else "",
                        users.get(c["handler_id"], ""), c["received_at"].date(), c["closed_on"],
                        LIMIT_LABELS[limit], due, done, (done - due).days)
               for c, limit, due, done in facts.late]
        return sorted(out, key=lambda x: (x.closed_on, x.number, x.limit))


def _limits(cal: WorkingCalendar, rules: RuleSet, c: dict[str, Any],
            pauses: Any, memo: dict[tuple[Any, ...], DueDate | None]) -> dict[str, DueDate | None]:
    """Each limit of a closed item, from the domain's own `compute_deadlines`, asked one limit
    at a time with only the dates that limit depends on, so that the answers repeat and are
    kept (`memo`): a year's items ask a few thousand questions, not one per item."""
    received_on = c["received_at"].date()

    def one(name: str, limit: Callable[[], DueDate | None], *key: Any) -> DueDate | None:
        k = (name, rules.code, *key)
        if k not in memo:
            memo[k] = limit()
        return memo[k]

    def base(**kw: Any) -> Any:
        kw.setdefault("received_on", received_on)
        kw.setdefault("today", c["closed_on"])
        return compute_deadlines(cal, rules, **kw)

    extended = c["check_extended_on"] is not None
    out: dict[str, DueDate | None] = {
        "acceptance": one("acceptance", lambda: base(
            id_proof_received_on=c["id_proof_received_on"]).acceptance_due,
            received_on, c["id_proof_received_on"]),
        "report_check": one("report_check", lambda: (
            lambda d: d.report_check_extended_due if extended else d.report_check_due)(
            base(intake=Intake.REPORT, clock_from=c["clock_from"], check_extended=extended)),
            received_on, c["clock_from"], extended),
        "odr": one("odr", lambda: base(odr_started_on=c["odr_started_on"]).odr_due,
                   c["odr_started_on"]),
        "termination_notice": one("termination", lambda: base(
            terminated_on=c["terminated_on"]).termination_notice_due, c["terminated_on"]),
    }
    if pauses:  # the clock stood still: this item's own answer
        out["mediation"] = base(accepted_on=c["accepted_on"], pauses=[
            Pause(s, e, "") for s, e in pauses]).mediation_due
    else:
        out["mediation"] = one("mediation", lambda: base(
            accepted_on=c["accepted_on"]).mediation_due, c["accepted_on"])
    return out


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _due_days(calendar: _Calendar, rule_sets: dict[str, RuleSet],
              days: list[date]) -> list[tuple[str, str, dict[str, date | None]]]:
    """For each rule set and each of `days`: the limits of an item whose
    clock (receipt, acceptance, ODR, termination, the report's check) starts that day, from the
    domain's own `compute_deadlines` (no pause, no proof of identity: the common case)."""
    cal = cast(WorkingCalendar, calendar)
    out = []
    for code, rules in rule_sets.items():
        for day in days:
            d = compute_deadlines(cal, rules, received_on=day, today=day, accepted_on=day,
                                  terminated_on=day, odr_started_on=day, intake=Intake.REPORT)
            due = {"acceptance": d.acceptance_due, "mediation": d.mediation_due, "odr": d.odr_due,
                   "termination": d.termination_notice_due, "report": d.report_check_due,
                   "report_ext": d.report_check_extended_due}
            out.append((code, day.isoformat(), {k: v.day if v is not None else None
                                                for k, v in due.items()}))
    return out


def _ordinals(calendar: _Calendar, first: date, last: date) -> list[tuple[date, int]]:
    """Each day from `first` to `last` with the working days after `first` up to it."""
    return [(day, calendar.working_days_between(first, day)) for day in _days(first, last)]


def _closed_sums(closed: list[dict[str, Any]]) -> dict[str, int]:
    """What StatisticsRepository.closed_sums counts, over the closed items' rows."""
    return {
        "n": len(closed),
        "mediated": sum(c["result"] in ("settled", "not_settled", "terminated") for c in closed),
        "settled": sum(c["result"] == "settled" for c in closed),
        "recovered_cents": sum(c["recovered_cents"] or 0 for c in closed),
        "case_transfers": sum(c["violation_found_on"] is not None for c in closed),
        "at_fault": sum(bool(c["at_fault"]) for c in closed),
        "followed": sum(c["follow_ups"] > 0 for c in closed),
        "rated": sum(bool(c["satisfaction"]) for c in closed),
        "satisfied": sum(c["satisfaction"] in ("satisfied", "basic") for c in closed),
    }


def _first(*days: date | None) -> date | None:
    present = [d for d in days if d is not None]
    return min(present) if present else None


def _sum(frame: Any, column: str) -> int:
    return int(frame[column].sum()) if len(frame) else 0


def _values(f: _Facts) -> dict[str, float | None]:
    r = f.received
    kinds = r.groupby("kind")["n"].sum().to_dict() if len(r) else {}
    late_ids = {c["id"] for c, *_ in f.late}
    return {key: _value(key, f, kinds, late_ids) for key in (figure.key for figure in FIGURES)}


def _value(key: str, f: _Facts, kinds: dict[str, int], late_ids: set[int]) -> float | None:
    r = f.received
    closed = f.closed_sums.get
    n = closed("n", 0)
    match key:
        case "received":
            return _sum(r, "n")
        case "complaints" | "reports" | "consultations":
            return int(kinds.get({"complaints": "complaint", "reports": "report",
                                  "consultations": "consultation"}[key], 0))
        case "dispatched":
            return _sum(r, "dispatched")
        case "self_received":
            return _sum(r, "n") - _sum(r, "dispatched")
        case "intake_rate":
            return ratio(f.intake_met, f.intake_due)
        case "on_time_rate":
            return ratio(n - len(late_ids), n)
        case "acceptance_rate":
            return ratio(_sum(r, "accepted"), _sum(r, "decided"))
        case "closing_rate":
            return ratio(_sum(r, "closed_by_end"), _sum(r, "handled"))
        case "closed":
            return n
        case "mediation_success_rate":
            return ratio(closed("settled", 0), closed("mediated", 0))
        case "recovered":
            return closed("recovered_cents", 0) / 100
        case "disputed":
            return _sum(r, "amount_cents") / 100
        case "case_transfers":
            return closed("case_transfers", 0)
        case "at_fault":
            return closed("at_fault", 0)
        case "follow_up_rate":
            return ratio(closed("followed", 0), n)
        case "satisfaction_rate":
            return ratio(closed("satisfied", 0), closed("rated", 0))
        case "average_days":
            return round(f.working_days / n, 1) if n else None
        case "open_at_end":
            return sum(f.open_bands.values())
        case "overdue_at_end":
            return f.overdue
    raise KeyError(key)


def _figure_table(figures: tuple[FigureRow, ...], period: Period) -> StatsTable:
    rows = []
    for f in figures:
        fmt = "percent" if f.percent else ("money" if f.money else "number")
        rows.append((f.label, (f.value, fmt), (f.year_before, fmt), (f.previous, fmt),
                     f.yoy, f.mom))
    return StatsTable(
        "figures", "主要指标",
        ("指标", f"本期（{period.label}）", f"去年同期（{period.year_before().label}）",
         f"上期（{period.previous().label}）", "同比", "环比"),
        ("text", "mixed", "mixed", "mixed", "percent", "percent"), tuple(rows),
        note="比率类指标不计同比、环比增幅，直接比较本期与同期、上期的数值。")


def _breakdown(received: Any, key: str, column: str, title: str, label: str) -> StatsTable:
    columns = (label, "接收件数", "其中投诉", "其中举报", "其中咨询", "区局分流", "自行接收", "占比")
    formats = ("text", "int", "int", "int", "int", "int", "int", "percent")
    if not len(received):
        return StatsTable(key, title, columns, formats, ())
    by_kind = received.pivot_table(index=column, columns="kind", values="n", aggfunc="sum",
                                   fill_value=0)
    totals = received.groupby(column)[["n", "dispatched"]].sum()
    table = totals.join(by_kind).fillna(0).sort_values("n", ascending=False)
    total = int(table["n"].sum())
    rows: tuple[tuple[Any, ...], ...] = tuple(
        (str(name), int(row["n"]), int(row.get("complaint", 0)), int(row.get("report", 0)),
         int(row.get("consultation", 0)), int(row["dispatched"]),
         int(row["n"] - row["dispatched"]), ratio(int(row["n"]), total))
        for name, row in table.iterrows())
    rows += (("合计", total, *(int(table[k].sum()) if k in table else 0
                               for k in ("complaint", "report", "consultation")),
              int(table["dispatched"].sum()), int(total - table["dispatched"].sum()), 1.0 if total else None),)
    return StatsTable(key, title, columns, formats, rows)


def _mix(received: Any, column: str, keep: int = 8) -> tuple[tuple[str, int], ...]:
    counts = received.groupby(column)["n"].sum().sort_values(ascending=False)
    items = [(str(k), int(v)) for k, v in counts.items()]
    if len(items) > keep:
        items = items[:keep - 1] + [("其余", sum(v for _, v in items[keep - 1:]))]
    return tuple(items)


def _open_table(facts: _Facts) -> StatsTable:
    rows = tuple((label, facts.open_bands.get(label, 0)) for _, _, label in AGE_BANDS)
    rows += (("合计", sum(facts.open_bands.values())), ("其中超期", facts.overdue))
    return StatsTable("open", "期末未办结", ("已过天数", "件数"), ("text", "int"), rows)


def _twelve_months(end: date) -> list[date]:
    months, day = [], end.replace(day=1)
    for _ in range(12):
        months.append(day)
        day = (day - timedelta(days=1)).replace(day=1)
    return months[::-1]


def _month_end(first: date) -> date:
    return ((first.replace(day=28) + timedelta(days=4)).replace(day=1)) - timedelta(days=1)
