"""The catalogue's labels speak of a 投诉 (投诉人, 被投诉方…); a 举报 and a 咨询 read them in
their own words. Used by the registration form and the complaint window's 投诉信息 tab."""

from __future__ import annotations

from desktop.domain.workflow import Intake

# Longest first: 被投诉方 before 投诉人 never overlap, but 投诉事项/投诉分类 must not become
# 举报事项 by way of a shorter rule.
_WORDS: dict[Intake, tuple[tuple[str, str], ...]] = {
    Intake.REPORT: (("被投诉方", "被举报方"), ("投诉人", "举报人"), ("投诉事项", "举报事项"),
                    ("投诉分类", "举报分类")),
    # A question may name a business without accusing it: 涉及经营者, not 被咨询方.
    Intake.CONSULTATION: (("被投诉方", "涉及经营者"), ("投诉人", "咨询人"),
                          ("投诉事项", "咨询事项"), ("投诉分类", "咨询分类"),
                          ("事实与理由", "咨询问题")),  # a question is asked, not argued
}


def intake_of(kind: str | Intake | None) -> Intake:
    """The kind as an Intake; anything unknown reads as a 投诉 (the catalogue's own words)."""
    try:
        return Intake(kind) if kind else Intake.COMPLAINT
    except ValueError:
        return Intake.COMPLAINT


def worded(text: str, kind: str | Intake | None) -> str:
    """A catalogue label (or a group title) in the words of this kind of item."""
    for old, new in _WORDS.get(intake_of(kind), ()):
        text = text.replace(old, new)
    return text
