"""The Pareto front and the Nash solution of the library against brute-force enumeration.

    /tmp/venv/bin/python benchmarks/negotiation_bruteforce.py               # 12 x 5 x 4
    /tmp/venv/bin/python benchmarks/negotiation_bruteforce.py --issues 10   # quick run

A random negotiation (seeded) is built as a ``Negotiation`` model from plain dicts:
``--issues`` issues of ``--options`` options, ``--parties`` parties with integer utilities
0-100 and integer weights 1-10, ``--red-lines`` red lines per party (each forbids one
combination of two ``issue = option`` conditions on two different issues) and reservation
values at ``--reservation`` times each party's best possible utility. It is compiled with
``compile_problem`` and solved twice:

- **library**: ``pareto_front(problem)`` then ``nash_index(front, problem.reservation)``,
  timed as the best of ``--repeats`` runs after one untimed run (which compiles the Numba
  kernel);
- **brute force**: every deal is visited. The issues are split into a head (the first ones)
  and a tail (the rest, at most ``TAIL_DEALS`` deals). The tail's scores and red-line masks
  are computed once with numpy; each chunk fixes the head's options and gets all its deals'
  scores by adding the head's points to the tail's columns. A chunk drops the deals that
  cross a red line (``problem.clauses``) or miss a reservation value, finds its Nash
  maximiser (float products, confirmed in exact integers) and its Pareto-optimal rows, and
  merges them into a running front. Chunks run on ``--workers`` processes (forked, default
  2: both cores of the target machine); each keeps its own running front to discard
  dominated rows early, and the parent merges the workers' new rows into the final front.

The Pareto filter is exact and uses no library code: a row is dropped only when another
acceptable deal's scores are at least as high for every party (one row per distinct score
vector is kept). It first discards rows weakly dominated by a few "killer" rows: the
chunk's Nash maximiser (one numpy pass that removes almost all of a chunk), then the front
rows that dominated most of the previous chunk's survivors and the front's best rows in a
fixed set of directions. Any acceptable deal may serve as a killer, so the choice affects
only the speed. The survivors are then compared with the whole running front and with
each other.

Checks (correctness; the exit status is 1 when one fails): the library's set of Pareto
score vectors equals the brute force's, the library's Nash product equals the largest
product of gains over all acceptable deals, and every front deal of the library is
acceptable and scores what the front says. If the brute force is projected to take longer
than ``--max-brute-seconds`` it stops, nothing is compared, and the exit status is 2.

The speed goal (PASS/FAIL, no effect on the exit status): the library finds the full
Pareto set and the Nash solution in under 5 s (set for 12 issues x 5 options x 4 parties on
2 cores).
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from guarantor.model.negotiation import Negotiation
from guarantor.negotiate.bargaining import nash_index, nash_products
from guarantor.negotiate.frontier import Front, pareto_front
from guarantor.negotiate.problem import SCALE, Problem, compile_problem

TARGET_SECONDS = 5.0
"""The issue's goal for the library: full Pareto set and Nash, 12 x 5 x 4, 2 cores."""
PROGRESS_SECONDS = 5.0
TAIL_DEALS = 400_000
"""At most this many deals per chunk (the tail's deals)."""
DIRECTIONS = 32
"""Directions in which the running front's best rows are used as killers."""
LEARNED = 16
"""Front rows kept as killers because they dominated most of the last chunk's survivors."""
BLOCK = 256
"""Rows compared at once in the exact dominance checks."""
FLOAT_MARGIN = 1e-9
"""Relative margin under the largest float Nash product within which products are
recomputed in exact integers (float64 products of four gains err by under 1e-15)."""

TEXT = {"en": "benchmark", "ar": "قياس"}

# --------------------------------------------------------------------------------------
# The instance
# --------------------------------------------------------------------------------------


def figure(value: float, unit: str = "utility") -> dict[str, Any]:
    return {"value": float(value), "unit": unit, "assumption": True}


