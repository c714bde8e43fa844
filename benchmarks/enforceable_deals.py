"""The enforceable-deals search: cold sweep throughput on one process and on all cores, and
the warm (cached) search.

    /tmp/venv/bin/python benchmarks/enforceable_deals.py          # relax RUS.donetsk, RUS.luhansk
    /tmp/venv/bin/python benchmarks/enforceable_deals.py --quick  # relax UKR.*, 1,000 draws

``guarantor.services.deals.find_deals`` is run on the shipped scenario with a what-if that
opens deals (as shipped, no deal is acceptable): by default the red lines ``RUS.donetsk``
and ``RUS.luhansk`` relaxed (``--relax``, repeatable, as ``guarantor deals --relax``). Every
distinct enforcement setting of the acceptable deals needs one stress test of ``--draws``
draws; the results are cached in the store, keyed by the hash of the job. Three phases:

1. **cold, one process**: a fresh SQLite database in a temporary folder, ``workers=1``
   (every stress test in the search's own process);
2. **cold, all cores**: another fresh database, ``workers=--workers`` (default
   ``os.cpu_count()``: local processes started with ``spawn``, as the service does);
3. **warm**: the same request again, ``--warm-repeats`` times, on the database of phase 2,
   where every result is cached.

Each phase runs in a fresh process of its own (started by this script with ``spawn``), as a
``guarantor deals`` command would: a cold search pays the imports' and the Numba kernel's
first-use costs, and one long-lived process would hide them from whichever phase ran
second. The phases run one after the other in the same run, so the ratios compare runs on
the same machine at the same time.

The service's ``run_local`` is wrapped (not changed) to count the jobs and draws it is
given and to time the sweep: the wall time from each call to its last result, which
includes storing each result as it arrives, and the time to the first result (process
start-up and kernel compilation). Jobs include the ones for the deals shown (with Shapley
values, ``shapley_draws`` 200 as the CLI) and any fixes, beyond one job per distinct
setting.

Printed: a table (jobs, draws per job, search seconds, sweep seconds, draws/s over the
whole search and over the sweep, CPU of the phase and of other processes, in cores), the
ratio all cores / one process, the ratio cold / warm, and ``PASS/FAIL`` for the warm search
under 10 s (set for 2 cores). Correctness check (exit status 1 when it fails): the three
phases find the same enforceable deals with the same P(holds).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WARM_TARGET_SECONDS = 10.0
"""The goal for a warm search (every stress result cached), set for 2 cores."""
PROGRESS_SECONDS = 5.0
DEFAULT_RELAX = ("RUS.donetsk", "RUS.luhansk")
QUICK_RELAX = ("UKR.donetsk", "UKR.luhansk")


@dataclass
class Phase:
    """What one search in one fresh process measured."""

    name: str
    workers: int
    search_s: float = 0.0
    import_s: float = 0.0
    sweep_s: float = 0.0
    first_result_s: float | None = None
    """Seconds from the start of the largest sweep call to its first result."""
    sweep_calls: int = 0
    calls: list[tuple[int, int, float, float | None]] = field(default_factory=list)
    """Each ``run_local`` call: jobs, workers, seconds, seconds to its first result."""
    jobs: int = 0
    draws: int = 0
    draws_per_job: tuple[int, ...] = ()
    keys: int = 0
    stats_jobs: int = 0
    computed: int = 0
    cached: int = 0
    candidates: int = 0
    enforceable: int = 0
    deals: list[tuple[str, float, float, float]] = field(default_factory=list)
    cpu_s: float = 0.0
    """CPU seconds of the phase's process and its worker processes."""
    wall_s: float = 0.0
    """Wall seconds of the phase's process, from its start to its exit (seen by the parent)."""
    busy_s: float | None = None
    """CPU seconds of the whole machine over the phase (``/proc/stat``)."""
    profile: str = ""


