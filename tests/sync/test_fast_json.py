"""The hub reads request bodies with orjson, and with the standard library what orjson refuses
(district/fast_json.py), as the office reads back its outbox's JSON (desktop/sync/json_read.py):
the values must be the ones json.loads gives, whatever the text, bytes or str."""

from __future__ import annotations

import json
import math

import pytest

from district.fast_json import loads


@pytest.mark.parametrize("text", [
    '{"ops": [{"op_id": "a", "after": {"名": "张三\\n\\t", "n": -3, "ok": true, "x": null}}]}',
    '{"a": [1, 2.5, -0.0, 1e300, "\\u4e2d\\u6587", "\\ud83d\\ude00"], "a": 2}',  # duplicate key
    '{"big": 123456789012345678901234567890}',      # beyond 64 bits: orjson makes a float
    '{"max": 9223372036854775807, "min": -9223372036854775808, "f": 1.0000000000000002}',
    '{"nan": NaN, "inf": -Infinity}',                # not JSON: the standard library takes it
    '{"lone": "x\\ud800y", "\\udc00": 1}',           # escaped lone surrogates
])
@pytest.mark.parametrize("as_text", [False, True])
def test_the_values_are_those_of_the_standard_library(text: str, as_text: bool) -> None:
    body: bytes | str = text if as_text else text.encode("utf-8")
    ours, theirs = loads(body), json.loads(body)
    assert json.dumps(ours, sort_keys=True, ensure_ascii=True) == json.dumps(
        theirs, sort_keys=True, ensure_ascii=True)
    if "nan" in text:
        assert math.isnan(ours["nan"])


def test_what_neither_can_read_is_refused_as_before() -> None:
    with pytest.raises(json.JSONDecodeError):
        loads(b'{"ops": [')


def test_a_text_holding_a_lone_surrogate_itself_is_read_as_before() -> None:
    text = json.dumps({"名": "x\ud800y", "n": 7}, ensure_ascii=False)
    assert "\ud800" in text  # the character itself, not its escape
    assert loads(text) == json.loads(text)
