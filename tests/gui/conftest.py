"""GUI fixtures: the real widgets over a real office database, message boxes answered by tests."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from desktop.services.dto import CurrentUser
from desktop.ui.context import AppContext, load_lookups
from desktop.ui.ops import Ops
from desktop.ui.widgets import messages
from tests.conftest import World


@dataclass
class Messages:
    """What the program would have shown in message boxes; `answer` replies to confirm()."""

    shown: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, title, text)
    answer: bool = True
    actions: list[Callable[[], None]] = field(default_factory=list)  # a notice's button, to press

    def texts(self, kind: str | None = None) -> list[str]:
        return [text for k, _, text in self.shown if kind is None or k == kind]


@pytest.fixture(autouse=True)
def collect_in_the_ui_thread() -> Iterator[None]:
    """As in the program (ui/app.py): Qt objects in reference cycles are collected here, in the
    UI thread, never by a collection that happens to run in a worker thread."""
    gc.disable()
    yield
    gc.collect()
    gc.enable()


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> None:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "config"))


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Messages:
    record = Messages()

    def confirm(parent, title, text):  # type: ignore[no-untyped-def]
        record.shown.append(("confirm", title, text))
        return record.answer

    monkeypatch.setattr(messages, "inform", lambda p, t, x: record.shown.append(("info", t, x)))
    monkeypatch.setattr(messages, "warn", lambda p, t, x: record.shown.append(("warn", t, x)))
    monkeypatch.setattr(messages, "confirm", confirm)

    def notify(parent, title, text, action="", on_action=None):  # type: ignore[no-untyped-def]
        record.shown.append(("notice", title, text))
        if on_action is not None:
            record.actions.append(on_action)

    monkeypatch.setattr(messages, "notify", notify)
    return record


@pytest.fixture
def make_ctx(world: World, shown: Messages, qtbot) -> Iterator[Callable[[CurrentUser], AppContext]]:  # type: ignore[no-untyped-def]
    """AppContext for a user; unexpected bugs fail the test instead of opening a crash dialog."""
    made: list[Ops] = []
    bugs: list[BaseException] = []

    def on_error(owner, error):  # type: ignore[no-untyped-def]
        from desktop.ui.errors import environment_message

        message = environment_message(error)
        if message is None:
            bugs.append(error)
        else:
            shown.shown.append(("warn", "无法完成", message))

    def build(user: CurrentUser) -> AppContext:
        ops = Ops(on_error)
        made.append(ops)
        return AppContext(world.s, ops, user, load_lookups(world.s, user), world.s.ctx.data_dir)

    yield build
    for ops in made:
        qtbot.waitUntil(lambda ops=ops: ops.busy == 0, timeout=10000)
        ops.shutdown()
    if bugs:
        raise bugs[0]


def wait_idle(qtbot, ctx: AppContext, timeout: int = 10000) -> None:  # type: ignore[no-untyped-def]
    """Let every queued database call finish and its result reach the widgets."""
    qtbot.waitUntil(lambda: ctx.ops.busy == 0, timeout=timeout)


def type_text(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type as a clerk does: Latin letters and digits key by key, Chinese as an input method
    commits it (QTest's keyClicks only knows ASCII keys and aborts the process on others)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QInputMethodEvent

    run = ""
    for i, ch in enumerate(text):
        run += ch
        if i + 1 == len(text) or ch.isascii() != text[i + 1].isascii():
            if run.isascii():
                qtbot.keyClicks(widget, run)
            else:
                widget.setFocus()
                event = QInputMethodEvent()
                event.setCommitString(run)
                QCoreApplication.sendEvent(widget, event)
            run = ""
