"""The hub's quick payload hash (one orjson dump) is the canonical one, and says nothing of an
operation it cannot vouch for: stored answers of earlier pushes keep matching their replays."""

from __future__ import annotations

import random
from enum import IntEnum

import pytest

from desktop.sync.protocol import Operation
from district.push import _plain, _storable, _unstorable_fields, payload_hash, quick_hash

UUID = "0f0e0d0c-0b0a-4908-8706-050403020100"


def _op(after: dict, **kw: object) -> Operation:
    fields: dict = {"op_id": "op-1", "entity": "complaints", "uuid": UUID, "kind": "upsert",
                    "after": after, "made_at": "2026-03-01T09:00:00", "made_by": "王芳"}
    fields.update(kw)
    return Operation(**fields)


def test_the_quick_hash_is_the_canonical_hash_for_every_code_point() -> None:
    texts = ["".join(chr(c) for c in range(start, min(start + 512, 0x110000))
                     if not 0xD800 <= c <= 0xDFFF)
             for start in range(0, 0x110000, 512)]
    for i, text in enumerate(texts):
        op = _op({"complainant_name": text, "n": i, "ok": True, "none": None,
                  "nested": {text[:3]: [text[-3:], -i, {"z": 1, "a": "二"}]}},
                 before={"status": "登记"}, people={UUID: text[:20]})
        assert quick_hash(op) == payload_hash(op)


def test_keys_are_sorted_as_the_canonical_form_sorts_them() -> None:
    op = _op({"中": 1, "a": 2, "Z": 3, "é": 4, "𝄞": 5, "ｚ": 6})
    assert quick_hash(op) == payload_hash(op)


@pytest.mark.parametrize("after", [
    {"amount": 12.5},                    # floats: written differently by orjson, exact path
    {"amount": float("nan")},            # not storable
    {"list": [1, float("inf")]},
    {"name": "a\ud800b"},                # a lone surrogate: not storable
    {"\udc00": "key"},
    {"big": 2**70},                      # beyond 64 bits
])
def test_what_it_cannot_vouch_for_goes_the_exact_way(after: dict) -> None:
    op = _op(after)
    assert quick_hash(op) is None
    payload_hash(op)  # the exact path still hashes it


def test_a_lone_surrogate_outside_the_record_is_not_vouched_for_either() -> None:
    for op in (_op({}, op_id="x\ud800"), _op({}, made_by="\udfff"), _op({}, uuid="\ud801"),
               _op({}, people={UUID: "\ud802"})):
        assert quick_hash(op) is None
        assert not (_storable(op.op_id) and not _unstorable_fields(op))


def test_what_it_vouches_for_is_storable() -> None:
    op = _op({"complainant_name": "张三", "n": 2**62, "flags": [True, None]})
    assert quick_hash(op) is not None
    assert _storable(op.op_id) and _unstorable_fields(op) == []


def _plain_by_walk(value: object) -> bool:
    """What `_plain` answers, one value at a time."""
    if isinstance(value, dict):
        return all(type(k) is str for k in value) and all(map(_plain_by_walk, value.values()))
    if isinstance(value, list):
        return all(map(_plain_by_walk, value))
    return type(value) in (str, int, bool, type(None))


class _Level(IntEnum):
    ONE = 1


def test_plain_finds_a_float_or_a_key_not_text_at_any_depth() -> None:
    rng = random.Random(24)
    leaves = ["文字", 7, -2**63, True, None, 1.5, float("nan"), _Level.ONE, b"x"]

    def made(depth: int) -> object:
        roll = rng.random()
        if depth > 3 or roll < 0.5:
            return rng.choice(leaves[:5] if rng.random() < 0.9 else leaves)
        if roll < 0.75:
            return [made(depth + 1) for _ in range(rng.randint(0, 4))]
        keys = ["a", "二", "z"] + ([1] if rng.random() < 0.05 else [])
        return {k: made(depth + 1) for k in rng.sample(keys, rng.randint(0, len(keys)))}

    answers = set()
    for _ in range(3000):
        parts = [made(0), made(0), made(0)]
        answers.add(_plain(parts))
        assert _plain(parts) == all(map(_plain_by_walk, parts)), parts
    assert answers == {True, False}