def random_negotiation(
    seed: int, issues: int, options: int, parties: int, red_lines: int, fraction: float
) -> Negotiation:
    """Integer utilities 0-100 and weights 1-10; each red line forbids two ``issue=option``
    conditions on two different issues; reservation = ``fraction`` x the party's best."""
    if red_lines and issues < 2:
        raise SystemExit("red lines need at least 2 issues")
    rng = np.random.default_rng(seed)
    utility = rng.integers(0, 101, size=(parties, issues, options))
    weight = rng.integers(1, 11, size=(parties, issues))
    positions = []
    for p in range(parties):
        best = float((weight[p] / weight[p].sum() * utility[p].max(axis=1)).sum())
        lines = []
        for r in range(red_lines):
            a, b = (int(i) for i in rng.choice(issues, size=2, replace=False))
            oa, ob = (int(o) for o in rng.integers(0, options, size=2))
            lines.append(
                {
                    "id": f"r{r}",
                    "label": TEXT,
                    "assumption": True,
                    "when": [
                        {"issue": f"i{a}", "in": [f"o{oa}"]},
                        {"issue": f"i{b}", "in": [f"o{ob}"]},
                    ],
                }
            )
        positions.append(
            {
                "party": f"P{p}",
                "weights": {f"i{i}": figure(weight[p, i], "weight") for i in range(issues)},
                "utilities": {
                    f"i{i}": {f"o{o}": figure(utility[p, i, o]) for o in range(options)}
                    for i in range(issues)
                },
                "reservation": figure(round(fraction * best, 4)),
                "red_lines": lines,
            }
        )
    return Negotiation.model_validate(
        {
            "id": f"bench-{seed}",
            "label": TEXT,
            "date": "2025-08-18",
            "parties": [{"id": f"P{p}", "label": TEXT, "kind": "state"} for p in range(parties)],
            "issues": [
                {
                    "id": f"i{i}",
                    "label": TEXT,
                    "options": [{"id": f"o{o}", "label": TEXT} for o in range(options)],
                }
                for i in range(issues)
            ],
            "positions": positions,
        }
    )


# --------------------------------------------------------------------------------------
# Exact dominance filters (numpy, no library code)
# --------------------------------------------------------------------------------------


