"""Backup and restore times on demo databases (docs/benchmarks.md):

    PYTHONPATH=. .venv/bin/python bench/bench_backup.py DATA_DIR [ATTACHMENTS_MB]

DATA_DIR holds a demo database (hejie-admin demo); with ATTACHMENTS_MB, that many MB of random
attachments (2 MB files) are added to its first complaints first."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from _db import unlock_demo  # noqa: E402  (bench/_db.py)

from desktop import paths  # noqa: E402
from desktop.bootstrap import open_services, restore  # noqa: E402
from desktop.services.base import Clock  # noqa: E402
from desktop.services.restore import check_backup  # noqa: E402


def main() -> None:
    data = Path(sys.argv[1])
    extra = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    unlock_demo(data)  # an encrypted demo: its key opened with the demo password (no login)
    s = open_services(data)
    if extra:
        user = s.users.login("chenjing", "demo1234")
        ids = [r.id for r in s.complaints.page(user, s.complaints.open_filter(user), limit=50).rows]
        scratch = Path(tempfile.mkdtemp())
        for i in range(extra // 2):
            f = scratch / f"照片{i}.jpg"
            f.write_bytes(os.urandom(2 * 1024 * 1024))
            s.records.attach(user, ids[i % len(ids)], f)
            f.unlink()
    db = paths.database_path(data).stat().st_size
    folder = Path(tempfile.mkdtemp(prefix="hejie-measure-"))
    t = time.monotonic()
    result = s.backups.make(None, folder=folder, made_by="measure")
    took = time.monotonic() - t
    s.close()
    m = result.manifest
    att = sum(a.size for a in m.attachments)
    print(f"database {db / 2**20:.1f} MB, {m.counts['complaints']} complaints, "
          f"{m.counts['audit_log']} audit entries, attachments {len(m.attachments)} "
          f"({att / 2**20:.0f} MB)")
    print(f"backup: {took:.2f} s, file {result.path.stat().st_size / 2**20:.1f} MB")
    t = time.monotonic()
    checked = check_backup(result.path, data, Clock())
    t_check = time.monotonic() - t
    t = time.monotonic()
    restore(data, checked, username="admin", display="measure")
    t_restore = time.monotonic() - t
    print(f"restore: check {t_check:.2f} s, put in place and reopen {t_restore:.2f} s")


if __name__ == "__main__":
    main()
