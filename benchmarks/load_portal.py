"""Load benchmark of the portal's REST API: concurrent capitals saving drafts.

One command (from the repository root, with the project installed)::

    python benchmarks/load_portal.py        # 50 capitals, 60 s, SQLite then PostgreSQL
    python benchmarks/load_portal.py --db sqlite --seconds 10

For each database it builds a fresh database, creates one capital user and one API token per
client, serves the portal with uvicorn in a separate process (as ``guarantor serve`` does) and
drives it from this process with one ``httpx.AsyncClient`` per client:

1. baseline: every client loops ``GET /api/v1/rounds`` (the cheapest authenticated request);
2. saves: every client loops ``PUT /api/v1/rounds/{round}/submissions/{country}`` with a draft
   and the revision it last saw (``expected_revision``), recording latency and the revision
   number acknowledged by each ``201``;
3. saturation: the same saves with no pause, to measure capacity.

In phases 1 and 2 each client pauses ``--think`` seconds on average (default 1: an autosave
about once a second, so about 50 saves/s offered) between requests. With no pause 50 clients
form a closed loop whose latency is 50 / throughput by Little's law, far above 100 ms
whatever the app does; ``--think 0`` runs that for the whole save phase.

Afterwards the server is stopped and the database is read directly: every acknowledged save
must be stored as exactly one draft revision, under the acknowledged number, with the content
that was sent (nothing lost, nothing duplicated, numbers consecutive).

It prints p50/p99/max latency and throughput, ratios against the baseline measured in the
same process (and PostgreSQL against SQLite), and PASS/FAIL lines for the goals of the issue:
p99 under 100 ms on SQLite (on a 2-core machine), zero lost or duplicated revisions on both.
The exit status is 1 only when the integrity check fails; speed goals are printed, not
asserted.

The reference data knows 41 countries, fewer than 50 once the coordinator (USA), the
protected state (UKR) and the aggressor (RUS) are left out. Each client is one
*(round, capital)* pair: the first 38 clients are 38 capitals in round ``bench-load-1``, the
next ones the same capitals again in round ``bench-load-2`` (same user, a token of its own),
so every client still writes a submission no other client touches, as one capital per
country would.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import math
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
try:
    import guarantor  # noqa: F401
except ImportError:  # run from a checkout without ``pip install -e .``
    sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # tests/postgres.py starts the throwaway PostgreSQL server

SECRET = "bench-secret"
ROUND_PREFIX = "bench-load"
EXCLUDED = ("RUS", "UKR", "USA")
"""Not guarantor capitals: the aggressor, the protected state, the coordinator."""
P99_TARGET_MS = 100.0
TARGET_CORES = 2
PROGRESS_EVERY = 5.0
THINK = 1.0
"""Default mean pause of a capital between two saves (uniform in 0.5..1.5 of it)."""


# ------------------------------------------------------------------------------------------
# Databases


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Database:
    """A fresh database: its URL, the server's version and, for PostgreSQL, the postmaster."""

    url: str
    version: str
    postmaster: int | None = None

    def cpu_seconds(self) -> float:
        """CPU time of the database server's processes so far (0 for SQLite, in-process)."""
        if self.postmaster is None:
            return 0.0
        # The postmaster, its children that exited (waited for) and those still running.
        total = _process_cpu(self.postmaster, children=True)
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.postmaster:
                    total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total


