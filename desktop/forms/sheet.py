"""The layout every form shares: A4 page, letterhead, title, ruled tables, signature blocks,
the complaint number and QR code top right, and "第 x 页 共 y 页" at the foot of each page."""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from desktop.domain.contract import FACTS_LEN
from desktop.forms import fonts
from desktop.forms.data import Letterhead, clip

MARGIN = 18 * mm
HEADER_SPACE = 16 * mm  # above the frame: number and QR code
QR_SIZE = 17 * mm
RULE = colors.black
SHADE = colors.Color(0.93, 0.93, 0.93)

# ReportLab keeps per-document font subsets in shared objects: one render at a time.
_render_lock = threading.Lock()


def _style(name: str, font: str, size: float, leading: float, **extra: object) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK",
                          **extra)  # type: ignore[arg-type]


TITLE = _style("title", fonts.HEADING, 18, 26, alignment=TA_CENTER, spaceAfter=2 * mm)
OFFICE = _style("office", fonts.BODY, 13, 18, alignment=TA_CENTER, spaceAfter=1 * mm)
SUBTITLE = _style("subtitle", fonts.BODY, 10.5, 15, alignment=TA_CENTER, spaceAfter=3 * mm)
BODY = _style("body", fonts.BODY, 12, 22, firstLineIndent=24, spaceAfter=1 * mm)
BODY_FLUSH = _style("body_flush", fonts.BODY, 12, 22)
CELL = _style("cell", fonts.BODY, 10, 14.5)
CELL_SMALL = _style("cell_small", fonts.BODY, 8, 10.5)
LABEL = _style("label", fonts.HEADING, 10, 14.5)
LABEL_CENTER = _style("label_center", fonts.HEADING, 10, 14.5, alignment=TA_CENTER)
HEAD_SMALL = _style("head_small", fonts.HEADING, 8, 10.5, alignment=TA_CENTER)
SECTION = _style("section", fonts.HEADING, 11, 16, spaceBefore=3 * mm, spaceAfter=1.5 * mm,
                 keepWithNext=1)
LIST_SECTION = _style("list_section", fonts.HEADING, 11, 16, spaceBefore=3 * mm,
                      spaceAfter=1.5 * mm)
SIGN = _style("sign", fonts.BODY, 12, 14)  # tight leading: the text sits on the signing line
RIGHT = _style("right", fonts.BODY, 12, 22, alignment=TA_RIGHT)
NOTE = _style("note", fonts.BODY, 9, 13, alignment=TA_LEFT, textColor=colors.Color(0.3, 0.3, 0.3))


# Tables set plain-string cells (even empty ones) in Helvetica unless told otherwise, which
# would put an unembedded font into the PDF.
CELL_FONT = ("FONTNAME", (0, 0), (-1, -1), fonts.BODY)


# The most one paragraph may print: the longest field (事实与理由) with the words around it.
# The papers (`forms/data.py`) clip each field at its own limit; this is the last guard for a
# text put together from several, so no paragraph can take ReportLab more than a moment.
PARA_LIMIT = FACTS_LEN + 1000


def para(text: str | None, style: ParagraphStyle = CELL) -> Paragraph:
    """A paragraph of plain text (escaped, line breaks kept, rare characters in the fallback)."""
    preferred = fonts.HEADING if style.fontName == fonts.HEADING else fonts.BODY
    return Paragraph(fonts.markup(clip(text, PARA_LIMIT), preferred), style)


