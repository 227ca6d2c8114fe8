"""What the 2026 forms write alike: check boxes, numbers in Chinese, the listed grounds with the
one that applies ticked, the rules' citation and the ways to resolve a dispute."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from desktop.forms.fonts import TICKED, UNTICKED
from desktop.forms.sheet import BODY_FLUSH, CELL_FONT, para

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """0–999 as a legal text writes them (六十, 四十五, 一百零五); others in digits."""
    if not 0 <= n < 1000:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = f"{_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    return out + (_DIGITS[ones] if ones else "")


def box(ticked: bool) -> str:
    return TICKED if ticked else UNTICKED


GAP = "\u00a0" * 4  # no-break spaces: a Paragraph collapses ordinary and ideographic ones


def yes_no(answer: bool | None) -> str:
    """☑是 ☐否 as answered; two empty boxes when it was not answered."""
    return f"{box(answer is True)}是{GAP}{box(answer is False)}否"


def ground_list(grounds: Sequence[tuple[str, str]], chosen: str, width: float) -> Table:
    """Every ground of the rule set in its order, numbered, the recorded one ticked."""
    rows = [[para(f"{box(code == chosen)}（{chinese_number(n)}）", BODY_FLUSH),
             para(f"{text}；" if n < len(grounds) else f"{text}。", BODY_FLUSH)]
            for n, (code, text) in enumerate(grounds, start=1)]
    table = Table(rows, colWidths=[18 * mm, width - 26 * mm], hAlign="RIGHT")
    table.setStyle(TableStyle([CELL_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table


def chosen_number(grounds: Sequence[tuple[str, str]], chosen: str) -> int | None:
    """The place of the recorded ground in the list (1-based), None when it is not listed."""
    return next((n for n, (code, _) in enumerate(grounds, start=1) if code == chosen), None)


def rules_title(name: str) -> str:
    """How a legal text cites a rule set: the title in 《》 without the set's own note
    (《市场监督管理投诉举报处理办法》（2026-04-15 施行） → 《市场监督管理投诉举报处理办法》)."""
    if name.startswith("《") and "》" in name:
        return name[: name.index("》") + 1]
    return name or "有关规定"


# 《中华人民共和国消费者权益保护法》第三十九条: the five ways a consumer dispute may be resolved.
CPL_39 = "《中华人民共和国消费者权益保护法》第三十九条"
WAYS_TO_COMPLAINANT = (
    f"你可以依据{CPL_39}的规定，通过与经营者协商和解、请求消费者协会或者依法成立的其他调解组织"
    "调解、向有关行政部门投诉、根据与经营者达成的仲裁协议提请仲裁机构仲裁、向人民法院提起诉讼"
    "等途径解决争议。")
WAYS_TO_PARTIES = (
    f"双方当事人可以依据{CPL_39}的规定，通过协商和解、请求消费者协会或者依法成立的其他调解"
    "组织调解、根据达成的仲裁协议提请仲裁机构仲裁、向人民法院提起诉讼等途径解决争议。")