def _process_cpu(pid: int, *, children: bool = False) -> float:
    """User plus system CPU seconds of one process (and of its exited children); NaN if it
    cannot be read."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = sum(int(v) for v in fields[11 : 15 if children else 13])
        return ticks / os.sysconf("SC_CLK_TCK")
    return float("nan")


@contextlib.contextmanager
def postgres_server() -> Iterator[Database]:
    """A throwaway PostgreSQL server on loopback with a new database, started as the tests
    start theirs (``tests/postgres.py``) but with PostgreSQL's default ``fsync`` on, so an
    acknowledged save is as durable as on SQLite."""
    import psycopg
    from tests.postgres import create_database, running_postgres

    with running_postgres(fsync=True) as server:
        url = create_database(server.url)
        plain = server.url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(f"{plain}/postgres", autocommit=True) as connection:
            row = connection.execute("SHOW server_version").fetchone()
        yield Database(url, f"PostgreSQL {row[0] if row else '?'}", server.postmaster)


@contextlib.contextmanager
def sqlite_file() -> Iterator[Database]:
    """A SQLite file in a new temporary folder (the app's own settings: WAL,
    synchronous NORMAL)."""
    import sqlite3

    folder = Path(tempfile.mkdtemp(prefix="guarantor-bench-sqlite-"))
    try:
        yield Database(f"sqlite:///{folder / 'bench.db'}", f"SQLite {sqlite3.sqlite_version}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _settings(url: str) -> Any:
    from guarantor.config import Settings

    return Settings(db_url=url, secret_key=SECRET, demo_users=False)


# ------------------------------------------------------------------------------------------
# Setup, server, verification


@dataclass(frozen=True)
class Stream:
    """What one client writes: one capital's submission in one round, with its token."""

    index: int
    round_id: str
    country: str
    token: str

    @property
    def path(self) -> str:
        return f"/api/v1/rounds/{self.round_id}/submissions/{self.country}"


def prepare(url: str, clients: int) -> list[Stream]:
    """Migrate and seed the database, open the bench rounds, one capital user per country and
    one token per client."""
    from guarantor.model.portal import User
    from guarantor.services import admin
    from guarantor.services.portal import Portal, open_round

    portal = Portal(_settings(url))
    try:
        codes = [c for c in sorted(portal.reference.countries) if c not in EXCLUDED]
        coordinator = User(id=0, username="admin-cli", role="coordinator")
        streams: list[Stream] = []
        users: set[str] = set()
        for k in range(math.ceil(clients / len(codes))):
            round_id = f"{ROUND_PREFIX}-{k + 1}"
            countries = codes[: min(len(codes), clients - len(streams))]
            open_round(portal, coordinator, round_id, None, countries, admin.CLI)
            for code in countries:
                username = f"cap-{code.lower()}"
                if username not in users:
                    admin.add_user(portal, username, None, "capital", code)
                    users.add(username)
                token = admin.create_token(portal, username, f"bench {round_id}")
                streams.append(Stream(len(streams), round_id, code, token))
        return streams
    finally:
        portal.close()


def serve(url: str, port: int) -> None:
    """The server process: the portal under uvicorn, configured as ``guarantor serve`` is."""
    import uvicorn

    from guarantor.services.portal import Portal
    from guarantor.web import create_app

    settings = _settings(url)
    portal = Portal(settings)
    try:
        uvicorn.run(create_app(settings, portal), host="127.0.0.1", port=port, log_level="warning")
    finally:
        portal.close()


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    def cpu_seconds(self) -> float:
        """User plus system CPU time of the server process so far."""
        return _process_cpu(self.process.pid)


@contextlib.contextmanager
def running_server(url: str, folder: Path) -> Iterator[Server]:
    """Start :func:`serve` in a subprocess on a free port; stop it (gracefully) afterwards."""
    import httpx

    port = _free_port()
    log = folder / f"server-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--serve", url, "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}:\n{_tail(log)}")
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(f"{server.base_url}/api/v1/rounds", timeout=2)
                break  # any answer (401 without a token) means it is up
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not start in 120 s:\n{_tail(log)}")
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _tail(log: Path, lines: int = 40) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    return ""


@dataclass
class Integrity:
    """The database checked against what the clients were told."""

    acknowledged: int = 0
    stored: int = 0
    lost: int = 0
    """Acknowledged saves absent under their number, or stored there with other content."""
    duplicated: int = 0
    """Extra copies: one sent document stored twice, or one number acknowledged twice."""
    gaps: int = 0
    """Submissions whose revision numbers are not exactly 1..n."""
    not_draft: int = 0
    unacknowledged: int = 0
    """Stored revisions no client saw acknowledged (only expected after client errors)."""

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.gaps or self.not_draft)


