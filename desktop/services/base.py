"""What every service shares: the engine, the clock, the reference data, role and scope checks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine

from desktop.db.models import RuleSetRow, User, new_uuid
from desktop.db.repositories import CodeRepository, OfficeRepository, UserRepository
from desktop.db.uow import Actor, UnitOfWork
from desktop.domain.calendar import WorkingCalendar
from desktop.domain.deadlines import Confidence, DayUnit, Grounds, PeriodEnd, RuleSet
from desktop.domain.errors import PermissionDenied
from desktop.domain.workflow import Role
from desktop.security.keys import KeyRing
from desktop.services.dto import CurrentUser


class Clock:
    """Beijing wall-clock time of this PC; tests substitute a fixed one."""

    def now(self) -> datetime:
        return datetime.now().replace(microsecond=0)

    def today(self) -> date:
        return self.now().date()


@dataclass
class FixedClock(Clock):
    at: datetime

    def now(self) -> datetime:
        return self.at


GENERATION_KEY = "reference_generation"


def bump_generation(codes: CodeRepository) -> None:
    """Mark calendar or rule sets as changed, in the changing transaction, for every process."""
    codes.set_setting(GENERATION_KEY, new_uuid())


def grounds_of(grounds: dict, kind: str) -> Grounds:
    """One list of a rule set's grounds ({kind: [[code, wording] …]}) as pairs."""
    return tuple((str(code), str(text)) for code, text in grounds.get(kind, ()))


def confidence_of(confidence: dict) -> tuple[tuple[str, Confidence], ...]:
    return tuple(sorted((k, Confidence(v)) for k, v in confidence.items()))


def rule_set_of_row(r: RuleSetRow) -> RuleSet:
    return RuleSet(
        code=r.code,
        name=r.name,
        effective_from=r.effective_from,
        accept_days=r.accept_days,
        mediation_days=r.mediation_days,
        mediation_unit=DayUnit(r.mediation_unit),
        termination_notice_days=r.termination_notice_days,
        violation_check_days=r.violation_check_days,
        violation_check_extension=r.violation_check_extension,
        odr_days=r.odr_days,
        tentative=bool(r.tentative),
        note=r.note or "",
        period_end=PeriodEnd(r.period_end or PeriodEnd.NEXT_WORKING_DAY),
        report_check_days=r.report_check_days,
        report_check_extension=r.report_check_extension,
        rejection_grounds=grounds_of(json.loads(r.grounds or "{}"), "rejection"),
        termination_grounds=grounds_of(json.loads(r.grounds or "{}"), "termination"),
        confidence=confidence_of(json.loads(r.confidence or "{}")),
        forms=r.forms or "2020",
    )


def write_rule_set_row(row: RuleSetRow, rules: RuleSet) -> None:
    """Every value of `rules` onto the stored row (its code stays: complaints record it)."""
    row.name, row.effective_from = rules.name, rules.effective_from
    row.accept_days, row.mediation_days = rules.accept_days, rules.mediation_days
    row.mediation_unit = DayUnit(rules.mediation_unit).value
    row.termination_notice_days = rules.termination_notice_days
    row.violation_check_days = rules.violation_check_days
    row.violation_check_extension = rules.violation_check_extension
    row.odr_days, row.tentative, row.note = rules.odr_days, rules.tentative, rules.note
    row.period_end = PeriodEnd(rules.period_end).value
    row.report_check_days = rules.report_check_days
    row.report_check_extension = rules.report_check_extension
    grounds = {kind: [list(g) for g in items] for kind, items in
               (("rejection", rules.rejection_grounds), ("termination", rules.termination_grounds))
               if items}
    row.grounds = json.dumps(grounds, ensure_ascii=False)
    row.confidence = json.dumps({k: Confidence(v).value for k, v in rules.confidence},
                                sort_keys=True)
    row.forms = rules.forms


class Reference:
    """Calendar and rule sets, cached; re-read when any process (another PC's program, the
    command line) has changed them, which it marks with a new generation in app_settings."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._calendar: WorkingCalendar | None = None
        self._rule_sets: list[RuleSet] | None = None
        self._generation: str | None = None

    def invalidate(self) -> None:
        self._calendar = None
        self._rule_sets = None

    def _check_generation(self) -> None:
        with UnitOfWork(self._engine, write=False) as uow:
            current = CodeRepository(uow.session).setting(GENERATION_KEY)
        if current != self._generation:
            self.invalidate()
            self._generation = current

    def calendar(self) -> WorkingCalendar:
        self._check_generation()
        if self._calendar is None:
            with UnitOfWork(self._engine, write=False) as uow:
                codes = CodeRepository(uow.session)
                overrides = {o.day: o.is_working for o in codes.overrides()}
                years = [y.year for y in codes.confirmed_years()]
            self._calendar = WorkingCalendar(overrides, years)
        return self._calendar

    def rule_sets(self) -> list[RuleSet]:
        self._check_generation()
        if self._rule_sets is None:
            with UnitOfWork(self._engine, write=False) as uow:
                self._rule_sets = [
                    rule_set_of_row(r) for r in CodeRepository(uow.session).rule_sets()
                ]
        return self._rule_sets


@dataclass
class ServiceContext:
    engine: Engine
    clock: Clock
    reference: Reference
    data_dir: Path
    # The open data key and the key file that wraps it (security/keys.py): the user service
    # re-wraps it when accounts and passwords change; attachments and backups derive theirs.
    keyring: KeyRing | None = None


class Service:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _uow(
        self, user: CurrentUser | None, action: str, *, reason: str | None = None, write: bool = True
    ) -> UnitOfWork:
        actor = Actor(user.id, user.username, user.office_code) if user else Actor(None, "system")
        return UnitOfWork(self.ctx.engine, actor, action, reason=reason, write=write)

    @staticmethod
    def user_name(uow: UnitOfWork, user_id: int | None) -> str:
        """A user's display name, read once per unit of work (lists name the same few people)."""
        if user_id is None:
            return ""
        cache = uow.session.info.setdefault("user_names", {})
        if user_id not in cache:
            u = UserRepository(uow.session).get(user_id)
            cache[user_id] = u.display_name if u else ""
        return cache[user_id]


def require_role(user: CurrentUser, *roles: Role, doing: str) -> None:
    if not user.has(*roles):
        who = "、".join(r.label for r in roles)
        raise PermissionDenied(f"「{doing}」需要以下角色之一：{who}（当前用户 {user.display_name}）")


def require_scope(user: CurrentUser, office_id: int, what: str = "该记录") -> None:
    if user.scope is not None and office_id not in user.scope:
        raise PermissionDenied(f"{what}不属于您所在单位（{user.office_name}）的管辖范围")


def current_user_from(user: User, offices: OfficeRepository) -> CurrentUser:
    """The logged-in user's DTO, with the office scope worked out once at login."""
    office = user.office
    scope = None if office.kind == "district" else frozenset(offices.subtree_ids(office.id))
    return CurrentUser(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        office_id=office.id,
        office_code=office.code,
        office_name=office.name,
        office_kind=office.kind,
        roles=frozenset(Role(r.role) for r in user.roles),
        scope=scope,
    )
