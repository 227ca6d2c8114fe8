"""Lengths of the records that do not travel as the wire contract's records (enterprises,
users, offices): taken from the models' columns, so the limit a service enforces is the one
the schema declares. Reading a column's declared type is metadata, not SQL."""

from __future__ import annotations

from typing import Any

from desktop.domain import validators as v


def column_length(model: type[Any], name: str) -> int:
    """The declared length of `model.name`, a String(n) column."""
    length = getattr(model.__table__.c[name].type, "length", None)
    if not isinstance(length, int):
        raise KeyError(f"{model.__name__}.{name} has no declared length")
    return length


def check_column(model: type[Any], name: str, value: str | None, field: str) -> str:
    """`value` trimmed, or FieldError naming `field` and the column's length."""
    return v.check_length((value or "").strip(), field, column_length(model, name)) or ""
