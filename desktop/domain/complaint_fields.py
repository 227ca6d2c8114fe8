"""The catalogue of a complaint's fields: one entry per column, everything else reads it.

Each field says what people call it, where it belongs, whether it must be filled in, how it is
kept private, whether the full-text search and the ledger show it, and what the wire contract
allows (`domain/contract.py` builds its complaint rules from here). From this one list come the
registration form and the 投诉信息 tab (fields, labels, required marks, order), the 处理经过
labels, who sees what masked, the printed forms' values, the ledger's columns and the search
columns. `tests/unit/test_complaint_fields.py` holds it against the model's columns, so a
column added in a migration without an entry here fails a test.

Pure Python: no Qt, no SQLAlchemy. Masks are named here and applied by `domain/complaint.py`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from desktop.domain.workflow import (
    ALL_INTAKES,
    COMPLAINT_ONLY,
    HANDLERS,
    REPORT_ONLY,
    Intake,
    Result,
    Role,
    Status,
)

# Long texts: enough for what people write on a form, bounded so that no record can fill a
# page count or a disk.
FACTS_LEN = 5000
LONG_LEN = 2000
NOTE_LEN = 1000
# Money in fen: the office's forms take at most one hundred million yuan (validators.check_amount).
MAX_CENTS = 10**10
# A number names files (printed forms) and goes into URLs: letters, digits, hyphens.
NUMBER_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]*")


# Who sees complainants' personal information in full; others see each personal field masked.
SEES_PERSONAL_INFO = HANDLERS | {Role.ADMIN}


class Group(StrEnum):
    """Where a field belongs: the registration form's boxes, and 处理 for what follows."""

    SOURCE = "来源"
    COMPLAINANT = "投诉人"
    RESPONDENT = "被投诉方"
    MATTER = "投诉事项"  # the consumption facts (消费事实): what was bought, what went wrong
    HANDLING = "处理"


# What a value is. The wire contract's kinds, and `money`: fen stored, yuan shown and typed
# (a field `amount_cents` is `amount` in the draft, the detail and the printed form).
Kind = Literal["text", "int", "bool", "date", "datetime", "office", "user", "record", "money"]

# How a field is typed on the registration form: a line, several lines, a choice from a code
# table, a date and time, a date that may be unknown, an amount in yuan, 是/否 (unanswered: None).
Editor = Literal["line", "lines", "code", "datetime", "date", "money", "yesno"]

# How personal information is shown to a user who may not see it: the name's first character,
# the phone's first three and last four digits, the ID number's ends, or not at all.
Mask = Literal["name", "phone", "id_number", "hidden"]


@dataclass(frozen=True)
class Field:
    """One column of a complaint.

    `required_from`: from this status on the field must not be blank (a registration's fields:
    REGISTERED; history brought in from old ledgers is exempt, see contract.HISTORY_CHANNEL).
    `editor`: how the registration form offers it (None: the program fills it in); `width`:
    how many of the form's three columns it takes; `hint`: its placeholder. `codes`: the code
    table its values come from (shown by their labels). `personal`: the mask for users who may
    not see personal information (None: not personal). `searchable`: in the full-text index,
    at this place in the text the triggers index. `ledger`: the ledger's column title and its
    place from the left, when the ledger shows it. `checked`: a check of its own in
    `ComplaintDraft.validated` (the phone, the ID number…) beyond length and required.
    """

    name: str  # the model's column
    label: str
    group: Group
    kind: Kind = "text"
    max_len: int | None = None
    null: bool = False
    required_from: Status | None = None
    choices: type[Status] | type[Result] | type[Intake] | None = None  # the only values
    maximum: int | None = None
    target: str | None = None  # the entity a `record` reference points to
    pattern: re.Pattern[str] | None = None
    editor: Editor | None = None
    width: int = 1
    hint: str = ""
    codes: str | None = None
    personal: Mask | None = None
    searchable: int | None = None  # its place in the index's text (migration 0002's order)
    ledger: tuple[str, int] | None = None  # (column title, place from the left)
    checked: bool = False
    spaced: bool = False  # typed with spaces, stored without: the form does not stop at max_len
    shown: bool = True  # on the complaint window's 投诉信息 tab (when it holds something)
    words: tuple[str, str] | None = None  # a yes/no field's values in words, yes first
    choice_values: tuple[tuple[str, str], ...] = ()  # a text's only values and their labels
    intakes: frozenset[Intake] = ALL_INTAKES
    optional_for: frozenset[Intake] = frozenset()

    @property
    def key(self) -> str:
        """The name in the draft, the detail and the printed form (money in yuan: `amount`)."""
        return self.name.removesuffix("_cents") if self.kind == "money" else self.name

    @property
    def wire(self) -> str:
        """The name on the wire: a reference travels without `_id` (desktop/sync/protocol.py)."""
        return self.name.removesuffix("_id") if self.kind in ("office", "user", "record") \
            else self.name

    @property
    def required(self) -> bool:
        """Required when a complaint is registered (the wire contract's `required`)."""
        return self.required_from is Status.REGISTERED

    def required_for(self, intake: Intake) -> bool:
        """Whether an item of this kind must have it when registered."""
        return self.required and intake in self.intakes and intake not in self.optional_for


