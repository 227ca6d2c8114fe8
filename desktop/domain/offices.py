"""The office tree's rules, shared by the office program and the district hub: which kinds of
office there are, where each may sit, and a station's tier."""

from __future__ import annotations

from desktop.domain.errors import FieldError

OFFICE_KINDS = {"district": "区局", "sub_bureau": "市场监督管理分局", "station": "企业投诉监督站"}
STATION_TIERS = {"general": "一般商贸企业", "hotspot": "热点难点行业企业", "large": "大中型商贸企业"}
# Which kinds of office an office of each kind may sit under: the district is the root,
# sub-bureaus belong to it, stations to a sub-bureau (or directly to the district).
PARENT_KINDS: dict[str, tuple[str, ...]] = {
    "district": (),
    "sub_bureau": ("district",),
    "station": ("sub_bureau", "district"),
}


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
    if tier not in STATION_TIERS:
        raise FieldError("投诉站类别", f"应为{'、'.join(STATION_TIERS.values())}之一")
    return tier
