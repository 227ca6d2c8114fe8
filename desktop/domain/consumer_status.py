"""Facts for judging whether a complainant bought for daily consumption (生活消费).

The 2026 rules (Art. 17, Art. 42) list what an office weighs: unusual quantity or frequency of
purchases, many complaints filed in bulk or in concert, no real purchase, phones or addresses
shared across complainants. The program gathers those facts from the office's records and
shows them; it never decides. The clerk's judgement and reason are recorded on the complaint.

Pure Python: the records come in as plain values.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# A quantity in the text: digits or Chinese numerals followed by a unit of goods.
_NUMERAL = "零一二两三四五六七八九十百千万"
_QUANTITY = re.compile(
    rf"(\d+|[{_NUMERAL}]+)\s*(台|件|箱|瓶|盒|部|个|袋|双|套|张|份|支|包|罐|桶|斤|公斤|千克|辆|只|块|条|本)")
# From how many of one thing a purchase is worth a second look (a family buys a few).
UNUSUAL_QUANTITY = 10
# From how many complaints in twelve months the frequency is worth a second look.
FREQUENT = 5


@dataclass(frozen=True)
class EarlierComplaint:
    number: str
    received_on: date
    respondent: str
    subject: str
    status: str  # its label


@dataclass(frozen=True)
class SharedContact:
    """Another complainant's complaint that shares this one's phone or address."""

    number: str
    received_on: date
    complainant: str  # masked: the clerk needs the fact, not the person
    shares: str  # 电话 / 地址


@dataclass(frozen=True)
class ConsumerFacts:
    since: date
    earlier: tuple[EarlierComplaint, ...]  # this person's complaints in the last 12 months
    respondents: tuple[tuple[str, int], ...]  # against whom, most first
    shared: tuple[SharedContact, ...]
    quantities: tuple[str, ...]  # unusual quantities found in the text, as written
    judgement: str | None  # consumer / not_consumer, once the clerk has judged
    judgement_note: str | None

    @property
    def points(self) -> tuple[str, ...]:
        """The facts in a sentence each, for the clerk to weigh (empty: nothing unusual)."""
        out = []
        if len(self.earlier) >= FREQUENT:
            out.append(f"近 12 个月内同一投诉人（姓名、电话或证件号码相同）另有 {len(self.earlier)} 件投诉，"
                       f"涉及 {len(self.respondents)} 个被投诉方")
        elif self.earlier:
            out.append(f"近 12 个月内同一投诉人另有 {len(self.earlier)} 件投诉")
        phones = sum(1 for s in self.shared if s.shares == "电话")
        addresses = sum(1 for s in self.shared if s.shares == "地址")
        if phones:
            out.append(f"另有 {phones} 件其他人的投诉使用同一电话")
        if addresses:
            out.append(f"另有 {addresses} 件其他人的投诉使用同一地址")
        if self.quantities:
            out.append(f"购买数量较大：{'、'.join(self.quantities)}")
        return tuple(out)


def unusual_quantities(*texts: str, at_least: int = UNUSUAL_QUANTITY) -> tuple[str, ...]:
    """Quantities of goods of at least `at_least` written in the texts (30台, 二十箱)."""
    found = []
    for text in texts:
        for m in _QUANTITY.finditer(text or ""):
            count = _number(m.group(1))
            if count is not None and count >= at_least and m.group(0) not in found:
                found.append(m.group(0))
    return tuple(found)


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
    total, current = 0, 0
    for ch in text:
        if ch in digits:
            current = digits[ch]
        elif ch in "十百千万":
            unit = {"十": 10, "百": 100, "千": 1000, "万": 10000}[ch]
            total += (current or 1) * unit
            current = 0
        else:
            return None
    return total + current


def gather(*, since: date, earlier: Iterable[EarlierComplaint],
           shared: Iterable[SharedContact], texts: Iterable[str],
           judgement: str | None = None, judgement_note: str | None = None) -> ConsumerFacts:
    earlier = tuple(sorted(earlier, key=lambda e: e.received_on, reverse=True))
    respondents = Counter(e.respondent for e in earlier)
    return ConsumerFacts(
        since=since,
        earlier=earlier,
        respondents=tuple(sorted(respondents.items(), key=lambda kv: (-kv[1], kv[0]))),
        shared=tuple(shared),
        quantities=unusual_quantities(*texts),
        judgement=judgement,
        judgement_note=judgement_note,
    )
