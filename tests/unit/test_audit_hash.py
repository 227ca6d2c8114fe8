"""An audit entry's hash is the SHA-256 of the standard library's compact JSON of its fields
(desktop/db/uow.entry_hash). Written by orjson for speed, it must stay those very bytes:
every stored hash is checked again by `audit verify`."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

import pytest

from desktop.db.uow import audit_json, entry_hash


def _reference(fields: dict[str, Any]) -> str:
    """The canonical form as it was always written (the standard library's)."""
    at = fields["at"].isoformat() if isinstance(fields["at"], datetime) else fields["at"]
    parts = [at] + [fields[k] for k in ("user_id", "username", "office_code", "action", "entity",
                                        "entity_uuid", "root_uuid", "operation", "before",
                                        "after", "reason", "prev_hash")]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
                          .encode("utf-8")).hexdigest()


def _entry(text: str, **kw: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "at": datetime(2026, 12, 5, 23, 40, 1, 123456), "user_id": 7, "username": "wangfang",
        "office_code": "WZCQ01", "action": "同步接收", "entity": "complaints",
        "entity_uuid": "0f0e0d0c-0b0a-4908-8706-050403020100", "root_uuid": None,
        "operation": "insert", "before": None, "after": text, "reason": text[:40] or None,
        "prev_hash": "0" * 64}
    fields.update(kw)
    return fields


def test_the_hash_is_the_canonical_one_for_every_code_point() -> None:
    for start in range(0, 0x110000, 1024):
        text = "".join(chr(c) for c in range(start, min(start + 1024, 0x110000))
                       if not 0xD800 <= c <= 0xDFFF)
        fields = _entry(json.dumps({"facts": text, "n": start}, ensure_ascii=False,
                                   sort_keys=True))
        assert entry_hash(fields) == _reference(fields), hex(start)


@pytest.mark.parametrize("changes", [
    {"user_id": None}, {"user_id": 2**63 - 1}, {"user_id": -(2**63)}, {"user_id": 2**70},
    {"at": "2026-12-05T23:40:01"}, {"reason": "换行\n制表\t引号\"反斜杠\\"},
    {"after": "\u2028\u2029\x00\x1f\x7f"},
])
def test_edges_hash_as_before(changes: dict[str, Any]) -> None:
    fields = _entry("内容", **changes)
    assert entry_hash(fields) == _reference(fields)


def test_a_lone_surrogate_fails_as_it_always_did() -> None:
    with pytest.raises(UnicodeEncodeError):
        entry_hash(_entry("x\ud800y"))


@pytest.mark.parametrize("values", [
    {"b": 1, "a": "二", "c": None, "d": True, "e": -2**63, "f": [1, {"z": "x", "y": None}]},
    {"text": "换行\n制表\t引号\"反斜杠\\\u2028\x00😀"},
    {"big": 2**70},                    # beyond 64 bits: the standard library writes it
    {"lone": "x\ud800y"},              # a lone surrogate: the standard library writes it
])
def test_an_entrys_values_read_back_as_written(values: dict[str, Any]) -> None:
    text = audit_json(values)
    assert json.loads(text) == values
    assert list(json.loads(text)) == sorted(values)  # keys sorted


def test_an_entrys_values_refuse_what_they_always_refused() -> None:
    with pytest.raises(TypeError):
        audit_json({"on": datetime(2026, 12, 6)})


def test_what_is_not_a_flat_row_is_written_as_before() -> None:
    for values in ({"v": float("nan")}, {"v": 1.5, "w": "二"}, {"ids": [1, 2], "covered": 2}):
        assert audit_json(values) == json.dumps(values, ensure_ascii=False, sort_keys=True)
    assert audit_json({"b": "二", "a": None}) == '{"a":null,"b":"二"}'  # a row's: compact
