"""A push's body written around the outbox's own JSON texts (services/sync/base.push_body) holds
the values the body written by pydantic holds (encode_push of the parsed operations), as the hub
reads them; a text that is not plain JSON goes the old way, byte for byte."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from desktop.db.models import OutboxOp
from desktop.services.sync.base import push_body, to_operation
from desktop.sync.client import encode_push
from desktop.sync.protocol import PushRequest

UUID = "0f0e0d0c-0b0a-4908-8706-050403020100"


def _op(n: int, after: dict, before: dict | None = None, people: dict | None = None,
        made_at: datetime = datetime(2026, 12, 6, 1, 2, 3, 456789), **kw: object) -> OutboxOp:
    dump = lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True)  # noqa: E731  (as Outbox.write)
    return OutboxOp(op_id=f"op-{n}", entity=kw.get("entity", "complaints"), record_uuid=UUID,
                    kind=kw.get("kind", "upsert"), base_version=kw.get("base_version", 0),
                    before=dump(before or {}), after=dump(after), people=dump(people or {}),
                    made_at=made_at, made_by=kw.get("made_by", "王芳"))


def _read(body: bytes) -> dict:
    return PushRequest.model_validate_json(body).model_dump(mode="json")


def test_the_body_holds_what_pydantic_writes() -> None:
    ops = [
        _op(1, {"complainant_name": "张三\n\t\"引号\"\\", "amount": "158000.00", "n": -3,
                "ok": True, "none": None, "big": 2**62, "emoji": "😀",
                "nested": {"z": [1, "二", {"a": None}]}}, people={UUID: "李四"}),
        _op(2, {"status": "closed"}, before={"status": "accepted"}, base_version=7,
            made_at=datetime(2026, 1, 1, 0, 0, 0), kind="upsert", made_by=""),
        _op(3, {}, kind="delete", entity="mediation_records", base_version=2),
        _op(4, {"text": "\u2028\u2029\x00\x1f\x7f 含 NaN 字样"}),  # NaN in a text: the old way
    ]
    body = push_body(ops)
    assert json.loads(body) == json.loads(encode_push([to_operation(o) for o in ops]))
    assert _read(body) == _read(encode_push([to_operation(o) for o in ops]))
    plain = push_body(ops[:3])
    assert plain != encode_push([to_operation(o) for o in ops[:3]])  # written around the texts
    assert _read(plain) == _read(encode_push([to_operation(o) for o in ops[:3]]))


def test_what_is_not_plain_json_goes_the_old_way() -> None:
    for odd in ({"x": float("nan")}, {"x": float("inf")}, {"名": "x\ud800y"}):
        ops = [_op(1, {"a": "正常"}), _op(2, odd)]
        try:
            expected = encode_push([to_operation(o) for o in ops])
        except ValueError:  # what pydantic itself cannot write fails as it did
            with pytest.raises(ValueError):
                push_body(ops)
            continue
        assert push_body(ops) == expected


def test_a_damaged_text_fails_here_as_before() -> None:
    broken = _op(2, {"a": "x"})
    broken.after = '{"a": '
    with pytest.raises(ValueError):
        encode_push([to_operation(broken)])
    with pytest.raises(ValueError):
        push_body([_op(1, {"a": "正常"}), broken])
