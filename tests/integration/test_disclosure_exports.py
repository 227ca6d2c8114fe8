"""The published files of the monthly disclosure: Excel, CSV and the web page read back as a
reader (pandas, openpyxl, an HTML parser, a real browser) would, with hostile content."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from desktop.exports.data import EnterpriseLine, PublicCorrection, PublicEntry, PublicList
from desktop.exports.disclosure import (
    CORRECTIONS_SHEET,
    ENTERPRISE_COLUMNS,
    ENTERPRISES_SHEET,
    EXCEL_HEADER_ROW,
    LIST_COLUMNS,
    LIST_SHEET,
    enterprises_csv,
    file_stem,
    to_csv,
    to_excel,
    to_html,
    write_all,
)

SCRIPT = "<script>alert(1)</script>"
RESPONDENTS = ["苏州东吴汽车销售服务有限公司", "吴中区长桥某某家具店（个体工商户）",
               f"{SCRIPT}商贸有限公司"]
TRICKY = [
    "购买的沙发有质量问题，要求退货，商家拒绝",  # commas (full and half width below)
    'He said "no refund", then hung up, twice',
    "第一行：订单未发货\n第二行：客服不回复\n第三行：要求退款",
    "=1+1",
    "@SUM(A1)",
    "-2",
    "+86 138****0000 来电投诉",
    f"页面显示 {SCRIPT} 字样",
    " =HYPERLINK(\"http://example.invalid\",\"点击\")",
    "\t制表符开头的内容",
    "预付卡，余额 1,280 元，门店关闭",
]
DANGEROUS = ["=1+1", "@SUM(A1)", "-2", "+86 138****0000 来电投诉",
             " =HYPERLINK(\"http://example.invalid\",\"点击\")", "\t制表符开头的内容"]
CORRECTED_SEQ = 7


def _content(i: int) -> str:
    return TRICKY[i] if i < len(TRICKY) else f"第{i + 1}件：消费者反映商品与宣传不符，要求退款。"


def _public_list() -> PublicList:
    start = datetime(2026, 10, 1, 9, 5)
    entries = tuple(
        PublicEntry(
            seq=i + 1,
            number=f"WZCQ01-202610-{i + 1:04d}",
            received_at=start + timedelta(days=i, hours=i % 7, minutes=7 * i),
            respondent=RESPONDENTS[i % 3],
            content=_content(i),
            success=i % 3 != 1,
            corrected_on=date(2026, 11, 12) if i + 1 == CORRECTED_SEQ else None,
        )
        for i in range(25)
    )
    enterprises = (
        EnterpriseLine(RESPONDENTS[0], "914403001922038216", accepted=10, closed=9, mediated=9,
                       settled=6),
        EnterpriseLine(RESPONDENTS[1], "92320506MA1X2Y3Z4K", accepted=8, closed=8, mediated=3,
                       settled=1),
        EnterpriseLine(RESPONDENTS[2], "=91320506MA00000000", accepted=2, closed=1, mediated=0,
                       settled=0),
    )
    corrections = (PublicCorrection(entries[CORRECTED_SEQ - 1].number, date(2026, 11, 12),
                                    "被投诉方名称更正为企业营业执照登记名称。"),)
    return PublicList(
        issuer="吴中区市场监督管理局",
        scope="吴中区",
        month=date(2026, 10, 1),
        published_on=date(2026, 11, 10),
        approved_on=date(2026, 11, 8),
        revision=1,
        entries=entries,
        enterprises=enterprises,
        corrections=corrections,
    )


@pytest.fixture(scope="module")
def pl() -> PublicList:
    return _public_list()


# -------------------------------------------------------------------------------------- Excel
def test_excel_list_reads_back_with_pandas(pl: PublicList) -> None:
    data = to_excel(pl)
    df = pd.read_excel(io.BytesIO(data), sheet_name=LIST_SHEET, header=EXCEL_HEADER_ROW)
    assert list(df.columns) == [*LIST_COLUMNS, "更正日期"]
    assert len(df) == len(pl.entries)
    assert df["序号"].tolist() == [e.seq for e in pl.entries]
    assert df["投诉单号"].tolist() == [e.number for e in pl.entries]
    assert df["被投诉方"].tolist() == [e.respondent for e in pl.entries]
    assert df["投诉内容"].tolist() == [e.content for e in pl.entries]
    assert df["成功与否"].tolist() == ["成功" if e.success else "不成功" for e in pl.entries]
    assert [t.to_pydatetime() for t in df["投诉时间"]] == [e.received_at for e in pl.entries]
    fixed = df[df["更正日期"].notna()]
    assert fixed["序号"].tolist() == [CORRECTED_SEQ]
    assert fixed["更正日期"].iloc[0].date() == date(2026, 11, 12)


def test_excel_other_sheets(pl: PublicList) -> None:
    data = to_excel(pl)
    ent = pd.read_excel(io.BytesIO(data), sheet_name=ENTERPRISES_SHEET, header=EXCEL_HEADER_ROW,
                        dtype={"统一社会信用代码": str})
    assert list(ent.columns) == list(ENTERPRISE_COLUMNS)
    assert ent["被投诉方"].tolist() == [x.respondent for x in pl.enterprises]
    assert ent["统一社会信用代码"].tolist() == [x.credit_code for x in pl.enterprises]
    assert ent["受理件数"].tolist() == [10, 8, 2]
    assert ent["调解成功件数"].tolist() == [6, 1, 0]
    assert ent["调解成功率"].iloc[0] == pytest.approx(6 / 9)
    assert ent["调解成功率"].iloc[1] == pytest.approx(1 / 3)
    assert pd.isna(ent["调解成功率"].iloc[2])  # nothing mediated: blank, not 0%

    fixes = pd.read_excel(io.BytesIO(data), sheet_name=CORRECTIONS_SHEET, header=EXCEL_HEADER_ROW)
    assert fixes["投诉单号"].tolist() == [pl.corrections[0].number]
    assert fixes["更正说明"].tolist() == [pl.corrections[0].note]

    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [LIST_SHEET, ENTERPRISES_SHEET, CORRECTIONS_SHEET]
    assert wb[ENTERPRISES_SHEET].cell(EXCEL_HEADER_ROW + 2, 7).number_format == "0.0%"

    first = replace(pl, revision=0, corrections=(),
                    entries=tuple(replace(e, corrected_on=None) for e in pl.entries))
    wb = openpyxl.load_workbook(io.BytesIO(to_excel(first)))
    assert wb.sheetnames == [LIST_SHEET, ENTERPRISES_SHEET]
    ws = wb[LIST_SHEET]
    assert [c.value for c in ws[EXCEL_HEADER_ROW + 1]] == list(LIST_COLUMNS)
    assert "更正" not in ws.cell(2, 1).value


def test_excel_layout(pl: PublicList) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(to_excel(pl)))
    ws = wb[LIST_SHEET]
    assert ws.cell(1, 1).value == pl.title
    line = ws.cell(2, 1).value
    assert "发布日期：2026-11-10" in line and "审批日期：2026-11-08" in line
    assert "更正版（第 1 次更正）" in line
    header = EXCEL_HEADER_ROW + 1
    assert ws.freeze_panes == f"A{header + 1}"
    when = ws.cell(header + 1, 3)
    assert isinstance(when.value, datetime) and when.number_format == "yyyy-mm-dd hh:mm"
    assert ws.cell(header + 1, 5).alignment.wrap_text
    assert ws.column_dimensions["E"].width >= 40
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0


def test_excel_has_no_formulas_and_keeps_dangerous_text(pl: PublicList) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(to_excel(pl)))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    ws = wb[LIST_SHEET]
    contents = {ws.cell(r, 5).value: ws.cell(r, 5) for r in range(EXCEL_HEADER_ROW + 2,
                                                                  ws.max_row + 1)}
    for text in DANGEROUS:
        cell = contents[text]  # the original characters, no visible quote added
        assert cell.data_type == "s"
        assert cell.quotePrefix, text
    code = wb[ENTERPRISES_SHEET].cell(EXCEL_HEADER_ROW + 4, 2)
    assert code.value == "=91320506MA00000000" and code.data_type == "s" and code.quotePrefix
    script_name = wb[LIST_SHEET].cell(EXCEL_HEADER_ROW + 4, 4)
    assert script_name.value == RESPONDENTS[2]


# ---------------------------------------------------------------------------------------- CSV
def test_csv_list(pl: PublicList) -> None:
    data = to_csv(pl)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.split("\r\n")[0] == ",".join([*LIST_COLUMNS, "更正日期"])
    assert text.endswith("\r\n")
    # every record ends with CRLF; the only bare LFs are inside the quoted multi-line content
    assert text.replace("\r\n", "").count("\n") == TRICKY[2].count("\n")

    df = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(df) == len(pl.entries)
    assert df["序号"].tolist() == [str(e.seq) for e in pl.entries]
    assert df["投诉单号"].tolist() == [e.number for e in pl.entries]
    assert df["投诉时间"].tolist() == [e.received_at.strftime("%Y-%m-%d %H:%M")
                                       for e in pl.entries]
    assert df["成功与否"].tolist() == ["成功" if e.success else "不成功" for e in pl.entries]
    assert df["更正日期"].tolist() == ["2026-11-12" if e.seq == CORRECTED_SEQ else ""
                                       for e in pl.entries]
    expected = [("'" + e.content) if e.content in DANGEROUS else e.content for e in pl.entries]
    assert df["投诉内容"].tolist() == expected
    assert df["被投诉方"].tolist() == [e.respondent for e in pl.entries]
    for text in DANGEROUS:
        assert ("'" + text) in df["投诉内容"].tolist()
    # no field of the file starts like a formula
    for row in csv.reader(io.StringIO(text, newline="")):
        for field in row:
            assert not field.lstrip().startswith(("=", "+", "-", "@")), field


def test_csv_enterprises(pl: PublicList) -> None:
    data = enterprises_csv(pl)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").count("\r\n") == len(pl.enterprises) + 1
    df = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(df.columns) == list(ENTERPRISE_COLUMNS)
    assert df["被投诉方"].tolist() == [x.respondent for x in pl.enterprises]
    assert df["统一社会信用代码"].tolist() == ["914403001922038216", "92320506MA1X2Y3Z4K",
                                              "'=91320506MA00000000"]
    assert df["办结件数"].tolist() == ["9", "8", "1"]
    assert df["调解成功率"].tolist() == ["66.7%", "33.3%", ""]


# --------------------------------------------------------------------------------------- HTML
class _Tables(HTMLParser):
    """Rows of the tables with an id: {id: [(tr attributes, [cell texts])]}, and every tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[tuple[dict[str, str | None], list[str]]]] = {}
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._table: str | None = None
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "table" and a.get("id"):
            self._table = a["id"]
            self.tables[self._table] = []
        elif tag == "tbody" and self._table:
            self._in_body = True
        elif tag == "tr" and self._in_body and self._table:
            self.tables[self._table].append((a, []))
        elif tag in ("td", "th") and self._in_body and self._table:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1][1].append("".join(self._cell))
            self._cell = None
        elif tag == "tbody":
            self._in_body = False
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _parse(page: str) -> _Tables:
    p = _Tables()
    p.feed(page)
    p.close()
    return p


