"""Use case: a sweep of stress tests over instruments and assumption settings.

Each distinct input (instrument, threat, forces, draws, seed, code version) is computed once:
results are stored under the SHA-256 of their inputs, so an interrupted sweep resumes where
it stopped and a repeated one costs only look-ups. Work runs in local processes by default,
or on a Ray cluster (the ``ray`` extra).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import multiprocessing
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from guarantor.config import Settings
from guarantor.model.instrument import Instrument, Threat
from guarantor.scenario import list_instruments, load_instrument, load_threat
from guarantor.services.rounds import Progress, code_version
from guarantor.services.stress import StressRequest, _forces
from guarantor.simulate.stress import GuarantorForces, stress_test
from guarantor.store import RevisionStore
from guarantor.store.results import ResultStore


@dataclass(frozen=True)
class SweepRequest:
    """The grid: instruments x every combination of the varied assumptions."""

    instruments: tuple[str, ...] = ()
    threat: str = "ukraine-2025"
    vary: tuple[str, ...] = ("us_backstop",)
    fixed: Mapping[str, bool] = field(default_factory=dict)
    draws: int = 20_000
    seed: int = 20250815
    shapley_draws: int = 200
    workers: int = 2
    ray: bool = False
    ray_address: str | None = None


@dataclass(frozen=True)
class SweepRow:
    """One cell of the grid and its result (``cached``: found, not computed)."""

    instrument: str
    assumptions: dict[str, bool]
    inputs_hash: str
    result: dict[str, Any]
    cached: bool


def compute(job: dict[str, Any]) -> dict[str, Any]:
    """Run one stress test from plain data (what a worker process or Ray task receives)."""
    result = stress_test(
        Instrument.model_validate(job["instrument"]),
        Threat.model_validate(job["threat"]),
        [GuarantorForces(**f) for f in job["forces"]],
        np.random.default_rng(job["seed"]),
        draws=job["draws"],
        shapley_draws=job["shapley_draws"],
    )
    return asdict(result)


def _jobs(
    settings: Settings, request: SweepRequest
) -> Iterator[tuple[dict[str, Any], str, dict[str, bool]]]:
    threat = load_threat(request.threat)
    names = request.instruments or tuple(list_instruments())
    for values in itertools.product((True, False), repeat=len(request.vary)):
        assumptions = {**request.fixed, **dict(zip(request.vary, values, strict=True))}
        for name in names:
            instrument = load_instrument(name)
            forces = _forces(
                settings, StressRequest(instrument=name, assume=assumptions), instrument
            )
            job = {
                "instrument": instrument.model_dump(mode="json"),
                "threat": threat.model_dump(mode="json"),
                "forces": [asdict(f) for f in forces],
                "seed": request.seed,
                "draws": request.draws,
                "shapley_draws": request.shapley_draws,
                "version": code_version(),
            }
            digest = hashlib.sha256(json.dumps(job, sort_keys=True).encode()).hexdigest()
            yield job, digest, assumptions


def run_local(jobs: Sequence[dict[str, Any]], workers: int) -> Iterator[tuple[int, dict[str, Any]]]:
    """Compute jobs in ``workers`` local processes; yields (index, result) as they finish
    (in this process when ``workers`` is 1: no start-up cost)."""
    if workers <= 1:
        for index, job in enumerate(jobs):
            yield index, compute(job)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, workers), mp_context=context) as pool:
        futures = {pool.submit(compute, job): index for index, job in enumerate(jobs)}
        for future in as_completed(futures):
            yield futures[future], future.result()


def run_ray(
    jobs: Sequence[dict[str, Any]], address: str | None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Compute jobs as Ray tasks (a local cluster, or the one at ``address``)."""
    import ray  # the optional extra: pip install 'guarantor[ray]'

    started = not ray.is_initialized()
    if started:
        ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)
    try:
        task = ray.remote(compute)
        pending = {task.remote(job): index for index, job in enumerate(jobs)}
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1)
            index = pending.pop(done[0])
            yield index, ray.get(done[0])
    finally:
        if started:
            ray.shutdown()


def run_sweep(
    settings: Settings, request: SweepRequest, progress: Progress | None = None
) -> list[SweepRow]:
    """Run (or look up) every cell of the grid, storing each new result as it arrives."""
    cells = list(_jobs(settings, request))
    store = RevisionStore.open(settings.db_url)
    results = ResultStore(store.db)
    try:
        known = results.known([digest for _, digest, _ in cells])
        rows: dict[int, SweepRow] = {}
        pending = [i for i, (_, digest, _) in enumerate(cells) if digest not in known]
        for i, (_, digest, assumptions) in enumerate(cells):
            if digest in known:
                stored = results.get(digest)
                assert stored is not None
                rows[i] = SweepRow(
                    cells[i][0]["instrument"]["id"], assumptions, digest, stored, cached=True
                )
        runner: Callable[..., Iterator[tuple[int, dict[str, Any]]]] = run_local
        jobs = [cells[i][0] for i in pending]
        stream = (
            run_ray(jobs, request.ray_address) if request.ray else runner(jobs, request.workers)
        )
        for done, (position, result) in enumerate(stream, start=1):
            i = pending[position]
            job, digest, assumptions = cells[i]
            results.put(
                digest,
                instrument=job["instrument"]["id"],
                threat=request.threat,
                assumptions=assumptions,
                seed=request.seed,
                draws=request.draws,
                code_version=job["version"],
                result=result,
            )
            rows[i] = SweepRow(job["instrument"]["id"], assumptions, digest, result, cached=False)
            if progress:
                progress("sweep", done, len(pending))
        return [rows[i] for i in range(len(cells))]
    finally:
        store.close()