def busy_seconds() -> float | None:
    """CPU seconds spent by every process on the machine since boot (Linux), or None."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = f.readline().split()[1:]
    except OSError:
        return None
    ticks = [int(v) for v in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    busy = sum(ticks[:8]) - idle  # user nice system idle iowait irq softirq steal
    return busy / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_phase(  # noqa: PLR0915 - one phase, measured in a fresh process
    name: str,
    db_url: str,
    relax: tuple[str, ...],
    draws: int,
    seed: int,
    workers: int,
    profile: bool,
    queue: Any,
) -> None:
    """One ``find_deals`` in this (fresh) process; the measurements go back on ``queue``."""
    started = time.perf_counter()
    import guarantor.services.deals as deals_service
    from guarantor.config import Settings
    from guarantor.negotiate.whatif import parse_change

    phase = Phase(name, workers, import_s=time.perf_counter() - started)
    original = deals_service.run_local
    sizes: list[int] = []

    def timed_run_local(jobs: Any, n: int) -> Any:
        """The service's ``run_local``, counted and timed."""
        jobs = list(jobs)
        phase.sweep_calls += 1
        phase.jobs += len(jobs)
        phase.draws += sum(int(j["draws"]) for j in jobs)
        phase.draws_per_job = tuple(sorted({*phase.draws_per_job, *(j["draws"] for j in jobs)}))
        t0 = time.perf_counter()
        first = None
        for item in original(jobs, n):
            if first is None:
                first = time.perf_counter() - t0
            yield item
        phase.sweep_s += time.perf_counter() - t0
        phase.calls.append((len(jobs), n, time.perf_counter() - t0, first))
        if first is not None and (not sizes or len(jobs) > max(sizes)):
            phase.first_result_s = first
        sizes.append(len(jobs))

    deals_service.run_local = timed_run_local
    last = [time.perf_counter()]

    def progress(task: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] >= PROGRESS_SECONDS or (done == total and total > 50):
            last[0] = now
            print(f"  [{name}] {task} {done:,}/{total:,} ({now - started:.0f} s)", flush=True)

    request = deals_service.DealsRequest(
        changes=tuple(parse_change("relax", r) for r in relax),
        draws=draws,
        seed=seed,
        workers=workers,
    )
    settings = Settings(db_url=db_url)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t0 = time.perf_counter()
    report = deals_service.find_deals(settings, request, progress)
    phase.search_s = time.perf_counter() - t0
    if profiler is not None:
        import io
        import pstats

        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        phase.profile = out.getvalue()
    stats = report.stats
    phase.keys, phase.stats_jobs = stats.keys, stats.jobs
    phase.computed, phase.cached, phase.candidates = stats.computed, stats.cached, stats.candidates
    phase.enforceable = len(report.search.enforceable)
    phase.deals = [
        (
            " ".join(f"{k}={v}" for k, v in sorted(view.options.items())),
            view.hold.value,
            view.hold.low,
            view.hold.high,
        )
        for view in report.deals
    ]
    queue.put(phase)


