"""Draws the application icon: a red seal (rounded square) with 和 in white.

Run from the repository root:  QT_QPA_PLATFORM=offscreen python resources/icons/render.py
It writes hejie.svg (the design: seal with an inner frame, for 48 px and up), hejie-small.svg
(no frame, a larger and bolder 和, for 16 and 32 px), the PNG renders hejie-16/32/48/256.png
(Qt's SVG renderer) and hejie.ico (all four PNGs; only if Pillow is installed). The character
is the outline of 和 in WenQuanYi Zen Hei (resources/fonts/wqy-zenhei.ttc, face 0) converted
to an SVG path, so the SVG needs no font. This script is not installed with the program.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QImage, QPainter, QPainterPath
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
FONT = HERE.parent / "fonts" / "wqy-zenhei.ttc"
RED = "#DE2910"  # the red of the national flag
WHITE = "#FFFFFF"
VIEW = 256
SIZES = {16: "hejie-small.svg", 32: "hejie-small.svg", 48: "hejie.svg", 256: "hejie.svg"}


def glyph_path(char: str) -> QPainterPath:
    font_id = QFontDatabase.addApplicationFont(str(FONT))
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    font = QFont(family)
    font.setPixelSize(1000)
    path = QPainterPath()
    path.addText(0, 0, font, char)
    return path


def svg_path_data(path: QPainterPath, box: QRectF) -> str:
    """`path` scaled and centred into `box`, as SVG path data (absolute, 2 decimals)."""
    bounds = path.boundingRect()
    scale = min(box.width() / bounds.width(), box.height() / bounds.height())
    dx = box.center().x() - bounds.center().x() * scale
    dy = box.center().y() - bounds.center().y() * scale

    def pt(e) -> str:  # type: ignore[no-untyped-def]
        return f"{e.x * scale + dx:.2f} {e.y * scale + dy:.2f}"

    out: list[str] = []
    i = 0
    while i < path.elementCount():
        e = path.elementAt(i)
        if e.type == QPainterPath.ElementType.MoveToElement:
            if out:
                out.append("Z")
            out.append(f"M{pt(e)}")
            i += 1
        elif e.type == QPainterPath.ElementType.LineToElement:
            out.append(f"L{pt(e)}")
            i += 1
        else:  # CurveToElement followed by two CurveToDataElements
            c2, end = path.elementAt(i + 1), path.elementAt(i + 2)
            out.append(f"C{pt(e)} {pt(c2)} {pt(end)}")
            i += 3
    out.append("Z")
    return "".join(out)


def svg(glyph: QPainterPath, *, frame: bool) -> str:
    if frame:
        inset, radius, text_box, weight = 8, 36, QRectF(58, 52, 140, 152), 8
    else:
        inset, radius, text_box, weight = 0, 40, QRectF(30, 24, 196, 208), 14
    size = VIEW - 2 * inset
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{VIEW}" height="{VIEW}" '
        f'viewBox="0 0 {VIEW} {VIEW}">',
        "<title>和解台</title>",
        f'<rect x="{inset}" y="{inset}" width="{size}" height="{size}" rx="{radius}" fill="{RED}"/>',
    ]
    if frame:
        parts.append(f'<rect x="26" y="26" width="204" height="204" rx="22" fill="none" '
                     f'stroke="{WHITE}" stroke-width="7"/>')
    parts.append(f'<path d="{svg_path_data(glyph, text_box)}" fill="{WHITE}" stroke="{WHITE}" '
                 f'stroke-width="{weight}" stroke-linejoin="round"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def render(svg_file: Path, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg_file)).render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    glyph = glyph_path("和")
    (HERE / "hejie.svg").write_text(svg(glyph, frame=True), "utf-8")
    (HERE / "hejie-small.svg").write_text(svg(glyph, frame=False), "utf-8")
    for size, source in SIZES.items():
        render(HERE / source, size).save(str(HERE / f"hejie-{size}.png"))
    try:
        from PIL import Image
    except ImportError:
        print("Pillow not installed: hejie.ico not written")
        return 0
    images = [Image.open(HERE / f"hejie-{size}.png") for size in sorted(SIZES, reverse=True)]
    images[0].save(HERE / "hejie.ico", sizes=[(s, s) for s in SIZES], append_images=images[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
