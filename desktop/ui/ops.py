"""Runs service calls off the UI thread: one worker for the database, a pool for the rest.

Modelled on Anki's CollectionOp/QueryOp: a call is a plain function, its result (or error)
comes back to the UI thread by a queued signal, and a write's `Changed` record is broadcast
so that every open view can refresh what it shows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

from desktop.services.dto import Changed

Callback = Callable[[Any], None]


class Cancelled(Exception):
    """Raised inside a task when the user pressed 取消."""


def _ignore(_: Any) -> None:
    pass


class TaskState:
    """Handed to long work: report progress, and learn whether the user cancelled."""

    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, done: int, total: int) -> None:
        """A plain callback for services; raises Cancelled once the user has cancelled."""
        if self._cancel.is_set():
            raise Cancelled()
        self._relay.sig_progressed.emit(int(done), int(total))


class _Relay(QObject):
    """Lives in the UI thread. The worker emits; because the receiving slots belong to this
    object, Qt queues each call back to the UI thread (a plain function would run in the
    worker)."""

    sig_finished = Signal(object)
    sig_failed = Signal(object)
    sig_progressed = Signal(int, int)
    sig_progress_shown = Signal(int, int)

    def __init__(self, on_finished: Callback, on_failed: Callback) -> None:
        super().__init__()
        self._on_finished, self._on_failed = on_finished, on_failed
        self.sig_finished.connect(self._finished)
        self.sig_failed.connect(self._failed)
        self.sig_progressed.connect(self._progressed)

    @Slot(object)
    def _finished(self, result: Any) -> None:
        self._on_finished(result)

    @Slot(object)
    def _failed(self, error: Any) -> None:
        self._on_failed(error)

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        self.sig_progress_shown.emit(done, total)


class ProgressRelay(QObject):
    """A task's named steps (what, done, total) for a controller that lives longer than the
    task. Lives in the UI thread; the worker emits `raw`, so the slot runs queued in the UI
    thread (a signal connected to a plain function would run it in the worker) and `shown`
    fires there."""

    raw = Signal(str, int, int)
    shown = Signal(str, int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.raw.connect(self._relay)

    @Slot(str, int, int)
    def _relay(self, what: str, done: int, total: int) -> None:
        self.shown.emit(what, done, total)


class Task:
    """One call under way. Keep it to cancel it or to follow its progress."""

    def __init__(self, relay: _Relay, state: TaskState) -> None:
        self.relay = relay
        self.state = state
        self.done = False

    def cancel(self) -> None:
        self.state.cancel()


class Ops(QObject):
    """The program's two executors. Built once by the application and handed to the views."""

    sig_changed = Signal(object)  # a Changed record, after a write succeeded
    sig_busy_changed = Signal(int)  # how many calls are under way

    def __init__(self, on_error: Callable[[QObject | None, BaseException], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hejie-db")
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="hejie-work")
        self._on_error = on_error
        self._tasks: set[Task] = set()
        self._closed = False

    @property
    def busy(self) -> int:
        return len(self._tasks)

    @property
    def closed(self) -> bool:
        """Shut down: timers that outlive the window must not start work any more."""
        return self._closed

    def query(self, fn: Callable[[], Any], on_done: Callback | None = None, *,
              owner: QObject | None = None, on_error: Callback | None = None) -> Task:
        """Read from the database on its worker; `on_done(result)` runs in the UI thread."""
        return self._submit(self._db, lambda state: fn(), on_done, owner, on_error, False)

    def mutate(self, fn: Callable[[], Changed | None], on_done: Callback | None = None, *,
               owner: QObject | None = None, on_error: Callback | None = None) -> Task:
        """Write through a service on the database worker, then broadcast what changed."""
        return self._submit(self._db, lambda state: fn(), on_done, owner, on_error, True)

    def run(self, fn: Callable[[TaskState], Any], on_done: Callback | None = None, *,
            owner: QObject | None = None, on_error: Callback | None = None,
            on_progress: Callable[[int, int], None] | None = None, database: bool = True,
            broadcast: bool = False) -> Task:
        """Long work that reports progress and may be cancelled: fn(state) gets a TaskState."""
        executor = self._db if database else self._pool
        task = self._submit(executor, fn, on_done, owner, on_error, broadcast)
        if on_progress is not None:
            # Progress reaches the UI thread queued, so connecting after the start loses nothing.
            task.relay.sig_progress_shown.connect(on_progress)
        return task

    def report(self, owner: QObject | None, error: BaseException) -> None:
        """Tell the user about an error the caller caught itself."""
        self._on_error(owner, error)

    def shutdown(self) -> None:
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._db.shutdown(wait=True, cancel_futures=True)

    # -- internals ----------------------------------------------------------------------------
    def _submit(self, executor: ThreadPoolExecutor, fn: Callable[[TaskState], Any],
                on_done: Callback | None, owner: QObject | None, on_error: Callback | None,
                broadcast: bool) -> Task:
        task: Task

        def alive() -> bool:
            # The widget that asked may have been closed while its call was running.
            return owner is None or shiboken6.isValid(owner)

        def finished(result: Any) -> None:
            self._forget(task)
            if broadcast and result is not None:
                for changed in result if isinstance(result, (list, tuple)) else (result,):
                    if isinstance(changed, Changed):
                        self.sig_changed.emit(changed)
            if on_done is not None and alive():
                on_done(result)

        def failed(error: BaseException) -> None:
            self._forget(task)
            if isinstance(error, Cancelled) or not alive():
                return
            if on_error is not None:
                on_error(error)
            else:
                self._on_error(owner, error)

        relay = _Relay(finished, failed)
        task = Task(relay, TaskState(relay))

        def work() -> None:
            try:
                result = fn(task.state)
            except BaseException as exc:  # noqa: BLE001 - every failure goes back to the UI
                relay.sig_failed.emit(exc)
            else:
                relay.sig_finished.emit(result)

        self._tasks.add(task)
        self.sig_busy_changed.emit(len(self._tasks))
        executor.submit(work)
        return task

    def _forget(self, task: Task) -> None:
        task.done = True
        self._tasks.discard(task)
        self.sig_busy_changed.emit(len(self._tasks))
        # The relay and its callbacks reference each other. Break the cycle and let Qt delete
        # the relay here, in the UI thread: left to the garbage collector it could be
        # destroyed from whichever thread happens to run a collection, and Qt crashes.
        relay = task.relay
        relay._on_finished = relay._on_failed = _ignore
        relay.deleteLater()
