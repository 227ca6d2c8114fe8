"""Reference data an administrator maintains: code tables, the working-day calendar, rule sets."""

from __future__ import annotations

from datetime import date

from desktop.db.models import CalendarYear, CodeItem, HolidayOverride, RuleSetRow
from desktop.db.repositories import CodeRepository
from desktop.domain.calendar import DayInfo, DueDate, YearSource
from desktop.domain.deadlines import DayUnit, RuleSet
from desktop.domain.errors import FieldError
from desktop.domain.workflow import Role
from desktop.services.base import Service, bump_generation, require_role
from desktop.services.complaints import ComplaintService
from desktop.services.dto import Changed, CodeInfo, CurrentUser


class ReferenceService(Service):
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
            uow.commit()
        return changed

    def _calendar_changed(self, admin: CurrentUser) -> None:
        # Stored due dates feed the overdue and due-soon lists: bring them in line at once.
        self.ctx.reference.invalidate()
        ComplaintService(self.ctx).refresh_due_dates(admin)

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
            row.name, row.effective_from = rules.name, rules.effective_from
            row.accept_days, row.mediation_days = rules.accept_days, rules.mediation_days
            row.mediation_unit = DayUnit(rules.mediation_unit).value
            row.termination_notice_days = rules.termination_notice_days
            row.violation_check_days = rules.violation_check_days
            row.violation_check_extension = rules.violation_check_extension
            row.odr_days, row.tentative, row.note = rules.odr_days, rules.tentative, rules.note
            uow.session.add(row)
            bump_generation(CodeRepository(uow.session))
            uow.flush()
            changed = Changed("rule_set", (row.id,), created=created)
            uow.commit()
        self._calendar_changed(admin)
        return changed
