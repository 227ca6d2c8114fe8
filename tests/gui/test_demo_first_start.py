"""Issue 23, item 11: the demo's first start says what it builds, step by step, can be
cancelled, and a build that did not finish is never opened as if it had."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from desktop import paths
from desktop.bootstrap import (
    DEMO_BUILDING,
    DEMO_INTERRUPTED,
    demo_to_build,
    open_demo,
    open_services,
)
from desktop.demo import generate
from desktop.ui.app import Launcher
from desktop.ui.dialogs.login import LoginDialog
from desktop.ui.ops import Cancelled

real_build = generate.build_demo


@pytest.fixture
def small_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real generator with 20 complaints (300 take some 15 s)."""
    monkeypatch.setattr(generate, "build_demo",
                        lambda s, **kw: real_build(s, complaints=20, **kw))


def test_a_cancelled_build_leaves_nothing(tmp_path: Path, small_demo) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def steps(what: str, done: int, total: int) -> None:
        seen.append(what)
        if what == "建立企业库" and done == 10:
            raise Cancelled()

    with pytest.raises(Cancelled):
        open_demo(tmp_path, steps)
    assert seen[:3] == ["建立数据库", "建立单位和演示账号", "建立企业库"]
    assert not paths.database_path(tmp_path).exists()
    assert not (tmp_path / DEMO_BUILDING).exists()
    assert demo_to_build(tmp_path) == ""  # the next start builds it as on a first start


def test_a_killed_build_is_removed_and_rebuilt_with_a_message(tmp_path: Path, small_demo) -> None:  # type: ignore[no-untyped-def]
    # What a program killed during the build leaves: a half-filled database in the build folder.
    half = open_services(tmp_path / DEMO_BUILDING)
    half.close()
    assert demo_to_build(tmp_path) == DEMO_INTERRUPTED
    seen: list[tuple[str, int, int]] = []
    services = open_demo(tmp_path, lambda *step: seen.append(step))
    try:
        assert services.setup.is_initialized()
        assert services.database == paths.database_path(tmp_path)
        assert [w for w, _, _ in seen if w in generate.STEPS][0] == "建立数据库"
        assert ("生成演示投诉及其办理经过", 20, 20) in seen
        assert {w for w, _, _ in seen} == set(generate.STEPS)
    finally:
        services.close()
    assert not (tmp_path / DEMO_BUILDING).exists()
    assert demo_to_build(tmp_path) is None
    reopened = open_demo(tmp_path, lambda *step: pytest.fail("a complete demo is not rebuilt"))
    reopened.close()


class _App:
    def __init__(self) -> None:
        self.quit_called = False

    def quit(self) -> None:
        self.quit_called = True


@pytest.fixture
def launcher(tmp_path: Path, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # the launcher installs its own
    made = Launcher(QApplication.instance(), tmp_path / "demo", demo=True, username="")
    made.app = _App()  # type: ignore[assignment]
    yield made
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, LoginDialog):
            widget.close()
    qtbot.waitUntil(lambda: made.ops.busy == 0, timeout=20000)
    made.shutdown()


def test_the_window_shows_each_step_then_the_login(launcher, qtbot, small_demo) -> None:  # type: ignore[no-untyped-def]
    building = launcher.data_dir / DEMO_BUILDING
    building.mkdir(parents=True)
    (building / paths.DB_FILENAME).write_bytes(b"half a database")
    labels: list[str] = []
    launcher.start()
    progress = launcher._progress
    assert progress.isVisible() and DEMO_INTERRUPTED in progress.labelText()
    assert progress.findChild(QPushButton).text() == "取消"

    def follow() -> bool:
        labels.append(progress.labelText())
        return any(isinstance(w, LoginDialog) and w.isVisible() for w in QApplication.topLevelWidgets())

    qtbot.waitUntil(follow, timeout=60000)
    text = "\n".join(labels)
    assert "第 3 步，共 6 步：建立企业库" in text and "第 4 步，共 6 步：生成演示投诉及其办理经过" in text
    assert not progress.isVisible()
    assert paths.database_path(launcher.data_dir).exists() and not building.exists()


def test_cancel_stops_the_build_and_quits(launcher, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cancelled = threading.Event()

    def held(s, *, steps, **kw):  # type: ignore[no-untyped-def]
        def step(what: str, done: int, total: int) -> None:
            steps(what, done, total)
            if what == "建立企业库" and done == 5:
                cancelled.wait(20)  # until the test has pressed 取消

        return real_build(s, complaints=20, steps=step, **kw)

    monkeypatch.setattr(generate, "build_demo", held)
    launcher.start()
    progress = launcher._progress
    qtbot.waitUntil(lambda: "建立企业库" in progress.labelText(), timeout=20000)
    progress.findChild(QPushButton).click()
    cancelled.set()
    qtbot.waitUntil(lambda: launcher.app.quit_called, timeout=20000)
    assert not paths.database_path(launcher.data_dir).exists()
    assert not (launcher.data_dir / DEMO_BUILDING).exists()
    assert launcher.services is None


def test_hejie_admin_demo_interrupted_by_ctrl_c_leaves_nothing(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from desktop.cli.main import main as admin_main

    def interrupted(s, **kw):  # type: ignore[no-untyped-def]
        kw["steps"]("建立企业库", 3, 200)
        raise KeyboardInterrupt

    monkeypatch.setattr(generate, "build_demo", interrupted)
    assert admin_main(["demo", "--data-dir", str(tmp_path), "--complaints", "20"]) == 130
    assert not paths.database_path(tmp_path).exists() and not (tmp_path / DEMO_BUILDING).exists()
