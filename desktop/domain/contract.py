"""What each record that travels between offices may hold: the wire contract's field rules.

One table, read by both sides: the office program checks what a user types against the same
lengths (services), and the district hub checks every pushed record against it before storing
anything, so a record that one office's program (or an attacker with its token) made up can
never be stored and handed on to break another office. `tests/unit/test_contract.py` holds the
table against the office database's columns, so a column added in a migration without a rule
here fails a test.

Field names are the wire names (`desktop/sync/protocol.py`): a foreign key travels under the
column's name without `_id`, as an office's code (`office`) or a record's UUID. Pure Python:
no Qt, no SQLAlchemy, no I/O.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, cast

from desktop.domain import complaint_fields
from desktop.domain.aftercare import CallMeans, Delivery, Notice, Satisfaction
from desktop.domain.complaint_fields import (  # noqa: F401  (the contract's names for them)
    FACTS_LEN,
    LONG_LEN,
    MAX_CENTS,
    NOTE_LEN,
    NUMBER_PATTERN,
)
from desktop.domain.disclosure import ListStatus, RequestKind, RequestStatus, Step
from desktop.domain.retention import ANONYMISED_BLANKS, is_anonymised
from desktop.domain.workflow import Intake

Kind = Literal["text", "int", "bool", "date", "datetime", "office", "user", "record", "sha256"]

# No complaint, purchase or meeting in this program's world happened before this day: an
# earlier date is a typo (1899 for 1999) or a spreadsheet's zero date, never history.
EARLIEST_DATE = date(1990, 1, 1)
EARLIEST_TIME = datetime(1990, 1, 1)
LATEST_DATE = date(2099, 12, 31)
MAX_INT = 2**31 - 1

# Complaints brought in from an office's old Excel ledgers: history, which may lack what a
# new registration must have (an address, the facts); types and lengths are checked all the same.
HISTORY_CHANNEL = "history"

_SHA256 = re.compile(r"[0-9a-f]{64}")
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Dates and times exactly as the office program writes them (date.isoformat, datetime.isoformat):
# fromisoformat alone would also take 20261120T0900, 2026-W48-5 and a date for a time.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?")
# Invisible characters that change how a text reads without showing: C0/C1 controls (a line
# break and a tab are text), the bidirectional overrides (report\u202egpj.exe shows as
# reportexe.jpg) and lone surrogates, which no file or database can store.
_HIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def shown(value: Any, limit: int = 20) -> str:
    """A value as it may be quoted back in a message: cut short, hidden characters replaced."""
    return _HIDDEN.sub("\ufffd", str(value)[:limit])


@dataclass(frozen=True)
class Rule:
    """One field: its Chinese label, what kind of value it holds, and its bounds.

    `null`: the field may be None (the column is nullable). `required`: a new record must have
    a non-blank value (what a registration requires; history is exempt). `max_len` counts
    characters. `choices`: the only values a text may take. `target`: the entity a `record`
    reference points to.
    """

    label: str
    kind: Kind = "text"
    max_len: int | None = None
    null: bool = False
    required: bool = False
    choices: frozenset[str] | None = None
    minimum: int = 0
    maximum: int = MAX_INT
    target: str | None = None
    pattern: re.Pattern[str] | None = None  # the whole text must match


# The office reference's parts, in characters.
REFERENCE_CALENDAR_LEN = 200_000
REFERENCE_RULE_SETS_LEN = 500_000
REFERENCE_CODES_LEN = 200_000
REFERENCE_ENTERPRISES_LEN = 3_000_000


def _t(label: str, max_len: int, *, null: bool = False, required: bool = False,
       choices: Any = None) -> Rule:
    return Rule(label, "text", max_len, null, required,
                frozenset(str(c) for c in choices) if choices is not None else None)


def _d(label: str, *, null: bool = True) -> Rule:
    return Rule(label, "date", null=null)


def _dt(label: str, *, null: bool = False) -> Rule:
    return Rule(label, "datetime", null=null)


def _i(label: str, *, null: bool = False, minimum: int = 0, maximum: int = MAX_INT) -> Rule:
    return Rule(label, "int", null=null, minimum=minimum, maximum=maximum)


def _b(label: str, *, null: bool = False) -> Rule:
    return Rule(label, "bool", null=null)


def _user(label: str, *, null: bool = False) -> Rule:
    return Rule(label, "user", null=null)


def _office(label: str) -> Rule:
    return Rule(label, "office")


def _ref(label: str, target: str, *, null: bool = False) -> Rule:
    return Rule(label, "record", null=null, target=target)


def complaint_rules() -> dict[str, Rule]:
    """A complaint's rules, from the catalogue of its fields (domain/complaint_fields.py).
    `required` is what a 投诉 requires; a 举报 or 咨询 requires less (REQUIRED_BY_INTAKE)."""
    out = {}
    for f in complaint_fields.FIELDS:
        kind = cast(Kind, "int" if f.kind == "money" else f.kind)
        choices = (frozenset(c.value for c in f.choices) if f.choices is not None
                   else frozenset(code for code, _ in f.choice_values) if f.choice_values
                   else None)
        out[f.wire] = Rule(
            f.label, kind, f.max_len, f.null,
            f.required_for(Intake.COMPLAINT) and f.kind == "text", choices,
            maximum=f.maximum if f.maximum is not None else MAX_INT, target=f.target,
            pattern=f.pattern)
    return out


# Fields a new record may lack because they came later and the stored default holds: a
# complaint from a program older than the 2026 rules carries no kind, and it is a 投诉.
DEFAULTED: Mapping[str, frozenset[str]] = {"complaints": frozenset({"kind"})}

# The text fields a new item of each kind must fill in (wire names).
REQUIRED_BY_INTAKE: Mapping[str, frozenset[str]] = {
    intake.value: frozenset(f.wire for f in complaint_fields.FIELDS
                            if f.kind == "text" and f.required_for(intake))
    for intake in Intake
}


RULES: Mapping[str, Mapping[str, Rule]] = {
    "complaints": complaint_rules(),
    "clock_pauses": {
        "complaint": _ref("所属投诉", "complaints"),
        "started_on": _d("中止日期", null=False),
        "ended_on": _d("恢复日期"),
        "reason": _t("中止原因", NOTE_LEN),
    },
    "follow_ups": {
        "complaint": _ref("所属投诉", "complaints"),
        "called_at": _dt("回访时间"),
        "caller": _user("回访人"),
        "callee": _t("回访对象", 60),
        "means": _t("回访方式", 16, choices=CallMeans),
        "reached": _b("是否联系上"),
        "satisfaction": _t("满意度", 16, null=True, choices=Satisfaction),
        "note": _t("回访情况", NOTE_LEN),
    },
    "notice_deliveries": {
        "complaint": _ref("所属投诉", "complaints"),
        "notice": _t("文书", 24, choices=Notice),
        "means": _t("送达方式", 16, choices=Delivery),
        "delivered_at": _dt("送达时间"),
        "recipient": _t("受送达人", 60),
        "note": _t("送达说明", NOTE_LEN),
        "recorded_by": _user("记录人"),
    },
    "mediation_records": {
        "complaint": _ref("所属投诉", "complaints"),
        "held_at": _dt("调解时间"),
        "means": _t("调解方式", 16, required=True),
        "place": _t("调解地点", 200),
        "participants": _t("参加人员", NOTE_LEN),
        "content": _t("调解内容", FACTS_LEN),
        "result": _t("调解结果", LONG_LEN),
        "recorded_by": _user("记录人"),
        # A correction names the record it replaces and why; a program older than corrections
        # sends neither (null), and its records are taken as they are.
        "replaces": _ref("更正的调解记录", "mediation_records", null=True),
        "correction_reason": _t("更正理由", NOTE_LEN, null=True),
    },
    "attachments": {
        "complaint": _ref("所属投诉", "complaints"),
        "sha256": Rule("文件校验值", "sha256"),
        "filename": _t("文件名", 255, required=True),
        "size": _i("文件大小", maximum=2**40),
        "note": _t("附件说明", 200),
        "added_by": _user("添加人"),
        "added_at": _dt("添加时间"),
    },
    "printings": {
        "complaint": _ref("所属投诉", "complaints", null=True),
        "form": _t("表单", 40, required=True),
        "scope": _t("打印范围", 100),
        "pages": _i("页数", maximum=100_000),
        "checksum": _t("校验码", 16, null=True),
        "how": _t("打印方式", 16, choices=("print", "pdf", "cli")),
        "printed_at": _dt("打印时间"),
        "printed_by": _user("打印人"),
    },
    "disclosure_lists": {
        "scope_office": _office("公示单位"),
        "month": _d("公示月份", null=False),
        "status": _t("清单状态", 16, choices=ListStatus),
        "round": _i("审批轮次", minimum=1),
        "revision": _i("更正次数"),
        # The per-enterprise summary frozen as JSON: a district's month, hundreds of rows.
        "enterprise_figures": _t("企业汇总", 1_000_000),
        "channels": _t("公示渠道", 100),
    },
    "disclosure_entries": {
        "list": _ref("所属公示清单", "disclosure_lists"),
        "complaint": _ref("所属投诉", "complaints"),
        "seq": _i("序号"),
        "number": Rule("投诉单号", "text", 32, required=True, pattern=NUMBER_PATTERN),
        "received_at": _dt("接收时间"),
        "respondent": _t("被投诉方", 200),
        "respondent_credit_code": _t("被投诉方统一社会信用代码", 18, null=True),
        "content": _t("公示内容", LONG_LEN),
        "proposed_content": _t("建议公示内容", LONG_LEN),
        "success": _b("是否调解成功"),
        "excluded": _b("不予公示"),
        "corrected_on": _d("更正日期"),
    },
    "disclosure_requests": {
        "kind": _t("申请类型", 16, choices=RequestKind),
        "entry": _ref("所属公示条目", "disclosure_entries"),
        "complaint": _ref("所属投诉", "complaints"),
        "office": _office("办理单位"),
        "status": _t("申请状态", 16, choices=RequestStatus),
        "reason": _t("理由", LONG_LEN, required=True),
        "new_content": _t("更正后内容", LONG_LEN, null=True),
        "old_content": _t("原公示内容", LONG_LEN, null=True),
        "requester": _t("申请人", 200),
        "requester_address": _t("申请人地址", 200),
        "filed_at": _dt("申请时间"),
        "filed_by": _user("经办人"),
    },
    "disclosure_decisions": {
        "list": _ref("所属公示清单", "disclosure_lists", null=True),
        "request": _ref("所属申请", "disclosure_requests", null=True),
        "round": _i("审批轮次", minimum=1),
        "step": _t("审批环节", 20, choices=Step),
        "approve": _b("是否同意"),
        "note": _t("审批意见", LONG_LEN),
        "decided_at": _dt("审批时间"),
        "decided_by": _user("审批人"),
    },
    # The office reference (issue 22): canonical JSON texts (desktop/db/sync/office_reference.py).
    # Measured (issue 22): the built-in rule sets 4,904 characters (8.6 KB), the built-in code
    # tables 2,017, a year's 40 overrides ~1,100; an enterprise of the 企业库 ~245 characters,
    # so a sub-bureau's 5,000 enterprises 1.22 million characters (1.5 MB). The limits leave
    # room (a 企业库 of ~12,000) and keep one document well under a push's 32 MB.
    # A part no PC has published yet is absent (null): it never overwrites another PC's.
    "office_references": {
        "office": _office("所属单位"),
        "calendar": _t("工作日日历", REFERENCE_CALENDAR_LEN, null=True),
        "rule_sets": _t("时限规则", REFERENCE_RULE_SETS_LEN, null=True),
        "codes": _t("代码表", REFERENCE_CODES_LEN, null=True),
        "enterprises": _t("企业库", REFERENCE_ENTERPRISES_LEN, null=True),
    },
}

# Text limits of things that travel beside the records.
PERSON_NAME_LEN = 40  # a display name in an operation's `people`
MAX_PEOPLE = 50


_WINDOWS_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def filename_problem(name: str) -> str | None:
    """Why an attachment's name could be taken for a path (or trips Windows), or None.

    An attachment's name is a label shown to people, never a path: no folder separators, no
    drive, no `..`, no control characters, no name Windows reserves for devices.
    """
    if not name or not name.strip():
        return "不能为空"
    if "/" in name or "\\" in name or ":" in name:
        return "不能含有路径（/、\\ 或 :）"
    if _CONTROL.search(name) or _HIDDEN.search(name):
        return "含有不可见的控制字符或无效字符"
    if name.strip(". ") == "" or name != name.rstrip(". "):
        return "不能以点或空格结尾"
    if _WINDOWS_RESERVED.fullmatch(name):
        return f"「{name}」是 Windows 保留的设备名"
    return None


def label(entity: str, name: str) -> str:
    rule = RULES.get(entity, {}).get(name)
    return rule.label if rule else name


def canonical_uuid(value: Any) -> bool:
    """A UUID as str(uuid.UUID(...)) writes it: lowercase hex in 8-4-4-4-12 (what that round
    trip tested, by one match instead of building a UUID per field of every record)."""
    return isinstance(value, str) and _CANONICAL_UUID.fullmatch(value) is not None


def _problem(rule: Rule, name: str, value: Any) -> str | None:
    """What is wrong with one value, in Chinese, or None."""
    if value is None:
        return None if rule.null else "不能为空"
    kind = rule.kind
    if kind == "text":
        if not isinstance(value, str):
            return "应为文字"
        if rule.max_len is not None and len(value) > rule.max_len:
            return f"不能超过 {rule.max_len} 个字（现有 {len(value)} 个）"
        if _HIDDEN.search(value):
            return "含有不可见的控制字符或无效字符"
        if rule.choices is not None and value not in rule.choices:
            return f"取值「{shown(value)}」不在允许的范围内"
        if rule.pattern is not None and value and not rule.pattern.fullmatch(value):
            return "只能由字母、数字和连字符组成"
        return None
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return "应为整数"
        if not rule.minimum <= value <= rule.maximum:
            return f"应在 {rule.minimum} 到 {rule.maximum} 之间"
        return None
    if kind == "bool":
        return None if isinstance(value, bool) else "应为是或否"
    if kind in ("date", "datetime"):
        if not isinstance(value, str) or len(value) > 32:
            return "应为日期" if kind == "date" else "应为日期时间"
        try:
            if not (_DATE if kind == "date" else _DATETIME).fullmatch(value):
                raise ValueError(value)
            day = (date.fromisoformat(value) if kind == "date"
                   else datetime.fromisoformat(value).date())
        except ValueError:
            return f"「{shown(value)}」不是有效的{'日期' if kind == 'date' else '日期时间'}"
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            return f"{day.isoformat()} 不在 {EARLIEST_DATE.year} 年至 {LATEST_DATE.year} 年之间"
        return None
    if kind == "office":
        if not isinstance(value, str) or not 0 < len(value) <= 12:
            return "应为单位代码"
        return None
    if kind in ("user", "record"):
        return None if canonical_uuid(value) else "应为记录标识（UUID）"
    if kind == "sha256":
        if not isinstance(value, str) or not _SHA256.fullmatch(value):
            return "应为 64 位小写十六进制的 SHA-256"
        return None
    raise AssertionError(kind)


def field_problems(entity: str, fields: Mapping[str, Any], *, new: bool,
                   exempt: frozenset[str] = frozenset(),
                   require: bool | None = None,
                   intake: Any = None) -> list[tuple[str, str]]:
    """Every reason this record's fields break the contract, as (wire field, Chinese message
    naming the field).

    `new`: the fields are a whole new record, so every non-null field must be there.
    `require`: whether what a registration requires must not be blank; by default yes, unless
    the record is imported history (a new complaint says so by its channel).
    `exempt`: fields a new record may lack or leave blank (what a district dispatch cannot know).
    `intake`: a complaint's kind when `fields` (a change) does not carry it; a complaint without
    one is a 投诉 (records made before 2026 carry none).
    """
    rules = RULES.get(entity)
    if rules is None:
        return [("", f"未知的记录类型 {shown(entity, 40)}")]
    if require is None:
        require = not (entity == "complaints" and fields.get("channel_code") == HISTORY_CHANNEL)
    required: frozenset[str] | None = None  # None: each rule's own `required`
    if entity == "complaints":
        kind = fields.get("kind", intake)
        required = REQUIRED_BY_INTAKE.get(kind if isinstance(kind, str) else "",
                                          REQUIRED_BY_INTAKE[Intake.COMPLAINT.value])
        if is_anonymised(fields.get("complainant_name")):
            # Its retention period ran out (domain.retention): the person's phone and address
            # were blanked on purpose; the name carries the mark.
            required -= ANONYMISED_BLANKS
    out: list[tuple[str, str]] = []
    plain_texts, must = _compiled(entity)
    quick = _quick_checks(entity)
    hidden = _HIDDEN.search
    for name, value in fields.items():
        rule = rules.get(name)
        if rule is None:
            out.append((str(name), f"未知的字段 {shown(name, 40)}"))
            continue
        limit = plain_texts.get(name)
        if limit is not None and type(value) is str and len(value) <= limit \
                and hidden(value) is None:
            problem = None  # the common case of _problem's text branch, without its steps
        elif value is None and rule.null or (ok := quick.get(name)) is not None and ok(value):
            problem = None  # the common case of the other kinds (_quick_checks)
        else:
            problem = _problem(rule, name, value)
        if problem is None and entity == "attachments" and name == "filename" and value is not None:
            problem = filename_problem(value)
        needed = rule.required if required is None else name in required
        if problem is None and needed and require and name not in exempt \
                and isinstance(value, str) and not value.strip():
            problem = "不能为空"
        if problem is not None:
            out.append((name, f"{rule.label}{problem}"))
    if new:
        out.extend((name, f"{rule.label}缺失") for name, rule in must
                   if name not in fields and name not in exempt)
    return out


@functools.cache
def _compiled(entity: str) -> tuple[dict[str, int], tuple[tuple[str, Rule], ...]]:
    """What `field_problems` looks up per field, once per entity: the text fields without
    choices or pattern (name → most characters), and the fields a new record must carry
    (not nullable, not defaulted), in the rules' order."""
    rules = RULES[entity]
    plain = {name: rule.max_len if rule.max_len is not None else sys.maxsize
             for name, rule in rules.items()
             if rule.kind == "text" and rule.choices is None and rule.pattern is None}
    defaulted = DEFAULTED.get(entity, frozenset())
    must = tuple((name, rule) for name, rule in rules.items()
                 if not rule.null and name not in defaulted)
    return plain, must


