"""Chinese full-text search: CJK bigrams in an FTS5 unicode61 index, queried as phrases.

FTS5's `trigram` tokenizer silently finds nothing for two-character words (退款, 维修), so the
index holds overlapping character pairs instead; a query word becomes the phrase of its pairs,
which matches exactly where the word occurs. One-character queries fall back to LIKE.
"""

from __future__ import annotations

import re

# CJK ideographs incl. Extension A and compatibility ideographs; rare name characters count too.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN_RE = re.compile(rf"[{_CJK}]+|[A-Za-z0-9]+")
_CJK_RE = re.compile(rf"[{_CJK}]")

# The columns the index covers, in the order the trigger passes them.
INDEXED_COLUMNS = ("complainant_name", "respondent_name", "subject", "brand_model", "facts", "request")


def bigrams(text: str | None) -> str:
    """Space-separated index tokens: CJK runs as overlapping pairs, other words lowercased."""
    if not text:
        return ""
    tokens: list[str] = []
    for run in _RUN_RE.findall(text):
        if _CJK_RE.match(run):
            if len(run) == 1:
                tokens.append(run)
            else:
                tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run.lower())
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


FTS_DDL = (
    # Contentless: the bigram text is not stored twice. Deleting needs the old tokens, which
    # the triggers recompute from the old row (SQLite 3.40 has no contentless_delete).
    "CREATE VIRTUAL TABLE complaints_fts USING fts5(body, content='', tokenize='unicode61')",
)

# The triggers call hejie_index_text(), registered on every connection by engine.py.
_NEW = ", ".join(f"new.{c}" for c in INDEXED_COLUMNS)
_OLD = ", ".join(f"old.{c}" for c in INDEXED_COLUMNS)
FTS_TRIGGERS = (
    f"""CREATE TRIGGER complaints_fts_ai AFTER INSERT ON complaints BEGIN
        INSERT INTO complaints_fts(rowid, body) VALUES (new.id, hejie_index_text({_NEW}));
    END""",
    f"""CREATE TRIGGER complaints_fts_au AFTER UPDATE OF {", ".join(INDEXED_COLUMNS)} ON complaints
    BEGIN
        INSERT INTO complaints_fts(complaints_fts, rowid, body)
            VALUES ('delete', old.id, hejie_index_text({_OLD}));
        INSERT INTO complaints_fts(rowid, body) VALUES (new.id, hejie_index_text({_NEW}));
    END""",
    f"""CREATE TRIGGER complaints_fts_ad AFTER DELETE ON complaints BEGIN
        INSERT INTO complaints_fts(complaints_fts, rowid, body)
            VALUES ('delete', old.id, hejie_index_text({_OLD}));
    END""",
)
