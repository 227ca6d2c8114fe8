"""Reference data an administrator maintains: code tables, the working-day calendar, rule sets.

Rule sets are shipped in resources/rulesets.json with a revision. On every start the program
brings a stored set that is still as an earlier revision shipped it up to the new values and
recomputes the due dates of the open complaints that follow it; a set an administrator edited
is left alone until the administrator adopts the new values or keeps the office's own. Open
complaints whose deadline moved earlier are kept in a notice each user sees once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from desktop import shipped
from desktop.db.models import (
    CalendarYear,
    CodeItem,
    Complaint,
    HolidayOverride,
    RuleSetRow,
    new_uuid,
)
from desktop.db.repositories import CodeRepository, ComplaintRepository
from desktop.db.sync.office_reference import publish
from desktop.domain.calendar import DayInfo, DueDate, YearSource
from desktop.domain.deadlines import DayUnit, PeriodEnd, RuleSet
from desktop.domain.errors import FieldError, NotFound
from desktop.domain.workflow import FINISHED, Role, Status
from desktop.services.base import (
    Service,
    ServiceContext,
    bump_generation,
    confidence_of,
    grounds_of,
    require_role,
    rule_set_of_row,
    write_rule_set_row,
)
from desktop.services.dto import Changed, CodeInfo, CurrentUser

if TYPE_CHECKING:
    from desktop.services.complaints import ComplaintService

SHIPPED_REVISION_KEY = "rule_set_revision:"  # + code: the shipped revision this office has dealt with
NOTICE_KEY = "deadline_notice"  # the open complaints whose deadline a rule-set change moved earlier
NOTICE_SEEN_KEY = "deadline_notice_seen:"  # + user id: the notice that user has dismissed
OFFER_SEEN_KEY = "rule_set_offer_seen:"  # + user id: the offers an administrator was told of


@dataclass(frozen=True)
class ShippedRuleSet:
    """A rule set as this program ships it, with what earlier revisions shipped."""

    rules: RuleSet
    revision: int
    earlier: tuple[RuleSet, ...]


def _rule_set_from_spec(spec: dict) -> RuleSet:
    return RuleSet(
        code=spec["code"],
        name=spec["name"],
        effective_from=date.fromisoformat(spec["effective_from"]),
        accept_days=spec["accept_days"],
        mediation_days=spec["mediation_days"],
        mediation_unit=DayUnit(spec["mediation_unit"]),
        termination_notice_days=spec["termination_notice_days"],
        violation_check_days=spec["violation_check_days"],
        violation_check_extension=spec["violation_check_extension"],
        odr_days=spec["odr_days"],
        tentative=bool(spec["tentative"]),
        note=spec["note"],
        period_end=PeriodEnd(spec.get("period_end", PeriodEnd.NEXT_WORKING_DAY)),
        report_check_days=spec.get("report_check_days"),
        report_check_extension=spec.get("report_check_extension"),
        rejection_grounds=grounds_of(spec.get("grounds") or {}, "rejection"),
        termination_grounds=grounds_of(spec.get("grounds") or {}, "termination"),
        confidence=confidence_of(spec.get("confidence") or {}),
        forms=spec.get("forms", "2020"),
    )


def shipped_rule_sets() -> list[ShippedRuleSet]:
    text = shipped.path(shipped.RULE_SETS).read_text("utf-8")
    out = []
    for spec in json.loads(text)["rule_sets"]:
        values = {k: v for k, v in spec.items() if k not in ("revision", "earlier")}
        earlier = tuple(
            _rule_set_from_spec({**values, **{k: v for k, v in old.items() if k != "revision"}})
            for old in spec.get("earlier", ()))
        out.append(ShippedRuleSet(_rule_set_from_spec(values), int(spec.get("revision", 1)), earlier))
    return out


@dataclass(frozen=True)
class RuleSetOffer:
    """New shipped values of a rule set this office's administrator had edited: the
    administrator decides between them (采用新规定) and the office's own (保留本单位设置)."""

    code: str
    revision: int
    own: RuleSet
    shipped: RuleSet

    @property
    def key(self) -> str:
        return f"{self.code}@{self.revision}"


@dataclass(frozen=True)
class MovedDeadline:
    complaint_id: int
    number: str
    respondent: str
    status: Status
    before: date
    after: date
    overdue: bool


