"""How often a deal stays acceptable to every party when the utilities, weights and
reservation values that are given as ranges are drawn from them (uniformly)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from guarantor.model.negotiation import Negotiation
from guarantor.model.provenance import Figure
from guarantor.negotiate.problem import Problem


def _draw(figure: Figure | None, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
    if figure is None:
        return np.zeros(n)
    if figure.range is None:
        return np.full(n, float(figure.value or 0.0))
    low, high = figure.range
    return rng.uniform(low, high, n)


def acceptable_share(
    problem: Problem, deals: NDArray[np.int64], rng: np.random.Generator, samples: int = 1000
) -> NDArray[np.float64]:
    """For each deal (rows of option indices), the share of ``samples`` draws in which it
    reaches every party's reservation value; red lines are not drawn (they hold or not)."""
    n: Negotiation = problem.negotiation
    positions = {p.party: p for p in n.positions}
    allowed = problem.allowed(deals)
    ok = np.ones((samples, len(deals)), dtype=bool)
    for party in problem.parties:
        position = positions[party]
        weights = np.stack(
            [_draw(position.weights.get(i.id), rng, samples) for i in n.issues], axis=1
        )
        weights = np.maximum(weights, 0.0)
        total = weights.sum(axis=1, keepdims=True)
        weights = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
        score = np.zeros((samples, len(deals)))
        for k, issue in enumerate(n.issues):
            table = position.utilities.get(issue.id, {})
            draws = np.stack([_draw(table.get(o.id), rng, samples) for o in issue.options], axis=1)
            score += weights[:, k : k + 1] * np.clip(draws, 0, 100)[:, deals[:, k]]
        reservation = _draw(position.reservation, rng, samples)
        ok &= score >= reservation[:, None] - 1e-9
    return np.asarray(ok.mean(axis=0) * allowed, dtype=np.float64)
