"""A station's tier is accepted as its code or as the Chinese label the messages name."""

from __future__ import annotations

import pytest

from desktop.domain.errors import FieldError
from desktop.domain.offices import STATION_TIERS, check_placement, tier_code


@pytest.mark.parametrize(("given", "stored"), [
    ("general", "general"), ("Large", "large"), (" hotspot ", "hotspot"),
    ("一般商贸企业", "general"), ("热点难点行业企业", "hotspot"), ("大中型商贸企业 ", "large"),
])
def test_code_or_label(given: str, stored: str) -> None:
    assert tier_code(given) == stored
    assert check_placement("station", given, "sub_bureau") == stored


@pytest.mark.parametrize("given", [None, "", "一般", "big", "一般商贸"])
def test_anything_else_is_refused_naming_what_is_accepted(given: str | None) -> None:
    with pytest.raises(FieldError) as refused:
        check_placement("station", given, "sub_bureau")
    assert refused.value.field == "投诉站类别"
    message = str(refused.value)
    # The message names each code and each label, and both are accepted (the walk-through in
    # the README failed because the message named labels the command refused).
    for code, label in STATION_TIERS.items():
        assert code in message and label in message
        assert check_placement("station", label, "district") == code
    if given:
        assert f"「{given}」" in message


def test_offices_other_than_stations_keep_no_tier() -> None:
    assert check_placement("sub_bureau", "一般商贸企业", "district") is None