def in_fresh_process(
    name: str,
    db_url: str,
    relax: tuple[str, ...],
    draws: int,
    seed: int,
    workers: int,
    profile: bool = False,
) -> Phase:
    """Run one phase in a new spawned process; its CPU and the machine's over it."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    busy0, cpu0, t0 = busy_seconds(), children_cpu(), time.perf_counter()
    process = context.Process(
        target=run_phase, args=(name, db_url, relax, draws, seed, workers, profile, queue)
    )
    process.start()
    phase: Phase = queue.get()
    process.join()
    busy1, cpu1 = busy_seconds(), children_cpu()
    phase.wall_s = time.perf_counter() - t0
    phase.cpu_s = cpu1 - cpu0  # the phase's process and its workers, all joined
    if process.exitcode != 0:
        raise SystemExit(f"phase {name} failed with exit status {process.exitcode}")
    phase.busy_s = None if busy0 is None or busy1 is None else busy1 - busy0
    return phase


def fmt_rate(value: float) -> str:
    return f"{value:,.0f}"


def print_table(phases: list[Phase]) -> None:
    print(
        "\n| phase | workers | jobs run | draws/job | search s | sweep s | first result s "
        "| draws/s (search) | draws/s (sweep) | CPU phase / others (cores) |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---|")
    for p in phases:
        per_job = "/".join(f"{d:,}" for d in p.draws_per_job) or "-"
        search_rate = fmt_rate(p.draws / p.search_s) if p.draws else "-"
        sweep_rate = fmt_rate(p.draws / p.sweep_s) if p.draws and p.sweep_s > 0 else "-"
        first = f"{p.first_result_s:.2f}" if p.first_result_s is not None else "-"
        sweep = f"{p.sweep_s:.2f}" if p.sweep_calls else "-"
        cores = p.cpu_s / p.wall_s if p.wall_s else 0.0
        # The machine's CPU over the phase, less the phase's own: the other processes.
        others = (
            f"{max(0.0, (p.busy_s - p.cpu_s)) / p.wall_s:.2f}"
            if p.busy_s is not None and p.wall_s
            else "?"
        )
        print(
            f"| {p.name} | {p.workers} | {p.jobs:,} | {per_job} | {p.search_s:.2f} | {sweep} "
            f"| {first} | {search_rate} | {sweep_rate} | {cores:.2f} / {others} |"
        )


def same_deals(a: Phase, b: Phase) -> bool:
    return a.enforceable == b.enforceable and a.deals == b.deals


def main() -> int:  # noqa: PLR0915 - one linear report
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--relax",
        action="append",
        metavar="PARTY.RED_LINE",
        help=f"what-if, repeatable (default {' '.join(DEFAULT_RELAX)}; --quick: "
        f"{' '.join(QUICK_RELAX)})",
    )
    parser.add_argument("--draws", type=int, default=None, help="per stress test (default 5000)")
    parser.add_argument(
        "--quick", action="store_true", help="1,000 draws and the UKR relax (fewer jobs)"
    )
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="all-cores phase processes"
    )
    parser.add_argument("--warm-repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20250815)
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the first warm search and print it"
    )
    args = parser.parse_args()
    relax = tuple(args.relax or (QUICK_RELAX if args.quick else DEFAULT_RELAX))
    draws = args.draws or (1000 if args.quick else 5000)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    import numba
    import numpy as np

    print(
        f"enforceable_deals: {cores} CPU cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, numpy {np.__version__}, numba {numba.__version__}, "
        f"SQLite {sqlite3.sqlite_version}; --relax {' --relax '.join(relax)} --draws {draws} "
        f"--workers {args.workers} --warm-repeats {args.warm_repeats} --seed {args.seed}; "
        f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="bench-deals-") as folder:
        single_url = f"sqlite:///{Path(folder) / 'single.db'}"
        multi_url = f"sqlite:///{Path(folder) / 'all-cores.db'}"
        phases: list[Phase] = []
        print("\n== cold, one process (workers=1), fresh database ==", flush=True)
        phases.append(in_fresh_process("cold 1 process", single_url, relax, draws, args.seed, 1))
        print(f"== cold, all cores (workers={args.workers}), fresh database ==", flush=True)
        phases.append(
            in_fresh_process(
                "cold all cores", multi_url, relax, draws, args.seed, max(1, args.workers)
            )
        )
        warm: list[Phase] = []
        for i in range(max(1, args.warm_repeats)):
            print(f"== warm {i + 1}: the same request on the all-cores database ==", flush=True)
            warm.append(
                in_fresh_process(
                    f"warm {i + 1}",
                    multi_url,
                    relax,
                    draws,
                    args.seed,
                    max(1, args.workers),
                    profile=args.profile and i == 0,
                )
            )
        phases += warm

    single, multi = phases[0], phases[1]
    print(
        f"\nsearch: {single.candidates:,} acceptable candidate deals, {single.keys:,} distinct "
        f"enforcement settings, {single.stats_jobs:,} distinct stress jobs; "
        f"{single.enforceable:,} enforceable Pareto deals, {len(single.deals)} shown"
    )
    print_table(phases)
    print(
        "\nfirst result s: from the start of the largest sweep to its first result (process "
        "start-up, imports, kernel compilation); CPU: the phase's process and its workers, "
        "others: the rest of the machine, in cores on average"
    )
    for p in phases:
        print(
            f"info {p.name}: imports {p.import_s:.2f} s; computed {p.computed:,}, cached "
            f"{p.cached:,}; sweep calls (jobs x workers: s, first result s): "
            + (
                ", ".join(
                    f"{jobs} x {n}: {sec:.2f}, {first:.2f}"
                    if first is not None
                    else f"{jobs} x {n}"
                    for jobs, n, sec, first in p.calls
                )
                or "none"
            )
        )

    failures = []
    for p in phases[1:]:
        ok = same_deals(single, p)
        if not ok:
            failures.append(p.name)
    print()
    ratio = (multi.draws / multi.search_s) / (single.draws / single.search_s)
    sweep_ratio = (
        (multi.draws / multi.sweep_s) / (single.draws / single.sweep_s)
        if multi.sweep_s and single.sweep_s
        else float("nan")
    )
    print(
        f"ratio all cores / one process, draws/s: {ratio:.2f}x over the search "
        f"({multi.search_s:.2f} vs {single.search_s:.2f} s), {sweep_ratio:.2f}x over the sweep "
        f"({multi.sweep_s:.2f} vs {single.sweep_s:.2f} s); {args.workers} workers"
    )
    warm_times = [p.search_s for p in warm]
    median = statistics.median(warm_times)
    slowest = max(warm_times)
    print(
        f"ratio cold / warm (median warm {median:.2f} s): one process "
        f"{single.search_s / median:.1f}x, all cores {multi.search_s / median:.1f}x"
    )
    print(
        f"{'PASS' if slowest < WARM_TARGET_SECONDS else 'FAIL'} warm search under "
        f"{WARM_TARGET_SECONDS:.0f} s: slowest of {len(warm)} {slowest:.2f} s (runs "
        f"{', '.join(f'{t:.2f}' for t in warm_times)} s; {cores} CPU cores, target set for 2)"
    )
    print(
        f"{'PASS' if not failures else 'FAIL'} same enforceable deals and P(holds) in every "
        f"phase: {single.enforceable:,} enforceable, {len(single.deals)} shown"
        + (f"; differ: {', '.join(failures)}" if failures else "")
    )
    if failures:
        for p in [single, *(q for q in phases if q.name in failures)]:
            print(f"  {p.name}: {p.enforceable} enforceable")
            for deal in p.deals:
                print(f"    {deal[1]:.4f} [{deal[2]:.4f}, {deal[3]:.4f}] {deal[0]}")
    if warm[0].profile:
        print("\n== profile of the first warm search (cumulative) ==")
        print(warm[0].profile)
    print(f"load average at the end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