@dataclass(frozen=True)
class DeadlineNotice:
    """Open complaints whose deadline a rule-set change moved earlier, overdue ones first."""

    id: str
    reason: str
    moved: tuple[MovedDeadline, ...]

    @property
    def overdue_count(self) -> int:
        return sum(m.overdue for m in self.moved)


@dataclass(frozen=True)
class WorkbenchNotices:
    deadlines: DeadlineNotice | None
    offers: tuple[RuleSetOffer, ...]  # for an administrator who has not yet been told


class ReferenceService(Service):
    def __init__(self, ctx: ServiceContext, *, complaints: ComplaintService) -> None:
        super().__init__(ctx)
        # Recomputes the open complaints' due dates when the calendar or a rule set changes.
        self.complaints = complaints

    # -- code tables ------------------------------------------------------------------
    def codes(self, kind: str, include_inactive: bool = False) -> list[CodeInfo]:
        with self._uow(None, "", write=False) as uow:
            return [CodeInfo(i.kind, i.code, i.label, i.active)
                    for i in CodeRepository(uow.session).items(kind, include_inactive)]

    def labels(self, kind: str) -> dict[str, str]:
        return {c.code: c.label for c in self.codes(kind, include_inactive=True)}

    def save_code(self, admin: CurrentUser, kind: str, code: str, label: str,
                  active: bool = True) -> Changed:
        """Add a code or change its label and whether it is offered; codes themselves stay."""
        require_role(admin, Role.ADMIN, doing="维护代码表")
        if not code.strip() or not label.strip():
            raise FieldError("代码表", "代码和名称都不能为空")
        with self._uow(admin, "维护代码表") as uow:
            repo = CodeRepository(uow.session)
            item = repo.get(kind, code.strip())
            created = item is None
            if item is None:
                order = len(repo.items(kind, include_inactive=True))
                item = CodeItem(kind=kind, code=code.strip(), label=label.strip(),
                                sort_order=order, active=active)
                uow.session.add(item)
            else:
                item.label, item.active = label.strip(), active
            uow.flush()
            changed = Changed("code", (item.id,), created=created)
            publish(uow.session, "codes")
            uow.commit()
        return changed

    def _calendar_changed(self, admin: CurrentUser) -> None:
        # Stored due dates feed the overdue and due-soon lists: bring them in line at once.
        self.ctx.reference.invalidate()
        self.complaints.refresh_due_dates(admin)

    # -- calendar ----------------------------------------------------------------------
    def year_exceptions(self, year: int) -> tuple[YearSource, list[DayInfo]]:
        calendar = self.ctx.reference.calendar()
        return calendar.source(year), calendar.year_exceptions(year)

    def due_date(self, start: date, working_days: int) -> DueDate:
        return self.ctx.reference.calendar().add_working_days(start, working_days)

    # A calendar change is reported as Changed("calendar", (year,)): the year it touched.
    def set_override(self, admin: CurrentUser, day: date, is_working: bool,
                     note: str = "") -> Changed:
        """Mark one day as working or not, e.g. a 调休 Saturday of a year just announced."""
        require_role(admin, Role.ADMIN, doing="设置工作日")
        with self._uow(admin, "设置工作日") as uow:
            row = CodeRepository(uow.session).override(day)
            if row is None:
                uow.session.add(HolidayOverride(day=day, is_working=is_working, note=note))
            else:
                row.is_working, row.note = is_working, note
            bump_generation(CodeRepository(uow.session))
            publish(uow.session, "calendar")
            uow.commit()
        self._calendar_changed(admin)
        return Changed("calendar", (day.year,))

    def remove_override(self, admin: CurrentUser, day: date) -> Changed:
        require_role(admin, Role.ADMIN, doing="设置工作日")
        with self._uow(admin, "删除工作日设置") as uow:
            row = CodeRepository(uow.session).override(day)
            if row is not None:
                uow.session.delete(row)
            bump_generation(CodeRepository(uow.session))
            publish(uow.session, "calendar")
            uow.commit()
        self._calendar_changed(admin)
        return Changed("calendar", (day.year,))

    def confirm_year(self, admin: CurrentUser, year: int, note: str = "") -> Changed:
        """The year's holidays and make-up days are all entered: stop calling it a guess."""
        require_role(admin, Role.ADMIN, doing="确认年度日历")
        with self._uow(admin, "确认年度日历") as uow:
            if year not in {y.year for y in CodeRepository(uow.session).confirmed_years()}:
                uow.session.add(CalendarYear(year=year, note=note))
            bump_generation(CodeRepository(uow.session))
            publish(uow.session, "calendar")
            uow.commit()
        self._calendar_changed(admin)
        return Changed("calendar", (year,))

    def unconfirm_year(self, admin: CurrentUser, year: int) -> Changed:
        """Take a confirmation back: the year is a guess again (its day settings stay)."""
        require_role(admin, Role.ADMIN, doing="撤销年度日历确认")
        with self._uow(admin, "撤销年度日历确认") as uow:
            for row in CodeRepository(uow.session).confirmed_years():
                if row.year == year:
                    uow.session.delete(row)
            bump_generation(CodeRepository(uow.session))
            publish(uow.session, "calendar")
            uow.commit()
        self._calendar_changed(admin)
        return Changed("calendar", (year,))

    # -- rule sets ---------------------------------------------------------------------
    def rule_sets(self) -> list[RuleSet]:
        return list(self.ctx.reference.rule_sets())

    def save_rule_set(self, admin: CurrentUser, rules: RuleSet) -> Changed:
        """Add a dated rule set, or correct one (e.g. the confirmed values of the 2026 rules)."""
        require_role(admin, Role.ADMIN, doing="维护时限规则")
        for label, value in (("受理期限", rules.accept_days), ("调解期限", rules.mediation_days)):
            if value <= 0 or value > 365:
                raise FieldError(label, "应为 1–365 之间的天数")
        with self._uow(admin, "维护时限规则") as uow:
            existing = {r.code: r for r in CodeRepository(uow.session).rule_sets()}
            created = rules.code not in existing
            row = existing.get(rules.code) or RuleSetRow(code=rules.code)
            write_rule_set_row(row, rules)
            uow.session.add(row)
            bump_generation(CodeRepository(uow.session))
            uow.flush()
            changed = Changed("rule_set", (row.id,), created=created)
            publish(uow.session, "rule_sets")
            uow.commit()
        self.ctx.reference.invalidate()
        self._recompute(admin, {rules.code}, f"管理员修改了时限规则{rules.name}")
        return changed

    # -- the shipped reference data -------------------------------------------------------
    def install_new_code_tables(self) -> list[str]:
        """At start: a code table this program ships and the database has never had (证件类型
        came with the 2026 rules) is installed; tables it has are the administrator's."""
        from desktop.services.offices import LOCAL_OFFICE_KEY

        tables = json.loads(shipped.path(shipped.CODE_TABLES).read_text("utf-8"))
        with self._uow(None, "", write=False) as uow:
            codes = CodeRepository(uow.session)
            if codes.setting(LOCAL_OFFICE_KEY) is None:
                return []  # not set up yet: initialisation installs them all
            missing = [k for k in tables if not k.startswith("_")
                       and not codes.items(k, include_inactive=True)]
        if not missing:
            return []
        with self._uow(None, "安装新增代码表") as uow:
            codes = CodeRepository(uow.session)
            # Again inside the writing transaction: another program may have just done it.
            missing = [k for k in missing if not codes.items(k, include_inactive=True)]
            for kind in missing:
                for order, (code, label) in enumerate(tables[kind]):
                    uow.session.add(CodeItem(kind=kind, code=code, label=label, sort_order=order))
            uow.commit()
        return missing

    def apply_shipped_rule_sets(self) -> list[str]:
        """At start: install shipped rule sets this database lacks, and bring each stored set
        that is still as an earlier revision shipped it up to this program's values; then
        recompute the due dates of the open complaints that follow a changed set. A set an
        administrator edited is not touched (see rule_set_offers). Returns the codes changed."""
        from desktop.services.offices import LOCAL_OFFICE_KEY

        shipped = shipped_rule_sets()
        with self._uow(None, "", write=False) as uow:
            codes = CodeRepository(uow.session)
            if codes.setting(LOCAL_OFFICE_KEY) is None:
                return []  # not set up yet: initialisation installs the shipped sets
            if not self._shipped_work(codes, shipped):
                return []
        with self._uow(None, "更新内置时限规则") as uow:
            codes = CodeRepository(uow.session)
            work = self._shipped_work(codes, shipped)
            rows = {r.code: r for r in codes.rule_sets()}
            updated = []
            for item, apply in work:
                if apply:
                    row = rows.get(item.rules.code) or RuleSetRow(code=item.rules.code)
                    write_rule_set_row(row, item.rules)
                    uow.session.add(row)
                    updated.append(item.rules)
                codes.set_setting(SHIPPED_REVISION_KEY + item.rules.code, str(item.revision))
            if updated:
                bump_generation(codes)
            uow.commit()
        if updated:
            self.ctx.reference.invalidate()
            names = "、".join(r.name for r in updated)
            self._recompute(None, {r.code for r in updated}, f"程序更新时按新规定更新了时限规则{names}")
        return [r.code for r in updated]

    @staticmethod
    def _shipped_work(codes: CodeRepository,
                      shipped: list[ShippedRuleSet]) -> list[tuple[ShippedRuleSet, bool]]:
        """(set, apply its values?) for each shipped set whose revision this office has not
        dealt with yet and that can be settled without asking: missing, still as an earlier
        revision shipped it (apply), or already equal to the new values (only note the revision)."""
        rows = {r.code: r for r in codes.rule_sets()}
        seen = codes.settings_under(SHIPPED_REVISION_KEY)
        work = []
        for item in shipped:
            row = rows.get(item.rules.code)
            if row is None:
                work.append((item, True))
                continue
            if int(seen.get(item.rules.code, "1")) >= item.revision:
                continue
            stored = rule_set_of_row(row)
            if stored == item.rules:
                work.append((item, False))
            elif stored in item.earlier:
                work.append((item, True))
        return work

    def rule_set_offers(self) -> list[RuleSetOffer]:
        """Shipped sets with new values this office has not taken because an administrator
        had edited the stored set: waiting for 采用新规定 or 保留本单位设置."""
        with self._uow(None, "", write=False) as uow:
            codes = CodeRepository(uow.session)
            rows = {r.code: r for r in codes.rule_sets()}
            seen = codes.settings_under(SHIPPED_REVISION_KEY)
            offers = []
            for item in shipped_rule_sets():
                row = rows.get(item.rules.code)
                if row is None or int(seen.get(item.rules.code, "1")) >= item.revision:
                    continue
                stored = rule_set_of_row(row)
                if stored != item.rules and stored not in item.earlier:
                    offers.append(RuleSetOffer(item.rules.code, item.revision, stored, item.rules))
            return offers

    def adopt_shipped_rule_set(self, admin: CurrentUser, code: str) -> Changed:
        """采用新规定: the shipped values replace the office's own; open complaints follow."""
        require_role(admin, Role.ADMIN, doing="采用新版时限规则")
        offer = self._offer(code)
        with self._uow(admin, "采用新版时限规则") as uow:
            codes = CodeRepository(uow.session)
            row = next(r for r in codes.rule_sets() if r.code == code)
            write_rule_set_row(row, offer.shipped)
            codes.set_setting(SHIPPED_REVISION_KEY + code, str(offer.revision))
            bump_generation(codes)
            uow.flush()
            changed = Changed("rule_set", (row.id,))
            publish(uow.session, "rule_sets")
            uow.commit()
        self.ctx.reference.invalidate()
        self._recompute(admin, {code}, f"管理员对时限规则{offer.shipped.name}采用了新规定")
        return changed

    def keep_own_rule_set(self, admin: CurrentUser, code: str) -> Changed:
        """保留本单位设置: the office's values stay; this revision is not offered again."""
        require_role(admin, Role.ADMIN, doing="保留本单位时限规则")
        offer = self._offer(code)
        with self._uow(admin, "保留本单位时限规则") as uow:
            codes = CodeRepository(uow.session)
            codes.set_setting(SHIPPED_REVISION_KEY + code, str(offer.revision))
            row = next(r for r in codes.rule_sets() if r.code == code)
            uow.commit()
        return Changed("rule_set", (row.id,))

    def _offer(self, code: str) -> RuleSetOffer:
        offer = next((o for o in self.rule_set_offers() if o.code == code), None)
        if offer is None:
            raise NotFound(f"时限规则「{code}」没有待决定的新版数值（可能已由其他管理员处理）")
        return offer

    # -- telling the users ---------------------------------------------------------------
    def _recompute(self, user: CurrentUser | None, codes: set[str], reason: str) -> int:
        """Recompute the due date of every open complaint following one of `codes`; each change
        is audited by the unit of work. Deadlines moved earlier go into the users' notice."""
        calendar, rule_sets = self.ctx.reference.calendar(), self.ctx.reference.rule_sets()
        complaints = self.complaints
        changed, last, moved = 0, 0, []
        while True:
            with self._uow(user, "时限规则变更，重算期限", reason=reason) as uow:
                batch = ComplaintRepository(uow.session).open_batch(last, 1000)
                if not batch:
                    break
                for c in batch:
                    if c.rule_set_code not in codes:
                        continue
                    before = c.due_on
                    due = complaints.deadlines_of(c, calendar, rule_sets).current_due(Status(c.status))
                    c.due_on = due.day if due else None
                    changed += c.due_on != before
                    if before is not None and c.due_on is not None and c.due_on < before:
                        moved.append((c.id, before))
                last = batch[-1].id
                uow.commit()
        if moved:
            self._add_to_notice(user, moved, reason)
        return changed

    def _add_to_notice(self, user: CurrentUser | None, moved: list[tuple[int, date]],
                       reason: str) -> None:
        """A new notice every user sees again; complaints of an earlier notice stay in it with
        the deadline they had before the first change."""
        with self._uow(user, "记录期限提前通知") as uow:
            codes = CodeRepository(uow.session)
            old = json.loads(codes.setting(NOTICE_KEY) or "{}")
            before = {int(k): v for k, v in old.get("before", {}).items()}
            for cid, day in moved:
                before.setdefault(cid, day.isoformat())
            reasons = [r for r in old.get("reason", "").split("；") if r]
            text = "；".join(reasons if reason in reasons else [*reasons, reason])
            codes.set_setting(NOTICE_KEY, json.dumps(
                {"id": new_uuid(), "made_at": self.ctx.clock.now().isoformat(), "reason": text,
                 "before": {str(k): v for k, v in sorted(before.items())}},
                ensure_ascii=False))
            uow.commit()

    def workbench_notices(self, user: CurrentUser) -> WorkbenchNotices:
        """What the workbench tells this user once: deadlines moved earlier (in the user's
        scope, still open, still earlier than before), and for an administrator the shipped
        rule sets waiting for a decision."""
        offers: tuple[RuleSetOffer, ...] = ()
        if user.has(Role.ADMIN):
            pending = self.rule_set_offers()
            with self._uow(None, "", write=False) as uow:
                told = CodeRepository(uow.session).setting(OFFER_SEEN_KEY + str(user.id)) or ""
            if pending and _offer_keys(pending) != told:
                offers = tuple(pending)
        return WorkbenchNotices(self._deadline_notice(user), offers)

    def _deadline_notice(self, user: CurrentUser) -> DeadlineNotice | None:
        today = self.ctx.clock.today()
        with self._uow(None, "", write=False) as uow:
            codes = CodeRepository(uow.session)
            raw = codes.setting(NOTICE_KEY)
            if not raw:
                return None
            notice = json.loads(raw)
            if codes.setting(NOTICE_SEEN_KEY + str(user.id)) == notice["id"]:
                return None
            before = {int(k): date.fromisoformat(v) for k, v in notice["before"].items()}
            ids = sorted(before)
            moved = []
            for i in range(0, len(ids), 500):
                query = select(Complaint).where(Complaint.id.in_(ids[i:i + 500]),
                                                Complaint.status.not_in([s.value for s in FINISHED]))
                for c in uow.session.scalars(query):
                    if user.scope is not None and c.office_id not in user.scope:
                        continue
                    if c.due_on is None or c.due_on >= before[c.id]:
                        continue  # no clock runs now, or no longer earlier than it was
                    moved.append(MovedDeadline(c.id, c.number, c.respondent_name, Status(c.status),
                                               before[c.id], c.due_on, c.due_on < today))
        if not moved:
            return None
        moved.sort(key=lambda m: (not m.overdue, m.after, m.number))
        return DeadlineNotice(notice["id"], notice["reason"], tuple(moved))

    def dismiss_deadline_notice(self, user: CurrentUser, notice_id: str) -> None:
        """知道了: this user has seen the notice; it is not shown to them again."""
        with self._uow(user, "知悉期限提前通知") as uow:
            CodeRepository(uow.session).set_setting(NOTICE_SEEN_KEY + str(user.id), notice_id)
            uow.commit()

    def dismiss_rule_set_offers(self, admin: CurrentUser, offers: tuple[RuleSetOffer, ...]) -> None:
        """The administrator has been told of these offers; the rule-set screen keeps them."""
        with self._uow(admin, "知悉时限规则新版本") as uow:
            CodeRepository(uow.session).set_setting(OFFER_SEEN_KEY + str(admin.id), _offer_keys(offers))
            uow.commit()


def _offer_keys(offers: Iterable[RuleSetOffer]) -> str:
    return ",".join(sorted(o.key for o in offers))