def dominators(rows: NDArray[np.int64], by: NDArray[np.int64]) -> NDArray[np.int64]:
    """For each of ``rows``, the index of a row of ``by`` that matches or beats it for
    every party, or -1. Column by column over (block, len(by)) tables: numpy is slow to
    reduce a short last axis."""
    out = np.full(len(rows), -1, dtype=np.int64)
    if len(by) == 0 or len(rows) == 0:
        return out
    columns = [np.ascontiguousarray(by[:, j]) for j in range(by.shape[1])]
    step = max(1, min(BLOCK, (1 << 21) // len(by)))
    for start in range(0, len(rows), step):
        block = rows[start : start + step]
        beaten = columns[0][None, :] >= block[:, 0, None]
        scratch = np.empty_like(beaten)
        for j in range(1, len(columns)):
            np.greater_equal(columns[j][None, :], block[:, j, None], out=scratch)
            beaten &= scratch
        first = beaten.argmax(axis=1)
        out[start : start + step] = np.where(beaten[np.arange(len(block)), first], first, -1)
    return out


def weakly_dominated(rows: NDArray[np.int64], by: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Which ``rows`` some row of ``by`` matches or beats for every party."""
    return dominators(rows, by) >= 0


def pareto_rows(
    rows: NDArray[np.int64], deals: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The rows no other row dominates, one per distinct score vector (with one of its
    deals). Rows go by falling sum: a row can only be dominated by a row with a larger sum,
    so each block is checked against the rows kept before it and against itself."""
    if len(rows) == 0:
        return rows, deals
    rows, first = np.unique(rows, axis=0, return_index=True)
    deals = deals[first]
    order = np.argsort(-rows.sum(axis=1), kind="stable")
    rows, deals = rows[order], deals[order]
    kept_rows: list[NDArray[np.int64]] = []
    kept_deals: list[NDArray[np.int64]] = []
    kept = rows[:0]
    for start in range(0, len(rows), BLOCK):
        block = rows[start : start + BLOCK]
        out = weakly_dominated(block, kept)
        # Distinct rows: weakly dominating another row of the block means dominating it.
        within = (block[None, :, :] >= block[:, None, :]).all(axis=2)
        np.fill_diagonal(within, False)
        out |= within.any(axis=1)
        kept_rows.append(block[~out])
        kept_deals.append(deals[start : start + BLOCK][~out])
        kept = np.concatenate([kept, block[~out]])
    return np.concatenate(kept_rows), np.concatenate(kept_deals)


@dataclass
class RunningFront:
    """The Pareto set (distinct score vectors) of the acceptable deals merged so far."""

    parties: int
    rows: NDArray[np.int64] = field(init=False)
    deals: NDArray[np.int64] = field(init=False)

    def __post_init__(self) -> None:
        self.rows = np.zeros((0, self.parties), dtype=np.int64)
        self.deals = np.zeros(0, dtype=np.int64)

    def merge(
        self, rows: NDArray[np.int64], deals: NDArray[np.int64]
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Add candidate rows; returns those that entered the front."""
        out = weakly_dominated(rows, self.rows)
        rows, deals = pareto_rows(rows[~out], deals[~out])
        if len(rows):
            # New rows equal no kept row, so a kept row they weakly dominate is dominated.
            stay = ~weakly_dominated(self.rows, rows)
            self.rows = np.concatenate([self.rows[stay], rows])
            self.deals = np.concatenate([self.deals[stay], deals])
        return rows, deals


# --------------------------------------------------------------------------------------
# The brute force
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tables:
    """What every chunk reads, built once before the workers are forked."""

    sizes: tuple[int, ...]
    head: int
    """The first ``head`` issues are fixed per chunk; the rest are the tail."""
    head_points: tuple[NDArray[np.int64], ...]
    tail_columns: tuple[NDArray[np.int32], ...]
    """Per party, the tail's points for every tail deal (C order: last issue fastest)."""
    reservation: NDArray[np.int64]
    clauses: tuple[tuple[tuple[tuple[int, frozenset[int]], ...], NDArray[np.bool_] | None], ...]
    """Per red line: its head terms, and the tail deals meeting its tail terms (None: it
    has no tail term)."""
    directions: NDArray[np.float64]

    @property
    def chunks(self) -> int:
        return math.prod(self.sizes[: self.head])

    @property
    def tail(self) -> int:
        return math.prod(self.sizes[self.head :])


def build_tables(problem: Problem) -> Tables:
    sizes = tuple(len(o) for o in problem.options)
    head = len(sizes)
    while head > 0 and math.prod(sizes[head - 1 :]) <= TAIL_DEALS:
        head -= 1
    tail_shape = sizes[head:]
    tail = math.prod(tail_shape)
    options = np.unravel_index(np.arange(tail), tail_shape) if tail_shape else ()
    parties = len(problem.parties)
    columns = []
    for j in range(parties):
        column = np.zeros(tail, dtype=np.int64)
        for k, issue in enumerate(range(head, len(sizes))):
            column += problem.points[issue][options[k], j]
        columns.append(column)
    best = sum(table.max(axis=0) for table in problem.points)
    lowest = sum(table.min(axis=0) for table in problem.points)
    if int(np.max(best)) >= 2**31 or int(np.min(lowest)) < -(2**31):
        raise SystemExit("scores out of the int32 range of the tail columns")
    clauses = []
    for clause in problem.clauses:
        head_terms = tuple((i, opts) for i, opts in clause.terms if i < head)
        tail_terms = [(i, opts) for i, opts in clause.terms if i >= head]
        mask = None
        if tail_terms:
            mask = np.ones(tail, dtype=bool)
            for i, opts in tail_terms:
                mask &= np.isin(options[i - head], sorted(opts))
        clauses.append((head_terms, mask))
    # Killer directions: around the diagonal of the gains, each party's gain scaled by its
    # largest possible gain (fixed seed: the choice only affects speed).
    room = np.maximum(best - problem.reservation, 1).astype(np.float64)
    wobble = np.exp(np.random.default_rng(0).normal(0.0, 0.4, size=(DIRECTIONS, parties)))
    wobble[0] = 1.0
    return Tables(
        sizes=sizes,
        head=head,
        head_points=tuple(problem.points[:head]),
        tail_columns=tuple(c.astype(np.int32) for c in columns),
        reservation=problem.reservation.astype(np.int64),
        clauses=tuple(clauses),
        directions=wobble / room[None, :],
    )


@dataclass
class ChunkResult:
    deals: int
    acceptable: int
    rows: NDArray[np.int64]
    """New Pareto candidates (not weakly dominated by the worker's running front)."""
    row_deals: NDArray[np.int64]
    nash: int
    """The chunk's largest product of gains (exact), 0 if none."""
    nash_rows: NDArray[np.int64]
    """The distinct score vectors reaching it."""
    nash_deal: int


_TABLES: Tables | None = None
_WORKER: Worker | None = None


class Worker:
    """One process's scan: its running front and its killer rows."""

    def __init__(self, tables: Tables) -> None:
        self.t = tables
        self.front = RunningFront(len(tables.reservation))
        self.learned = np.zeros((0, len(tables.reservation)), dtype=np.int64)
        self.extreme = self.learned
        self.killers = self.learned

    def _learn(self, found: NDArray[np.int64]) -> None:
        """Keep as killers the front rows that dominated most of this chunk's survivors
        (``found``: indices into the front before the merge)."""
        hits = found[found >= 0]
        if len(hits):
            counts = np.bincount(hits)
            top = np.argsort(-counts, kind="stable")[:LEARNED]
            self.learned = self.front.rows[top[counts[top] > 0]]

    def _extremes(self) -> None:
        """The front's best rows in each of the fixed directions."""
        gains = (self.front.rows - self.t.reservation).astype(np.float64)
        # Broadcast, not a matrix product: no BLAS threads in forked workers.
        value = (gains[:, None, :] * self.t.directions[None, :, :]).sum(axis=2)
        self.extreme = self.front.rows[np.unique(np.argmax(value, axis=0))]

    def scan(self, chunk: int) -> ChunkResult:
        t = self.t
        tail = t.tail
        parties = len(t.reservation)
        empty = np.zeros((0, parties), dtype=np.int64)
        head = [int(o) for o in np.unravel_index(chunk, t.sizes[: t.head])] if t.head else []
        head_score = np.zeros(parties, dtype=np.int64)
        for k, option in enumerate(head):
            head_score += t.head_points[k][option]
        ok = np.ones(tail, dtype=bool)
        for head_terms, mask in t.clauses:
            if all(head[i] in opts for i, opts in head_terms):
                if mask is None:
                    return ChunkResult(tail, 0, empty, np.zeros(0, np.int64), 0, empty, -1)
                ok &= ~mask
        for j in range(parties):
            ok &= t.tail_columns[j] >= int(t.reservation[j] - head_score[j])
        index = np.flatnonzero(ok)
        acceptable = len(index)
        columns = [t.tail_columns[j][index] + int(head_score[j]) for j in range(parties)]
        if acceptable == 0:
            return ChunkResult(tail, 0, empty, np.zeros(0, np.int64), 0, empty, -1)
        # Nash: float products of the gains (all >= 0 here), confirmed in integers.
        gains = [(c - t.reservation[j]).astype(np.float64) for j, c in enumerate(columns)]
        product = gains[0].copy()
        for g in gains[1:]:
            product *= g
        top = float(product.max())
        nash, nash_rows, nash_deal = 0, empty, -1
        if top > 0:
            near = np.flatnonzero(product >= top * (1 - FLOAT_MARGIN))
            rows = np.stack([c[near] for c in columns], axis=1).astype(np.int64)
            exact = [math.prod(int(g) for g in row - t.reservation) for row in rows]
            nash = max(exact)
            hit = [k for k, e in enumerate(exact) if e == nash]
            nash_rows = np.unique(rows[hit], axis=0)
            nash_deal = chunk * tail + int(index[near[hit[0]]])
            own = int(near[hit[0]])
        else:
            own = int(np.argmax(sum(c.astype(np.int64) for c in columns)))
        # Killers: the chunk's own best row first (it removes most rows), then the
        # running front's; each pass drops the rows it weakly dominates.
        own_row = np.array([int(c[own]) for c in columns], dtype=np.int64)
        own_deal = int(index[own])
        for killer in [own_row, *self.killers]:
            beaten = columns[0] <= killer[0]
            for j in range(1, parties):
                beaten &= columns[j] <= killer[j]
            keep = ~beaten
            columns = [c[keep] for c in columns]
            index = index[keep]
            if len(index) == 0:
                break
        rows = np.concatenate(
            [np.stack(columns, axis=1).astype(np.int64), own_row[None, :]], axis=0
        )
        deals = np.concatenate([index, [own_deal]]).astype(np.int64) + chunk * tail
        found = dominators(rows, self.front.rows)
        self._learn(found)
        new_rows, new_deals = self.front.merge(rows[found < 0], deals[found < 0])
        if len(new_rows):
            self._extremes()
        self.killers = np.concatenate([self.learned, self.extreme])
        return ChunkResult(tail, acceptable, new_rows, new_deals, nash, nash_rows, nash_deal)


def _scan_batch(chunks: list[int]) -> list[ChunkResult]:
    global _WORKER  # noqa: PLW0603 - one scanner per worker process
    if _WORKER is None:
        assert _TABLES is not None
        _WORKER = Worker(_TABLES)
    return [_WORKER.scan(c) for c in chunks]


@dataclass
class BruteResult:
    seconds: float
    deals: int
    acceptable: int
    front: RunningFront
    nash: int
    nash_rows: set[tuple[int, ...]]
    nash_deal: int
    complete: bool


def brute_force(problem: Problem, workers: int, max_seconds: float) -> BruteResult:
    # The tables are read by the forked workers; the in-process scanner starts afresh.
    global _TABLES, _WORKER
    start = time.perf_counter()
    tables = build_tables(problem)
    _TABLES, _WORKER = tables, None
    chunks = tables.chunks
    batch = max(1, chunks // (workers * 60))
    batches = [list(range(s, min(s + batch, chunks))) for s in range(0, chunks, batch)]
    fixed = f"issues i0-i{tables.head - 1}" if tables.head > 1 else "issue i0"
    print(
        f"  {chunks:,} chunk{'s' if chunks > 1 else ''} of {tables.tail:,} deals "
        f"({fixed if tables.head else 'no issue'} fixed per chunk), {workers} worker "
        f"process{'es' if workers > 1 else ''}, "
        f"tables built in {time.perf_counter() - start:.2f} s",
        flush=True,
    )
    front = RunningFront(len(problem.parties))
    done = deals = acceptable = nash = 0
    nash_rows: set[tuple[int, ...]] = set()
    nash_deal = -1
    last = time.perf_counter()
    complete = True

    def take(result: ChunkResult) -> None:
        nonlocal deals, acceptable, nash, nash_deal
        deals += result.deals
        acceptable += result.acceptable
        front.merge(result.rows, result.row_deals)
        if result.nash > nash:
            nash, nash_deal = result.nash, result.nash_deal
            nash_rows.clear()
        if result.nash == nash and nash > 0:
            nash_rows.update(tuple(int(v) for v in row) for row in result.nash_rows)

    if workers > 1:
        pool = multiprocessing.get_context("fork").Pool(workers)
        results = pool.imap_unordered(_scan_batch, batches)
    else:
        pool = None
        results = map(_scan_batch, batches)
    try:
        for batch_results in results:
            for result in batch_results:
                take(result)
                done += 1
            now = time.perf_counter()
            if now - last >= PROGRESS_SECONDS or done == chunks:
                last = now
                elapsed = now - start
                rate = deals / elapsed
                eta = (tables.tail * chunks - deals) / rate if rate else math.inf
                print(
                    f"  progress: {done:,}/{chunks:,} chunks ({100 * done / chunks:.0f} %), "
                    f"{deals:,} deals, {rate:,.0f} deals/s, {elapsed:.0f} s elapsed, "
                    f"ETA {eta:.0f} s, front so far {len(front.rows):,}",
                    flush=True,
                )
                if elapsed > 10 and elapsed + eta > max_seconds and done < chunks:
                    print(
                        f"  stopped: projected {elapsed + eta:.0f} s > --max-brute-seconds "
                        f"{max_seconds:.0f}",
                        flush=True,
                    )
                    complete = False
                    break
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    return BruteResult(
        time.perf_counter() - start,
        deals,
        acceptable,
        front,
        nash,
        nash_rows,
        nash_deal,
        complete,
    )


# --------------------------------------------------------------------------------------
# The library, and the comparison
# --------------------------------------------------------------------------------------


def library(problem: Problem, repeats: int) -> tuple[Front, int | None, float, list[float]]:
    """``pareto_front`` + ``nash_index``: one untimed warm-up, then the best of ``repeats``."""
    start = time.perf_counter()
    pareto_front(problem)
    warm = time.perf_counter() - start
    times = []
    front: Front | None = None
    index: int | None = None
    for _ in range(repeats):
        start = time.perf_counter()
        front = pareto_front(problem)
        index = nash_index(front, problem.reservation)
        times.append(time.perf_counter() - start)
    assert front is not None
    return front, index, warm, times


def acceptable_deals(problem: Problem, deals: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Written out here rather than ``Problem.acceptable``, to check the library's deals."""
    scores = np.zeros((len(deals), len(problem.parties)), dtype=np.int64)
    for i, table in enumerate(problem.points):
        scores += table[deals[:, i]]
    ok = (scores >= problem.reservation).all(axis=1)
    for clause in problem.clauses:
        crossed = np.ones(len(deals), dtype=bool)
        for issue, options in clause.terms:
            crossed &= np.array([int(o) in options for o in deals[:, issue]], dtype=bool)
        ok &= ~crossed
    return ok


def show_deal(problem: Problem, deal: NDArray[np.int64]) -> str:
    return " ".join(f"{problem.options[i][int(o)]}" for i, o in enumerate(deal))


def show_vector(row: Any) -> str:
    return "(" + ", ".join(f"{int(v) / SCALE:.4f}" for v in row) + ")"


def main() -> int:  # noqa: PLR0915 - one linear report
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--issues", type=int, default=12)
    parser.add_argument("--options", type=int, default=5)
    parser.add_argument("--parties", type=int, default=4)
    parser.add_argument("--red-lines", type=int, default=2, help="per party")
    parser.add_argument(
        "--reservation", type=float, default=0.5, help="fraction of each party's best utility"
    )
    parser.add_argument("--seed", type=int, default=20250818)
    parser.add_argument("--repeats", type=int, default=3, help="timed library runs (best kept)")
    parser.add_argument("--workers", type=int, default=2, help="brute-force processes")
    parser.add_argument("--max-brute-seconds", type=float, default=900.0)
    args = parser.parse_args()

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"negotiation_bruteforce: {cores} CPU cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, numpy {np.__version__}; "
        f"--issues {args.issues} --options {args.options} --parties {args.parties} "
        f"--red-lines {args.red_lines} --reservation {args.reservation} --seed {args.seed} "
        f"--repeats {args.repeats} --workers {args.workers}",
        flush=True,
    )
    negotiation = random_negotiation(
        args.seed, args.issues, args.options, args.parties, args.red_lines, args.reservation
    )
    problem = compile_problem(negotiation)
    size = problem.size
    print(
        f"instance: {size:,} deals ({args.options}^{args.issues}), {args.parties} parties, "
        f"{len(problem.clauses)} red lines; reservation values "
        f"{show_vector(problem.reservation)}"
    )
    for clause in problem.clauses:
        terms = " & ".join(
            f"{problem.issues[i]}={'|'.join(problem.options[i][o] for o in sorted(opts))}"
            for i, opts in clause.terms
        )
        print(f"  red line {problem.parties[clause.party]} {clause.red_line.id}: {terms}")

    print("\n== library: pareto_front + nash_index ==", flush=True)
    front, index, warm, times = library(problem, args.repeats)
    best = min(times)
    products = nash_products(front, problem.reservation)
    lib_nash = products[index] if index is not None else 0
    print(
        f"  warm-up (compiles Numba) {warm:.3f} s; runs {', '.join(f'{s:.3f}' for s in times)} s;"
        f" best {best:.3f} s ({size / best:,.0f} deals covered per second)"
    )
    print(f"  front: {len(front.scores):,} points")
    if index is not None:
        print(
            f"  Nash: product {lib_nash:,} at {show_vector(front.scores[index])}, deal "
            f"{show_deal(problem, front.deals[index])}"
        )
    else:
        print("  Nash: none (no acceptable deal gives every party more than no deal)")

    print("\n== brute force: every deal ==", flush=True)
    brute = brute_force(problem, max(1, args.workers), args.max_brute_seconds)
    if not brute.complete:
        print(
            f"brute force stopped after {brute.deals:,} of {size:,} deals: nothing compared "
            "(use --issues 10 for a quick run, or raise --max-brute-seconds)"
        )
        return 2
    print(
        f"  {brute.deals:,} deals in {brute.seconds:.1f} s ({brute.deals / brute.seconds:,.0f} "
        f"deals/s); {brute.acceptable:,} acceptable; front {len(brute.front.rows):,} points"
    )
    if brute.nash > 0:
        deal = np.array(np.unravel_index(brute.nash_deal, [len(o) for o in problem.options]))
        print(
            f"  Nash: product {brute.nash:,} at "
            f"{', '.join(show_vector(r) for r in sorted(brute.nash_rows))}, deal "
            f"{show_deal(problem, deal)}"
        )
    else:
        print("  Nash: none")

    print("\n== comparison ==")
    failures = []
    lib_set = {tuple(int(v) for v in row) for row in front.scores}
    brute_set = {tuple(int(v) for v in row) for row in brute.front.rows}
    same = lib_set == brute_set and len(lib_set) == len(front.scores)
    print(
        f"{'PASS' if same else 'FAIL'} same Pareto set: library {len(front.scores):,} points "
        f"({len(lib_set):,} distinct), brute force {len(brute_set):,}"
    )
    if not same:
        failures.append("Pareto set")
        for name, only in (
            ("only in library", sorted(lib_set - brute_set)),
            ("only in brute force", sorted(brute_set - lib_set)),
        ):
            print(f"  {name}: {len(only)}; first {min(len(only), 10)}: {only[:10]}")
    checked = acceptable_deals(problem, front.deals)
    scores = sum(table[front.deals[:, i]] for i, table in enumerate(problem.points))
    sound = bool(checked.all()) and bool((scores == front.scores).all())
    print(
        f"{'PASS' if sound else 'FAIL'} library front deals acceptable and scored as stated: "
        f"{int(checked.sum()):,} of {len(front.deals):,} acceptable"
    )
    failures += [] if sound else ["front deals"]
    lib_vector = tuple(int(v) for v in front.scores[index]) if index is not None else None
    nash_ok = lib_nash == brute.nash and (
        lib_vector in brute.nash_rows if brute.nash > 0 else index is None
    )
    print(
        f"{'PASS' if nash_ok else 'FAIL'} same Nash product: library {lib_nash:,}, "
        f"brute force {brute.nash:,} (largest over all {brute.acceptable:,} acceptable deals)"
    )
    failures += [] if nash_ok else ["Nash"]
    ratio = brute.seconds / best
    print(
        f"ratio brute force/library: {ratio:,.0f}x ({brute.seconds:.1f} s on {args.workers} "
        f"worker{'s' if args.workers > 1 else ''} vs {best:.3f} s, best of {args.repeats})"
    )
    print(
        f"{'PASS' if best < TARGET_SECONDS else 'FAIL'} full Pareto set and Nash in under "
        f"{TARGET_SECONDS:.0f} s: {best:.3f} s ({args.issues} issues x {args.options} options "
        f"x {args.parties} parties, {cores} CPU cores; target set for 12 x 5 x 4 on 2 cores)"
    )
    if failures:
        print(
            f"correctness failures: {', '.join(failures)} (seed {args.seed}, {args.issues} "
            f"issues x {args.options} options x {args.parties} parties, {args.red_lines} red "
            f"lines per party, reservation {args.reservation})"
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