def verify(url: str, clients: list[Client]) -> Integrity:
    """Read every bench submission's history straight from the database."""
    from guarantor.store import RevisionStore

    result = Integrity()
    store = RevisionStore.open(url)
    try:
        for client in clients:
            history = store.history(client.stream.round_id, client.stream.country)
            numbers = [r.number for r in history]
            tags = {r.number: r.submission.answers.get("deployment_concept") for r in history}
            stored_tags = Counter(tags.values())
            acked_numbers = Counter(number for number, _ in client.acks)
            acked_tags = {tag for _, tag in client.acks}
            result.acknowledged += len(client.acks)
            result.stored += len(history)
            result.lost += sum(1 for number, tag in client.acks if tags.get(number) != tag)
            result.duplicated += sum(n - 1 for n in stored_tags.values() if n > 1)
            result.duplicated += sum(n - 1 for n in acked_numbers.values() if n > 1)
            result.gaps += numbers != list(range(1, len(numbers) + 1))
            result.not_draft += sum(1 for r in history if r.status != "draft")
            result.unacknowledged += sum(1 for tag in tags.values() if tag not in acked_tags)
    finally:
        store.close()
    return result


# ------------------------------------------------------------------------------------------
# Load


@dataclass
class Usage:
    """CPU spent during a phase, in cores busy on average (1.0 = one core all the time)."""

    server: float = float("nan")
    database: float = float("nan")
    """The PostgreSQL processes (SQLite runs inside the server)."""
    client: float = float("nan")
    machine: float = float("nan")
    """All processes on the machine, other people's included."""

    @property
    def other(self) -> float:
        """What neither this benchmark nor its servers used."""
        return self.machine - self.server - self.database - self.client


