"""Issue 23, item 10: a page printed through the print dialog goes as an image of the
resolution the form needs (300 dpi, grey for a black-and-white form), not as a colour bitmap at
the printer's full resolution: the spool is several times smaller and reads back the same."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from desktop.services.printing import FormRequest
from desktop.ui.printing import FORM_DPI, print_pdf, render_scale
from tests.conftest import World, draft
from tests.gui.test_printing import _ink


def _printer(path: Path, dpi: int) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(dpi)
    return printer


def test_a_form_page_spools_at_300_dpi_in_grey(world: World, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    cid = world.s.complaints.register(world.clerk, draft()).ids[0]
    rendered = world.s.printing.render(world.clerk, FormRequest("registration", complaint_id=cid))
    assert rendered.pages == 1
    before, after = tmp_path / "before.pdf", tmp_path / "after.pdf"
    # As it was: the printer's own 600 dpi, in colour.
    print_pdf(rendered.pdf, _printer(before, 600), dpi=None, grey_pages=False)
    printer = _printer(after, 600)
    assert render_scale(printer) == FORM_DPI / 600
    print_pdf(rendered.pdf, printer)
    assert printer.colorMode() == QPrinter.ColorMode.Color  # the user's setting is kept
    assert after.stat().st_size < before.stat().st_size / 2, (after.stat().st_size, before.stat().st_size)

    page = PdfReader(io.BytesIO(after.read_bytes())).pages[0]
    [image] = page.images
    inches = float(page.mediabox.width) / 72
    assert image.image.mode == "L"  # grey (lossless Flate, not a colour JPEG)
    assert 0.85 * FORM_DPI * inches < image.image.width <= FORM_DPI * inches  # the printable width
    old = PdfReader(str(before)).pages[0].images[0].image
    assert old.mode == "RGB" and old.width > 1.8 * image.image.width
    # The same form on the paper: as much ink as the PDF itself (minus the margins' shrink).
    original = tmp_path / "form.pdf"
    original.write_bytes(rendered.pdf)
    assert 0.4 * _ink(original) < _ink(after) < 1.1 * _ink(original)
    assert abs(_ink(after) - _ink(before)) < 0.1 * _ink(before)


def test_a_printer_below_300_dpi_is_not_upscaled(tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert render_scale(_printer(tmp_path / "x.pdf", 150)) == 1.0
    assert render_scale(_printer(tmp_path / "y.pdf", 1200)) == 0.25


def test_a_page_with_colour_keeps_its_colour(tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    paper = canvas.Canvas(buffer, pagesize=A4)
    paper.setFillColorRGB(0.8, 0.1, 0.1)
    paper.rect(100, 600, 120, 120, fill=1)  # a red seal
    paper.showPage()
    paper.save()
    out = tmp_path / "red.pdf"
    print_pdf(buffer.getvalue(), _printer(out, 600))
    assert PdfReader(str(out)).pages[0].images[0].image.mode == "RGB"
