"""处理经过 names every changed field in Chinese: each label comes from the catalogue."""

from __future__ import annotations

import re
from datetime import date

from desktop.domain import complaint_fields as cf
from tests.conftest import World, draft


def test_editing_any_registered_field_shows_its_label_never_its_column(world: World) -> None:
    s, clerk = world.s, world.clerk
    cid = s.complaints.register(clerk, draft()).ids[0]
    s.complaints.edit(clerk, cid, draft(
        brand_model="X5", respondent_address="苏州市吴中区长桥街道龙西路 10 号",
        district_number="QJ-2026-88", complainant_id_number="11010519491231002X",
        purchase_date=date(2026, 11, 1), request_type="refund", category_code="appliance",
        subject="家用轿车（白色）"), expected_version=1)
    texts = " ".join(h.text for h in s.records.history(clerk, cid))
    assert "品牌型号：（空） → X5" in texts
    assert "被投诉方地址：苏州市吴中区长桥街道龙西路 8 号 → 苏州市吴中区长桥街道龙西路 10 号" in texts
    for label in ("区局单号", "证件号码", "购买日期", "诉求类型", "投诉分类", "商品或服务"):
        assert f"{label}：" in texts, label
    assert not re.search(r"[a-z]+_[a-z_]+：", texts), texts  # no column name shown


def test_masked_history_keeps_the_labels(world: World) -> None:
    s = world.s
    cid = s.complaints.register(world.clerk, draft()).ids[0]
    s.complaints.edit(world.clerk, cid, draft(complainant_address="苏州市吴中区木渎镇 1 号"),
                      expected_version=1)
    seen = " ".join(h.text for h in s.records.history(world.dept_head, cid))
    assert f"{cf.label('complainant_address')}：（已隐藏） → （已隐藏）" in seen
    assert "木渎" not in seen