@dataclass
class Phase:
    """Latencies and outcomes of one kind of request over one timed window."""

    name: str
    kind: str
    think: float
    latencies: list[float] = field(default_factory=list)
    conflicts: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    started: float = 0.0
    ended: float = 0.0
    last_answer: float = 0.0
    usage: Usage = field(default_factory=Usage)
    server_cpu: float = float("nan")
    """CPU seconds of the server process during the phase."""

    @property
    def seconds(self) -> float:
        return max(self.ended - self.started, 1e-9)

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds

    def ms(self, p: float) -> float:
        return percentile(self.latencies, p) * 1000

    @property
    def server_ms_per_request(self) -> float:
        return self.server_cpu / max(len(self.latencies), 1) * 1000


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (``p`` in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Client:
    """One capital: its stream, the revision it last saw and what it was acknowledged."""

    stream: Stream
    expected: int | None = 0
    sent: int = 0
    acks: list[tuple[int, str]] = field(default_factory=list)
    """``(revision number, deployment_concept sent)`` for every ``201``."""


async def _resync(http: Any, client: Client) -> None:
    """After a failed save its outcome is unknown: ask for the latest revision."""
    response = await http.get(client.stream.path)
    if response.status_code == 200:
        client.expected = int(response.json()["revision"])
    elif response.status_code == 404:
        client.expected = 0


async def _request(http: Any, client: Client, phase: Phase) -> None:
    """One request of the phase's kind; its latency and outcome go into ``phase``."""
    if phase.kind == "get":
        start = time.perf_counter()
        response = await http.get("/api/v1/rounds")
        phase.last_answer = time.perf_counter()
        elapsed = phase.last_answer - start
        if response.status_code == 200:
            phase.latencies.append(elapsed)
        else:
            phase.errors[f"HTTP {response.status_code}"] += 1
        return
    if client.expected is None:
        await _resync(http, client)
        return
    client.sent += 1
    tag = f"bench {client.stream.index} {client.sent}"
    body = {
        "answers": {"force_size_personnel": client.sent, "deployment_concept": tag},
        "status": "draft",
        "expected_revision": client.expected,
    }
    start = time.perf_counter()
    response = await http.put(client.stream.path, json=body)
    phase.last_answer = time.perf_counter()
    elapsed = phase.last_answer - start
    if response.status_code == 201:
        number = int(response.json()["revision"])
        client.acks.append((number, tag))
        client.expected = number
        phase.latencies.append(elapsed)
    elif response.status_code == 409:
        phase.conflicts += 1
        client.expected = int(response.json()["errors"][0]["latest"]["revision"])
    else:
        phase.errors[f"HTTP {response.status_code}"] += 1
        client.expected = None


async def _loop(http: Any, client: Client, phase: Phase, deadline: float) -> None:
    import httpx

    rng = random.Random(client.stream.index)
    if phase.think:
        await asyncio.sleep(rng.uniform(0, phase.think))  # spread the clients out
    while time.perf_counter() < deadline:
        try:
            await _request(http, client, phase)
        except httpx.HTTPError as error:
            phase.errors[type(error).__name__] += 1
            if phase.kind == "put":
                client.expected = None
        if phase.think:
            pause = rng.uniform(0.5, 1.5) * phase.think
            if time.perf_counter() + pause >= deadline:
                break  # no request would start after this pause
            await asyncio.sleep(pause)


def _machine_jiffies() -> tuple[float, float]:
    """``(busy, total)`` jiffies of all cores, from /proc/stat."""
    with contextlib.suppress(OSError, ValueError):
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = values[3] + values[4]
        return float(sum(values) - idle), float(sum(values))
    return float("nan"), float("nan")


async def _phase(
    label: str,
    server: Server,
    database: Database,
    clients: list[Client],
    https: list[Any],
    phase: Phase,
    seconds: float,
) -> Phase:
    cores = os.cpu_count() or 1
    busy0, total0 = _machine_jiffies()
    server0, db0, client0 = server.cpu_seconds(), database.cpu_seconds(), time.process_time()
    phase.started = time.perf_counter()
    deadline = phase.started + seconds
    tasks = [
        asyncio.create_task(_loop(http, client, phase, deadline))
        for http, client in zip(https, clients, strict=True)
    ]
    done_before, last = 0, phase.started
    while not all(t.done() for t in tasks):
        await asyncio.wait(tasks, timeout=PROGRESS_EVERY)
        now = time.perf_counter()
        recent = phase.latencies[done_before:]
        if not recent and all(t.done() for t in tasks):
            break
        done_before, window, last = len(phase.latencies), max(now - last, 1e-9), now
        print(
            f"  [{label}] {phase.name:<14} {now - phase.started:5.1f}/{seconds:g} s"
            f"  {len(phase.latencies):7d} ok  {len(recent) / window:6.1f}/s"
            f"  p99 {percentile(recent, 99) * 1000:7.1f} ms  409: {phase.conflicts}"
            f"  errors: {sum(phase.errors.values())}",
            flush=True,
        )
    for task in tasks:
        task.result()
    # Until the deadline or the last answer, whichever is later: not the clients' last pause.
    phase.ended = max(deadline, phase.last_answer)
    busy1, total1 = _machine_jiffies()
    phase.server_cpu = server.cpu_seconds() - server0
    span = max(time.perf_counter() - phase.started, 1e-9)  # the window the CPU was read over
    phase.usage = Usage(
        server=phase.server_cpu / span,
        database=(database.cpu_seconds() - db0) / span,
        client=(time.process_time() - client0) / span,
        machine=(busy1 - busy0) / max(total1 - total0, 1.0) * cores,
    )
    return phase


async def _drive(
    label: str,
    server: Server,
    database: Database,
    clients: list[Client],
    args: argparse.Namespace,
) -> list[Phase]:
    import httpx

    https = [
        httpx.AsyncClient(
            base_url=server.base_url,
            headers={"Authorization": f"Bearer {c.stream.token}"},
            timeout=args.timeout,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        )
        for c in clients
    ]
    plan = [
        (Phase("GET /rounds", "get", args.think), args.baseline_seconds),
        (Phase("PUT draft", "put", args.think), args.seconds),
    ]
    if args.saturation_seconds > 0 and args.think > 0:
        plan.append((Phase("PUT saturated", "put", 0.0), args.saturation_seconds))
    try:
        # Warm-up (not measured): open every connection, load every code path once.
        await asyncio.gather(*(h.get("/api/v1/rounds") for h in https))
        await asyncio.gather(*(_resync(h, c) for h, c in zip(https, clients, strict=True)))
        for phase, seconds in plan:
            if seconds > 0:
                await _phase(label, server, database, clients, https, phase, seconds)
        return [phase for phase, seconds in plan if seconds > 0]
    finally:
        await asyncio.gather(*(h.aclose() for h in https))


@dataclass
class Result:
    db: str
    version: str
    phases: list[Phase]
    integrity: Integrity

    def phase(self, name: str) -> Phase | None:
        return next((p for p in self.phases if p.name == name), None)


def bench(db: str, args: argparse.Namespace) -> Result:
    """One database: set up, serve, baseline, load, stop, verify."""
    source = sqlite_file() if db == "sqlite" else postgres_server()
    with source as database:
        print(f"{database.version}: setting up {args.clients} capitals ...", flush=True)
        streams = prepare(database.url, args.clients)
        clients = [Client(s) for s in streams]
        folder = Path(tempfile.mkdtemp(prefix="guarantor-bench-log-"))
        try:
            with running_server(database.url, folder) as server:
                print(f"{db}: server {server.base_url} (pid {server.process.pid})", flush=True)
                phases = asyncio.run(_drive(db, server, database, clients, args))
            if server.process.returncode not in (0, None):
                print(f"{db}: server exited with {server.process.returncode}:\n{_tail(server.log)}")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        integrity = verify(database.url, clients)
    return Result(db, database.version, phases, integrity)


# ------------------------------------------------------------------------------------------
# Report


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b and not math.isnan(a) and not math.isnan(b) else "n/a"


def _cores(value: float) -> str:
    return "  n/a" if math.isnan(value) else f"{value:5.2f}"


def report(results: list[Result], args: argparse.Namespace) -> bool:
    """Print the table, the ratios and the PASS/FAIL lines; ``True`` if integrity holds."""
    cores = os.cpu_count() or 0
    print()
    saturation = (
        f", then {args.saturation_seconds:g} s with none"
        if args.saturation_seconds > 0 and args.think > 0
        else ""
    )
    print(
        f"{args.clients} clients; baseline {args.baseline_seconds:g} s, saves {args.seconds:g} s"
        f" with think time {args.think:g} s{saturation}; {cores} cores;"
        f" Python {platform.python_version()}; {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
    )
    header = (
        f"{'db':<11}{'request':<15}{'requests':>9}{'per s':>8}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'max ms':>9}{'409':>5}{'errors':>7}{'lost':>5}{'dup':>4}"
        f"  {'CPU cores: server  db  client  others'}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        for phase in r.phases:
            is_save = phase.kind == "put"
            lost = str(r.integrity.lost) if is_save else "-"
            dup = str(r.integrity.duplicated) if is_save else "-"
            u = phase.usage
            print(
                f"{r.db:<11}{phase.name:<15}{len(phase.latencies):>9}{phase.throughput:>8.1f}"
                f"{phase.ms(50):>9.1f}{phase.ms(99):>9.1f}{phase.ms(100):>9.1f}"
                f"{phase.conflicts:>5}{sum(phase.errors.values()):>7}{lost:>5}{dup:>4}"
                f"             {_cores(u.server)} {_cores(u.database)} {_cores(u.client)}"
                f" {_cores(u.other)}"
            )
    print("(lost/dup: over all save phases; CPU: cores busy on average, 1.00 = one core)")
    print()
    for r in results:
        base, load = r.phase("GET /rounds"), r.phase("PUT draft")
        if base and load:
            cpu_load, cpu_base = load.server_ms_per_request, base.server_ms_per_request
            print(
                f"ratio {r.db} save/baseline:  p50 {_ratio(load.ms(50), base.ms(50))}"
                f"  p99 {_ratio(load.ms(99), base.ms(99))}"
                f"  server CPU per request {_ratio(cpu_load, cpu_base)}"
                f" ({cpu_load:.2f} vs {cpu_base:.2f} ms)"
            )
    by_db = {r.db: r for r in results}
    if "sqlite" in by_db and "postgresql" in by_db:
        for name in ("GET /rounds", "PUT draft", "PUT saturated"):
            pg, lite = by_db["postgresql"].phase(name), by_db["sqlite"].phase(name)
            if pg and lite:
                print(
                    f"ratio postgresql/sqlite {name}:  p50 {_ratio(pg.ms(50), lite.ms(50))}"
                    f"  p99 {_ratio(pg.ms(99), lite.ms(99))}"
                    f"  throughput {_ratio(pg.throughput, lite.throughput)}"
                )
    print()
    intact = True
    for r in results:
        for phase in r.phases:
            if phase.errors:
                print(f"{r.db} {phase.name} errors: {dict(phase.errors)}")
            if phase.conflicts:
                print(f"{r.db} {phase.name}: {phase.conflicts} conflicts (409), unexpected")
        load = r.phase("PUT draft")
        if r.db == "sqlite" and load:
            p99 = load.ms(99)
            verdict = "PASS" if p99 < P99_TARGET_MS and not load.errors else "FAIL"
            note = "" if cores == TARGET_CORES else f" (the target is for {TARGET_CORES} cores)"
            print(
                f"{verdict} sqlite p99 of {args.clients} capitals saving drafts (think time"
                f" {args.think:g} s): {p99:.1f} ms < {P99_TARGET_MS:g} ms{note}"
            )
        i = r.integrity
        verdict = "PASS" if i.ok else "FAIL"
        intact = intact and i.ok
        print(
            f"{verdict} {r.db} integrity: {i.acknowledged} acknowledged saves, {i.stored} stored"
            f" revisions, {i.lost} lost, {i.duplicated} duplicated, {i.gaps} numbering gaps,"
            f" {i.not_draft} not drafts, {i.unacknowledged} stored but not acknowledged"
        )
    return intact


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--seconds", type=float, default=60.0, help="save phase (default 60)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent capitals (50)")
    parser.add_argument(
        "--think",
        type=float,
        default=THINK,
        help=f"mean pause of each capital between two requests, seconds (default {THINK:g}:"
        " an autosave about once a second); 0 = closed loop, next request at once",
    )
    parser.add_argument(
        "--baseline-seconds", type=float, default=10.0, help="GET /api/v1/rounds phase (10)"
    )
    parser.add_argument(
        "--saturation-seconds",
        type=float,
        default=10.0,
        help="closing phase of saves with no think time, to measure capacity (10; 0: none)",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="HTTP timeout (30 s)")
    parser.add_argument("--serve", metavar="DB_URL", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.port)
        return 0
    if args.clients < 1:
        parser.error("--clients must be at least 1")
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    from tests.postgres import _binaries

    if "postgresql" in dbs and _binaries() is None:
        if args.db == "postgresql":
            parser.error("PostgreSQL server binaries not found (apt-get install postgresql)")
        print("PostgreSQL server binaries not found (apt-get install postgresql): SQLite only")
        dbs = ["sqlite"]
    results = [bench(db, args) for db in dbs]
    return 0 if report(results, args) else 1


if __name__ == "__main__":
    sys.exit(main())
