"""The disclosure list as one self-contained HTML5 page (inline CSS, nothing fetched from
elsewhere), to be put on the government website as it is."""

from __future__ import annotations

import html
from collections.abc import Sequence

from desktop.exports.data import EnterpriseLine, PublicEntry, PublicList
from desktop.exports.disclosure.shared import (
    CORRECTION_COLUMNS,
    CSV_DATETIME_FORMAT,
    ENTERPRISE_COLUMNS,
    LIST_COLUMNS,
    SUCCESS_TEXT,
    cn_date,
    list_columns,
    month_period,
    rate_text,
    revision_text,
)

# --------------------------------------------------------------------------------------- HTML
_CSS = """
@page { size: A4 landscape; margin: 12mm 10mm 14mm; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: #f2f3f5; color: #222;
  font-family: "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC",
    "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif;
  font-size: 16px; line-height: 1.7; }
.page { max-width: 1180px; margin: 0 auto; background: #fff; padding: 36px 44px 44px;
  min-height: 100vh; }
.doc-head { text-align: center; border-bottom: 2px solid #a8201a; padding-bottom: 18px;
  margin-bottom: 8px; }
.issuer-top { margin: 0 0 6px; color: #a8201a; font-size: 18px; letter-spacing: .12em; }
h1 { margin: 0 0 10px; font-size: 26px; line-height: 1.4; font-weight: 700; }
.revision { display: inline-block; margin: 0 0 10px; padding: 0 10px; font-size: 14px;
  color: #a8201a; border: 1px solid #a8201a; border-radius: 2px; }
.meta { display: flex; flex-wrap: wrap; justify-content: center; gap: 2px 28px; margin: 0;
  color: #555; font-size: 14px; }
.meta div { display: flex; }
.meta dt::after { content: "："; }
.meta dd { margin: 0; }
h2 { margin: 30px 0 12px; padding-left: 10px; border-left: 4px solid #2b4c7e;
  font-size: 19px; line-height: 1.4; }
.notice { margin: 18px 0 0; padding: 12px 16px; background: #f6f8fb; border: 1px solid #dfe4ea;
  font-size: 15px; }
.notice h2 { margin: 0 0 6px; }
.notice p { margin: 0; text-indent: 2em; }
.notice p + p { margin-top: 4px; }
.count { font-weight: 400; color: #555; font-size: 15px; }
.scroll-hint { display: none; margin: 0 0 6px; color: #777; font-size: 13px; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { width: 100%; border-collapse: collapse; font-size: 14px; line-height: 1.6; }
#disclosure-list { min-width: 880px; }
#enterprise-summary { min-width: 760px; }
#correction-list { min-width: 560px; }
th, td { border: 1px solid #cfd6de; padding: 8px 10px; text-align: left; vertical-align: top; }
thead th { background: #e9eef4; font-weight: 700; white-space: nowrap; text-align: center; }
tbody tr:nth-child(even) { background: #fafbfc; }
td.seq, td.int, td.rate { text-align: right; white-space: nowrap;
  font-variant-numeric: tabular-nums; }
td.seq { text-align: center; }
td.number, td.time, td.day, td.code { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.respondent { width: 20%; min-width: 10em; overflow-wrap: anywhere; }
td.content, td.note { width: 40%; min-width: 18em; white-space: pre-line; overflow-wrap: anywhere; }
#enterprise-summary td.respondent { width: auto; }
#correction-list td.note { width: 70%; }
td.result { text-align: center; white-space: nowrap; }
.result-no { color: #8a5300; }
.none { color: #888; }
tr.corrected, tr.corrected:nth-child(even) { background: #fff7e0; }
.tag { display: inline-block; margin-left: 6px; padding: 0 5px; font-size: 12px;
  line-height: 1.6; color: #a8201a; border: 1px solid #a8201a; border-radius: 2px;
  white-space: nowrap; vertical-align: 1px; }
td.number .tag { display: table; margin: 4px 0 0; }
.table-note { margin: 8px 0 0; color: #666; font-size: 13px; }
.empty { color: #666; }
.doc-foot { margin-top: 36px; text-align: right; line-height: 1.9; }
.doc-foot p { margin: 0; }
@media (max-width: 700px) {
  body { font-size: 15px; }
  .page { padding: 18px 12px 28px; }
  .issuer-top { font-size: 15px; }
  h1 { font-size: 20px; }
  h2 { font-size: 17px; margin-top: 24px; }
  .meta { flex-direction: column; align-items: center; gap: 0; }
  .scroll-hint { display: block; }
  th, td { padding: 6px 8px; }
  table { font-size: 13px; }
}
@media print {
  body { background: #fff; font-size: 10.5pt; }
  .page { max-width: none; min-height: 0; margin: 0; padding: 0; }
  .doc-head { padding-bottom: 8px; }
  .issuer-top { font-size: 12pt; margin-bottom: 2px; }
  h1 { font-size: 17pt; margin-bottom: 4px; }
  .revision { margin-bottom: 4px; font-size: 9.5pt; }
  .meta { font-size: 9.5pt; }
  h2 { font-size: 12.5pt; margin: 14px 0 6px; }
  .notice { margin-top: 10px; padding: 6px 10px; font-size: 10pt; }
  td.respondent { width: 22%; }
  td.content { width: 36%; }
  .table-wrap { overflow: visible; }
  .scroll-hint { display: none; }
  table, #disclosure-list, #enterprise-summary, #correction-list { min-width: 0; font-size: 9pt; }
  th, td { padding: 4px 6px; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .doc-head, thead th, tr.corrected, tbody tr:nth-child(even), .tag, .notice {
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _html_text(text: str) -> str:
    """Escaped, with CR line breaks as LF (``white-space: pre-line`` shows them)."""
    return _e(text.replace("\r\n", "\n").replace("\r", "\n"))


def _entry_row(e: PublicEntry, corrected_column: bool) -> str:
    classes = "entry corrected" if e.corrected_on is not None else "entry"
    tag = '<span class="tag">已更正</span>' if e.corrected_on is not None else ""
    result_class = "result-ok" if e.success else "result-no"
    cells = [
        f'<td class="seq">{e.seq}</td>',
        f'<td class="number">{_e(e.number)}{tag}</td>',
        f'<td class="time"><time datetime="{e.received_at.strftime("%Y-%m-%dT%H:%M")}">'
        f'{e.received_at.strftime(CSV_DATETIME_FORMAT)}</time></td>',
        f'<td class="respondent">{_html_text(e.respondent)}</td>',
        f'<td class="content">{_html_text(e.content)}</td>',
        f'<td class="result {result_class}">{SUCCESS_TEXT[e.success]}</td>',
    ]
    if corrected_column:
        day = (f'<time datetime="{e.corrected_on.isoformat()}">{e.corrected_on.isoformat()}</time>'
               if e.corrected_on else "")
        cells.append(f'<td class="day">{day}</td>')
    return f'<tr class="{classes}" id="entry-{e.seq}">' + "".join(cells) + "</tr>"


def _head_row(columns: Sequence[str]) -> str:
    return "<tr>" + "".join(f'<th scope="col">{_e(c)}</th>' for c in columns) + "</tr>"


def _enterprise_row(x: EnterpriseLine) -> str:
    rate = rate_text(x)
    rate_cell = (f'<td class="rate">{rate}</td>' if rate
                 else '<td class="rate"><span class="none" title="无调解件数">—</span></td>')
    return ('<tr class="enterprise">'
            f'<td class="respondent">{_html_text(x.respondent)}</td>'
            f'<td class="code">{_e(x.credit_code)}</td>'
            f'<td class="int">{x.accepted}</td><td class="int">{x.closed}</td>'
            f'<td class="int">{x.mediated}</td><td class="int">{x.settled}</td>'
            f"{rate_cell}</tr>")


def to_html(pl: PublicList) -> str:
    """One self-contained HTML5 page (inline CSS; no scripts, fonts, images or links)."""
    title = _e(pl.title)
    columns = list_columns(pl)
    corrected_column = len(columns) > len(LIST_COLUMNS)
    first, last = month_period(pl)
    meta = [
        ("发布单位", _e(pl.issuer)),
        ("公示期间", f'<time datetime="{first.isoformat()}">{cn_date(first)}</time>至'
                     f'<time datetime="{last.isoformat()}">{cn_date(last)}</time>'),
        ("发布日期", f'<time datetime="{pl.published_on.isoformat()}">'
                     f"{cn_date(pl.published_on)}</time>"),
    ]
    revision = revision_text(pl)
    hint = '<p class="scroll-hint">表格较宽，可左右滑动查看。</p>'

    parts: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f'<meta name="description" content="{title}">',
        f"<title>{title}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        '<main class="page">',
        '<header class="doc-head">',
        f'<p class="issuer-top">{_e(pl.issuer)}</p>',
        f"<h1>{title}</h1>",
    ]
    if revision:
        parts.append(f'<p class="revision">{_e(revision)}</p>')
    parts.append('<dl class="meta">' + "".join(
        f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in meta) + "</dl>")
    parts.append("</header>")

    parts += [
        '<section class="notice" aria-labelledby="notice-title">',
        '<h2 id="notice-title">说明</h2>',
        f"<p>现将{_e(pl.scope)}{pl.month.year}年{pl.month.month}月办结的消费投诉信息予以公示。"
        "公示内容为投诉情况摘要，已隐去投诉人姓名、联系方式等个人信息；"
        "“成功与否”指投诉经调解是否达成一致。</p>",
        f"<p>被投诉企业对公示内容有异议的，可向{_e(pl.issuer)}申请更正；"
        "经核实确有错误的，予以更正并重新公示。</p>",
        "</section>",
    ]

    parts += [
        '<section aria-labelledby="list-title">',
        f'<h2 id="list-title">投诉公示清单 <span class="count">（共 {len(pl.entries)} 件）</span></h2>',
        hint,
        '<div class="table-wrap">',
        '<table id="disclosure-list" class="disclosure-table" aria-labelledby="list-title">',
        f"<thead>{_head_row(columns)}</thead>",
        "<tbody>",
        *(_entry_row(e, corrected_column) for e in pl.entries),
        "</tbody>",
        "</table>",
        "</div>",
    ]
    if not pl.entries:
        parts.append('<p class="empty">本期无办结的消费投诉。</p>')
    if corrected_column:
        parts.append('<p class="table-note">标注“已更正”的投诉经核实已作更正，见下方更正说明。</p>')
    parts.append("</section>")

    if pl.enterprises:
        parts += [
            '<section aria-labelledby="enterprise-title">',
            '<h2 id="enterprise-title">企业汇总</h2>',
            hint,
            '<div class="table-wrap">',
            '<table id="enterprise-summary" class="disclosure-table" '
            'aria-labelledby="enterprise-title">',
            f"<thead>{_head_row(ENTERPRISE_COLUMNS)}</thead>",
            "<tbody>",
            *(_enterprise_row(x) for x in pl.enterprises),
            "</tbody>",
            "</table>",
            "</div>",
            '<p class="table-note">调解成功率＝调解成功件数÷调解件数；本期无调解件数的以“—”表示。</p>',
            "</section>",
        ]

    if pl.corrections:
        round_note = (f' <span class="count">（第 {pl.revision} 次更正）</span>'
                      if pl.revision > 0 else "")
        parts += [
            '<section id="corrections" aria-labelledby="correction-title">',
            f'<h2 id="correction-title">更正说明{round_note}</h2>',
            '<div class="table-wrap">',
            '<table id="correction-list" class="disclosure-table" '
            'aria-labelledby="correction-title">',
            f"<thead>{_head_row(CORRECTION_COLUMNS)}</thead>",
            "<tbody>",
            *(f'<tr class="correction"><td class="number">{_e(c.number)}</td>'
              f'<td class="day"><time datetime="{c.corrected_on.isoformat()}">'
              f"{c.corrected_on.isoformat()}</time></td>"
              f'<td class="note">{_html_text(c.note)}</td></tr>'
              for c in pl.corrections),
            "</tbody>",
            "</table>",
            "</div>",
            "</section>",
        ]

    parts += [
        '<footer class="doc-foot">',
        f"<p>{_e(pl.issuer)}</p>",
        f'<p><time datetime="{pl.published_on.isoformat()}">{cn_date(pl.published_on)}</time></p>',
        "</footer>",
        "</main>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)

