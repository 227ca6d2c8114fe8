"""Sync benchmark: a station pushes N complaints with their mediation records to the district hub
on PostgreSQL over loopback HTTP, and its sub-bureau pulls them, through the real services.

    .venv/bin/python bench/bench_sync.py --complaints 10000

The hub (district/) runs in a background thread of this process on a free port, on a fresh
schema of the PostgreSQL database (dropped at the end), with three offices: WZ, its sub-bureau
WZCQ and the station WZCQ01. The station's office database gets N complaints owned by WZCQ01,
each with --records-per-complaint mediation records, inserted in bulk (the complaint service's
import path, SQLAlchemy Core for the records): an office that worked before it was enrolled.
Then, timed:

  queue  `SyncService.enrol` queues every record the district has never had (enqueue_unknown)
  push   the station's `run()`: its `_push`, all operations in batches of PUSH_BATCH (the round
         then pulls its own records back: that echo is timed apart)
  pull   a second office database, the sub-bureau WZCQ, is enrolled; its `run()` pulls them all

The real methods are wrapped with timers where the rounds spend their time (HubClient.push and
.pull, SyncRepository.record_results, SyncService.apply_records, the hub's apply_ops). The
physical ceiling is the same rows (the pushed JSON records) bulk-inserted into scratch copies of
the hub's tables in the same database, one transaction each: `records` by psycopg executemany
and by COPY, and the three tables a push writes (records, record_history, operations) by COPY.
The hub's JSON access log goes to <folder>/hub-access.log; its `duration_ms` is summed per
endpoint. --profile adds cProfile of both offices' rounds and of the hub's apply_ops (slower:
for finding where the time goes, not for the figures).

The floor (issue 24) is the COPY of the same `records` rows into the same database, measured in
the same run: the push (the station's `_push`) and the pull (the sub-bureau's `_pull`) are
printed as multiples of it, the target being 10× at 10,000 complaints. `--complaints` takes
several sizes (`--complaints 1000,10000`): each is a run of its own on a fresh schema, and a
last table states how push and pull grow from one size to the next. Exit status 1 when the push
or the pull is above 10× its floor at 10,000 complaints or more.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import logging
import os
import pstats
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid as uuidlib
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

import district.api_sync as api_sync  # noqa: E402
from desktop.bootstrap import Services, open_services  # noqa: E402
from desktop.db.models import Complaint, MediationRecord, OutboxOp, new_uuid  # noqa: E402
from desktop.db.sync.repo import SyncRepository  # noqa: E402
from desktop.demo import corpus  # noqa: E402
from desktop.domain.deadlines import rule_set_for  # noqa: E402
from desktop.domain.numbering import format_number  # noqa: E402
from desktop.domain.workflow import Result, Role, Status  # noqa: E402
from desktop.services.offices import OfficeSpec  # noqa: E402
from desktop.services.sync import SyncService  # noqa: E402
from desktop.sync.client import HubClient  # noqa: E402
from desktop.sync.protocol import PULL_PAGE, PUSH_BATCH, OfficeCreate  # noqa: E402
from district import admin  # noqa: E402
from district.app import build_app  # noqa: E402
from district.hub import open_hub  # noqa: E402
from district.models import Record  # noqa: E402
from district.server import start  # noqa: E402

PG_ENV = "HEJIE_TEST_PG_URL"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "bench1234"
TARGET_RATIO = 10.0  # issue 24: push and pull within 10× the COPY floor of the same rows
TARGET_AT = 10_000  # … for 10,000 complaints (smaller runs are fixed costs, not throughput)

# The district as both the hub and the office databases know it (the codes must match).
OFFICES = [
    OfficeSpec("WZ", "吴中区市场监督管理局", "district"),
    OfficeSpec("WZCQ", "长桥分局", "sub_bureau", "WZ"),
    OfficeSpec("WZCQ01", "万达广场投诉站", "station", "WZCQ", "large"),
]
STATION, BUREAU = "WZCQ01", "WZCQ"
MEANS = ("on_site", "phone", "online", "video")


# ------------------------------------------------------------------------------ timing
class Watch:
    """Seconds spent in wrapped methods, summed per label (the methods stay the real ones)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._undo: list[Callable[[], None]] = []

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - started

        setattr(owner, name, timed)
        self._undo.append(lambda: setattr(owner, name, original))

    def take(self, label: str) -> float:
        return self.seconds.pop(label, 0.0)

    def restore(self) -> None:
        for undo in reversed(self._undo):
            undo()


