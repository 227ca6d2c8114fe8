"""hejie: starts the program (the Qt window); `hejie --demo` opens the demo database.

Before the window's own start (desktop/ui/app.py), two things an installed program needs:

- **The data folder of a per-machine install.** An installer that sets the program up for every
  user of a shared counter PC writes `hejie.ini` beside the executables (paths.installed_data_dir:
  /var/lib/hejie, %ProgramData%\\Hejie). The window then uses that folder, as hejie-admin does:
  `--data-dir` and HEJIE_DATA_DIR still win (it is passed on as HEJIE_DATA_DIR, so `--demo` keeps
  its `demo` subfolder). Unusable install settings, or a folder this user may not write (not in
  the office's group yet), stop the start with a message that says what to do, instead of
  opening an empty database somewhere else.
- **`--smoke-test[=REPORT]`**, for the installers' checks (installers/ci-smoke.sh): the program
  starts as usual, and once the login window (or, on an empty data folder, the first-start
  dialog) has been shown and painted it prints one line `hejie smoke test: ok {…json…}` — the
  window, the data folder, and whether this is a frozen bundle using its own Python
  (sys.executable, sys._MEIPASS, sys.path, the libpython mapped) — closes the window and exits
  0. With `=REPORT` the JSON goes to that file (a windowed hejie.exe has no standard output) and
  a screenshot of the window beside it (REPORT with the suffix .png). Nothing shown within
  HEJIE_SMOKE_TIMEOUT seconds (default 120): the line says `failed`, exit code 1.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

SMOKE_FLAG = "--smoke-test"


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    smoke, report = _take_smoke_flag(args)

    from desktop import paths

    if not os.environ.get("HEJIE_DATA_DIR"):
        try:
            installed = paths.installed_data_dir()
        except paths.InstallConfigError as exc:
            return _refuse(str(exc))
        if installed is not None:
            os.environ["HEJIE_DATA_DIR"] = str(installed)

    from PySide6.QtCore import QCoreApplication

    from desktop.ui.app import data_folder, parse_args
    from desktop.ui.app import main as run_window

    QCoreApplication.setApplicationName(paths.APP_NAME)  # data_folder asks Qt for AppDataLocation
    folder = data_folder(parse_args(args))
    problem = paths.access_problem(folder)
    if problem:
        return _refuse(problem)
    watcher = _SmokeTest(report, folder) if smoke else None  # kept alive while the window runs
    if watcher is not None:
        watcher.arm()
    return run_window(args)


def _take_smoke_flag(args: list[str]) -> tuple[bool, Path | None]:
    """Remove --smoke-test[=REPORT] from `args` (the window's parser does not know it)."""
    for i, arg in enumerate(args):
        if arg == SMOKE_FLAG:
            del args[i]
            return True, None
        if arg.startswith(SMOKE_FLAG + "="):
            del args[i]
            return True, Path(arg.split("=", 1)[1])
    return False, None


def _refuse(message: str) -> int:
    """The program cannot start on this data folder: say why, in a window and on stderr."""
    if sys.stderr is not None:
        print(f"错误：{message}", file=sys.stderr)
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])
    if app.platformName() not in ("offscreen", "minimal"):
        QMessageBox.critical(None, "和解台", message)  # type: ignore[call-overload]
    return 2


class _SmokeTest:
    """Watches for the first window of the start (login or first-start set-up), reports it,
    closes it (the launcher then quits as when the user cancels the login)."""

    WINDOWS = ("LoginDialog", "SetupDialog")

    def __init__(self, report: Path | None, data_dir: Path) -> None:
        self.report, self.data_dir = report, data_dir
        self.seen_at: float | None = None
        self.done = False

    def arm(self) -> None:
        import time

        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        self.started = time.monotonic()
        self.timeout = float(os.environ.get("HEJIE_SMOKE_TIMEOUT", "120"))
        self.timer = QTimer(self.app)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def _window(self) -> Any:
        for widget in self.app.topLevelWidgets():
            if type(widget).__name__ in self.WINDOWS and widget.isVisible():
                handle = widget.windowHandle()
                if handle is not None and handle.isExposed():
                    return widget
        return None

    def _poll(self) -> None:
        import time

        if self.done:
            return
        now = time.monotonic()
        window = self._window()
        if window is not None and self.seen_at is None:
            self.seen_at = now  # exposed: give it a moment to paint before grabbing it
            return
        if window is not None and now - self.seen_at >= 0.5:  # type: ignore[operator]
            self.done = True
            self._finish(window)
        elif now - self.started > self.timeout:
            self.done = True
            others = [f"{type(w).__name__}「{w.windowTitle()}」" for w in self.app.topLevelWidgets()
                      if w.isVisible()]
            self._emit("failed", {"error": f"no login window within {self.timeout:.0f} s",
                                  "visible": others})
            self.app.exit(1)

    def _finish(self, window: Any) -> None:
        image = window.grab().toImage()
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
                   for y in range(0, image.height(), 7)}
        facts = {
            "window": type(window).__name__,
            "title": window.windowTitle(),
            "size": [window.width(), window.height()],
            "painted": not image.isNull() and len(colours) > 2,
            "colours_sampled": len(colours),
            "seconds_to_window": round((self.seen_at or 0) - self.started, 2),
            "data_dir": str(self.data_dir),
            **_runtime(),
        }
        if self.report is not None:
            facts["screenshot"] = str(self.report.with_suffix(".png"))
            image.save(facts["screenshot"])
        self._emit("ok" if facts["painted"] else "failed", facts)
        if not facts["painted"]:
            self.app.exit(1)
            return
        window.reject()  # as the user's 取消: the launcher quits and shuts the worker down

    def _emit(self, verdict: str, facts: dict[str, Any]) -> None:
        import json

        text = json.dumps({"result": verdict, **facts}, ensure_ascii=False)
        if self.report is not None:
            self.report.write_text(text + "\n", "utf-8")
        if sys.stdout is not None:
            print(f"hejie smoke test: {verdict} {text}", flush=True)


def _runtime() -> dict[str, Any]:
    """Which Python, Qt and files this process runs on: for telling a bundle that uses its own
    from one that reached the system's or a virtual environment's."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QLibraryInfo, QTranslator, qVersion
    from PySide6.QtWidgets import QApplication

    from desktop import shipped

    libpython = []
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            libpython = sorted({line.split()[-1] for line in maps if "libpython" in line})
    except OSError:
        pass  # not Linux
    bundle = getattr(sys, "_MEIPASS", None)
    translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    return {
        "frozen": bool(getattr(sys, "frozen", False)),
        "executable": sys.executable,
        "bundle": bundle,
        "prefix": sys.prefix,
        "python": sys.version.split()[0],
        "sys_path": sys.path,
        "sys_path_outside_bundle": [p for p in sys.path if not (bundle and p.startswith(bundle))],
        "libpython": libpython,
        "qt": qVersion(),
        "pyside": pyside_version,
        "platform": QApplication.platformName(),
        "qt_translations": translations,
        "qtbase_zh_CN": QTranslator().load("qtbase_zh_CN", translations),
        "resources": str(shipped.resource_dir()),
        "font": QApplication.font().families(),
    }


if __name__ == "__main__":
    sys.exit(main())
