"""The complete set of Pareto-optimal acceptable deals, without visiting every deal.

Scores add up over issues, so the front is built issue by issue (multi-objective dynamic
programming): the front of the first ``k`` issues, combined with every option of the next
issue, filtered to its own front, and so on. Red lines that span several issues are
tracked exactly: each partial deal carries which of the red lines it has fully met so far
on the issues already settled ("live" red lines); one whose last issue is settled while it
is still live is dropped, and partial deals with different live red lines are never
compared (a deal that is better now might be forbidden later). Issues tied by red lines are
settled next to each other, so few red lines are live at once. Reservation values prune
partial deals that cannot reach them even with every later issue at its best.

Why not CP-SAT for this: finding the front one point at a time (maximise, then forbid
everything the point dominates) took 73 s for the first 600 of about 4,000 points of a
12 issues x 5 options x 4 parties instance; this takes a fraction of a second. CP-SAT
answers the questions it is good at (feasibility, the red lines that block every deal,
max-min): see :mod:`guarantor.negotiate.solver`.

Deals with the same score for every party are one point of the front: the first found
stands for all of them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.negotiate.problem import Problem

MAX_LIVE = 62
"""Red lines that may be live at once (they are packed into one 64-bit key)."""

_FILTER: Any = None


def _kernel() -> Any:
    global _FILTER  # noqa: PLW0603 - compiled once per process, on first use
    if _FILTER is None:
        import numba

        @numba.njit(cache=True, nogil=True)
        def keep(keys, scores):  # type: ignore[no-untyped-def]
            """Indices of the rows no other row of the same key dominates (maximising).
            Rows come sorted by key, then by falling sum: a row can then only be dominated
            (or equalled) by a row of its key kept before it."""
            n, m = scores.shape
            kept = np.empty(n, dtype=np.int64)
            count = 0
            start = 0
            for r in range(n):
                if r > 0 and keys[r] != keys[r - 1]:
                    start = count
                dominated = False
                for q in range(start, count):
                    k = kept[q]
                    covers = True
                    for j in range(m):
                        if scores[k, j] < scores[r, j]:
                            covers = False
                            break
                    if covers:
                        dominated = True
                        break
                if not dominated:
                    kept[count] = r
                    count += 1
            return kept[:count]

        _FILTER = keep
    return _FILTER


def pareto_indices(
    scores: NDArray[np.int64], keys: NDArray[np.int64] | None = None
) -> NDArray[np.int64]:
    """Indices of the rows that no other row with the same key dominates, one per distinct
    (key, score vector), maximising every column; by key, then by falling sum."""
    if len(scores) == 0:
        return np.zeros(0, dtype=np.int64)
    keys = np.zeros(len(scores), dtype=np.int64) if keys is None else keys
    order = np.lexsort((*scores.T[::-1], -scores.sum(axis=1), keys))
    kept = _kernel()(np.ascontiguousarray(keys[order]), np.ascontiguousarray(scores[order]))
    return np.asarray(order[kept], dtype=np.int64)


def issue_order(problem: Problem) -> list[int]:
    """Issues in an order that settles the issues of each red line next to each other:
    connected groups of the red-line graph, each walked breadth first."""
    neighbours: dict[int, set[int]] = {i: set() for i in range(len(problem.issues))}
    for clause in problem.clauses:
        issues = [issue for issue, _ in clause.terms]
        for a in issues:
            neighbours[a].update(b for b in issues if b != a)
    order: list[int] = []
    for first in range(len(problem.issues)):
        if first in order:
            continue
        queue = [first]
        while queue:
            issue = queue.pop(0)
            if issue in order:
                continue
            order.append(issue)
            queue.extend(sorted(neighbours[issue] - set(order)))
    return order


@dataclass(frozen=True)
class Front:
    """The Pareto-optimal acceptable deals."""

    deals: NDArray[np.int64]
    """(points, issues) option indices, ordered by falling total score (with ``groups``:
    group by group)."""
    scores: NDArray[np.int64]
    """(points, parties) points."""


def pareto_front(problem: Problem, groups: Sequence[int] = ()) -> Front:  # noqa: PLR0915
    """Every Pareto-optimal deal that crosses no red line and reaches every reservation
    value (one per distinct score vector).

    With ``groups`` (issue indices), deals that settle those issues differently are never
    compared: the result is the front of every combination of their options, taken apart
    (what a search needs when another objective depends on those issues only)."""
    order = issue_order(problem)
    grouped = set(groups)
    if math.prod(len(problem.options[i]) for i in grouped) >= 2**62:
        raise InvalidInput(
            [
                Diagnostic(
                    code="negotiation.too_complex",
                    path=("issues",),
                    params={"value": len(grouped), "limit": 62},
                )
            ]
        )
    step = {issue: k for k, issue in enumerate(order)}
    parties = len(problem.parties)
    # Each red line is live from its first settled issue to its last.
    span = [
        (min(step[i] for i, _ in c.terms), max(step[i] for i, _ in c.terms))
        for c in problem.clauses
    ]
    best_rest = np.zeros((len(order) + 1, parties), dtype=np.int64)
    for k in range(len(order) - 1, -1, -1):
        best_rest[k] = best_rest[k + 1] + problem.points[order[k]].max(axis=0)
    scores = np.zeros((1, parties), dtype=np.int64)
    code = np.zeros(1, dtype=np.int64)
    live = np.zeros((1, len(problem.clauses)), dtype=bool)
    parents: list[NDArray[np.int64]] = []
    choices: list[NDArray[np.int64]] = []
    for k, issue in enumerate(order):
        table = problem.points[issue]
        options = len(table)
        candidates = (scores[:, None, :] + table[None, :, :]).reshape(-1, parties)
        parent = np.repeat(np.arange(len(scores)), options)
        option = np.tile(np.arange(options), len(scores))
        state = np.repeat(live, options, axis=0)
        codes = np.repeat(code, options)
        if issue in grouped:
            codes = codes * options + option
        ok = np.all(candidates + best_rest[k + 1] >= problem.reservation, axis=1)
        for c, clause in enumerate(problem.clauses):
            first, last = span[c]
            if not first <= k <= last:
                continue
            met = np.ones(len(candidates), dtype=bool)
            for term_issue, allowed in clause.terms:
                if term_issue == issue:
                    met &= np.isin(option, list(allowed))
            state[:, c] = met if k == first else state[:, c] & met
            if k == last:
                ok &= ~state[:, c]
                state[:, c] = False
        candidates, parent, option, state = candidates[ok], parent[ok], option[ok], state[ok]
        codes = codes[ok]
        active = [c for c, (first, last) in enumerate(span) if first <= k < last]
        if len(active) > MAX_LIVE:
            raise InvalidInput(
                [
                    Diagnostic(
                        code="negotiation.too_complex",
                        path=("red_lines",),
                        params={"value": len(active), "limit": MAX_LIVE},
                    )
                ]
            )
        keys = np.zeros(len(candidates), dtype=np.int64)
        for bit, c in enumerate(active):
            keys |= state[:, c].astype(np.int64) << bit
        if grouped:
            # Live red lines and group codes together: one compact id per distinct pair.
            keys = np.unique(np.stack([keys, codes], axis=1), axis=0, return_inverse=True)[1]
            keys = np.asarray(keys, dtype=np.int64).reshape(-1)
        kept = pareto_indices(candidates, keys)
        scores, live, code = candidates[kept], state[kept], codes[kept]
        parents.append(parent[kept])
        choices.append(option[kept])
    # A point's scores may now tie with or be dominated by a point of another key: filter
    # once more across keys (every red line is settled, so keys no longer matter).
    final = pareto_indices(scores, code if grouped else None)
    scores = scores[final]
    deals = np.zeros((len(final), len(problem.issues)), dtype=np.int64)
    index = final
    for k in range(len(order) - 1, -1, -1):
        deals[:, order[k]] = choices[k][index]
        index = parents[k][index]
    ok = np.all(scores >= problem.reservation, axis=1)
    return Front(deals[ok], scores[ok])
