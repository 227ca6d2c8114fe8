"""Encryption's cost: opening, a ledger page (and its count), a search and the monthly statistics
on an encrypted database, beside the same database opened by the same SQLite build (sqlcipher3)
without a key, and beside Python's own sqlite3 — in one run, the three taken in turn at each
repetition so that the machine's load falls on all alike.

    # a plain demo database (hejie-admin demo --complaints 1000000) in PLAIN/hejie.db, then:
    .venv/bin/python bench/bench_encrypted.py --plain PLAIN --encrypted ENC [--repeat 5]

ENC is made from PLAIN when it has no hejie.db yet (sqlcipher_export under a new key, whose hex
is kept in ENC/key.hex for the next run; a benchmark's key, never an office's). PLAIN is opened
read-write by the services (as the program would), so use a copy of a database you care about.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop import paths  # noqa: E402
from desktop.bootstrap import Services, open_services  # noqa: E402
from desktop.db.connection import attach_encrypted, connect  # noqa: E402
from desktop.domain.complaint import ComplaintFilter  # noqa: E402
from desktop.domain.statistics import Period  # noqa: E402
from desktop.security import keys  # noqa: E402
from desktop.services.statistics import StatsQuery  # noqa: E402


def encrypted_copy(plain: Path, target_dir: Path) -> keys.DataKey:
    key_file = target_dir / "key.hex"
    target = paths.database_path(target_dir)
    if target.exists() and key_file.exists():
        return keys.DataKey(bytes.fromhex(key_file.read_text().strip()))
    target_dir.mkdir(parents=True, exist_ok=True)
    key = keys.DataKey.new()
    started = time.perf_counter()
    con = connect(paths.database_path(plain), None)
    try:
        attach_encrypted(con, target, "enc", key)
        con.execute("SELECT sqlcipher_export('enc')").fetchone()
        con.execute("DETACH DATABASE enc")
    finally:
        con.close()
    key_file.write_text(key.raw.hex())
    print(f"encrypted copy made in {time.perf_counter() - started:.1f} s", flush=True)
    return key


def stdlib_services(data_dir: Path) -> Services:
    """The services on an engine of Python's own sqlite3 (today's plain build), set up as
    db/engine.make_engine sets up its own."""
    from sqlalchemy import create_engine, event

    from desktop.db.engine import BUSY_TIMEOUT_MS, _on_connect, on_begin
    from desktop.services.base import Clock, Reference, ServiceContext

    engine = create_engine(f"sqlite:///{paths.database_path(data_dir)}",
                           connect_args={"check_same_thread": False,
                                         "timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", on_begin)
    ctx = ServiceContext(engine=engine, clock=Clock(), reference=Reference(engine), data_dir=data_dir)
    return Services(ctx=ctx, database=paths.database_path(data_dir), backup=None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plain", type=Path, required=True)
    parser.add_argument("--encrypted", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--office", default="WZCQ")
    args = parser.parse_args()
    key = encrypted_copy(args.plain, args.encrypted)

    openers: dict[str, Callable[[], Services]] = {
        "SQLCipher, key": lambda: open_services(args.encrypted, key=key),
        "SQLCipher, no key": lambda: open_services(args.plain),
        "sqlite3 (stdlib)": lambda: stdlib_services(args.plain),
    }
    for label, opener in openers.items():  # check each opens what it should
        s = opener()
        assert (s.ctx.keyring is not None) == (label == "SQLCipher, key"), label
        s.close()

    times: dict[str, dict[str, list[float]]] = {label: {} for label in openers}

    def timed(label: str, what: str, fn: Callable[[], object]) -> object:
        started = time.perf_counter()
        result = fn()
        times[label].setdefault(what, []).append(time.perf_counter() - started)
        return result

    for rep in range(args.repeat + 1):  # the first round warms the page cache, not counted
        for label, opener in openers.items():
            s = timed(label, "open", opener)
            assert isinstance(s, Services)
            try:
                user = s.users.login("juzhang", "demo1234")
                office = next(o for o in s.offices.all() if o.code == args.office)
                last = s.ctx.clock.today().replace(day=1)
                month = Period.month(last.year if last.month > 1 else last.year - 1,
                                     last.month - 1 or 12)
                everything = ComplaintFilter()
                timed(label, "ledger page", lambda: s.complaints.page(user, everything))  # noqa: B023
                timed(label, "ledger count", lambda: s.complaints.count(user, everything))  # noqa: B023
                found = ComplaintFilter(text="退款")
                timed(label, "search 退款", lambda: (s.complaints.page(user, found),  # noqa: B023
                                                     s.complaints.count(user, found)))  # noqa: B023
                phone = ComplaintFilter(text="1381234")
                timed(label, "search phone", lambda: s.complaints.page(user, phone))  # noqa: B023
                query = StatsQuery(month, office.id)
                timed(label, "statistics month", lambda: s.statistics.report(user, query))  # noqa: B023
            finally:
                s.close()
        if rep == 0:
            for per in times.values():
                per.clear()
        print(f"round {rep} done", file=sys.stderr, flush=True)

    with connect(paths.database_path(args.plain), None, read_only=True) as con:
        total = con.execute("SELECT count(*) FROM complaints").fetchone()[0]
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"complaints: {total:,}; repeat {args.repeat}; {load}")
    print(f"{'':18}" + "".join(f"{label:>20}" for label in openers) + f"{'key/no key':>12}{'key/stdlib':>12}")
    for what in times["SQLCipher, key"]:
        medians = [statistics.median(times[label][what]) for label in openers]
        print(f"{what:18}" + "".join(f"{m * 1000:>18.1f}ms" for m in medians)
              + f"{medians[0] / medians[1]:>11.2f}x{medians[0] / medians[2]:>11.2f}x")
    print(f"python {sys.version.split()[0]}; {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
