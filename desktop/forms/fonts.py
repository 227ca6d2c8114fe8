"""The fonts the forms embed, and per-character fallback.

ReportLab's built-in STSong-Light is not embedded (blank on a PC without Chinese fonts), and
ReportLab picks no fallback glyph by itself: a character the font lacks prints as an empty
box. So the forms use two shipped TrueType fonts (see resources/fonts/README.md) and every
text goes through `markup` / `runs`, which switch to the second font for the characters the
first lacks, to a third (DejaVu Sans) for the symbols neither Chinese font has, and print 〓
for the few none has. The check boxes of the 2026 forms are the pair ☑ ☐ (U+2611, U+2610) from
the third font, the same size: neither Chinese font has them, and the square □ (U+25A1) they
do have is larger than ☑ in every font shipped.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from desktop import shipped

# ReportLab is imported by the functions that use it: the window's start-up reads only the
# font paths (for Qt), and ReportLab loads when the fonts are warmed up after login or printed.

BODY = "HejieSong"  # AR PL UMing CN: body text
HEADING = "HejieHei"  # WenQuanYi Zen Hei: titles, headings, fallback
SYMBOL = "HejieSymbol"  # DejaVu Sans: check boxes, and symbols neither Chinese font has
MISSING_MARK = "〓"  # the typesetter's mark for a character that cannot be set
TICKED = "\u2611"  # ☑
UNTICKED = "\u2610"  # ☐
_SYMBOL_FIRST = frozenset({TICKED, UNTICKED})

_FILES = {BODY: "uming.ttc", HEADING: "wqy-zenhei.ttc", SYMBOL: "DejaVuSans.ttf"}
_lock = threading.Lock()


def font_dir() -> Path:
    return shipped.path(shipped.FONTS)


def font_path(name: str) -> Path:
    return font_dir() / _FILES[name]


def register() -> None:
    """Register the three fonts with ReportLab (once per process; about 0.15 s)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    with _lock:
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, filename in _FILES.items():
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(font_dir() / filename), subfontIndex=0))


@lru_cache(maxsize=4)
def _glyphs(name: str) -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    register()
    face = pdfmetrics.getFont(name).face  # type: ignore[attr-defined]
    return frozenset(code for code, glyph in face.charToGlyph.items() if glyph)


def _is_layout(char: str) -> bool:
    return char in "\n\t\r "


def font_for(char: str, preferred: str = BODY) -> str | None:
    """The font that prints `char`: the preferred one, else the other Chinese font, else the
    symbol font, else None. Check boxes: the symbol font."""
    if _is_layout(char):
        return preferred
    if char in _SYMBOL_FIRST:
        return SYMBOL
    code = ord(char)
    for name in (preferred, HEADING if preferred == BODY else BODY, SYMBOL):
        if code in _glyphs(name):
            return name
    return None


def runs(text: str, preferred: str = BODY) -> list[tuple[str, str]]:
    """`text` cut into (font, text) runs, characters no font has replaced by 〓."""
    out: list[tuple[str, str]] = []
    for char in text:
        font = font_for(char, preferred)
        if font is None:
            font, char = preferred, MISSING_MARK
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + char)
        else:
            out.append((font, char))
    return out


def missing(text: str) -> set[str]:
    """The characters of `text` that no font can print."""
    return {c for c in text if font_for(c) is None}


def markup(text: str, preferred: str = BODY) -> str:
    """Paragraph markup for plain `text`: escaped, line breaks kept, fallback runs tagged."""
    parts = []
    for font, run in runs(text, preferred):
        piece = escape(run).replace("\r\n", "\n").replace("\n", "<br/>")
        parts.append(piece if font == preferred else f'<font face="{font}">{piece}</font>')
    return "".join(parts)


def string_width(text: str, size: float, preferred: str = BODY) -> float:
    from reportlab.pdfbase import pdfmetrics

    return sum(pdfmetrics.stringWidth(run, font, size) for font, run in runs(text, preferred))


def draw_string(canvas, x: float, y: float, text: str, size: float,  # type: ignore[no-untyped-def]
                preferred: str = BODY, align: str = "left") -> None:
    """Draw one line on a canvas with the same fallback as `markup`."""
    from reportlab.pdfbase import pdfmetrics

    if align != "left":
        width = string_width(text, size, preferred)
        x -= width if align == "right" else width / 2
    for font, run in runs(text, preferred):
        canvas.setFont(font, size)
        canvas.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, font, size)


def warm_up() -> None:
    """Load the fonts and their character sets now (about 0.3 s), so that the first form a
    user prints does not wait for it; the window calls this on a worker after login."""
    for name in _FILES:
        _glyphs(name)
