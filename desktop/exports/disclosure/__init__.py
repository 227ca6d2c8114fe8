"""The published files of the monthly complaint disclosure (消费投诉公示).

The values of a :class:`~desktop.exports.data.PublicList` arrive masked and approved; this
package only lays them out for the bureau's channels, one module per format (xlsx.py,
csv_files.py, html_page.py) and what they share (shared.py):

* :func:`to_excel` — an .xlsx workbook (sheets 公示清单, 企业汇总 and, when there are
  corrections, 更正说明) for the office and for the notice boards;
* :func:`to_csv` / :func:`enterprises_csv` — the list and the per-enterprise summary as CSV
  (UTF-8 with BOM, CRLF) for upload into the website's or the WeChat account's back office;
* :func:`to_html` — one self-contained HTML5 page (inline CSS, nothing fetched from elsewhere)
  to be put on the government website as it is;
* :func:`file_stem` and :func:`write_all` — the file names, and writing all four files at once.

Every sheet of the workbook has the same layout: worksheet row 1 is the title, row 2 the
publication line, row 3 the column headers and the data follow without blank rows or totals, so
``pandas.read_excel(data, sheet_name=..., header=EXCEL_HEADER_ROW)`` reads each table back
cleanly.

Texts are never handed to a spreadsheet as something it could evaluate: in the workbook every
text is a string cell (a leading ``=`` would make openpyxl write a formula), and those that
begin like a formula (``= + - @``, tab, CR, also after leading blanks) additionally carry
Excel's quote-prefix flag, so editing the cell keeps it text. The CSV files, where no such flag
exists, prefix a single quote to those fields (OWASP "CSV Injection").
"""

from __future__ import annotations

from pathlib import Path

from desktop.exports.data import PublicList
from desktop.exports.disclosure.csv_files import csv_safe, enterprises_csv, to_csv
from desktop.exports.disclosure.html_page import to_html
from desktop.exports.disclosure.shared import (
    CSV_DATETIME_FORMAT,
    ENTERPRISE_COLUMNS,
    LIST_COLUMNS,
    file_stem,
)
from desktop.exports.disclosure.xlsx import (
    CORRECTIONS_SHEET,
    ENTERPRISES_SHEET,
    EXCEL_HEADER_ROW,
    LIST_SHEET,
    to_excel,
)
from desktop.files import write_atomic

__all__ = [
    "CORRECTIONS_SHEET",
    "CSV_DATETIME_FORMAT",
    "ENTERPRISES_SHEET",
    "ENTERPRISE_COLUMNS",
    "EXCEL_HEADER_ROW",
    "LIST_COLUMNS",
    "LIST_SHEET",
    "csv_safe",
    "enterprises_csv",
    "file_stem",
    "to_csv",
    "to_excel",
    "to_html",
    "write_all",
]


# ------------------------------------------------------------------------------------ writing
def write_all(pl: PublicList, folder: Path) -> list[Path]:
    """Write ``<stem>.xlsx``, ``<stem>.csv``, ``<stem>-企业汇总.csv`` and ``<stem>.html`` into
    ``folder`` (created if missing), each atomically; returns the four paths in that order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = file_stem(pl)
    files = [
        (folder / f"{stem}.xlsx", to_excel(pl)),
        (folder / f"{stem}.csv", to_csv(pl)),
        (folder / f"{stem}-企业汇总.csv", enterprises_csv(pl)),
        (folder / f"{stem}.html", to_html(pl).encode("utf-8")),
    ]
    for path, data in files:
        write_atomic(path, data)
    return [path for path, _ in files]
