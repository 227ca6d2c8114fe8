"""How long the personal data of a closed complaint is kept, and what anonymisation leaves.

The Personal Information Protection Law (个人信息保护法) art. 19: "除法律、行政法规另有规定外，
个人信息的保存期限应当为实现处理目的所必要的最短时间。" Once a complaint is closed, its
consumer's name, phone, ID number and address serve the 回访, a reopening, a 复核 or a court
for some time; after that the complaint is kept for statistics and the file, not to reach the
person. The administrator sets that time (RETENTION_KEY, in whole years after the closing day);
until set, nothing is anonymised: the period is the office's decision (its 档案 rules may ask
more), and anonymising cannot be undone.

An anonymised complaint carries ANONYMISED_NAME as its complainant's name: that is its mark, on
the wire too (the contract exempts such a complaint from a phone and an address). Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

RETENTION_KEY = "privacy.retention_years"  # app_settings: whole years after closing; 0 = off
MAX_RETENTION_YEARS = 30
SUGGESTED_YEARS = 3
ANONYMISED_NAME = "（已匿名化）"
# What an anonymised complaint may leave blank although a registration requires it.
ANONYMISED_BLANKS = frozenset({"complainant_phone", "complainant_address"})
# Texts that may name or reach the consumer, masked on anonymisation: the complaint's, and
# those of its records (by table). The hub takes a change of exactly these in a record that
# otherwise only grows (a mediation record, a 回访, a 送达) once its complaint is anonymised.
COMPLAINT_TEXTS = ("request", "facts", "answer", "settlement_terms", "case_note", "status_note",
                   "consumer_judgement_note", "delegation_result", "mediation_materials",
                   "recusal_request", "check_extension_note")
RECORD_TEXTS: dict[str, tuple[str, ...]] = {
    "mediation_records": ("participants", "content", "result", "place"),
    "attachments": ("filename", "note"),
    "follow_ups": ("callee", "note"),
    "notice_deliveries": ("recipient", "note"),
}


def is_anonymised(name: str | None) -> bool:
    return name == ANONYMISED_NAME


@dataclass(frozen=True)
class Retention:
    years: int  # 0: not set, nothing is anonymised

    @property
    def on(self) -> bool:
        return self.years > 0

    def closed_before(self, today: date) -> date:
        """Complaints closed before this day are due: `years` whole years after closing."""
        try:
            return today.replace(year=today.year - self.years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - self.years, day=28)

    @property
    def label(self) -> str:
        return f"办结后 {self.years} 年" if self.on else "未设置（不做匿名化）"
