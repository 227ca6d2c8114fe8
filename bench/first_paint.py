"""Run a Qt program as its user would and report the first paint of one of its windows.

    python bench/first_paint.py LoginDialog -m desktop --demo --data-dir DIR
    python bench/first_paint.py QLabel bench/hello_window.py
    python bench/first_paint.py LoginDialog --login demo1234 2.0 -m desktop --demo --data-dir DIR

The program runs unchanged (as `python -m …` or `python script.py`, through runpy); before it
starts, `QWidget.show` is wrapped so that the first window of the named class shown gets an
event filter. After that window's first paint this writes `first-paint <peak RSS KiB>` to stderr
and ends the program. With --login PASSWORD SECONDS, it instead waits SECONDS (a user typing),
puts the password into the login dialog, presses 登录 and writes `workbench <seconds from the click to the main window's first paint> <peak RSS
KiB>`. bench/bench_startup.py times the process from the outside up to that line.
"""

from __future__ import annotations

import resource
import runpy
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


def peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class FirstPaint(QObject):
    """Calls `then` once, right after the watched widget's first paintEvent has run."""

    def __init__(self, widget: QWidget, then) -> None:  # type: ignore[no-untyped-def]
        super().__init__(widget)
        self.then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, lambda: self.then(watched))
        return False


def finish(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
    QApplication.exit(0)


def main() -> None:
    args = sys.argv[1:]
    target = args.pop(0)
    password, typing = None, 0.0
    if args[0] == "--login":
        password, typing = args[1], float(args[2])
        args = args[3:]
    watching = {target}
    clicked = [0.0]

    def logged_in(_window: QWidget) -> None:
        finish(f"workbench {time.perf_counter() - clicked[0]:.4f} {peak_kib()}")

    def login_painted(dialog: QWidget) -> None:
        if password is None:
            finish(f"first-paint {peak_kib()}")
            return
        watching.add("MainWindow")

        def click() -> None:
            dialog.password.setText(password)  # type: ignore[attr-defined]
            clicked[0] = time.perf_counter()
            dialog.submit()  # type: ignore[attr-defined]

        QTimer.singleShot(int(typing * 1000), click)

    show = QWidget.show

    def show_and_watch(widget: QWidget) -> None:
        name = type(widget).__name__
        if name in watching:
            watching.discard(name)
            FirstPaint(widget, logged_in if name == "MainWindow" else login_painted)
        show(widget)

    QWidget.show = show_and_watch  # type: ignore[method-assign]
    if args[0] == "-m":
        sys.argv = [args[1], *args[2:]]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = args
        runpy.run_path(args[0], run_name="__main__")


if __name__ == "__main__":
    main()
