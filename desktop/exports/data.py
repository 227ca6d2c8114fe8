"""What a published disclosure file shows: plain values, already masked and approved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class PublicEntry:
    seq: int  # 序号
    number: str  # 投诉单号
    received_at: datetime  # 投诉时间
    respondent: str  # 被投诉方
    content: str  # 投诉内容: the approved summary, no personal information
    success: bool  # 成功与否: mediated successfully
    corrected_on: date | None = None  # set when an approved correction changed this row


@dataclass(frozen=True)
class PublicCorrection:
    """An approved correction (更正), announced with the corrected list."""

    number: str
    corrected_on: date
    note: str  # what was corrected, in public words


@dataclass(frozen=True)
class EnterpriseLine:
    """One enterprise's figures for the same period and scope as the list."""

    respondent: str
    credit_code: str
    accepted: int  # complaints accepted (受理) in the period
    closed: int  # complaints closed (办结) in the period
    mediated: int  # closed with a mediation outcome (调解成功, 调解不成, 终止调解)
    settled: int  # closed with 调解成功

    @property
    def success_rate(self) -> float | None:
        """settled / mediated, 0..1; None when nothing was mediated."""
        return self.settled / self.mediated if self.mediated else None


@dataclass(frozen=True)
class PublicList:
    issuer: str  # the publishing bureau, e.g. 吴中区市场监督管理局
    scope: str  # whose complaints: the district or a sub-bureau's name
    month: date  # first day of the month
    published_on: date
    approved_on: date  # the deputy director's approval
    revision: int  # 0: as first published; n: after the n-th correction round
    entries: tuple[PublicEntry, ...]
    enterprises: tuple[EnterpriseLine, ...] = ()
    corrections: tuple[PublicCorrection, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        return f"{self.scope}消费投诉公示（{self.month.year}年{self.month.month}月）"
