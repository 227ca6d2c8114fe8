"""The forms the program prints, by key: what each is called and what it is printed for."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Scope(StrEnum):
    COMPLAINT = "complaint"  # one complaint
    SESSION = "session"  # one mediation contact of a complaint
    MONTH = "month"  # a month's disclosure list of a district or sub-bureau
    REQUEST = "request"  # one request about a disclosure list (a correction)
    PERIOD = "period"  # complaints received in a date range
    QUARTER = "quarter"  # a quarter's unfinished complaints


@dataclass(frozen=True)
class FormInfo:
    key: str
    title: str
    scope: Scope
    purpose: str


FORMS: dict[str, FormInfo] = {f.key: f for f in (
    FormInfo("registration", "消费投诉登记表", Scope.COMPLAINT, "登记内容，投诉人签字确认"),
    FormInfo("acceptance", "受理通知书", Scope.COMPLAINT, "告知投诉人已受理"),
    FormInfo("rejection", "不予受理通知书", Scope.COMPLAINT, "告知投诉人不予受理及法定依据"),
    FormInfo("mediation-record", "调解记录", Scope.SESSION, "一次调解的经过，双方和调解人签字"),
    FormInfo("agreement", "调解书", Scope.COMPLAINT, "调解协议，双方签字、调解单位盖章，一式三份"),
    FormInfo("termination", "终止调解告知书", Scope.COMPLAINT, "终止调解的依据和日期，告知双方"),
    FormInfo("disclosure", "消费投诉公示审批表", Scope.MONTH, "本月拟公示的投诉，部门负责人、分管局长签字"),
    FormInfo("disclosure-refusal", "消费投诉不予公示审批表", Scope.MONTH,
             "本月申请不予公示的投诉，部门负责人、分管局长签字"),
    FormInfo("correction-reply", "消费投诉公示更正申请答复书", Scope.REQUEST,
             "更正申请的审核结果，告知申请人"),
    FormInfo("ledger", "投诉台账", Scope.PERIOD, "一段时间内接收的投诉（横向），分区局分流件和自行受理件"),
    FormInfo("quarterly-check", "季度未办结件核对表", Scope.QUARTER, "季度末未办结的投诉：历时、期限、下一步"),
)}


# How a printing left the program, as the history says it.
HOW_LABELS = {"print": "打印", "pdf": "另存为 PDF", "cli": "命令行输出"}


def form(key: str) -> FormInfo:
    return FORMS[key]