# -- values as the forms write them ------------------------------------------------------
def day(value: date | datetime | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def iso_day(value: date | datetime | None) -> str:
    """2026-11-20: the short date of list columns."""
    return f"{value:%Y-%m-%d}" if value else ""


def empty_note(rows: Sequence[object], text: str) -> list[Flowable]:
    """What a list says when it has no rows, instead of an empty table."""
    return [] if rows else [Spacer(1, 2 * mm), para(text, NOTE)]


def minute(value: datetime | None) -> str:
    return f"{day(value)} {value:%H:%M}" if value else ""


def money(value: Decimal | None) -> str:
    return f"{value:,.2f} 元" if value is not None else ""


BLANK = "_" * 14  # a line to fill in by hand
# No-break spaces: Paragraph collapses ordinary (and ideographic) spaces.
BLANK_DATE = "\u00a0" * 8 + "年" + "\u00a0" * 4 + "月" + "\u00a0" * 4 + "日"


# -- building blocks ---------------------------------------------------------------------
@dataclass(frozen=True)
class SheetHeader:
    title: str
    letterhead: Letterhead
    printed_at: datetime
    number: str | None = None
    code: str | None = None  # the QR payload; sheets of a complaint have one
    subtitle: str = ""
    landscape: bool = False
    issuer: str | None = None  # the line above the title; the office by default
    number_label: str = "投诉单号"  # what the number top right is called (a 举报's: 举报单号)

    @property
    def pagesize(self) -> tuple[float, float]:
        return landscape(A4) if self.landscape else A4

    @property
    def width(self) -> float:
        return self.pagesize[0] - 2 * MARGIN


def heading(header: SheetHeader) -> list[Flowable]:
    out: list[Flowable] = [para(header.issuer or header.letterhead.office, OFFICE),
                           para(header.title, TITLE)]
    if header.subtitle:
        out.append(para(header.subtitle, SUBTITLE))
    else:
        out.append(Spacer(1, 2 * mm))
    return out


def grid_style(extra: Sequence[tuple] = (), padding: float = 4, box: float = 1.0) -> TableStyle:
    return TableStyle([
        CELL_FONT,
        ("GRID", (0, 0), (-1, -1), 0.6, RULE),
        ("BOX", (0, 0), (-1, -1), box, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), padding - 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        *extra,
    ])


Field = tuple[str, str | None]


def field_grid(rows: Sequence[Sequence[Field]], width: float, label_width: float = 27 * mm,
               min_height: float = 8 * mm) -> list[Flowable]:
    """A ruled label/value grid: rows of two fields in 4 columns, rows of one field across.

    Long values wrap inside their cell, and a cell longer than a page continues on the next
    (splitInRow), so a 3,000-character statement never falls off the page. One-field rows
    are their own 2-column tables stacked flush, not SPANs: ReportLab wraps a spanned cell
    it splits across pages at the narrow width of its first column."""
    value_width = (width - 2 * label_width) / 2
    out: list[Flowable] = []
    group: list[Sequence[Field]] = []

    def flush() -> None:
        if not group:
            return
        if len(group[0]) == 1:
            data = [[para(label, LABEL), para(value)] for ((label, value),) in group]
            widths = [label_width, width - label_width]
            shade = [("BACKGROUND", (0, 0), (0, -1), SHADE)]
        else:
            data = [[para(l1, LABEL), para(v1), para(l2, LABEL), para(v2)]
                    for (l1, v1), (l2, v2) in group]
            widths = [label_width, value_width, label_width, value_width]
            shade = [("BACKGROUND", (0, 0), (0, -1), SHADE), ("BACKGROUND", (2, 0), (2, -1), SHADE)]
        table = Table(data, colWidths=widths, splitInRow=1, hAlign="CENTER",
                      minRowHeights=[min_height] * len(data))
        table.setStyle(grid_style(shade, box=0.6))  # stacked tables: no heavier lines at joins
        out.append(table)
        group.clear()

    for row in rows:
        if group and len(group[0]) != len(row):
            flush()
        group.append(row)
    flush()
    return out


def ruled_table(header: Sequence[str], rows: Sequence[Sequence[str | None]],
                widths: Sequence[float], *, small: bool = False,
                centered: Sequence[int] = (0,), shaded_rows: Sequence[int] = ()) -> Table:
    """A list with its header row repeated on every page it runs over."""
    cell = CELL_SMALL if small else CELL
    head = HEAD_SMALL if small else LABEL_CENTER
    centre = ParagraphStyle(cell.name + "_c", parent=cell, alignment=TA_CENTER)
    data = [[para(h, head) for h in header]]
    for row in rows:
        data.append([para(v, centre if i in centered else cell) for i, v in enumerate(row)])
    table = Table(data, colWidths=list(widths), repeatRows=1, splitInRow=1, hAlign="CENTER")
    table.setStyle(grid_style([
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        *[("BACKGROUND", (0, r + 1), (-1, r + 1), SHADE) for r in shaded_rows],
    ], padding=2.5 if small else 4))
    return table


def signatures(lines: Sequence[tuple[str, str]], width: float, *, lead: Sequence[Flowable] = (),
               row_height: float = 13 * mm) -> KeepTogether:
    """Signature lines ("投诉人（签字）", date text) kept whole, on the last page if need be."""
    data = [[para(f"{who}：", SIGN), "", para(f"日期：{when}", SIGN)] for who, when in lines]
    table = Table(data, colWidths=[width * 0.34, width * 0.26, width * 0.40],
                  rowHeights=[row_height] * len(data), hAlign="LEFT")
    table.setStyle(TableStyle([CELL_FONT,
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LINEBELOW", (1, 0), (1, -1), 0.6, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return KeepTogether([*lead, Spacer(1, 4 * mm), table])


def seal_block(letterhead: Letterhead, when: str, width: float) -> KeepTogether:
    """The issuing office, the place for its seal and the date, at the right of the page."""
    return KeepTogether([Spacer(1, 8 * mm), _seal_table(letterhead, when, width * 0.5)])


def _seal_table(letterhead: Letterhead, when: str, width: float, compact: bool = False) -> Table:
    style = ParagraphStyle("seal", parent=BODY_FLUSH, alignment=TA_CENTER)
    hint = ParagraphStyle("seal_hint", parent=NOTE, alignment=TA_CENTER)
    block = Table(
        [[para(letterhead.office, style)],
         [para(f"（加盖{letterhead.seal_text or letterhead.office}）", hint)],
         [para(when, style)]],
        colWidths=[width], hAlign="RIGHT",
        rowHeights=[8 * mm, 10 * mm, 8 * mm] if compact else [10 * mm, 14 * mm, 10 * mm])
    block.setStyle(TableStyle([CELL_FONT, ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return block


def signatures_beside_seal(who: Sequence[str], letterhead: Letterhead, when: str,
                           width: float, row_height: float = 12 * mm) -> KeepTogether:
    """Signature lines on the left, the office's seal place and date on the right."""
    lines = Table([[para(f"{w}：", SIGN), ""] for w in who],
                  colWidths=[width * 0.33, width * 0.2], rowHeights=[row_height] * len(who))
    lines.setStyle(TableStyle([CELL_FONT,
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LINEBELOW", (1, 0), (1, -1), 0.6, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    seal = _seal_table(letterhead, when, width * 0.42, compact=True)
    table = Table([[lines, seal]], colWidths=[width * 0.55, width * 0.45], hAlign="LEFT")
    table.setStyle(TableStyle([CELL_FONT, ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([Spacer(1, 4 * mm), table])


# -- the page and the document -----------------------------------------------------------
def _qr_modules(code: str) -> list[list[bool]]:
    """The QR matrix from ReportLab's own encoder (error correction M)."""
    widget = QrCodeWidget(code, barLevel="M")
    widget.qr.make()
    return [[bool(m) for m in row] for row in widget.qr.modules]


def _draw_qr(canvas: Canvas, modules: list[list[bool]], x: float, y: float, size: float) -> None:
    """Dark modules as filled squares, with the standard 4-module quiet zone. Drawn directly
    rather than through renderPDF, which would add an unembedded Helvetica to the PDF."""
    count = len(modules)
    box = size / (count + 8)
    canvas.setFillColor(colors.black)
    for r, row in enumerate(modules):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(x + (c + 4) * box, y + size - (r + 5) * box, box, box, stroke=0, fill=1)


class _NumberedCanvas(Canvas):
    """Defers each page until the end so every page can say how many there are."""

    def __init__(self, *args, header: SheetHeader, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._header = header
        self._pages: list[dict] = []
        self._qr = _qr_modules(header.code) if header.code else None

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._decorate(number, total)
            super().showPage()
        self.page_count = total
        super().save()

    def _decorate(self, page: int, total: int) -> None:
        h = self._header
        width, height = h.pagesize
        top = height - MARGIN + 4 * mm
        self.setFillColor(colors.black)
        if h.number:
            right = width - MARGIN - (QR_SIZE + 3 * mm if self._qr else 0)
            fonts.draw_string(self, right, top - 4 * mm, f"{h.number_label}：{h.number}", 10,
                              align="right")
        if self._qr is not None:
            _draw_qr(self, self._qr, width - MARGIN - QR_SIZE, top - QR_SIZE + 1 * mm, QR_SIZE)
        if total > 1 and page > 1:  # continuation pages name their form
            fonts.draw_string(self, MARGIN, top - 4 * mm, f"{h.title}（续）", 9)
        self.setLineWidth(0.4)
        foot = MARGIN - 6 * mm
        fonts.draw_string(self, width / 2, foot, f"第 {page} 页 共 {total} 页", 9,
                          align="center")
        self.setFillColor(colors.Color(0.35, 0.35, 0.35))
        fonts.draw_string(self, MARGIN, foot, f"{h.letterhead.office} · 打印于 "
                          f"{h.printed_at:%Y-%m-%d %H:%M}", 7.5)
        if h.code:
            fonts.draw_string(self, width - MARGIN, foot, f"核验码 {h.code}", 7.5, align="right")
        self.setFillColor(colors.black)


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int


def build(header: SheetHeader, story: list[Flowable]) -> Pdf:
    """Lay out `story` under `header` and return the PDF with its page count."""
    fonts.register()
    width, height = header.pagesize
    frame = Frame(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN - HEADER_SPACE,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    out = io.BytesIO()
    with _render_lock:
        doc = BaseDocTemplate(out, pagesize=header.pagesize, leftMargin=MARGIN, rightMargin=MARGIN,
                              topMargin=MARGIN + HEADER_SPACE, bottomMargin=MARGIN,
                              title=header.title, author=header.letterhead.office,
                              subject=header.number or header.subtitle, creator="和解台 Hejie")
        doc.addPageTemplates([PageTemplate(id="sheet", frames=[frame])])
        canvases: list[_NumberedCanvas] = []

        def maker(*args, **kwargs):  # type: ignore[no-untyped-def]
            kwargs["initialFontName"] = fonts.BODY  # no stray unembedded Helvetica
            canvas = _NumberedCanvas(*args, header=header, **kwargs)
            canvases.append(canvas)
            return canvas

        doc.build(story, canvasmaker=partial(maker))
    return Pdf(out.getvalue(), canvases[-1].page_count)
