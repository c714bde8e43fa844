"""The enforceable deals: acceptable to every party, and held with P(holds) at or above a
threshold by the forces the deal's terms let count.

P(holds) depends on a deal only through its enforcement issues (territory, the guarantee's
form and guarantors, and the issues the posture and term rules read). So the search takes
the Pareto front of acceptable deals for every combination of those issues apart
(:func:`guarantor.negotiate.frontier.pareto_front` with ``groups``), looks up P(holds) once
per combination, and keeps:

- the enforceable deals that are Pareto-optimal over the parties' utilities and P(holds);
- the Nash bargaining solution among enforceable deals.

This is exact: a deal outside its group's front is beaten by one with the same P(holds)
and utilities at least as high, so it is on neither front.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.negotiate.bargaining import nash_index, ranking
from guarantor.negotiate.frontier import Front, pareto_front, pareto_indices
from guarantor.negotiate.problem import SCALE, Problem
from guarantor.simulate.stress import Interval

Key = tuple[int, ...]
"""Option indices of a deal on the enforcement issues, in the order given."""


def check_threshold(threshold: float) -> None:
    """A threshold is a probability: refuse anything outside [0, 1]."""
    if not (isinstance(threshold, int | float) and math.isfinite(threshold)) or not (
        0.0 <= threshold <= 1.0
    ):
        raise InvalidInput(
            [
                Diagnostic(
                    code="value.out_of_range",
                    path=("min_hold",),
                    params={"value": threshold, "low": 0, "high": 1},
                )
            ]
        )


@dataclass(frozen=True)
class Candidates:
    """Acceptable deals, the front of each combination of enforcement issues."""

    problem: Problem
    issues: tuple[int, ...]
    deals: NDArray[np.int64]
    scores: NDArray[np.int64]

    @cached_property
    def keys(self) -> list[Key]:
        """Each deal's key (computed once: the search and the sweep both read them)."""
        return [tuple(int(v) for v in d[list(self.issues)]) for d in self.deals]

    def distinct(self) -> list[Key]:
        """The distinct keys, in order of first appearance."""
        return list(dict.fromkeys(self.keys))

    def options(self, key: Key) -> dict[str, str]:
        """``{issue: option}`` of a key."""
        return {
            self.problem.issues[i]: self.problem.options[i][k]
            for i, k in zip(self.issues, key, strict=True)
        }


def candidates(problem: Problem, issues: tuple[str, ...]) -> Candidates:
    """The acceptable deals worth evaluating."""
    index = tuple(problem.issues.index(i) for i in issues)
    front = pareto_front(problem, index)
    return Candidates(problem, index, front.deals, front.scores)


@dataclass(frozen=True)
class Search:
    """The outcome of a search."""

    candidates: Candidates
    threshold: float
    hold: NDArray[np.float64]
    """(deals,) P(holds) of every candidate."""
    enforceable: NDArray[np.int64]
    """Indices (into the candidates) of the enforceable deals that are Pareto-optimal over
    utilities and P(holds), by falling Nash product."""
    nash: int | None
    """Index of the Nash solution among enforceable deals."""
    egalitarian: int | None
    """Index of the egalitarian (max-min gain over the reservation values) deal among
    enforceable deals: exact, because a max-min deal can be taken Pareto-optimal within its
    combination of enforcement issues, so it is among the candidates."""
    best_acceptable: NDArray[np.int64]
    """Indices of the Pareto-optimal acceptable deals by falling Nash product, whatever
    their P(holds): the deals an explanation starts from."""

    @property
    def acceptable(self) -> bool:
        """Whether any deal is acceptable to every party."""
        return len(self.candidates.deals) > 0


def search(candidates: Candidates, hold: Mapping[Key, Interval], threshold: float) -> Search:
    """Keep the enforceable deals. ``hold`` gives P(holds) for every distinct key."""
    check_threshold(threshold)
    problem = candidates.problem
    keys = candidates.keys
    missing = sorted({k for k in keys if k not in hold})
    if missing:
        raise KeyError(f"no P(holds) for {len(missing)} keys, first {missing[0]}")
    p = np.array([hold[k].value for k in keys], dtype=np.float64)
    scores = candidates.scores
    ok = np.flatnonzero(p >= threshold)
    joint = np.column_stack([scores[ok], np.rint(p[ok] * SCALE).astype(np.int64)])
    enforceable = ok[pareto_indices(joint)] if len(ok) else ok
    utility = ok[pareto_indices(scores[ok])] if len(ok) else ok
    nash = None
    if len(utility):
        sub = Front(candidates.deals[utility], scores[utility])
        at = nash_index(sub, problem.reservation)
        nash = int(utility[at]) if at is not None else None
        order = ranking(
            Front(candidates.deals[enforceable], scores[enforceable]), problem.reservation
        )
        enforceable = enforceable[order]
    best = pareto_indices(scores) if len(scores) else np.zeros(0, dtype=np.int64)
    if len(best):
        best = best[ranking(Front(candidates.deals[best], scores[best]), problem.reservation)]
    egalitarian = None
    if len(utility):
        # Among the Pareto-optimal enforceable deals, so the choice is never dominated.
        gains = (scores[utility] - problem.reservation).min(axis=1)
        egalitarian = int(utility[int(np.argmax(gains))])
    return Search(candidates, threshold, p, enforceable, nash, egalitarian, best)
