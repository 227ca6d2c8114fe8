"""The statistics' queries: counting by GROUP BY over the complaints of an office scope, and the
few columns per item that the deadline arithmetic needs (docs/statistics.md)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    String,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    text,
    type_coerce,
)
from sqlalchemy.orm import Session

from desktop.db import models as m
from desktop.db.batches import slices
from desktop.domain.complaint import DISTRICT_DISPATCH_CHANNEL

Scope = frozenset[int] | set[int] | None
C = m.Complaint
OPEN_STATUSES = ("registered", "id_pending", "accepted", "rejected", "mediating", "delegated",
                 "settled", "terminated", "transferred", "case_opened", "filed", "not_filed")
HANDLED_KINDS = ("complaint", "report")
# A scope's closed items with every column the statistics read (migration 0012); named, as
# SQLite's planner otherwise takes ix_complaints_status_closed and reads each table row.
CLOSED_INDEX = "ix_complaints_closed_stats"  # 咨询 have no acceptance, mediation or closing figures
REPORT_INDEX = "ix_complaints_report_received"  # the 举报 by receipt (migration 0013)
RECEIVED_INDEX = "ix_complaints_office_received_stats"  # receipt, kind, respondent (0013)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)


def _sum_if(condition: Any, value: Any = 1) -> Any:
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


class StatisticsRepository:
    def __init__(self, session: Session, *, incomplete: str = "include") -> None:
        self.s = session
        # "exclude": leave out imported history marked 资料不全 (complaints.incomplete).
        self.complete_only = incomplete == "exclude"

    def _scoped(self, stmt: Any, scope: Scope) -> Any:
        stmt = stmt.where(C.office_id.in_(scope)) if scope is not None else stmt
        return stmt.where(C.incomplete.is_not(True)) if self.complete_only else stmt

    def user_names(self) -> dict[int, str]:
        return {i: str(n) for i, n in self.s.execute(select(m.User.id, m.User.display_name))}

    # -- received in the period --------------------------------------------------------------
    def received(self, start: date, end: date, scope: Scope) -> list[dict[str, Any]]:
        """The items received in the period, grouped by kind, channel, category, office and
        handler, with what the received-cohort figures need counted in each group."""
        low, high = _bounds(start, end)
        handled = C.kind.in_(HANDLED_KINDS)
        decided = or_(C.accepted_on.is_not(None), C.status.in_(("rejected", "transferred")),
                      C.result.in_(("rejected", "transferred")))
        stmt = select(
            C.kind, C.channel_code, C.category_code, C.office_id, C.handler_id,
            func.count(C.id).label("n"),
            _sum_if(C.channel_code == DISTRICT_DISPATCH_CHANNEL).label("dispatched"),
            _sum_if(and_(C.kind == "complaint", C.accepted_on.is_not(None))).label("accepted"),
            _sum_if(and_(C.kind == "complaint", decided)).label("decided"),
            _sum_if(and_(handled, C.status != "merged")).label("handled"),
            _sum_if(and_(handled, C.status == "closed", C.closed_on <= end)).label("closed_by_end"),
            func.coalesce(func.sum(case((handled, C.amount_cents), else_=0)), 0).label("amount_cents"),
        ).where(C.received_at >= low, C.received_at < high)
        # Grouped with the integer and many-valued keys first (the sorter compares fewer
        # fields: about a tenth faster), handed on in the order the tables were built in.
        stmt = self._scoped(stmt, scope).group_by(
            C.handler_id, C.category_code, C.channel_code, C.office_id, C.kind).order_by(
            C.kind, C.channel_code, C.category_code, C.office_id, C.handler_id)
        return [dict(r._mapping) for r in self.s.execute(stmt)]

    def top_respondents(self, start: date, end: date, scope: Scope, limit: int = 10) -> list[tuple[str, str, int]]:
        """The respondents complained about most: (name, credit code, items). Counted by the
        item's own columns first, then named: one enterprise look-up per group. The counting
        reads RECEIVED_INDEX alone (migration 0013), named because SQLCipher's SQLite takes the
        narrower receipt index and reads every table row of the period."""
        low, high = _bounds(start, end)
        where, params = self._scope_sql(scope, "office_id")
        indexed = "" if self.complete_only else f" INDEXED BY {RECEIVED_INDEX}"  # not covering then
        kinds = ", ".join(f"'{k}'" for k in HANDLED_KINDS)
        params.update(low=f"{low:%Y-%m-%d %H:%M:%S.%f}", high=f"{high:%Y-%m-%d %H:%M:%S.%f}",
                      limit=limit)
        rows = self.s.execute(text(
            "SELECT coalesce(e.name, g.respondent_name) AS top_name, "
            "coalesce(e.credit_code, g.respondent_credit_code, '') AS top_code, sum(g.n) AS total "
            "FROM (SELECT enterprise_id, respondent_name, respondent_credit_code, count(id) AS n "
            f"FROM complaints{indexed} WHERE received_at >= :low AND received_at < :high "
            f"AND kind IN ({kinds}){where} "
            "GROUP BY enterprise_id, respondent_name, respondent_credit_code) AS g "
            "LEFT OUTER JOIN enterprises AS e ON e.id = g.enterprise_id "
            "GROUP BY top_name, top_code ORDER BY total DESC, top_name LIMIT :limit"), params)
        return [(str(a), str(b), int(n)) for a, b, n in rows]

    def monthly(self, start: date, end: date, scope: Scope) -> dict[str, int]:
        """Items received per month ('2026-01' → n), each month counted by its own range of
        the receipt index (a count reads the index only; a GROUP BY would sort every row)."""
        where, params = self._scope_sql(scope, "office_id")
        parts, day = [], start
        while day <= end:
            following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
            low, high = _bounds(day, min(following - timedelta(days=1), end))
            i = len(parts)
            params.update({f"m{i}": f"{day:%Y-%m}", f"low{i}": f"{low:%Y-%m-%d %H:%M:%S.%f}",
                           f"high{i}": f"{high:%Y-%m-%d %H:%M:%S.%f}"})
            parts.append(f"SELECT :m{i}, count(*) FROM complaints "
                         f"WHERE received_at >= :low{i} AND received_at < :high{i}{where}")
            day = following
        if not parts:
            return {}
        counts = self.s.execute(text(" UNION ALL ".join(parts)), params)
        return {str(k): int(n) for k, n in counts if n}

    # -- closed in the period ---------------------------------------------------------------
    def closed(self, start: date, end: date, scope: Scope,
               ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
        """Each item closed in the period (or only those of `ids`), with its dates for the
        time limits."""
        if ids is not None:
            out: list[dict[str, Any]] = []
            for part in slices(list(ids)):
                out.extend(self._closed(start, end, scope, part))
            return out
        return self._closed(start, end, scope, None)

    def _closed(self, start: date, end: date, scope: Scope,
                ids: Sequence[int] | None) -> list[dict[str, Any]]:
        follow_ups = (select(func.count(m.FollowUp.id)).where(m.FollowUp.complaint_id == C.id)
                      .correlate(C).scalar_subquery())
        stmt = select(
            C.id, C.uuid, C.number, C.kind, C.received_at, C.office_id, C.handler_id,
            C.category_code, C.channel_code, C.rule_set_code, C.accepted_on, C.odr_started_on,
            C.mediation_started_on, C.settled_on, C.terminated_on, C.violation_found_on,
            C.case_decided_on, C.clock_from, C.check_extended_on, C.id_proof_received_on,
            C.closed_on, C.result, C.at_fault, C.recovered_cents, C.satisfaction,
            follow_ups.label("follow_ups"),
        ).where(C.status == "closed", C.closed_on >= start, C.closed_on <= end,
                C.kind.in_(HANDLED_KINDS))
        if ids is not None:
            stmt = stmt.where(C.id.in_(ids))
        return [dict(r._mapping) for r in self.s.execute(self._scoped(stmt, scope))]

    def closed_sums(self, start: date, end: date, scope: Scope, notice: str) -> dict[str, Any]:
        """The items closed in the period, summed in one pass by office and closing day, the
        order of the closed index (no sort of a year's 300,000 rows): `sums`, what the
        closed-cohort figures need; `days`, for each closing day (closing day, items whose
        receipt day `stat_wd` holds, the sum of those days' ordinals, the receipt days of the
        others), whence their working days from receipt to closing; `to_check`, the ids of the
        items that may have missed a limit — late by the due days of `stat_due`
        (load_due_days), or not of the common case (a pause, an acceptance decision without a
        date of its own, a day or rule set the table does not hold), with `notice` the
        termination notice. Only those need the deadline arithmetic row by row."""
        where, params = self._scope_sql(scope, "c.office_id")
        sql = f"""
            SELECT c.closed_on AS closed_on, count(*) AS n,
                sum(c.result IN ('settled', 'not_settled', 'terminated')) AS mediated,
                sum(c.result = 'settled') AS settled,
                coalesce(sum(c.recovered_cents), 0) AS recovered_cents,
                sum(c.violation_found_on IS NOT NULL) AS case_transfers,
                sum(CASE WHEN c.at_fault THEN 1 ELSE 0 END) AS at_fault,
                sum(c.id IN (SELECT complaint_id FROM follow_ups)) AS followed,
                sum(coalesce(c.satisfaction, '') != '') AS rated,
                sum(c.satisfaction IN ('satisfied', 'basic')) AS satisfied,
                count(r.wd) AS counted, coalesce(sum(r.wd), 0) AS received_wd,
                group_concat(CASE WHEN r.wd IS NULL THEN substr(c.received_at, 1, 10) END) AS other,
                group_concat(CASE WHEN {self._maybe_late()} THEN c.id END) AS to_check
            FROM complaints c{f" INDEXED BY {CLOSED_INDEX}" if scope is not None else ""}
            LEFT JOIN stat_wd r ON r.day = substr(c.received_at, 1, 10)
            LEFT JOIN stat_due a ON a.rule = c.rule_set_code
                AND a.day = coalesce(c.id_proof_received_on, substr(c.received_at, 1, 10))
            LEFT JOIN stat_due m ON m.rule = c.rule_set_code AND m.day = +c.accepted_on
            WHERE c.status = 'closed' AND c.closed_on >= :start AND c.closed_on <= :end
              AND c.kind IN ('complaint', 'report'){where}
            GROUP BY {"c.office_id, " if scope is not None else ""}c.closed_on"""
        keys = ("n", "mediated", "settled", "recovered_cents", "case_transfers", "at_fault",
                "followed", "rated", "satisfied")
        sums = dict.fromkeys(keys, 0)
        days: list[tuple[date, int, int, list[date]]] = []
        to_check: list[int] = []
        for row in self.s.execute(text(sql), {
                "start": start.isoformat(), "end": end.isoformat(), "notice": notice, **params}):
            g = row._mapping
            for key in keys:
                sums[key] += int(g[key] or 0)
            days.append((date.fromisoformat(str(g["closed_on"])[:10]), int(g["counted"]),
                         int(g["received_wd"]),
                         [date.fromisoformat(d) for d in g["other"].split(",")] if g["other"] else []))
            if g["to_check"]:
                to_check.extend(int(i) for i in g["to_check"].split(","))
        return {"sums": sums, "days": days, "to_check": to_check}

    @staticmethod
    def _maybe_late() -> str:
        """SQL: this closed item `c` may be late, or is not of the common case (see
        closed_sums, whose joins `a` and `m` are its acceptance and mediation due days).
        Each other due day is looked up only when the item has that limit."""
        def due(limit: str, day: str) -> str:
            return (f"(SELECT {limit} FROM stat_due WHERE rule = c.rule_set_code AND day = {day})")

        def first(*cols: str) -> str:  # the earliest of the dates present, else the closing day
            present = ", ".join(f"coalesce({x}, '9')" for x in cols)
            return f"coalesce(nullif(min({present}), '9'), c.closed_on)"

        received = "substr(c.received_at, 1, 10)"
        return f"""(
            (c.kind = 'report' AND coalesce(coalesce(c.case_decided_on, c.closed_on) >
                CASE WHEN c.check_extended_on IS NOT NULL
                     THEN {due("report_ext", f"coalesce(c.clock_from, {received})")}
                     ELSE {due("report", f"coalesce(c.clock_from, {received})")} END, 1))
            OR (c.kind != 'report' AND (c.accepted_on IS NULL
                OR coalesce(c.accepted_on > a.acceptance, 1)
                OR (c.odr_started_on IS NOT NULL AND coalesce(
                    {first("c.mediation_started_on", "c.settled_on", "c.terminated_on")}
                    > {due("odr", "+c.odr_started_on")}, 1))
                OR c.id IN (SELECT complaint_id FROM clock_pauses)
                OR coalesce({first("c.settled_on", "c.terminated_on", "c.violation_found_on")}
                            > m.mediation, 1)
                OR (c.terminated_on IS NOT NULL AND coalesce(coalesce(
                    (SELECT substr(min(d.delivered_at), 1, 10) FROM notice_deliveries d
                     WHERE d.complaint_id = c.id AND d.notice = :notice), c.closed_on)
                    > {due("termination", "+c.terminated_on")}, 1)))))"""

    # -- the due days of the common case, in a table of this connection -----------------------
    def load_due_days(self, rows: Iterable[tuple[str, str, dict[str, date | None]]],
                      ordinals: Iterable[tuple[date, int]] = ()) -> None:
        """Each rule set's limits for an item whose clock starts on a given day (rule set,
        day, {limit: due day}): `temp.stat_due`, for this transaction only, so that the
        common case's deadlines are joined in SQL instead of worked out row by row.
        `ordinals`: (day, working days up to it from a fixed day before) for `temp.stat_wd`,
        whose differences are the working days between two days."""
        self.s.execute(text(
            "CREATE TEMP TABLE IF NOT EXISTS stat_wd (day TEXT NOT NULL PRIMARY KEY, "
            "wd INTEGER NOT NULL) WITHOUT ROWID"))
        self.s.execute(text("DELETE FROM stat_wd"))
        days = [{"day": day.isoformat(), "wd": wd} for day, wd in ordinals]
        if days:
            self.s.execute(text("INSERT INTO stat_wd VALUES (:day, :wd)"), days)
        self.s.execute(text(
            "CREATE TEMP TABLE IF NOT EXISTS stat_due (rule TEXT NOT NULL, day TEXT NOT NULL, "
            "acceptance TEXT, mediation TEXT, odr TEXT, termination TEXT, report TEXT, "
            "report_ext TEXT, PRIMARY KEY (rule, day)) WITHOUT ROWID"))
        self.s.execute(text("DELETE FROM stat_due"))
        limits = ("acceptance", "mediation", "odr", "termination", "report", "report_ext")
        params = [{"rule": rule, "day": day.isoformat() if isinstance(day, date) else day,
                   **{k: (v.isoformat() if v is not None else None)
                      for k, v in ((k, due.get(k)) for k in limits)}}
                  for rule, day, due in rows]
        if params:
            self.s.execute(text(
                "INSERT INTO stat_due VALUES (:rule, :day, :acceptance, :mediation, :odr, "
                ":termination, :report, :report_ext)"), params)

    def _scope_sql(self, scope: Scope, column: str = "c.office_id") -> tuple[str, dict[str, Any]]:
        table = column.rpartition(".")[0]
        complete = (f" AND {table + '.' if table else ''}incomplete IS NOT 1"
                    if self.complete_only else "")
        if scope is None:
            return complete, {}
        names = {f"o{i}": office for i, office in enumerate(sorted(scope))}
        if not names:
            return " AND 0", {}
        return f" AND {column} IN ({', '.join(':' + n for n in names)}){complete}", names

    def pauses(self, ids: Sequence[int]) -> dict[int, list[tuple[date, date | None]]]:
        out: dict[int, list[tuple[date, date | None]]] = {}
        p = m.ClockPause
        for part in slices(list(ids)):
            for cid, started, ended in self.s.execute(
                    select(p.complaint_id, p.started_on, p.ended_on).where(p.complaint_id.in_(part))):
                out.setdefault(cid, []).append((started, ended))
        return out

    def deliveries(self, ids: Sequence[int], notice: str) -> dict[int, date]:
        """The first delivery of `notice` to each item (Beijing date)."""
        d = m.NoticeDelivery
        out: dict[int, date] = {}
        for part in slices(list(ids)):
            for cid, at in self.s.execute(
                    select(d.complaint_id, func.min(d.delivered_at)).where(
                        d.complaint_id.in_(part), d.notice == notice).group_by(d.complaint_id)):
                out[cid] = at.date() if isinstance(at, datetime) else date.fromisoformat(str(at)[:10])
        return out

    def decision_days(self, uuids: Iterable[str], actions: Sequence[str]) -> dict[str, date]:
        """When a 不予受理 or 转办 was decided: the complaint keeps no date of its own for
        them, the audit log does (UTC; Beijing is 8 hours ahead)."""
        a = m.AuditEntry
        out: dict[str, date] = {}
        for part in slices(list(uuids)):
            for uuid, at in self.s.execute(
                    select(a.entity_uuid, func.min(a.at)).where(
                        a.entity == "complaints", a.entity_uuid.in_(part),
                        a.action.in_(actions)).group_by(a.entity_uuid)):
                moment = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
                out[str(uuid)] = (moment + timedelta(hours=8)).date()
        return out

    # -- 接处率: the items whose decision was due in the period --------------------------------
    COMPLAINT_WINDOW, REPORT_WINDOW = 31, 62

    @staticmethod
    def _common_intake() -> Any:
        """A complaint whose acceptance clock runs from its receipt (no proof of identity asked
        for) and whose decision, if any, has a date of its own: its due day is the rule set's
        for the receipt day, and it is decided when accepted (or, without a decision, closed)."""
        return and_(C.kind == "complaint", C.status != "merged",
                    C.id_proof_requested_on.is_(None), C.id_proof_received_on.is_(None),
                    or_(C.accepted_on.is_not(None),
                        C.status.not_in(("rejected", "transferred", "closed"))))

    def intake_common(self, start: date, end: date, scope: Scope) -> tuple[int, int, list[int]]:
        """接处率 of the common case (`_common_intake`), by the due days of `stat_due`
        (load_due_days): (items due in the period, of them decided by their due day, and the ids
        of the other candidates received in the windows, for decision_candidates). One pass
        over the complaints' window (31 days before the period); the 举报 received in the 31
        days before it, whose window is 62 days, by their own small index."""
        low, high = _bounds(start - timedelta(days=self.REPORT_WINDOW), end)
        low31, _ = _bounds(start - timedelta(days=self.COMPLAINT_WINDOW), end)
        where, params = self._scope_sql(scope, "complaints.office_id")
        common = self._common_intake().compile(dialect=self.s.get_bind().dialect,
                                               compile_kwargs={"literal_binds": True})
        # The common case is decided once per row, in the join: an item without its due day
        # (not common, or a day or rule set the table does not hold) has a.rule NULL.
        due_here = "a.acceptance >= :start AND a.acceptance <= :end"
        sql = f"""
            SELECT coalesce(sum({due_here}), 0),
                coalesce(sum({due_here} AND coalesce(complaints.accepted_on, complaints.closed_on)
                              <= a.acceptance), 0),
                group_concat(CASE WHEN a.rule IS NULL AND complaints.status != 'merged' AND (
                    complaints.kind = 'report' OR NOT ({common})) THEN complaints.id END)
            FROM complaints LEFT JOIN stat_due a ON ({common})
                AND a.rule = complaints.rule_set_code
                AND a.day = substr(complaints.received_at, 1, 10)
            WHERE complaints.received_at >= :low31 AND complaints.received_at < :high{where}
              AND complaints.kind IN ('complaint', 'report')"""
        bounds = {"low": f"{low:%Y-%m-%d %H:%M:%S.%f}", "low31": f"{low31:%Y-%m-%d %H:%M:%S.%f}",
                  "high": f"{high:%Y-%m-%d %H:%M:%S.%f}"}
        due, met, ids = self.s.execute(text(sql), {
            **bounds, "start": start.isoformat(), "end": end.isoformat(), **params}).one()
        reports = self.s.execute(text(f"""
            SELECT complaints.id FROM complaints INDEXED BY {REPORT_INDEX}
            WHERE complaints.kind = 'report' AND complaints.received_at >= :low
              AND complaints.received_at < :low31 AND complaints.status != 'merged'{where}"""),
            {**bounds, **params}).scalars().all()
        return int(due), int(met), [*(int(i) for i in ids.split(",")), *reports] if ids else list(reports)

    def decision_candidates(self, start: date, end: date, scope: Scope,
                            among: Sequence[int] | None = None) -> list[dict[str, Any]]:
        """Complaints and reports whose acceptance (or case) decision can fall due from `start`
        to `end`: complaints received up to 31 days before (7 working days, even across the
        Spring Festival), reports up to 62 (30 working days with the extension), and those
        whose clock started again then (proof of identity, a merged new fact).
        `among`: the candidates received in the windows are these (intake_common's ids); the
        common case, counted by intake_common, is left out."""
        raw = lambda col: type_coerce(col, String).label(col.key)  # noqa: E731
        columns = (C.id, C.uuid, C.kind, C.status, C.result, raw(C.received_at), C.rule_set_code,
                   raw(C.accepted_on), raw(C.case_decided_on), raw(C.clock_from),
                   raw(C.check_extended_on), raw(C.id_proof_requested_on),
                   raw(C.id_proof_received_on), C.office_id, raw(C.closed_on))
        handled: tuple[Any, ...] = (C.status != "merged",)
        statements = []
        if among is not None:
            handled += (~self._common_intake(),)
            statements.extend(select(*columns).where(C.id.in_(part)) for part in slices(list(among)))
        else:
            for kinds, days in ((("complaint",), self.COMPLAINT_WINDOW),
                                (("report",), self.REPORT_WINDOW)):
                low, high = _bounds(start - timedelta(days=days), end)
                statements.append(self._scoped(select(*columns).where(
                    C.received_at >= low, C.received_at < high, C.kind.in_(kinds), *handled), scope))
        since = start - timedelta(days=62)
        for column in (C.id_proof_received_on, C.clock_from):
            # Each restart on its own (an OR would read the whole table), by its small index.
            stmt = select(*columns).where(column >= since, column <= end,
                                          C.kind.in_(HANDLED_KINDS), *handled)
            stmt = stmt.where(C.incomplete.is_not(True)) if self.complete_only else stmt
            statements.append(stmt.where((C.office_id + 0).in_(scope)) if scope is not None else stmt)
        rows: dict[int, dict[str, Any]] = {}
        dates = ("accepted_on", "case_decided_on", "clock_from", "check_extended_on",
                 "id_proof_requested_on", "id_proof_received_on", "closed_on")
        for stmt in statements:
            for r in self.s.execute(stmt):
                row = dict(r._mapping)
                # Read as text and parsed here: several times faster than the dialect's own.
                row["received_at"] = datetime.fromisoformat(row["received_at"])
                for key in dates:
                    row[key] = date.fromisoformat(row[key][:10]) if row[key] else None
                rows[row["id"]] = row
        return list(rows.values())

    # -- open at the period's end -------------------------------------------------------------
    def open_counts(self, end: date, bands: Sequence[tuple[str, date]], overdue_before: date,
                    scope: Scope) -> tuple[dict[str, int], int]:
        """The complaints and reports received by `end` and not closed by then (still open now,
        or closed after `end`), counted by age band, and how many of the still open ones have a
        stored due date before `overdue_before`. `bands`: (label, earliest receipt day), the
        youngest band first; older than the last: the last label."""
        _, high = _bounds(end, end)
        band = case(*((C.received_at >= datetime.combine(day, time.min), literal(label))
                      for label, day in bands[:-1]), else_=literal(bands[-1][0]))
        now_open = select(band.label("band"), func.count().label("n"),
                          _sum_if(C.due_on < overdue_before).label("overdue")).where(
            C.status.in_(OPEN_STATUSES), C.received_at < high, C.kind.in_(HANDLED_KINDS))
        if scope is not None:  # `+ 0`: walk the status index, not the office's every row
            now_open = now_open.where((C.office_id + 0).in_(scope))
        if self.complete_only:
            now_open = now_open.where(C.incomplete.is_not(True))
        # Closed after `end`: the scope's closed rows from the index alone.
        where, params = self._scope_sql(scope, "office_id")
        params.update({"end": end.isoformat(), "high": f"{high:%Y-%m-%d %H:%M:%S.%f}"})
        whens = []
        for i, (label, day) in enumerate(bands[:-1]):
            whens.append(f"WHEN received_at >= :b{i} THEN :l{i}")
            params.update({f"b{i}": f"{day.isoformat()} 00:00:00.000000", f"l{i}": label})
        params["last"] = bands[-1][0]
        closed_later = text(f"""
            SELECT CASE {' '.join(whens)} ELSE :last END AS band, count(*) AS n, 0
            FROM complaints{f" INDEXED BY {CLOSED_INDEX}" if scope is not None else ""}
            WHERE status = 'closed' AND closed_on > :end AND received_at < :high
              AND kind IN ('complaint', 'report'){where}
            GROUP BY 1""")
        counts: dict[str, int] = {}
        overdue = 0
        for stmt, bound in ((now_open.group_by(band), {}), (closed_later, params)):
            for label, n, late in self.s.execute(stmt, bound):
                counts[str(label)] = counts.get(str(label), 0) + int(n)
                overdue += int(late or 0)
        return counts, overdue
