"""The disclosure list and the per-enterprise summary as CSV (UTF-8 with BOM, CRLF), for
upload into the website's or the WeChat account's back office."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from desktop.exports.data import PublicEntry, PublicList
from desktop.exports.disclosure.shared import (
    CSV_DATETIME_FORMAT,
    DATE_FORMAT,
    ENTERPRISE_COLUMNS,
    SUCCESS_TEXT,
    has_corrected_rows,
    list_columns,
    looks_like_formula,
    rate_text,
)


def csv_safe(text: str) -> str:
    """The text as a CSV field that no spreadsheet evaluates: a single quote before it when
    it begins like a formula. The csv module does the quoting of commas, quotes, newlines."""
    return "'" + text if looks_like_formula(text) else text


# ---------------------------------------------------------------------------------------- CSV
def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def to_csv(pl: PublicList) -> bytes:
    """The list as CSV: UTF-8 with BOM, CRLF, one header row, one row per entry.

    投诉时间 as ``YYYY-MM-DD HH:MM``, 成功与否 as 成功/不成功, and a 更正日期 column (blank or
    ``YYYY-MM-DD``) when any entry was corrected. Text fields that begin like a formula get a
    leading single quote.
    """
    corrected = has_corrected_rows(pl)

    def row(e: PublicEntry) -> list[str]:
        cells = [str(e.seq), csv_safe(e.number), e.received_at.strftime(CSV_DATETIME_FORMAT),
                 csv_safe(e.respondent), csv_safe(e.content), SUCCESS_TEXT[e.success]]
        if corrected:
            cells.append(e.corrected_on.strftime(DATE_FORMAT) if e.corrected_on else "")
        return cells

    return _csv_bytes(list_columns(pl), (row(e) for e in pl.entries))


def enterprises_csv(pl: PublicList) -> bytes:
    """The per-enterprise summary as CSV (UTF-8 with BOM, CRLF); 调解成功率 as ``66.7%``, blank
    when nothing was mediated."""
    rows = ([csv_safe(x.respondent), csv_safe(x.credit_code), str(x.accepted), str(x.closed),
             str(x.mediated), str(x.settled), rate_text(x)] for x in pl.enterprises)
    return _csv_bytes(ENTERPRISE_COLUMNS, rows)
