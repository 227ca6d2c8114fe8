"""A complaint as its printed forms show it (forms/data.ComplaintPaper): every catalogued field
by its label or name, personal information masked for users who may not see it, and the grounds
in the complaint's own rule set's wording (an older complaint prints its older wording)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

from desktop.db.models import Complaint
from desktop.db.repositories import EnterpriseRepository, OfficeRepository
from desktop.db.uow import UnitOfWork
from desktop.domain.complaint import masked
from desktop.domain.complaint_fields import FIELDS
from desktop.domain.deadlines import DayUnit, Grounds, RuleSet
from desktop.forms.data import ComplaintPaper
from desktop.forms.marks import chinese_number, rules_title
from desktop.services.complaints import from_cents, sees_person
from desktop.services.dto import CurrentUser
from desktop.services.letters import case_filed

_PAPER_FIELDS = {f.name: f for f in fields(ComplaintPaper)}

Labels = Callable[[str], dict[str, str]]  # a code table's labels by code
Names = Callable[[int | None], str]  # a user's display name by id


def complaint_paper(uow: UnitOfWork, user: CurrentUser, c: Complaint, code: str,
                    rules: RuleSet, grounds: tuple[Grounds, Grounds], labels: Labels,
                    names: Names) -> ComplaintPaper:
    """The paper every form of the item prints from; `code`: the QR text; `rules`: the set the
    item follows; `grounds`: its grounds for not accepting and for terminating, in the set's
    order and wording (ComplaintService.grounds)."""
    rejection, termination = grounds
    unit = "个工作日" if rules.mediation_unit is DayUnit.WORKING else "日"
    extra: dict[str, Any] = dict(
        rule_set_name=rules.name, rules_title=rules_title(rules.name),
        mediation_limit=f"{rules.mediation_days}{unit}",
        mediation_limit_words=f"{chinese_number(rules.mediation_days)}{unit}",
        rejection_ground=dict(rejection).get(c.rejection_ground or "", c.rejection_ground or ""),
        termination_ground=dict(termination).get(c.termination_ground or "",
                                                 c.termination_ground or ""),
        rejection_grounds=rejection, termination_grounds=termination)
    enterprise = EnterpriseRepository(uow.session).get(c.enterprise_id) if c.enterprise_id else None
    return ComplaintPaper(
        code=code, rejection_ground_code=c.rejection_ground or "",
        termination_ground_code=c.termination_ground or "", case_filed=case_filed(c),
        respondent_phone=enterprise.phone if enterprise else "",
        **{**_values(uow, user, c, labels, names), **extra})


def _values(uow: UnitOfWork, user: CurrentUser, c: Complaint, labels: Labels,
            names: Names) -> dict[str, Any]:
    """The catalogued fields a printed form shows, as it prints them: codes, people and the
    office by their names, states by their labels, money in yuan, personal information
    masked for users who may not see it (a 举报's reporter: all but its handler and who
    registered it). A field prints under its key without `_code` or `_id` (`channel`,
    `handler`); a blank text prints as empty."""
    full = sees_person(user, c)
    out: dict[str, Any] = {}
    for f in FIELDS:
        key = (f.key.removesuffix("_code") if f.codes
               else f.wire if f.kind in ("user", "office") else f.key)
        paper = _PAPER_FIELDS.get(key)
        if paper is None:
            continue
        value = getattr(c, f.name)
        if f.codes is not None:
            value = labels(f.codes).get(value, value) if value else ""
        elif f.choices is not None:
            value = f.choices(value).label if value else ""
        elif f.kind == "money":
            value = from_cents(value)
        elif f.kind == "user":
            value = names(value)
        elif f.kind == "office":
            office = OfficeRepository(uow.session).get(value)
            value = office.name if office else ""
        elif not full:
            value = masked(f.name, value)
        out[key] = "" if value is None and paper.type == "str" else value
    return out
