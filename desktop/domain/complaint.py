"""The complaint as registered: its fields, their validation, and the list filter."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from desktop.domain import validators as v
from desktop.domain.complaint_fields import BY_NAME, FORM_FIELDS
from desktop.domain.errors import FieldError, ValidationFailed
from desktop.domain.workflow import Intake, Status

DISTRICT_DISPATCH_CHANNEL = "district"
# Imported hotline work orders (12345/12315) stand in the ledger's 区局分流 part beside those
# the district dispatched (complaint_fields.IMPORT_KINDS).
HOTLINE_IMPORT = "hotline"


def is_dispatched(channel_code: str | None, import_kind: str | None) -> bool:
    """Whether a complaint belongs to the ledger's 区局分流 part (else 自行接收)."""
    return channel_code == DISTRICT_DISPATCH_CHANNEL or import_kind == HOTLINE_IMPORT

# Chinese labels of the draft's fields, for messages and forms (the catalogue's).
LABELS = {f.key: f.label for f in FORM_FIELDS}


# Text fields checked against the wire contract's length as typed (trimmed), and the codes
# checked once normalised (typed with spaces or full-width characters, stored without).
_CODES = tuple(f.key for f in FORM_FIELDS if f.kind == "text" and f.checked)  # phone, ID, credit
_FREE_TEXT = tuple(f.key for f in FORM_FIELDS
                   if f.kind == "text" and f.key not in _CODES)
# The fields chosen from a code table (no default: the form's first entry is 请选择).
_CHOSEN = frozenset(f.key for f in FORM_FIELDS if f.editor == "code")
# The national rules require both parties' names and addresses, the request and facts (a 举报
# may be anonymous, a 咨询 needs only the question and its answer); the fields with a check of
# their own (the phone, the time received) are not merely required.
_REQUIRED = {intake: tuple(f.key for f in FORM_FIELDS if f.required_for(intake) and not f.checked)
             for intake in Intake}
# Which documents an ID number is checked for (the resident ID card's check digit and birth date).
RESIDENT_ID_TYPES = ("resident_id", "")

_MASKS: Mapping[str, Callable[[str], str]] = {
    "name": v.mask_name, "phone": v.mask_phone, "id_number": v.mask_id_number,
    "hidden": lambda _value: "（已隐藏）",
}


def masked(name: str, value: Any) -> Any:
    """A value as a user who may not see personal information sees it: masked when the field
    is personal, as is otherwise. A hidden field (the address) is hidden even when blank; an
    absent value (None) stays absent."""
    field = BY_NAME.get(name)
    if field is None or field.personal is None or value is None:
        return value
    return _MASKS[field.personal](str(value))


