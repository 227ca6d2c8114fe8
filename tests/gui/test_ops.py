"""The executors: results come back on the UI thread, writes are broadcast, work can be cancelled."""

from __future__ import annotations

import threading
import time

from PySide6.QtWidgets import QWidget

from desktop.services.dto import Changed
from desktop.ui.ops import Cancelled, Ops


def _ops(errors: list) -> Ops:  # type: ignore[type-arg]
    return Ops(lambda owner, error: errors.append(error))


def test_results_arrive_on_the_ui_thread_and_writes_are_broadcast(qtbot) -> None:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []
    ops = _ops(errors)
    seen: dict[str, object] = {}
    ui_thread = threading.get_ident()

    def work() -> Changed:
        seen["worker"] = threading.get_ident()
        return Changed("complaint", (7,))

    def done(result: Changed) -> None:
        seen["callback"] = threading.get_ident()
        seen["result"] = result

    with qtbot.waitSignal(ops.sig_changed) as broadcast:
        ops.mutate(work, done)
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen["worker"] != ui_thread
    assert seen["callback"] == ui_thread
    assert broadcast.args[0].ids == (7,)
    assert ops.busy == 0 and not errors
    ops.shutdown()


def test_errors_go_to_the_reporter_and_closed_owners_hear_nothing(qtbot) -> None:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []
    ops = _ops(errors)
    ops.query(lambda: 1 / 0)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ZeroDivisionError)

    owner = QWidget()
    heard: list[object] = []
    gate = threading.Event()
    ops.query(lambda: gate.wait(5) and "late", heard.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: __import__("shiboken6").isValid(owner) is False)
    gate.set()
    qtbot.waitUntil(lambda: ops.busy == 0)
    assert heard == []
    ops.shutdown()


def test_long_work_reports_progress_and_stops_when_cancelled(qtbot) -> None:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []
    ops = _ops(errors)
    progress: list[tuple[int, int]] = []
    finished: list[object] = []

    def work(state) -> str:  # type: ignore[no-untyped-def]
        for i in range(1000):
            state.progress(i, 1000)
            time.sleep(0.005)
        return "finished"

    task = ops.run(work, finished.append, on_progress=lambda d, t: progress.append((d, t)),
                   database=False)
    qtbot.waitUntil(lambda: len(progress) > 3)
    task.cancel()
    qtbot.waitUntil(lambda: ops.busy == 0)
    assert finished == [] and errors == []  # a cancel is not an error
    assert progress[0] == (0, 1000) and progress[-1][0] < 999
    assert isinstance(Cancelled(), Exception)
    ops.shutdown()


def test_this_qt_survives_many_signals_to_python_slots() -> None:
    """PySide6 6.12.0 loses a reference per signal delivered to a Python slot and aborts the
    interpreter after tens of thousands; a window emits that many in a working day."""
    import subprocess
    import sys

    script = (
        "from PySide6.QtCore import QCoreApplication, QObject, Signal\n"
        "app = QCoreApplication([])\n"
        "class A(QObject):\n    s = Signal(bool)\n"
        "a = A(); got = []\n"
        "a.s.connect(lambda v: got.append(v))\n"
        "for i in range(200000):\n    a.s.emit(True)\n"
        "print(len(got))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "200000"
