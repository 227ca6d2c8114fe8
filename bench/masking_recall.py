"""How much of the personal information in real complaint texts `mask` hides, and how much
of the enterprise side it leaves readable: recall and keep-rate on the labelled set.

    python bench/masking_recall.py             # per kind and overall
    python bench/masking_recall.py --misses    # and every item that survived, every keep lost
    python bench/masking_recall.py --set tests/data/masking_holdout.jsonl   # the held-out texts

The set is tests/data/masking_set.jsonl (how it was made: tests/data/README.md). Each line is a
text, the record's `names` passed to mask, the `personal` items a person would black out
(kind and the exact substring) and the `keep` substrings that must stay readable.

An item counts as masked when its value no longer appears in the output, and:
  name      the given name (the part after the surname) appears no more often than it does in
            the text outside that name (张伟 → 张某 hides it; 某伟 does not);
  numbers   (mobile, landline, id, card) its digits do not appear either, once spaces, dashes,
            brackets and full-width forms are taken out of the output;
  plate     nor does the plate without its dot, space or dash;
  address   what follows the province, city, district or county (the item's `detail`) is gone:
            it does not appear, nor does any 4-character piece of it that holds a digit (a road
            number or a room left behind is a miss; the 街道 or estate name alone is not).
A keep substring counts when it is still in the output verbatim.
tests/unit/test_masking_set.py uses `evaluate` from here for the 97 % thresholds.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SET_PATH = ROOT / "tests" / "data" / "masking_set.jsonl"
KINDS = ("name", "mobile", "landline", "id", "card", "address", "plate")
NUMBER_KINDS = frozenset({"mobile", "landline", "id", "card"})

# Two-character surnames the set uses; any other name has a one-character surname.
COMPOUND_SURNAMES = frozenset(
    ["欧阳", "司马", "上官", "诸葛", "慕容", "端木", "皇甫", "夏侯", "东方", "公孙", "令狐", "尉迟", "长孙", "宇文", "司徒", "申屠", "南宫", "西门"]
)


@dataclass(frozen=True)
class Miss:
    kind: str  # a personal kind, or "keep"
    value: str
    output: str


@dataclass
class Result:
    items: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    masked: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    keeps: int = 0
    kept: int = 0
    texts: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.items.values())

    @property
    def total_masked(self) -> int:
        return sum(self.masked.values())

    @property
    def recall(self) -> float:
        return self.total_masked / self.total if self.total else 1.0

    @property
    def keep_rate(self) -> float:
        return self.kept / self.keeps if self.keeps else 1.0

    def kind_recall(self, kind: str) -> float:
        return self.masked[kind] / self.items[kind] if self.items[kind] else 1.0


def load_set(path: Path = SET_PATH) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        for item in row["personal"]:
            if item["kind"] not in KINDS:
                raise ValueError(f"line {number}: unknown kind {item['kind']!r}")
            if item["value"] not in row["text"]:
                raise ValueError(f"line {number}: {item['value']!r} is not in the text")
        for kept in row["keep"]:
            if kept not in row["text"]:
                raise ValueError(f"line {number}: keep {kept!r} is not in the text")
        rows.append(row)
    return rows


def _wide(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _compact(text: str) -> str:
    return re.sub(r"[\s\-－—()（）+＋·•.]", "", _wide(text))


def _digits(text: str) -> str:
    return re.sub(r"[^0-9Xx]", "", _wide(text))


def _surname(name: str) -> str:
    return name[:2] if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else name[:1]


def is_masked(item: dict, text: str, out: str) -> bool:
    kind, value = item["kind"], item["value"]
    if kind == "address":
        detail = item.get("detail") or value
        if detail in out:
            return False
        pieces = {detail[i : i + 4] for i in range(max(len(detail) - 3, 1))}
        return not any(re.search(r"\d", p) and p in out for p in pieces)
    if value in out:
        return False
    if kind == "name":
        given = value[len(_surname(value)) :]
        elsewhere = text.count(given) - text.count(value)
        return out.count(given) <= elsewhere
    if kind in NUMBER_KINDS:
        digits = _digits(value)
        return len(digits) < 7 or digits not in _compact(out)
    if kind == "plate":
        return _compact(value) not in _compact(out)
    return True


def evaluate(rows: Iterable[dict], mask: Callable[[str, Sequence[str]], str]) -> Result:
    result = Result()
    for row in rows:
        text = row["text"]
        out = mask(text, row.get("names", []))
        result.texts += 1
        for item in row["personal"]:
            result.items[item["kind"]] += 1
            if is_masked(item, text, out):
                result.masked[item["kind"]] += 1
            else:
                result.misses.append(Miss(item["kind"], item["value"], out))
        for kept in row["keep"]:
            result.keeps += 1
            if kept in out:
                result.kept += 1
            else:
                result.misses.append(Miss("keep", kept, out))
    return result


def report(result: Result, misses: bool = False) -> str:
    lines = [
        f"{result.texts} texts, {result.total} personal items, {result.keeps} keep substrings",
        "",
        f"{'kind':<10}{'items':>7}{'masked':>8}{'recall':>9}",
    ]
    for kind in KINDS:
        lines.append(
            f"{kind:<10}{result.items[kind]:>7}{result.masked[kind]:>8}"
            f"{100 * result.kind_recall(kind):>8.1f}%"
        )
    lines.append(
        f"{'overall':<10}{result.total:>7}{result.total_masked:>8}{100 * result.recall:>8.1f}%"
    )
    lines.append(
        f"{'keep':<10}{result.keeps:>7}{result.kept:>8}{100 * result.keep_rate:>8.1f}%"
        "   (keep-rate: substrings still readable)"
    )
    if misses:
        lines += ["", "misses:"]
        for miss in sorted(result.misses, key=lambda m: (m.kind != "keep", m.kind)):
            lines.append(f"  [{miss.kind}] {miss.value}\n      → {miss.output}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="list every item not masked")
    parser.add_argument("--set", type=Path, default=SET_PATH, help="the labelled set (JSONL)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from desktop.domain.masking import mask

    print(report(evaluate(load_set(args.set), mask), args.misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
