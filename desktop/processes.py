"""Whether another process still runs on this machine: the writer of a backup's temporary
file, the program that opened a sync session. No Qt, no database."""

from __future__ import annotations

import os


def process_alive(pid: int) -> bool:
    """Whether a process of this id is running here (this program's own id included). When the
    system will not say (no permission, an unexpected error), alive: the caller then leaves the
    other process's things alone."""
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would end the process on Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: someone else's process
        return True
    return True
