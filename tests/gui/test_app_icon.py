"""The application icon (resources/icons/) loads and is the icon of the program's windows."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QWidget

from desktop.ui.app import application_icon


def test_the_application_icon_loads_at_every_drawn_size(qtbot) -> None:  # type: ignore[no-untyped-def]
    icon = application_icon()
    assert not icon.isNull()
    assert {s.width() for s in icon.availableSizes()} == {16, 32, 48, 256}
    for size in (16, 32, 48, 256):
        pixmap = icon.pixmap(QSize(size, size))
        assert not pixmap.isNull()
        assert pixmap.width() == size
        # the seal's red near the middle of its left edge: a drawing, not a blank image
        colour = pixmap.toImage().pixelColor(size // 16, size // 2)
        assert colour.red() > 180 and colour.green() < 90, (size, colour.name())


def test_windows_without_their_own_icon_show_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    before = app.windowIcon()
    try:
        app.setWindowIcon(application_icon())
        window = QWidget()
        qtbot.addWidget(window)
        assert not window.windowIcon().isNull()
        assert window.windowIcon().cacheKey() == app.windowIcon().cacheKey()
    finally:
        app.setWindowIcon(before)
