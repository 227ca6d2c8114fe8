"""Chinese full-text search: CJK bigrams in an FTS5 unicode61 index, queried as phrases.

FTS5's `trigram` tokenizer silently finds nothing for two-character words (退款, 维修), so the
index holds overlapping character pairs instead; a query word becomes the phrase of its pairs,
which matches exactly where the word occurs. One-character queries fall back to LIKE.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from desktop.domain.complaint_fields import SEARCHABLE

# CJK ideographs incl. Extension A and compatibility ideographs; rare name characters count too.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN_RE = re.compile(rf"[{_CJK}]+|[A-Za-z0-9]+")
_CJK_RE = re.compile(rf"[{_CJK}]")
_ALNUM_PARTS_RE = re.compile(r"[A-Za-z]+|[0-9]+")

# The columns the index covers: the catalogue's searchable fields (domain/complaint_fields.py).
# The triggers and the index are created by migration 0002, which spells its SQL out: making a
# field searchable, or changing bigrams(), needs a new migration that recreates the triggers
# and rebuilds the index (tests/unit/test_complaint_fields.py holds the two together).
INDEXED_COLUMNS = SEARCHABLE


def bigrams(text: str | None) -> str:
    """Space-separated index tokens: CJK runs as overlapping pairs, other words lowercased."""
    if not text:
        return ""
    tokens: list[str] = []
    for run in _RUN_RE.findall(text):
        if _CJK_RE.match(run):
            if len(run) == 1:
                tokens.append(run)
            else:  # run[i:i + 2] for each i, pairwise without the slicing
                tokens.extend(map(str.__add__, run[:-1], run[1:]))
        else:
            tokens.append(run.lower())
            # iPhone15 is also found as iphone and as 15.
            parts = _ALNUM_PARTS_RE.findall(run)
            if len(parts) > 1:
                tokens.extend(p.lower() for p in parts)
    return " ".join(tokens)


def index_text(*fields: str | None) -> str:
    # A newline between fields keeps a pair from being formed across two columns.
    return "\n".join(bigrams(f) for f in fields)


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression for the query, or None when only a LIKE can answer it.

    Every word must occur (AND); each word is a phrase of its bigrams. A lone CJK character
    cannot be matched by pairs, so such queries return None.
    """
    phrases: list[str] = []
    for run in _RUN_RE.findall(query):
        if _CJK_RE.match(run):
            if len(run) == 1:
                return None
            pairs = [run[i : i + 2] for i in range(len(run) - 1)]
            phrases.append('"' + " ".join(pairs) + '"')
        else:
            phrases.append('"' + run.lower() + '"')
    return " AND ".join(phrases) if phrases else None


# -- why a row matched: a snippet of the field, for the rows of one page --------------------------
MARK_OPEN, MARK_CLOSE = "【", "】"
_LONG_DIGITS = re.compile(r"\d{7,}")


def _masked_digits(digits: str) -> str:
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def query_words(query: str) -> list[str]:
    """The words of a search as the index matches them: CJK runs and Latin/digit words."""
    return [w for w in _RUN_RE.findall(query) if w]


def snippet(query: str, fields: list[tuple[str, str | None]], width: int = 36) -> str:
    """Why a row matched: the first field (label, text) holding a word of the query, as
    「label：…text…」 around the first match, every word of the query marked 【】 in it;
    "" when no field holds one (the row matched on a field not shown here).

    Pure Python over the texts of the rows of one page: it adds nothing to the search itself.
    """
    return snippets(query, width)(fields)


def snippets(query: str, width: int = 36) -> Callable[[list[tuple[str, str | None]]], str]:
    """`snippet` for many rows of one search: the query's words and their pattern worked out
    once (a page asks for a hundred)."""
    words = sorted({w.lower() for w in query_words(query)}, key=len, reverse=True)
    if not words:
        return lambda _fields: ""
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)

    def digits(m: re.Match[str]) -> str:
        return m.group(0) if pattern.fullmatch(m.group(0)) else _masked_digits(m.group(0))

    def mark(m: re.Match[str]) -> str:
        return f"{MARK_OPEN}{m.group(0)}{MARK_CLOSE}"

    def one(fields: list[tuple[str, str | None]]) -> str:
        for label, text in fields:
            if not text:
                continue
            flat = " ".join(text.split())
            first = pattern.search(flat)
            if first is None:
                continue
            start = max(0, first.start() - 6)  # the match near the front, where the cell shows it
            end = min(len(flat), start + width)
            # A list is seen over shoulders: long digit runs (phones, ID numbers) in the facts
            # are masked as the ledger masks the phone, unless they are what was searched for.
            part = _LONG_DIGITS.sub(digits, flat[start:end])
            marked = pattern.sub(mark, part)
            return (f"{label}：{'…' if start > 0 else ''}{marked}"
                    f"{'…' if end < len(flat) else ''}")
        return ""
    return one
