"""Start-up: process start → first paint of the login window, against a PySide6 hello world.

    .venv/bin/python bench/bench_startup.py                  # 9 pairs, 5 logins
    .venv/bin/python bench/bench_startup.py --runs 15 --checkout /tmp/old-checkout

Each run is a new process started as a user starts the program (`python -m desktop --demo
--data-dir DIR`, on Qt's offscreen platform), under bench/first_paint.py, which reports the first
paint of the login dialog (and the peak RSS at that moment) on stderr and ends the program; the
time is taken from outside, from starting the process to reading that line. The hello world
(bench/hello_window.py, a QLabel) runs the same way, alternately with the program, one pair after
the other, so a noisy machine slows both: the ratio is taken pair by pair. Then, in fresh
processes, the time from pressing 登录 (wangfang, demo1234) to the first paint of the workbench:
pressed the moment the login window is painted (the opening of the services still under way
on the database worker), and pressed after 2 s (a user typing the password).

The demo database is made once with `hejie-admin demo` in bench/out/startup (or --data-dir);
--checkout measures another checkout of the program (its own code, on PYTHONPATH) with this
script, e.g. a git worktree of an earlier commit; give it its own --data-dir.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MIB = 1024  # ru_maxrss is in KiB on Linux


def environment(checkout: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(checkout))
    env.pop("HEJIE_DATA_DIR", None)
    return env


def run(python: str, args: list[str], env: dict[str, str], marker: str) -> tuple[float, list[str]]:
    """Start `python bench/first_paint.py args`; seconds until the line starting with `marker`
    (and that line's words); the process is then waited for."""
    start = time.perf_counter()
    proc = subprocess.Popen([python, str(HERE / "first_paint.py"), *args], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    found, seen = None, []
    for line in proc.stderr:
        if line.startswith(marker + " "):
            found = (time.perf_counter() - start, line.split()[1:])
            break
        seen.append(line)
    proc.stderr.read()
    proc.wait(timeout=60)
    if found is None:
        raise SystemExit(f"no '{marker}' line from {args} (exit {proc.returncode}):\n{''.join(seen)}")
    return found


def spread(values: list[float], unit: str = "s", scale: float = 1.0) -> str:
    v = [x * scale for x in values]
    digits = 3 if unit == "s" else 1
    return (f"median {statistics.median(v):.{digits}f} {unit} "
            f"(min {min(v):.{digits}f}, max {max(v):.{digits}f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="pairs (program, hello world)")
    parser.add_argument("--logins", type=int, default=5, help="runs timing login → workbench")
    parser.add_argument("--checkout", type=Path, default=HERE.parent, help="the program to measure")
    parser.add_argument("--data-dir", type=Path, default=HERE / "out" / "startup")
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args(argv)
    checkout = args.checkout.resolve()
    env = environment(checkout)
    if not (args.data_dir / "hejie.db").exists():
        print(f"making the demo database in {args.data_dir} …", flush=True)
        subprocess.run([args.python, "-m", "desktop.cli.main", "demo", "--data-dir", str(args.data_dir)],
                       env=env, check=True, stdout=subprocess.DEVNULL)
    program = ["LoginDialog", "-m", "desktop", "--demo", "--data-dir", str(args.data_dir)]
    hello = ["QLabel", str(HERE / "hello_window.py")]

    run(args.python, program, env, "first-paint")  # warm-up: file cache, .pyc files
    run(args.python, hello, env, "first-paint")
    times, rss, hello_times, hello_rss, ratios = [], [], [], [], []
    for _ in range(args.runs):
        t, (kib,) = run(args.python, program, env, "first-paint")
        h, (hello_kib,) = run(args.python, hello, env, "first-paint")
        times.append(t)
        rss.append(int(kib) / MIB)
        hello_times.append(h)
        hello_rss.append(int(hello_kib) / MIB)
        ratios.append(t / h)
    logins: dict[float, list[float]] = {0.0: [], 2.0: []}
    login_rss = []
    for _ in range(args.logins):
        for typing, found in logins.items():
            _, (seconds, kib) = run(args.python, ["LoginDialog", "--login", "demo1234", str(typing),
                                                  *program[1:]], env, "workbench")
            found.append(float(seconds))
            login_rss.append(int(kib) / MIB)

    print(f"checkout: {checkout}  ({args.runs} pairs, {args.logins} logins, {os.cpu_count()} cores)")
    print(f"login window, first paint: {spread(times)}; peak RSS {spread(rss, 'MiB')}")
    print(f"hello world, first paint:  {spread(hello_times)}; peak RSS {spread(hello_rss, 'MiB')}")
    print(f"ratio (pair by pair):      {spread(ratios, '×')}")
    if args.logins:
        print(f"登录 at once → workbench painted:   {spread(logins[0.0])}")
        print(f"登录 after 2 s → workbench painted: {spread(logins[2.0])}")
        print(f"peak RSS with the workbench shown:  {spread(login_rss, 'MiB')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