class AccessLog:
    """The hub's JSON log lines (district.logs: the access log and uvicorn's), written to a
    file instead of stderr; the access lines are read back per phase."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._out = path.open("w", encoding="utf-8")
        self._old: list[tuple[logging.StreamHandler, Any]] = []  # type: ignore[type-arg]
        for name in ("district", "uvicorn.error"):
            for h in logging.getLogger(name).handlers:
                if getattr(h, "_hejie", False) and isinstance(h, logging.StreamHandler):
                    self._old.append((h, h.setStream(self._out)))
        assert self._old, "district.logs.configure() installs the handlers"
        self._mark = 0

    def lines(self) -> list[dict[str, Any]]:
        """The access lines written since the previous call."""
        self._out.flush()
        with self.path.open(encoding="utf-8") as f:
            f.seek(self._mark)
            text = f.read()
            self._mark = f.tell()
        return [e for e in map(json.loads, text.splitlines()) if "duration_ms" in e]

    def close(self) -> None:
        for handler, stream in self._old:
            handler.setStream(stream)
        self._out.close()


class ProcessLog:
    """The JSON log lines of a hub running as its own process (its stderr, into a file), read
    back per phase as AccessLog does."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._mark = 0

    def lines(self) -> list[dict[str, Any]]:
        with self.path.open(encoding="utf-8") as f:
            f.seek(self._mark)
            text = f.read()
            self._mark = f.tell()
        out = []
        for raw in text.splitlines():
            try:
                entry = json.loads(raw)
            except ValueError:
                continue  # the start-up line, in Chinese
            if "duration_ms" in entry:
                out.append(entry)
        return out

    def close(self) -> None:
        pass