@dataclass(frozen=True)
class ComplaintDraft:
    """What a clerk types when registering (or editing) a complaint."""

    channel_code: str
    received_at: datetime
    complainant_name: str
    complainant_phone: str
    respondent_name: str
    subject: str
    category_code: str
    request: str
    facts: str
    complainant_address: str = ""
    complainant_id_number: str | None = None
    respondent_credit_code: str | None = None
    respondent_address: str = ""
    enterprise_id: int | None = None
    brand_model: str = ""
    purchase_date: date | None = None
    amount: Decimal | str | None = None
    request_type: str = ""
    district_number: str | None = None
    kind: str = Intake.COMPLAINT.value
    complainant_id_type: str | None = None
    reporter_real_name: bool | None = None
    consent_disclosure: bool | None = None
    consent_delegation: bool | None = None
    answer: str | None = None

    @property
    def intake(self) -> Intake:
        return Intake(self.kind)

    def validated(self, now: datetime) -> ComplaintDraft:
        """A normalised copy, or ValidationFailed listing every wrong field at once."""
        errors: list[FieldError] = []
        out: dict[str, object] = {}
        try:
            intake = Intake(self.kind)
        except ValueError:
            raise ValidationFailed([FieldError("类型", f"「{self.kind}」不是投诉、举报或咨询")]) from None

        def check(name: str, fn: Callable[..., object], *args: Any) -> None:
            try:
                out[name] = fn(*args)
            except FieldError as exc:
                errors.append(exc)

        # Lengths first, on what was typed: a 1 MB name is refused for its length, and no other
        # check runs over it. The codes normalised below (phone, ID number, credit code) may be
        # typed with spaces and are held to their length by their own checks.
        too_long = set()
        for name in _FREE_TEXT:
            try:
                v.check_text("complaints", name, (getattr(self, name) or "").strip(), LABELS[name])
            except FieldError as exc:
                errors.append(exc)
                too_long.add(name)
        # The national rules require both parties' names and addresses, the request and facts.
        for name in _REQUIRED[intake]:
            if name in _CHOSEN and not (getattr(self, name) or "").strip():
                # A choice with no default: say to choose, under the field's own name.
                errors.append(FieldError(LABELS[name], f"请选择{LABELS[name]}"))
            elif name not in too_long:
                check(name, v.check_required, getattr(self, name), LABELS[name])
        if self.received_at is None:
            errors.append(FieldError(LABELS["received_at"], "不能为空"))
        else:
            check("received_at", v.check_date, self.received_at, LABELS["received_at"], now)
        if self.complainant_phone.strip() or BY_NAME["complainant_phone"].required_for(intake):
            check("complainant_phone", v.check_phone, self.complainant_phone,
                  LABELS["complainant_phone"])
        if self.complainant_id_number and (self.complainant_id_type or "") in RESIDENT_ID_TYPES:
            check("complainant_id_number", v.check_id_number, self.complainant_id_number,
                  LABELS["complainant_id_number"], now.date())
        elif self.complainant_id_number:
            check("complainant_id_number", v.check_document_number, self.complainant_id_number,
                  LABELS["complainant_id_number"])
        # What does not belong to this kind of item is not kept (the form hides it).
        for f in FORM_FIELDS:
            if intake not in f.intakes and getattr(self, f.key) not in (None, ""):
                out[f.key] = "" if isinstance(getattr(self, f.key), str) and not f.null else None
        if self.respondent_credit_code:
            check("respondent_credit_code", v.check_credit_code, self.respondent_credit_code,
                  LABELS["respondent_credit_code"])
        if self.purchase_date is not None:
            check("purchase_date", v.check_date, self.purchase_date, LABELS["purchase_date"], now)
        if self.amount not in (None, ""):
            check("amount", v.check_amount, self.amount, LABELS["amount"])
        stripped = {
            f.name: getattr(self, f.name).strip()
            for f in fields(self)
            if isinstance(getattr(self, f.name), str) and f.name not in out
        }
        # A text the record cannot leave empty (a 举报's 诉求 may be blank) is blank, not None.
        stripped.update({f.key: "" for f in FORM_FIELDS if f.kind == "text" and not f.null
                         and getattr(self, f.key) is None and f.key not in out})
        # The normalised codes within the wire contract's length too, as they will be stored.
        wrong = {e.field for e in errors}
        for name in _CODES:
            value = out.get(name)
            if isinstance(value, str) and LABELS[name] not in wrong:
                try:
                    v.check_text("complaints", name, value, LABELS[name])
                except FieldError as exc:
                    errors.append(exc)
        if errors:
            raise ValidationFailed(errors)
        return replace(self, **stripped, **out)  # type: ignore[arg-type]


class SortKey(StrEnum):
    RECEIVED = "received_at"  # newest first
    NUMBER = "number"  # newest first
    DUE = "due_on"  # soonest first; only complaints whose clock runs


@dataclass(frozen=True)
class ComplaintFilter:
    """What a list asks for. Empty fields do not filter."""

    statuses: frozenset[Status] = frozenset()
    open_only: bool = False
    channel_code: str | None = None
    category_code: str | None = None
    handler_id: int | None = None
    office_id: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    due_before: date | None = None  # due_on < this date (overdue: today)
    due_from: date | None = None  # due_on >= this date
    due_until: date | None = None  # due_on <= this date (due soon)
    dispatched: bool | None = None  # district dispatch vs self-received
    closed_from: date | None = None  # closed_on within [closed_from, closed_to]
    closed_to: date | None = None
    enterprise_id: int | None = None
    kind: str | None = None  # 投诉 / 举报 / 咨询 (workflow.Intake value); None: all three
    text: str = ""
    sort: SortKey = SortKey.RECEIVED
    reverse: bool = False  # oldest (or, by due date, latest) first