def _assert_rows(parsed: _Tables, pl: PublicList) -> None:
    rows = parsed.tables["disclosure-list"]
    assert len(rows) == len(pl.entries)
    for (attrs, cells), e in zip(rows, pl.entries, strict=True):
        assert "entry" in (attrs.get("class") or "").split()
        assert cells[0] == str(e.seq)
        assert cells[1].startswith(e.number)
        assert cells[2] == e.received_at.strftime("%Y-%m-%d %H:%M")
        assert cells[3] == e.respondent
        assert cells[4] == e.content
        assert cells[5] == ("成功" if e.success else "不成功")
    corrected = [cells for attrs, cells in rows if "corrected" in (attrs.get("class") or "")]
    assert len(corrected) == 1 and "已更正" in corrected[0][1]
    assert corrected[0][0] == str(CORRECTED_SEQ)


def test_html_page(pl: PublicList) -> None:
    page = to_html(pl)
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in page and '<meta charset="utf-8">' in page
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    lower = page.lower()
    for ref in ("http://", "https://", "//fonts", "@import", "url("):
        assert ref not in lower.replace("http://example.invalid", ""), ref
    parsed = _parse(page)
    for tag, attrs in parsed.tags:
        assert tag not in ("script", "link", "img", "iframe", "object", "embed"), tag
        for name in ("src", "href"):
            assert name not in attrs, (tag, attrs)
    _assert_rows(parsed, pl)
    summary = parsed.tables["enterprise-summary"]
    assert [cells[0] for _, cells in summary] == [x.respondent for x in pl.enterprises]
    assert [cells[-1] for _, cells in summary] == ["66.7%", "33.3%", "—"]
    assert parsed.tables["correction-list"][0][1][2] == pl.corrections[0].note
    for words in (pl.title, pl.issuer, "更正版（第 1 次更正）", "2026年10月1日至2026年10月31日",
                  "2026年11月10日", "个人信息", "申请更正", "@media print", "Microsoft YaHei"):
        assert words in re.sub(r"<[^>]+>", "", page), words


