"""What printing through the print dialog sends: the spool size of one form page, before and
after issue 23 (pages rendered at the printer's resolution in colour, vs capped to 300 dpi
and grey where the page has no colour).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_print_spool.py

The printer is Qt's PDF file printer at 600 and 1200 dpi (what CUPS receives is the same kind
of PDF; a Windows driver gets the same bitmap through GDI). Uses the demo database in
bench/out/forms-demo (built once, as bench_forms.py does).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _db import unlock_demo  # noqa: E402  (bench/_db.py)
from PySide6.QtPrintSupport import QPrinter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.bootstrap import open_services  # noqa: E402
from desktop.demo.generate import build_demo  # noqa: E402
from desktop.domain.complaint import ComplaintFilter  # noqa: E402
from desktop.services.printing import FormRequest  # noqa: E402
from desktop.ui.printing import print_pdf  # noqa: E402


def spool(pdf: bytes, resolution: int, folder: Path, name: str, **options: object) -> tuple[int, float]:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = folder / f"{name}-{resolution}.pdf"
    printer.setOutputFileName(str(out))
    printer.setResolution(resolution)
    start = time.perf_counter()
    print_pdf(pdf, printer, **options)  # type: ignore[arg-type]
    return out.stat().st_size, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=Path(__file__).parent / "out" / "forms-demo")
    args = parser.parse_args()
    _app = QApplication.instance() or QApplication(sys.argv[:1])
    unlock_demo(args.data_dir)  # an encrypted demo: its key opened with the demo password
    s = open_services(args.data_dir)
    if not s.setup.is_initialized():
        print("building the demo database (300 complaints)…", file=sys.stderr)
        build_demo(s)
    admin = s.users.login("admin", "demo1234")
    row = s.complaints.page(admin, ComplaintFilter(), None, 1).rows[0]
    forms = [("登记表", FormRequest("registration", complaint_id=row.id)),
             ("投诉举报台账", FormRequest("ledger"))]
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'form':<14}{'printer':>8}{'before':>12}{'after':>12}{'ratio':>8}{'t before':>10}{'t after':>9}")
        for title, request in forms:
            rendered = s.printing.render(admin, request)
            one_page = rendered.pdf
            for dpi in (600, 1200):
                before, t0 = spool(one_page, dpi, Path(tmp), "before", dpi=None, grey_pages=False)
                after, t1 = spool(one_page, dpi, Path(tmp), "after")
                per_page = rendered.pages
                print(f"{title:<12}{dpi:>8} dpi{before / per_page / 1e6:>9.2f} MB{after / per_page / 1e6:>9.2f} MB"
                      f"{before / after:>7.1f}×{t0 / per_page:>9.2f}s{t1 / per_page:>8.2f}s   (per page, {per_page} p.)")
    s.close()


if __name__ == "__main__":
    main()