class HubProcess:
    """`hejie-district serve` on a free loopback port, as the district runs it: its own
    process (its own interpreter, heap and collector), its log lines into `log`."""

    def __init__(self, db_url: str, blob_dir: Path, log: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self._err = log.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "district.cli", "serve", "--db", db_url, "--host", "127.0.0.1",
             "--port", str(port), "--blob-dir", str(blob_dir)],
            stdout=subprocess.DEVNULL, stderr=self._err, env=env)
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub did not start: {log.read_text(encoding='utf-8')}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the hub did not start within 60 s") from None
                time.sleep(0.05)

    def cpu(self) -> float:
        """CPU seconds the hub process has used (user + system)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._err.close()


def endpoint(entry: dict[str, Any]) -> str:
    path = entry["path"].removeprefix("/api/v1")
    if path.startswith("/sessions/"):
        path = "/sessions/{id}"
    return f"{entry['method']} {path}"


def hub_summary(lines: list[dict[str, Any]]) -> list[tuple[str, int, float, float, float]]:
    """(endpoint, requests, total s, median ms, max ms), the slowest total first."""
    by: dict[str, list[float]] = defaultdict(list)
    for e in lines:
        by[endpoint(e)].append(e["duration_ms"])
    rows = [(k, len(v), sum(v) / 1000, statistics.median(v), max(v)) for k, v in by.items()]
    return sorted(rows, key=lambda r: -r[2])


# ------------------------------------------------------------------------------ the hub
def pg_schema(base: str) -> tuple[str, str]:
    schema = f"bench_sync_{uuidlib.uuid4().hex[:12]}"
    owner = create_engine(base, poolclass=NullPool)
    with owner.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    owner.dispose()
    return schema, f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"


def drop_schema(base: str, schema: str) -> None:
    owner = create_engine(base, poolclass=NullPool)
    with owner.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    owner.dispose()


# ------------------------------------------------------------------------------ offices
def office_db(folder: Path, local: str) -> Services:
    s = open_services(folder)
    s.setup.initialize(offices=OFFICES, local_office_code=local, admin_username="admin",
                       admin_name="管理员", admin_password=PASSWORD)
    return s


def fill_station(s: Services, complaints: int, per_complaint: int, seed: int = 2026) -> None:
    """N complaints of the station and their mediation records, inserted in bulk."""
    rng = random.Random(seed)
    admin_user = s.users.login("admin", PASSWORD)
    station_id = {o.code: o.id for o in s.offices.all()}[STATION]
    s.users.create(admin_user, username="clerk", display_name="陈静", password=PASSWORD,
                   office_id=station_id, roles={Role.CLERK})
    clerk = s.users.login("clerk", PASSWORD)
    rule_sets = s.ctx.reference.rule_sets()
    today = s.ctx.clock.today()
    shop = corpus.enterprise(rng, "商场百货")
    # A pool of coherent texts (as the demo's bulk path does), each complaint drawing one.
    pool = []
    for _ in range(400):
        person = corpus.person(rng)
        sc = corpus.scenario(rng, "商场百货", complainant=person, before=today)
        notes = [corpus.mediation_note(rng, sc) for _ in range(max(1, per_complaint))]
        pool.append((person, sc, notes, corpus.settlement_terms(rng, sc)))
    start = today - timedelta(days=365)
    sequences: dict[date, int] = {}

    def rows():  # type: ignore[no-untyped-def]
        for i in range(complaints):
            person, sc, _notes, terms = pool[rng.randrange(len(pool))]
            received = datetime.combine(start + timedelta(days=int(365 * i / complaints)),
                                        dtime(rng.randint(8, 16), rng.randint(0, 59), rng.randint(0, 59)))
            day = received.date()
            sequences[day] = sequences.get(day, 0) + 1
            accepted = day + timedelta(days=rng.randint(1, 5))
            open_ = (today - day).days < 60 and rng.random() < 0.5
            row = {
                "uuid": new_uuid(), "version": 1, "updated_at": received,
                "number": format_number(STATION, day, sequences[day]), "district_number": None,
                "channel_code": "station", "received_at": received,
                "registered_by_id": clerk.id, "office_id": station_id, "handler_id": clerk.id,
                "complainant_name": person.name, "complainant_phone": corpus.person(rng).mobile,
                "complainant_address": person.address, "complainant_id_number": None,
                "respondent_name": shop.name, "respondent_credit_code": shop.credit_code,
                "respondent_address": shop.address, "enterprise_id": None,
                "subject": sc.subject, "category_code": sc.category_code,
                "brand_model": sc.brand_model, "purchase_date": None,
                "amount_cents": int(sc.amount * 100), "request_type": "refund",
                "request": sc.request, "facts": sc.facts,
                "rule_set_code": rule_set_for(rule_sets, day).code,
                "accepted_on": accepted, "mediation_started_on": accepted,
                "settled_on": None, "settlement_terms": None, "closed_on": None, "result": None,
                "at_fault": None,
            }
            if open_:
                row.update(status=Status.MEDIATING.value, due_on=accepted + timedelta(days=45))
            else:
                row.update(status=Status.CLOSED.value, due_on=None, result=Result.SETTLED.value,
                           settled_on=accepted + timedelta(days=7), settlement_terms=terms,
                           closed_on=accepted + timedelta(days=8), at_fault=True)
            yield row

    s.complaints.import_rows(rows(), f"基准测试：批量生成投诉 {complaints} 条")
    with s.ctx.engine.begin() as conn:
        ids = conn.execute(select(Complaint.id, Complaint.accepted_on, Complaint.complainant_name,
                                  Complaint.respondent_name).order_by(Complaint.id)).all()
        records = []
        for cid, accepted, complainant, respondent in ids:
            _person, _sc, notes, _terms = pool[rng.randrange(len(pool))]
            for k in range(per_complaint):
                content, result = notes[k % len(notes)]
                held = datetime.combine(accepted + timedelta(days=k + 1), dtime(10, 0))
                records.append({
                    "uuid": new_uuid(), "version": 1, "updated_at": held, "complaint_id": cid,
                    "held_at": held, "means": MEANS[rng.randrange(len(MEANS))], "place": "",
                    "participants": f"{complainant}、{respondent}代表、调解员陈静",
                    "content": content, "result": result, "recorded_by_id": clerk.id})
            if len(records) >= 5000:
                conn.execute(MediationRecord.__table__.insert(), records)
                records = []
        if records:
            conn.execute(MediationRecord.__table__.insert(), records)


def counts(s: Services) -> tuple[int, int]:
    with s.ctx.engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(Complaint)).scalar_one(),
                conn.execute(select(func.count()).select_from(MediationRecord)).scalar_one())


# ------------------------------------------------------------------------------ the ceiling
_RECORD = ("entity", "uuid", "owner", "parent_entity", "parent_uuid", "version", "seq",
           "deleted", "blob", "data", "people", "created_at", "updated_at")
_HISTORY = ("entity", "uuid", "version", "seq", "op_id", "device", "kind", "before", "after", "at")
_OPERATION = ("op_id", "device_id", "payload_hash", "result", "at")


def pushed_rows(s: Services) -> dict[str, list[tuple[Any, ...]]]:
    """The records as pushed (the outbox's JSON), as rows of the hub's `records` table; and
    the `record_history` and `operations` rows the hub also writes for each of them."""
    now = datetime.utcnow()
    with s.ctx.engine.connect() as conn:
        ops = conn.execute(select(OutboxOp.op_id, OutboxOp.entity, OutboxOp.record_uuid,
                                  OutboxOp.after, OutboxOp.people).order_by(OutboxOp.id)).all()
    out: dict[str, list[tuple[Any, ...]]] = {"records": [], "record_history": [], "operations": []}
    for seq, (op_id, entity, uuid, after, people) in enumerate(ops, start=1):
        parent = json.loads(after).get("complaint") if entity != "complaints" else None
        out["records"].append((entity, uuid, STATION, "complaints" if parent else None, parent,
                               1, seq, False, None, after, people, now, now))
        out["record_history"].append((entity, uuid, 1, seq, op_id, "bench", "insert", "{}",
                                      after, now))
        result = json.dumps({"op_id": op_id, "status": "acked", "version": 1, "message": "",
                             "conflicts": [], "hub_record": None})
        out["operations"].append((op_id, "bench", hashlib.sha256(after.encode()).hexdigest(),
                                  result, now))
    return out


def ceiling(engine: Any, rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, float]:
    """Seconds to bulk-insert the rows into scratch copies of the hub's tables (their keys and
    indexes: LIKE … INCLUDING ALL), one transaction each: `records` alone by psycopg
    executemany and by COPY, then the three tables a push writes (records, record_history,
    operations) by COPY."""
    columns = {"records": _RECORD, "record_history": _HISTORY, "operations": _OPERATION}
    cases = {"executemany": ("records",), "copy": ("records",), "copy#2": ("records",),
             "copy#3": ("records",), "copy3": ("records", "record_history", "operations")}
    out = {}
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        for how, tables in cases.items():
            with conn.cursor() as cur:
                for table in tables:
                    cur.execute(f"DROP TABLE IF EXISTS bench_{table}")
                    cur.execute(f"CREATE TABLE bench_{table} (LIKE {table} INCLUDING ALL)")
            conn.commit()
            started = time.perf_counter()
            with conn.cursor() as cur:
                for table in tables:
                    names = ", ".join(columns[table])
                    if how.startswith("executemany"):
                        cur.executemany(f"INSERT INTO bench_{table} ({names}) VALUES "
                                        f"({', '.join(['%s'] * len(columns[table]))})",
                                        rows[table])
                        continue
                    with cur.copy(f"COPY bench_{table} ({names}) FROM STDIN") as copy:
                        for row in rows[table]:
                            copy.write_row(row)
            conn.commit()
            out[how] = time.perf_counter() - started
        with conn.cursor() as cur:
            for table in columns:
                cur.execute(f"DROP TABLE IF EXISTS bench_{table}")
        conn.commit()
    finally:
        raw.close()
    # The floor: the median of three COPYs (one alone swings with the shared machine's load).
    out["copy"] = statistics.median([out.pop("copy#2"), out.pop("copy#3"), out["copy"]])
    return out


# ------------------------------------------------------------------------------ profiles
def print_profile(title: str, profile: cProfile.Profile, limit: int = 25) -> None:
    for order in ("tottime", "cumulative"):
        text = io.StringIO()
        pstats.Stats(profile, stream=text).strip_dirs().sort_stats(order).print_stats(limit)
        print(f"\n--- {title}, by {order} ---")
        print("\n".join(line for line in text.getvalue().splitlines()[4:] if line.strip()))


def code_version() -> str:
    """The commit measured, and whether the product code differs from it in the working tree."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--",
                                "desktop", "district"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} (desktop/ or district/ modified)" if dirty else head


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", default="10000",
                        help="complaints to push and pull; several sizes comma-separated "
                             "(1000,10000), each a run of its own")
    parser.add_argument("--records-per-complaint", type=int, default=2)
    parser.add_argument("--pg-url", default=os.environ.get(PG_ENV) or DEFAULT_PG,
                        help=f"PostgreSQL for the hub (default ${PG_ENV}, else {DEFAULT_PG})")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (office databases, hub access log)")
    parser.add_argument("--hub", choices=("process", "thread"), default="process",
                        help="the hub as its own process, as the district runs it (default), or "
                             "in a thread of this one (its apply_ops timed and profiled)")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile both offices' rounds and the hub's apply_ops (slower)")
    args = parser.parse_args()
    if args.profile:
        args.hub = "thread"  # the hub's apply_ops is profiled in this process
    sizes = [int(x.replace("_", "")) for x in args.complaints.split(",") if x.strip()]
    results = [measure(n, args) for n in sizes]
    ok = all(r["ok"] for r in results)
    if len(results) > 1:
        growth(results)
    return 0 if ok else 1