def test_html_without_corrections(pl: PublicList) -> None:
    first = replace(pl, revision=0, corrections=(),
                    entries=tuple(replace(e, corrected_on=None) for e in pl.entries))
    page = to_html(first)
    parsed = _parse(page)
    assert "correction-list" not in parsed.tables
    assert "已更正" not in page and "更正版" not in page
    assert len(parsed.tables["disclosure-list"]) == len(pl.entries)


def test_html_in_headless_chromium(pl: PublicList, tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium is not installed (CI installs it): the page is not rendered here")
    page = [p for p in write_all(pl, tmp_path / "out") if p.suffix == ".html"][0]
    run = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr.decode(errors="replace")[-2000:]
    dom = run.stdout.decode("utf-8")
    assert "<tbody>" in dom
    parsed = _parse(dom)
    _assert_rows(parsed, pl)
    assert len(parsed.tables["enterprise-summary"]) == len(pl.enterprises)
    assert "<script" not in dom.lower()


# ----------------------------------------------------------------------------- names, writing
def test_file_stem(pl: PublicList) -> None:
    assert file_stem(pl) == "消费投诉公示-吴中区市场监督管理局-2026-10-更正1"
    assert file_stem(replace(pl, revision=0)) == "消费投诉公示-吴中区市场监督管理局-2026-10"
    odd = replace(pl, issuer='吴中区/市场:监督*管理?局"<>|\\', scope="长桥分局", revision=0)
    stem = file_stem(odd)
    assert stem == "消费投诉公示-吴中区市场监督管理局-长桥分局-2026-10"
    assert not set('\\/:*?"<>|') & set(stem)


def test_write_all(pl: PublicList, tmp_path: Path) -> None:
    folder = tmp_path / "公示"
    folder.mkdir()
    (folder / f"{file_stem(pl)}.csv").write_bytes(b"old")  # replaced, not appended to
    paths = write_all(pl, folder)
    stem = file_stem(pl)
    assert [p.name for p in paths] == [f"{stem}.xlsx", f"{stem}.csv", f"{stem}-企业汇总.csv",
                                       f"{stem}.html"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths)
    assert paths[0].read_bytes()[:2] == b"PK"
    assert paths[1].read_bytes() == to_csv(pl)
    assert paths[2].read_bytes() == enterprises_csv(pl)
    assert paths[3].read_text(encoding="utf-8") == to_html(pl)
