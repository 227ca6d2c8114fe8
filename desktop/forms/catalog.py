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
    STATISTICS = "statistics"  # a statistics period of an office scope (统计 → 打印)
    HALF_YEAR = "half_year"  # a half-year of an office scope


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
    # Only in the 2026 edition (a 举报's forms: whatever its rule set, see services/letters.py).
    FormInfo("report-registration", "举报登记表", Scope.COMPLAINT,
             "举报人（可匿名）、被举报人、线索与事实；内部使用，举报人信息保密"),
    FormInfo("dispatch", "投诉/举报分送通知书", Scope.COMPLAINT,
             "分送下级单位办理，写明报送处理结果的期限；不载举报人信息"),
    FormInfo("id-proof", "限期提供身份证明材料通知书", Scope.COMPLAINT,
             "要求投诉人限期提供身份证明材料，逾期不予受理"),
    FormInfo("mediation-notice", "投诉调解通知书", Scope.COMPLAINT,
             "调解的时间、地点、调解人员及电话、需携带材料，申请回避的权利"),
    FormInfo("report-result", "举报处理结果告知书", Scope.COMPLAINT, "告知实名举报人立案或者不予立案"),
    FormInfo("disclosure", "消费投诉公示审批表", Scope.MONTH, "本月拟公示的投诉，部门负责人、分管局长签字"),
    FormInfo("disclosure-refusal", "消费投诉不予公示审批表", Scope.MONTH,
             "本月申请不予公示的投诉，部门负责人、分管局长签字"),
    FormInfo("correction-reply", "消费投诉公示更正申请答复书", Scope.REQUEST,
             "更正申请的审核结果，告知申请人"),
    FormInfo("ledger", "投诉台账", Scope.PERIOD, "一段时间内接收的投诉（横向），分区局分流件和自行受理件"),
    FormInfo("quarterly-check", "季度未办结件核对表", Scope.QUARTER, "季度末未办结的投诉：历时、期限、下一步"),
)}


# The statistics on paper: printed from 统计 and `hejie-admin stats` (services/statistics_reports.py),
# not by `hejie-admin print`; recorded in the printing log like the list forms.
STATISTICS_FORMS: dict[str, FormInfo] = {f.key: f for f in (
    FormInfo("stats-report", "消费投诉举报统计报表", Scope.STATISTICS,
             "一个期间的主要指标（同比、环比）、图表、分组统计、超时办结清单"),
    FormInfo("quality-review", "投诉举报件处办质量评审表", Scope.HALF_YEAR,
             "半年度（6 月、12 月）按单位、承办人的办结件数、按时处结率、平均用时、回访满意度、重新办理件数"),
)}


# The editions of a complaint's forms: a rule set says which its complaints print
# (RuleSet.forms). The forms both editions have keep their key; the 2026 edition names them so.
EDITION_2020 = "2020"
EDITION_2026 = "2026"
_ONLY_2026 = ("report-registration", "dispatch", "id-proof", "mediation-notice", "report-result")
FORMS_2026: dict[str, FormInfo] = {
    **{k: FORMS[k] for k in ("mediation-record", *_ONLY_2026)},
    **{f.key: f for f in (
        FormInfo("registration", "投诉登记表", Scope.COMPLAINT,
                 "登记内容、证件类型，是否同意公示、是否同意委托调解；投诉人签字确认"),
        FormInfo("acceptance", "投诉受理决定书", Scope.COMPLAINT, "告知投诉人已受理及调解期限"),
        FormInfo("rejection", "投诉不予受理决定书", Scope.COMPLAINT,
                 "不予受理的情形（全部列出，勾选适用的一项）及其他解决途径"),
        FormInfo("agreement", "投诉调解书", Scope.COMPLAINT,
                 "双方及委托代理人、调解协议，双方签字、调解单位盖章，一式三份"),
        FormInfo("termination", "投诉终止调解决定书", Scope.COMPLAINT,
                 "终止调解的情形（全部列出，勾选适用的一项），告知双方"),
    )},
}
FORMS_2020: dict[str, FormInfo] = {k: FORMS[k] for k in (
    "registration", "acceptance", "rejection", "mediation-record", "agreement", "termination")}


def edition_forms(edition: str) -> dict[str, FormInfo]:
    """The forms of a complaint in this edition, by key (any other edition: today's, 2020)."""
    return FORMS_2026 if edition == EDITION_2026 else FORMS_2020


def form_in(key: str, edition: str) -> FormInfo:
    """A form as the edition names it: its own title, or the catalogue's for the other forms."""
    return edition_forms(edition).get(key) or FORMS[key]


# How a printing left the program, as the history says it.
HOW_LABELS = {"print": "打印", "pdf": "另存为 PDF", "cli": "命令行输出"}


def form(key: str) -> FormInfo:
    return FORMS[key]