def growth(results: list[dict[str, Any]]) -> None:
    """How the push and the pull grow with the size, next to their floor."""
    print(f"\n{'=' * 100}\nhow cost grows (each size a run of its own; load at its start)")
    print(f"{'complaints':>10} {'records':>8} {'load':>5} {'COPY floor s':>12} {'push s':>7} "
          f"{'×floor':>7} {'pull s':>7} {'×floor':>7} {'push rec/s':>10} {'pull rec/s':>10} "
          f"{'CPU station':>11} {'CPU bureau':>10}")
    for r in results:
        print(f"{r['n']:10,} {r['ops']:8,} {r['load']:5.2f} {r['floor']:12.3f} {r['push']:7.2f} "
              f"{r['push'] / r['floor']:7.1f} {r['pull']:7.2f} {r['pull'] / r['floor']:7.1f} "
              f"{r['ops'] / r['push']:10,.0f} {r['ops'] / r['pull']:10,.0f} "
              f"{r['cpu push']:11.2f} {r['cpu pull']:10.2f}")
    for a, b in zip(results, results[1:], strict=False):
        size = b["ops"] / a["ops"]
        print(f"{a['n']:,} → {b['n']:,} complaints ({size:.0f}× the records): push ×"
              f"{b['push'] / a['push']:.1f}, pull ×{b['pull'] / a['pull']:.1f}, COPY floor ×"
              f"{b['floor'] / a['floor']:.1f} (linear would be ×{size:.0f})")


