"""Whether a process still runs: a backup's temporary file or a sync session is left alone
while its writer runs, and cleared once it has gone."""

from __future__ import annotations

import os
import subprocess
import sys

from desktop.processes import process_alive
from desktop.services.sync.round import _alive_beside_me


def _ended_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: the id names no process now
    return child.pid


def test_a_running_process_is_alive_and_an_ended_one_is_not() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert process_alive(child.pid)
    finally:
        child.kill()
        child.wait()
    assert not process_alive(_ended_pid())


def test_own_pid_is_alive_for_a_backup_but_an_earlier_round_for_a_sync() -> None:
    assert process_alive(os.getpid())
    assert not _alive_beside_me(os.getpid())
    assert _alive_beside_me(os.getppid())
    assert not _alive_beside_me(_ended_pid())
