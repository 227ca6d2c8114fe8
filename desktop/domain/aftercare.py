"""What the 2026 rules add around a decision: how each notice reached the party (送达) and the
follow-up call after closing (回访). Values and their Chinese labels; pure Python.
"""

from __future__ import annotations

from enum import StrEnum


class Notice(StrEnum):
    """A notice or decision that must reach a party, and whose time limit counts to delivery."""

    ACCEPTANCE = "acceptance"  # 投诉受理决定书
    REJECTION = "rejection"  # 投诉不予受理决定书
    ID_PROOF = "id_proof"  # 限期提供身份证明材料通知书
    MEDIATION = "mediation"  # 投诉调解通知书
    TERMINATION = "termination"  # 投诉终止调解决定书
    REPORT_RESULT = "report_result"  # 举报处理结果告知书

    @property
    def label(self) -> str:
        return NOTICE_LABELS[self]


NOTICE_LABELS = {
    Notice.ACCEPTANCE: "受理决定",
    Notice.REJECTION: "不予受理决定",
    Notice.ID_PROOF: "限期提供身份证明材料通知",
    Notice.MEDIATION: "调解通知",
    Notice.TERMINATION: "终止调解决定",
    Notice.REPORT_RESULT: "举报处理结果告知",
}


class Delivery(StrEnum):
    """How a notice was delivered (2026 rules: internet, phone, SMS, e-mail or letter)."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"
    LETTER = "letter"
    INTERNET = "internet"

    @property
    def label(self) -> str:
        return {"in_person": "当面", "phone": "电话", "sms": "短信", "email": "电子邮件",
                "letter": "信函", "internet": "互联网"}[self.value]


class CallMeans(StrEnum):
    PHONE = "phone"
    SMS = "sms"
    VISIT = "visit"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"phone": "电话", "sms": "短信", "visit": "上门", "other": "其他"}[self.value]


class Satisfaction(StrEnum):
    SATISFIED = "satisfied"
    BASIC = "basic"
    UNSATISFIED = "unsatisfied"

    @property
    def label(self) -> str:
        return {"satisfied": "满意", "basic": "基本满意", "unsatisfied": "不满意"}[self.value]


class FollowUpScope(StrEnum):
    """Which closed items need a 回访 (a setting; default: every accepted complaint)."""

    ACCEPTED = "accepted"  # complaints that were accepted (mediated, settled, terminated …)
    ALL_COMPLAINTS = "all_complaints"  # every closed complaint, rejected ones too
    COMPLAINTS_AND_REPORTS = "complaints_and_reports"  # and every closed 举报 with a real name
    NONE = "none"

    @property
    def label(self) -> str:
        return {"accepted": "已受理的投诉", "all_complaints": "全部办结的投诉",
                "complaints_and_reports": "全部办结的投诉和实名举报",
                "none": "不要求回访"}[self.value]


FOLLOW_UP_DAYS = 5  # default: within 5 working days of closing
