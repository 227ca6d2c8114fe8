"""The office tree's rules, shared by the office program and the district hub: which kinds of
office there are, where each may sit, and a station's tier."""

from __future__ import annotations

from desktop.domain.errors import FieldError

OFFICE_KINDS = {"district": "区局", "sub_bureau": "市场监督管理分局", "station": "企业投诉监督站"}
STATION_TIERS = {"general": "一般商贸企业", "hotspot": "热点难点行业企业", "large": "大中型商贸企业"}
_TIER_BY_LABEL = {label: code for code, label in STATION_TIERS.items()}
# Which kinds of office an office of each kind may sit under: the district is the root,
# sub-bureaus belong to it, stations to a sub-bureau (or directly to the district).
PARENT_KINDS: dict[str, tuple[str, ...]] = {
    "district": (),
    "sub_bureau": ("district",),
    "station": ("sub_bureau", "district"),
}


def tier_code(value: str | None) -> str | None:
    """A station's tier as stored (general, hotspot, large), from its code or its Chinese label
    (一般商贸企业 …), spaces around it ignored; None when it is neither."""
    text = (value or "").strip()
    if text.lower() in STATION_TIERS:
        return text.lower()
    return _TIER_BY_LABEL.get(text)


def tier_choices() -> str:
    """What a tier may be written as, for messages: each code with its label."""
    return "、".join(f"{code}（{label}）" for code, label in STATION_TIERS.items())


def check_placement(kind: str, tier: str | None, parent_kind: str | None) -> str | None:
    """Check an office's kind, its parent's kind (None: no parent) and its tier; the tier to
    keep (a station's; other offices have none). Raises FieldError naming the field."""
    if kind not in OFFICE_KINDS:
        raise FieldError("单位类型", f"应为{'、'.join(OFFICE_KINDS.values())}之一")
    allowed = PARENT_KINDS[kind]
    if parent_kind is None:
        if allowed:
            raise FieldError("上级单位", f"{OFFICE_KINDS[kind]}必须有上级单位")
    elif parent_kind not in allowed:
        if not allowed:
            raise FieldError("上级单位", f"{OFFICE_KINDS[kind]}是最上级，不能有上级单位")
        raise FieldError("上级单位", f"{OFFICE_KINDS[kind]}只能设在"
                         f"{'或'.join(OFFICE_KINDS[k] for k in allowed)}之下")
    if kind != "station":
        return None
    code = tier_code(tier)
    if code is None:
        if tier and tier.strip():
            raise FieldError("投诉站类别", f"不能是「{tier.strip()}」；应为{tier_choices()}之一"
                                         "（写代码或名称均可）")
        raise FieldError("投诉站类别", f"未填写；投诉站须写明类别，应为{tier_choices()}之一"
                                     "（写代码或名称均可）")
    return code