_R = Status.REGISTERED
# A 举报 may be anonymous; a 咨询 is a question, perhaps with no respondent or product at all.
_ANONYMOUS = frozenset({Intake.REPORT, Intake.CONSULTATION})
_QUESTION = frozenset({Intake.CONSULTATION})
NOT_CONSULTATION = ALL_INTAKES - {Intake.CONSULTATION}

# The clerk's judgement whether a complainant bought for daily consumption (2026 rules, Art. 17).
CONSUMER_JUDGEMENTS = (("consumer", "属于生活消费"), ("not_consumer", "不属于生活消费"))
RECUSAL_DECISIONS = (("granted", "准予回避"), ("refused", "不予回避"))
# Imported history: an office's own old ledger, or a hotline's work orders (区局分流 part).
IMPORT_KINDS = (("ledger", "历史台账"), ("hotline", "热线工单"))

FIELDS: tuple[Field, ...] = (
    # -- 来源 -----------------------------------------------------------------------------
    Field("number", "投诉单号", Group.SOURCE, max_len=32, required_from=_R,
          pattern=NUMBER_PATTERN, ledger=("投诉单号", 1), shown=False),
    Field("kind", "类型", Group.SOURCE, max_len=16, required_from=_R, choices=Intake,
          ledger=("类型", 2), shown=False),
    Field("channel_code", "来源渠道", Group.SOURCE, max_len=32, required_from=_R,
          editor="code", codes="channel", ledger=("来源", 11)),
    Field("received_at", "接收时间", Group.SOURCE, "datetime", required_from=_R,
          editor="datetime", checked=True, ledger=("接收时间", 3)),
    Field("district_number", "区局单号", Group.SOURCE, max_len=40, null=True, editor="line"),
    # -- 投诉人 ---------------------------------------------------------------------------
    # A 举报 says first whether the reporter gives a name: an anonymous one leaves the rest blank.
    Field("reporter_real_name", "是否实名举报", Group.COMPLAINANT, "bool", null=True,
          editor="yesno", words=("实名", "匿名"), intakes=REPORT_ONLY),
    Field("complainant_name", "投诉人姓名", Group.COMPLAINANT, max_len=60, required_from=_R,
          editor="line", personal="name", searchable=1, ledger=("投诉人", 9),
          optional_for=_ANONYMOUS),
    Field("complainant_phone", "投诉人电话", Group.COMPLAINANT, max_len=40, required_from=_R,
          editor="line", hint="手机或固定电话", personal="phone", checked=True, ledger=("电话", 10),
          optional_for=_ANONYMOUS),
    Field("complainant_id_type", "证件类型", Group.COMPLAINANT, max_len=16, null=True,
          editor="code", codes="id_type", intakes=NOT_CONSULTATION),
    Field("complainant_id_number", "证件号码", Group.COMPLAINANT, max_len=18, null=True,
          editor="line", hint="选填", personal="id_number", checked=True, spaced=True,
          intakes=NOT_CONSULTATION),
    Field("complainant_address", "投诉人地址", Group.COMPLAINANT, max_len=200, required_from=_R,
          editor="line", width=3, personal="hidden", optional_for=_ANONYMOUS,
          intakes=NOT_CONSULTATION),
    Field("consent_disclosure", "是否同意公示投诉信息", Group.COMPLAINANT, "bool", null=True,
          editor="yesno", words=("是", "否"), intakes=COMPLAINT_ONLY),
    Field("consent_delegation", "是否同意委托调解", Group.COMPLAINANT, "bool", null=True,
          editor="yesno", words=("是", "否"), intakes=COMPLAINT_ONLY),
    # -- 被投诉方 -------------------------------------------------------------------------
    Field("respondent_name", "被投诉方名称", Group.RESPONDENT, max_len=200, required_from=_R,
          editor="line", width=2, hint="输入名称或统一社会信用代码，从企业库中选择",
          searchable=2, ledger=("被投诉方", 6), optional_for=_QUESTION),
    Field("respondent_credit_code", "被投诉方统一社会信用代码", Group.RESPONDENT, max_len=18,
          null=True, editor="line", checked=True, spaced=True),
    Field("respondent_address", "被投诉方地址", Group.RESPONDENT, max_len=200, required_from=_R,
          editor="line", width=2, optional_for=_ANONYMOUS),
    Field("enterprise_id", "企业库条目", Group.RESPONDENT, "record", null=True,
          target="enterprises", shown=False),
    # -- 投诉事项 -------------------------------------------------------------------------
    Field("subject", "商品或服务", Group.MATTER, max_len=200, required_from=_R, editor="line",
          hint="例如：空调、预付卡、汽车维修", searchable=3, ledger=("商品或服务", 7),
          optional_for=_QUESTION),
    Field("brand_model", "品牌型号", Group.MATTER, max_len=100, editor="line", searchable=4),
    Field("purchase_date", "购买日期", Group.MATTER, "date", null=True, editor="date",
          checked=True),
    Field("category_code", "投诉分类", Group.MATTER, max_len=32, required_from=_R,
          editor="code", codes="category", ledger=("分类", 8)),
    Field("amount_cents", "涉案金额", Group.MATTER, "money", null=True, maximum=MAX_CENTS,
          editor="money", hint="元，选填", checked=True),
    Field("request_type", "诉求类型", Group.MATTER, max_len=16, editor="code",
          codes="request_type"),
    Field("request", "诉求", Group.MATTER, max_len=LONG_LEN, required_from=_R, editor="line",
          width=3, searchable=6, optional_for=_ANONYMOUS),
    Field("facts", "事实与理由", Group.MATTER, max_len=FACTS_LEN, required_from=_R,
          editor="lines", width=3, searchable=5),
    Field("answer", "解答内容", Group.MATTER, max_len=LONG_LEN, null=True, required_from=_R,
          editor="lines", width=3, intakes=_QUESTION),
    # -- 处理 -----------------------------------------------------------------------------
    Field("status", "状态", Group.HANDLING, max_len=16, choices=Status,
          ledger=("状态", 4), shown=False),
    Field("due_on", "办理期限", Group.HANDLING, "date", null=True, ledger=("办理期限", 5), shown=False),
    Field("office_id", "办理单位", Group.HANDLING, "office", ledger=("承办单位", 12), shown=False),
    Field("handler_id", "承办人", Group.HANDLING, "user", null=True, ledger=("承办人", 13), shown=False),
    Field("registered_by_id", "登记人", Group.HANDLING, "user", shown=False),
    Field("rule_set_code", "时限规则", Group.HANDLING, max_len=32, required_from=_R, shown=False),
    Field("accepted_on", "受理日期", Group.HANDLING, "date", null=True),
    Field("odr_started_on", "在线纠纷解决开始日期", Group.HANDLING, "date", null=True, shown=False),
    Field("rejection_ground", "不予受理依据", Group.HANDLING, max_len=32, null=True,
          codes="rejection_ground"),
    Field("mediation_started_on", "开始调解日期", Group.HANDLING, "date", null=True, shown=False),
    Field("settled_on", "调解成功日期", Group.HANDLING, "date", null=True, shown=False),
    Field("settlement_terms", "调解协议", Group.HANDLING, max_len=LONG_LEN, null=True),
    Field("performance_due_on", "履行期限", Group.HANDLING, "date", null=True),
    Field("terminated_on", "终止日期", Group.HANDLING, "date", null=True, shown=False),
    Field("termination_ground", "终止调解依据", Group.HANDLING, max_len=32, null=True,
          codes="termination_ground"),
    Field("transferred_to", "转办单位", Group.HANDLING, max_len=200, null=True),
    Field("case_note", "立案线索", Group.HANDLING, max_len=LONG_LEN, null=True),
    Field("violation_found_on", "发现违法线索日期", Group.HANDLING, "date", null=True, shown=False),
    Field("closed_on", "办结日期", Group.HANDLING, "date", null=True),
    Field("result", "办结结果", Group.HANDLING, max_len=16, null=True, choices=Result),
    Field("recovered_cents", "挽回经济损失", Group.HANDLING, "money", null=True,
          maximum=MAX_CENTS),
    Field("at_fault", "经营者责任", Group.HANDLING, "bool", null=True, words=("有责", "无责")),
    Field("satisfaction", "满意度", Group.HANDLING, max_len=16, null=True),
    Field("status_note", "说明", Group.HANDLING, max_len=NOTE_LEN, null=True, shown=False),
    # -- 2026 rules: identity, consumer status, delegation, mediation notice, 举报, 咨询 --------
    Field("answered_at", "解答时间", Group.HANDLING, "datetime", null=True),
    Field("id_proof_requested_on", "要求提供身份证明日期", Group.HANDLING, "date", null=True),
    Field("id_proof_due_on", "身份证明提供期限", Group.HANDLING, "date", null=True),
    Field("id_proof_received_on", "收到身份证明日期", Group.HANDLING, "date", null=True),
    Field("consumer_judgement", "消费者身份判断", Group.HANDLING, max_len=16, null=True,
          choice_values=CONSUMER_JUDGEMENTS),
    Field("consumer_judgement_note", "判断理由", Group.HANDLING, max_len=NOTE_LEN, null=True),
    Field("delegated_to", "受委托调解组织", Group.HANDLING, max_len=200, null=True),
    Field("delegated_on", "委托调解日期", Group.HANDLING, "date", null=True),
    Field("delegation_returned_on", "委托调解结果反馈日期", Group.HANDLING, "date", null=True),
    Field("delegation_result", "委托调解结果", Group.HANDLING, max_len=LONG_LEN, null=True),
    Field("mediation_at", "调解时间", Group.HANDLING, "datetime", null=True),
    Field("mediation_place", "调解地点", Group.HANDLING, max_len=200, null=True),
    Field("mediator_name", "调解人员", Group.HANDLING, max_len=40, null=True),
    Field("mediator_phone", "调解人员电话", Group.HANDLING, max_len=40, null=True),
    Field("mediation_materials", "需携带材料", Group.HANDLING, max_len=NOTE_LEN, null=True),
    Field("recusal_days", "申请回避期限（日）", Group.HANDLING, "int", null=True, maximum=30),
    Field("recusal_request", "回避申请", Group.HANDLING, max_len=NOTE_LEN, null=True),
    Field("recusal_requested_on", "申请回避日期", Group.HANDLING, "date", null=True),
    Field("recusal_decision", "回避决定", Group.HANDLING, max_len=16, null=True,
          choice_values=RECUSAL_DECISIONS),
    Field("recusal_decided_on", "回避决定日期", Group.HANDLING, "date", null=True),
    Field("check_extended_on", "延长核查批准日期", Group.HANDLING, "date", null=True),
    Field("check_extension_note", "延长核查批准情况", Group.HANDLING, max_len=NOTE_LEN, null=True),
    Field("case_decided_on", "立案决定日期", Group.HANDLING, "date", null=True),
    Field("merged_into_id", "并入的举报", Group.HANDLING, "record", null=True,
          target="complaints", shown=False),
    Field("clock_from", "核查期限起算日", Group.HANDLING, "date", null=True),
    Field("origin_id", "来源投诉", Group.HANDLING, "record", null=True, target="complaints",
          shown=False),
    # -- history brought in from old ledgers and hotline exports (desktop/imports/) ----------
    Field("original_number", "原始编号", Group.SOURCE, max_len=64, null=True),
    Field("import_kind", "导入类别", Group.SOURCE, max_len=16, null=True,
          choice_values=IMPORT_KINDS, shown=False),
    Field("import_source", "导入来源", Group.SOURCE, max_len=300, null=True),
    Field("import_key", "导入标识", Group.SOURCE, max_len=80, null=True, shown=False),
    Field("import_hash", "导入内容校验", Group.SOURCE, max_len=64, null=True, shown=False),
    Field("remarks", "备注", Group.HANDLING, max_len=LONG_LEN, null=True),
    Field("incomplete", "资料不全", Group.HANDLING, "bool", null=True, words=("是", "否")),
)

BY_NAME: Mapping[str, Field] = {f.name: f for f in FIELDS}
BY_KEY: Mapping[str, Field] = {f.key: f for f in FIELDS}

# What a clerk types when registering, in the form's order (the draft's fields).
FORM_FIELDS: tuple[Field, ...] = tuple(f for f in FIELDS if f.editor is not None)
PERSONAL: tuple[Field, ...] = tuple(f for f in FIELDS if f.personal is not None)
SEARCHABLE: tuple[str, ...] = tuple(f.name for f in sorted(
    (f for f in FIELDS if f.searchable is not None), key=lambda f: f.searchable or 0))
LEDGER: tuple[Field, ...] = tuple(sorted((f for f in FIELDS if f.ledger is not None),
                                         key=lambda f: f.ledger[1] if f.ledger else 0))


def label(name: str) -> str:
    """A column's Chinese label (by its column name or its draft name), or the name itself."""
    found = BY_NAME.get(name) or BY_KEY.get(name)
    return found.label if found is not None else name


def in_group(group: Group, fields: tuple[Field, ...] = FORM_FIELDS) -> tuple[Field, ...]:
    return tuple(f for f in fields if f.group is group)