def _quick(rule: Rule) -> Any:
    """A test that passes the values `_problem` finds nothing wrong with in the common cases of
    a rule's kind (a value it fails goes to `_problem`, which says what is wrong), or None."""
    kind, low, high = rule.kind, rule.minimum, rule.maximum
    if kind == "int":
        return lambda v: type(v) is int and low <= v <= high
    if kind == "bool":
        return lambda v: type(v) is bool
    if kind in ("user", "record"):
        match = _CANONICAL_UUID.fullmatch
        return lambda v: type(v) is str and match(v) is not None
    if kind == "office":
        return lambda v: type(v) is str and 0 < len(v) <= 12
    if kind == "text" and rule.choices is not None and rule.pattern is None:
        # A choice is one of the program's own codes: no hidden characters, within the limit.
        allowed = frozenset(c for c in rule.choices
                            if (rule.max_len is None or len(c) <= rule.max_len)
                            and _HIDDEN.search(c) is None)
        return lambda v: type(v) is str and v in allowed
    return None


@functools.cache
def _quick_checks(entity: str) -> dict[str, Any]:
    """`_quick` of each of an entity's rules that has one, by field."""
    return {name: check for name, rule in RULES[entity].items()
            if (check := _quick(rule)) is not None}


def problems(entity: str, fields: Mapping[str, Any], *, new: bool) -> list[str]:
    """The Chinese messages of `field_problems`. A change (`new=False`) is checked field by
    field without the registration's required marks: a receiving office takes a dispatched
    complaint without addresses; whether a change may blank a field is the hub's rule."""
    return [message for _, message in
            field_problems(entity, fields, new=new, require=None if new else False)]


def text_limit(entity: str, name: str) -> int | None:
    """The most characters a text field may hold (the office's forms enforce the same)."""
    rule = RULES.get(entity, {}).get(name)
    return rule.max_len if rule is not None and rule.kind == "text" else None
