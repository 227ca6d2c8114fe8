"""Long key lists go into IN (…) queries a slice at a time, well below SQLite's limit on bound
variables (a pulled page, a reply or a whole office refers to thousands)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

IN_SLICE = 500


def slices(items: Sequence[T], size: int = IN_SLICE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
