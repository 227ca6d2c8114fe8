"""The enterprise credit lists on paper: 零投诉企业名单 and 红榜/黑榜 (confirmed entries only)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from desktop.forms.data import Letterhead
from desktop.forms.sheet import (
    NOTE,
    Pdf,
    SheetHeader,
    build,
    heading,
    para,
    ruled_table,
    signatures,
)


def credit_list(title: str, subtitle: str, header: Sequence[str], rows: Sequence[Sequence[str]],
                fractions: Sequence[float], lh: Letterhead, printed_at: datetime,
                note: str = "") -> Pdf:
    h = SheetHeader(title=title, letterhead=lh, printed_at=printed_at, landscape=True,
                    subtitle=subtitle)
    story = list(heading(h))
    story.append(ruled_table(header, rows, [h.width * f for f in fractions], small=True,
                             centered=(0,)))
    if note:
        story.append(para(note, NOTE))
    story.append(signatures([("消保科经办人（签字）", ""), ("部门负责人（签字）", "")], h.width))
    return build(h, story)
