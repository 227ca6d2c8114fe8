"""A complaint as its printed forms show it (forms/data.ComplaintPaper): every catalogued field
by its label or name, personal information masked for users who may not see it, and the grounds
in the complaint's own rule set's wording (an older complaint prints its older wording)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import fields
from typing import Any

from desktop.db.models import Complaint
from desktop.db.repositories import EnterpriseRepository, OfficeRepository
from desktop.db.uow import UnitOfWork
from desktop.domain.complaint import masked
from desktop.domain.complaint_fields import FIELDS
from desktop.domain.deadlines import DayUnit, RuleSet
from desktop.forms.data import ComplaintPaper
from desktop.forms.marks import chinese_number, rules_title
from desktop.services.complaints import SEES_PERSONAL_INFO, from_cents
from desktop.services.dto import CurrentUser
from desktop.services.letters import case_filed

_PAPER_FIELDS = {f.name: f for f in fields(ComplaintPaper)}

Labels = Callable[[str], dict[str, str]]  # a code table's labels by code
Names = Callable[[int | None], str]  # a user's display name by id


def rules_of(rule_sets: Iterable[RuleSet], c: Complaint) -> RuleSet | None:
    """The rule set the complaint was received under (its forms' edition and wording)."""
    return next((r for r in rule_sets if r.code == c.rule_set_code), None)


def complaint_paper(uow: UnitOfWork, user: CurrentUser, c: Complaint, code: str,
                    rules: RuleSet | None, labels: Labels, names: Names) -> ComplaintPaper:
    """The paper every form of the item prints from; `code`: the QR text."""
    extra: dict[str, Any] = {"rule_set_name": rules.name if rules else "有关规定",
                             "rules_title": rules_title(rules.name if rules else "")}
    if rules is not None:
        unit = "个工作日" if rules.mediation_unit is DayUnit.WORKING else "日"
        extra.update(
            mediation_limit=f"{rules.mediation_days}{unit}",
            mediation_limit_words=f"{chinese_number(rules.mediation_days)}{unit}",
            rejection_ground=rules.ground_text("rejection", c.rejection_ground),
            termination_ground=rules.ground_text("termination", c.termination_ground),
            rejection_grounds=rules.rejection_grounds,
            termination_grounds=rules.termination_grounds)
    else:
        extra.update(mediation_limit="", rejection_ground=c.rejection_ground or "",
                     termination_ground=c.termination_ground or "")
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
    masked for users who may not see it. A field prints under its key without `_code` or
    `_id` (`channel`, `handler`); a blank text prints as empty."""
    full = user.has(*SEES_PERSONAL_INFO)
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
