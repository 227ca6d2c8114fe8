"""Python's cycle collector, held off while a batch builds and drops many objects at once.

A sync batch (a thousand operations pushed, two thousand records pulled and applied) makes
hundreds of thousands of short-lived dicts, models and rows. Under the default thresholds
(700 new objects) the collector runs after every few hundred of them, and every tenth of those
runs walks the older generations too, which hold the whole program (SQLAlchemy's metadata, the
wire models, Qt's wrappers): measured on `bench/bench_sync.py` at 10,000 complaints, 15–20 %
of a push or a pull was the collector finding nothing to collect, since the batch's objects
are freed by their reference counts. Held off for one batch, it runs as usual afterwards and
takes any cycles the batch left.

The collector is one per process: the hold is counted, so batches on several threads (the
hub's requests, a pull page fetched while the previous one is applied) nest, and the last to
finish lets it run again.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holds = 0
_was_enabled = True


@contextmanager
def held() -> Iterator[None]:
    """No automatic cycle collection inside the block (on any thread) while it runs."""
    global _holds, _was_enabled
    with _lock:
        if _holds == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holds += 1
    try:
        yield
    finally:
        with _lock:
            _holds -= 1
            if _holds == 0 and _was_enabled:
                gc.enable()


# A server process (the district hub) makes and drops a request's objects by the thousand;
# its long-lived objects (the app, the models, the engine) are set aside once started.
SERVER_THRESHOLDS = (50_000, 20, 20)


def settle_server() -> None:
    """For a long-running server, once its start-up is done: the objects made so far are
    moved out of the collector's view for good (gc.freeze), and it runs after 50,000 new
    objects rather than 700, so a request is not interrupted every few hundred objects."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVER_THRESHOLDS)