def measure(n: int, args: argparse.Namespace) -> dict[str, Any]:
    """One run at n complaints: prints its table; the figures the growth table needs."""
    per = args.records_per_complaint
    folder = Path(tempfile.mkdtemp(prefix="hejie-bench-sync-"))
    load_before = os.getloadavg()
    version = code_version()
    schema, db_url = pg_schema(args.pg_url)
    watch = Watch()
    log: AccessLog | ProcessLog | None = None
    running: Any = None
    hub_cpu: Callable[[], float] | None = None
    offices: list[Services] = []
    profiles: dict[str, cProfile.Profile] = {}
    original_apply = api_sync.apply_ops
    t: dict[str, float] = {}  # seconds per measure
    try:
        # The hub: migrated schema, the three offices, served on a free loopback port.
        hub = open_hub(db_url, folder / "hub-blobs")
        with hub.db.write() as session:
            for o in OFFICES:
                admin.add_office(session, OfficeCreate(code=o.code, name=o.name, kind=o.kind,
                                                       parent=o.parent_code, tier=o.tier),
                                 hub.clock.now())
        if args.hub == "thread":
            app = build_app(hub)  # installs the hub's JSON log handler, which AccessLog redirects
            log = AccessLog(folder / "hub-access.log")
            running = start(app)
        else:
            running = HubProcess(db_url, folder / "hub-blobs", folder / "hub-access.log")
            log = ProcessLog(folder / "hub-access.log")
        hub_cpu = running.cpu if isinstance(running, HubProcess) else None

        def enrol_code(office: str) -> str:
            with hub.db.write() as session:
                return admin.issue_enrol_code(session, office, hub.clock.now()).code

        print(f"building the station's database ({n:,} complaints, {n * per:,} mediation "
              f"records)…", file=sys.stderr)
        started = time.perf_counter()
        station = office_db(folder / "station", STATION)
        offices.append(station)
        fill_station(station, n, per)
        t["build"] = time.perf_counter() - started
        assert counts(station) == (n, n * per), counts(station)

        # The real methods, timed where the round spends its time.
        watch.wrap(SyncRepository, "enqueue_unknown", "queue")
        watch.wrap(SyncService, "_push", "push")
        watch.wrap(SyncService, "_pull", "pull")
        watch.wrap(HubClient, "push_encoded", "http push")
        watch.wrap(SyncRepository, "record_results", "record_results")
        watch.wrap(HubClient, "pull", "http pull")
        watch.wrap(SyncService, "apply_records", "apply_records")
        hub_profile = profiles["hub side: apply_ops"] = cProfile.Profile() \
            if args.profile else None

        def apply_ops(*a: Any, **k: Any) -> Any:  # the hub's batch, timed (and profiled)
            t0 = time.perf_counter()
            if hub_profile is not None:
                hub_profile.enable()
            try:
                return original_apply(*a, **k)
            finally:
                if hub_profile is not None:
                    hub_profile.disable()
                watch.seconds["apply_ops"] += time.perf_counter() - t0

        api_sync.apply_ops = apply_ops

        def round_of(s: Services, label: str) -> Any:
            profile = profiles[label] = cProfile.Profile() if args.profile else None
            started, cpu = time.perf_counter(), time.process_time()
            hub_started = hub_cpu() if hub_cpu is not None else 0.0
            if profile is not None:
                profile.enable()
            try:
                return s.sync.run()
            finally:
                if profile is not None:
                    profile.disable()
                t[label] = time.perf_counter() - started
                t[f"cpu {label}"] = time.process_time() - cpu
                t[f"hub cpu {label}"] = hub_cpu() - hub_started if hub_cpu is not None else 0.0

        # queue: enrolment queues everything the district has never had.
        print("enrolling the station (queue)…", file=sys.stderr)
        started = time.perf_counter()
        station.sync.enrol(station.users.login("admin", PASSWORD), running.url,
                           enrol_code(STATION))
        t["enrol"] = time.perf_counter() - started
        t["queue"] = watch.take("queue")
        with station.ctx.engine.connect() as conn:
            ops = conn.execute(select(func.count()).select_from(OutboxOp)).scalar_one()
        assert ops == n * (1 + per), ops
        log.lines()

        # push: the station's round (it then pulls its own records back: the echo).
        print(f"station's round (push {ops:,} operations)…", file=sys.stderr)
        report = round_of(station, "office side: station's run()")
        for key in ("push", "http push", "record_results"):
            t[key] = watch.take(key)
        for key in ("pull", "http pull", "apply_records"):
            t[f"echo {key}"] = watch.take(key)
        t["hub apply_ops"] = watch.take("apply_ops")
        push_lines = log.lines()
        assert report.pushed == ops and not (report.rejected or report.conflicts
                                             or report.deferred or report.held), report
        with hub.db.read() as session:
            on_hub = session.execute(select(func.count()).select_from(Record)).scalar_one()
        assert on_hub == ops, (on_hub, ops)

        # pull: the sub-bureau's office database takes everything of its station.
        print("enrolling the sub-bureau, its round (pull)…", file=sys.stderr)
        bureau = office_db(folder / "bureau", BUREAU)
        offices.append(bureau)
        bureau.sync.enrol(bureau.users.login("admin", PASSWORD), running.url, enrol_code(BUREAU))
        watch.take("queue")
        log.lines()
        pulled = round_of(bureau, "office side: sub-bureau's run()")
        for key in ("pull", "http pull", "apply_records"):
            t[key] = watch.take(key)
        pull_lines = log.lines()
        assert counts(bureau) == (n, n * per), counts(bureau)
        assert pulled.pulled == ops and not pulled.held, pulled

        # The ceiling: the same rows, bulk-inserted into the same database.
        print("ceiling (bulk insert of the same rows)…", file=sys.stderr)
        ceil = ceiling(hub.db.engine, pushed_rows(station))
    finally:
        api_sync.apply_ops = original_apply
        watch.restore()
        for s in offices:
            s.close()
        if running is not None:
            running.stop()
        if log is not None:
            log.close()
        drop_schema(args.pg_url, schema)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    load_after = os.getloadavg()

    def rate(seconds: float) -> float:
        return ops / seconds

    top = rate(ceil["copy"])
    print(f"\n{n:,} complaints × {per} mediation records = {ops:,} records; hub on PostgreSQL "
          f"over loopback HTTP ({'its own process' if args.hub == 'process' else 'a thread of this process'}); push batches of {PUSH_BATCH}, pull pages of {PULL_PAGE}")
    print(f"code {version}; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after "
          f"({os.cpu_count()} cores); station database built in {t['build']:.1f} s (bulk)")
    print(f"\n{'measure':<52} {'seconds':>8} {'records/s':>10} {'/ceiling':>9}")

    def line(label: str, seconds: float, ratio: bool = False) -> None:
        tail = f" {rate(seconds) / top:9.3f}" if ratio else ""
        print(f"{label:<52} {seconds:8.2f} {rate(seconds):10,.0f}{tail}")

    line("queue: enqueue_unknown (in enrol)", t["queue"])
    line("push: the station's _push", t["push"], True)
    line("  HubClient.push (HTTP round trips)", t["http push"])
    line("  SyncRepository.record_results", t["record_results"])
    if args.hub == "thread":
        line("  hub: apply_ops (inside the round trips)", t["hub apply_ops"])
    else:
        line("  hub: POST /push (its access log, inside the round trips)",
             sum(e["duration_ms"] for e in push_lines if endpoint(e) == "POST /push") / 1000)
    line("  echo: the station pulls its own records back", t["echo pull"])
    line("station's whole round (run)", t["office side: station's run()"])
    line("pull: the sub-bureau's _pull", t["pull"], True)
    line("  HubClient.pull (HTTP round trips)", t["http pull"])
    line("  SyncService.apply_records", t["apply_records"])
    line("sub-bureau's whole round (run)", t["office side: sub-bureau's run()"])
    line("ceiling: records, psycopg executemany, 1 transaction", ceil["executemany"])
    line("ceiling: records, COPY, 1 transaction (median of 3)", ceil["copy"])
    line("ceiling: records + record_history + operations, COPY", ceil["copy3"])
    print(f"(enrol as a whole {t['enrol']:.2f} s; /ceiling: records/s over the COPY of records)")
    floor = ceil["copy"]
    applies = n >= TARGET_AT
    ok = True
    print(f"\nfloor: COPY of the same {ops:,} records rows, this run: {floor:.3f} s")
    for what, key in (("push (the station's _push)", "push"),
                      ("pull (the sub-bureau's _pull)", "pull")):
        ratio = t[key] / floor
        met = ratio <= TARGET_RATIO
        ok = ok and (met or not applies)
        verdict = ("PASS" if met else "FAIL") if applies else \
            f"the target is for {TARGET_AT:,} complaints"
        print(f"  {what:<30} {t[key]:7.2f} s = {ratio:5.1f}× the floor "
              f"(target ≤ {TARGET_RATIO:.0f}×): {verdict}")
    whole = t["office side: station's run()"]
    print(f"  (the station's whole round {whole:.2f} s, of which the "
          f"echo {t['echo pull']:.2f} s; queue {t['queue']:.2f} s)")
    # The CPU the code spent (not PostgreSQL's): what it costs, whatever else the shared
    # machine runs at the same time.
    station_cpu = t["cpu office side: station's run()"]
    bureau_cpu = t["cpu office side: sub-bureau's run()"]
    station_hub = t["hub cpu office side: station's run()"]
    bureau_hub = t["hub cpu office side: sub-bureau's run()"]
    if args.hub == "thread":
        print(f"  CPU of this process (office + hub): the station's round {station_cpu:.2f} s, "
              f"the sub-bureau's round {bureau_cpu:.2f} s")
    else:
        print(f"  CPU of the office (this process): the station's round {station_cpu:.2f} s, the "
              f"sub-bureau's round {bureau_cpu:.2f} s; of the hub's process: "
              f"{station_hub:.2f} s and {bureau_hub:.2f} s")

    for title, lines in (("station's round", push_lines), ("sub-bureau's round", pull_lines)):
        print(f"\nhub side, {title} (access log, duration_ms):")
        print(f"  {'endpoint':<22} {'requests':>8} {'total s':>8} {'median ms':>10} {'max ms':>8}")
        for name, count, total, median, most in hub_summary(lines):
            print(f"  {name:<22} {count:8} {total:8.2f} {median:10.1f} {most:8.1f}")
    for title, profile in profiles.items():
        if profile is not None:
            print_profile(title, profile)
    if args.keep:
        print(f"\nkept: {folder}")
    return {"n": n, "ops": ops, "load": load_before[0], "floor": floor, "push": t["push"],
            "pull": t["pull"], "ok": ok,
            "cpu push": t["cpu office side: station's run()"],
            "cpu pull": t["cpu office side: sub-bureau's run()"]}


if __name__ == "__main__":
    sys.exit(main())
