"""What the hub checks in a pushed or dispatched record before storing it: the wire contract
(desktop/domain/contract.py), the names travelling beside it, and a received time that has not
happened yet. Each check gives Chinese problems naming the field, and the wire fields at fault.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from desktop.domain import contract
from desktop.sync.protocol import Operation

# Business times are Beijing wall-clock times; the hub's clock is naive UTC.
BEIJING_OFFSET = timedelta(hours=8)
FUTURE_SLACK = timedelta(hours=24)


@dataclass
class Problems:
    """Problems in Chinese and the wire fields they concern, in the order found."""

    messages: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)

    def add(self, name: str, messages: list[str]) -> None:
        if messages:
            self.messages.extend(messages)
            if name not in self.fields:
                self.fields.append(name)

    def __bool__(self) -> bool:
        return bool(self.messages)

    def message(self) -> str:
        return "未写入：" + "；".join(self.messages)


def record_problems(entity: str, fields: Mapping[str, Any], *, new: bool,
                    exempt: frozenset[str] = frozenset(), history: bool = False,
                    intake: Any = None) -> Problems:
    """The contract's verdict on a new record (`new`) or on the changed fields of an update.

    `exempt`: fields a new record may lack or leave blank (what a dispatch cannot know).
    `history`: the updated record is imported history, which may leave blank what a
    registration requires (a new record says so itself, by its channel)."""
    found = Problems()
    for name, message in contract.field_problems(entity, fields, new=new, exempt=exempt,
                                                 require=None if new else not history,
                                                 intake=intake):
        found.add(name, [message])
    return found


def beside_problems(op: Operation) -> Problems:
    """The names an operation carries beside the record: `people` and `made_by`."""
    found = Problems()
    people: list[str] = []
    if len(op.people) > contract.MAX_PEOPLE:
        people.append(f"经办人名单超过 {contract.MAX_PEOPLE} 人（现有 {len(op.people)} 人）")
    for key, name in list(op.people.items())[:contract.MAX_PEOPLE + 1]:
        if not contract.canonical_uuid(key):
            people.append(f"经办人标识「{key[:40]}」应为记录标识（UUID）")
        if len(name) > contract.PERSON_NAME_LEN:
            people.append(f"经办人姓名不能超过 {contract.PERSON_NAME_LEN} 个字（现有 {len(name)} 个）")
        if len(people) >= 3:  # enough to say what is wrong, short enough to read
            break
    found.add("people", people)
    if len(op.made_by) > contract.PERSON_NAME_LEN:
        found.add("made_by", [f"操作人不能超过 {contract.PERSON_NAME_LEN} 个字"
                              f"（现有 {len(op.made_by)} 个）"])
    return found


def received_in_future(value: Any, now_utc: datetime) -> str | None:
    """Why a complaint's received time is refused as still to come, or None.

    A day's slack: a station's clock may be off, and the hub's day ends later than Beijing's
    only by hours; three days ahead is a wrong clock or a typo, and would run its deadlines
    from a day that has not come."""
    if not isinstance(value, str):
        return None
    try:
        received = datetime.fromisoformat(value)
    except ValueError:
        return None  # the contract's check names this one
    latest = now_utc + BEIJING_OFFSET + FUTURE_SLACK
    if received.tzinfo is not None or received <= latest:
        return None
    hub_time = (now_utc + BEIJING_OFFSET).strftime("%Y-%m-%d %H:%M")
    return (f"未写入：接收时间 {received.strftime('%Y-%m-%d %H:%M')} 比区局平台的时间"
            f"（北京时间 {hub_time}）晚一天以上，请核对接收时间和本机时钟")
