"""Shapley values of a cooperative game, exactly (every coalition) or by sampling orders.

The game is a function that values many coalitions at once: it takes a boolean array shaped
(coalitions, players) and returns one value per coalition, so a Monte Carlo game can
evaluate all coalitions on the same draws (common random numbers) in one vectorised call.
Checked against the published games of ``shared/reference/validation-cases.md`` §4.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Game = Callable[[NDArray[np.bool_]], NDArray[np.float64]]
CELLS = 4_000_000
"""Coalition-matrix cells valued per call when sampling (bounds memory)."""
MAX_EXACT = 16
"""Above this many players exact enumeration (2^n coalitions) is refused: sample instead."""


@dataclass(frozen=True)
class ShapleyEstimate:
    """Shapley values with their standard errors (zero when computed exactly)."""

    values: NDArray[np.float64]
    standard_errors: NDArray[np.float64]
    exact: bool
    samples: int

    def interval(self, z: float = 1.96) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Normal-approximation confidence bounds (95 % by default)."""
        half = z * self.standard_errors
        return self.values - half, self.values + half


def all_coalitions(n: int) -> NDArray[np.bool_]:
    """Every coalition of ``n`` players as rows of a boolean matrix; row ``m`` is the
    coalition whose members are the set bits of ``m``."""
    masks = np.arange(2**n, dtype=np.int64)
    return ((masks[:, None] >> np.arange(n)) & 1).astype(bool)


def shapley_exact(game: Game, n: int) -> ShapleyEstimate:
    """φ_i = Σ_S |S|!(n−|S|−1)!/n! · (v(S∪{i}) − v(S)), over every coalition S without i."""
    if n < 1:
        raise ValueError("a game needs at least one player")
    if n > MAX_EXACT:
        raise ValueError(f"{n} players: exact Shapley values stop at {MAX_EXACT}; sample them")
    coalitions = all_coalitions(n)
    values = np.asarray(game(coalitions), dtype=float)
    return ShapleyEstimate(shapley_from_values(values, n), np.zeros(n), exact=True, samples=2**n)


def shapley_from_values(values: NDArray[np.float64], n: int) -> NDArray[np.float64]:
    """Exact Shapley values from the values of all coalitions (rows ordered as
    :func:`all_coalitions`); extra axes (one game per draw, say) are carried through, so the
    result is shaped (n, ...)."""
    sizes = all_coalitions(n).sum(axis=1)
    weights = np.array(
        [
            math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) if s < n else 0.0
            for s in range(n + 1)
        ]
    )
    masks = np.arange(2**n)
    phi = np.empty((n, *values.shape[1:]))
    for i in range(n):
        without = masks[(masks >> i) & 1 == 0]
        weight = weights[sizes[without]].reshape(-1, *([1] * (values.ndim - 1)))
        phi[i] = np.sum(weight * (values[without | (1 << i)] - values[without]), axis=0)
    return phi


def shapley_sampled(
    game: Game, n: int, rng: np.random.Generator, permutations: int = 2000
) -> ShapleyEstimate:
    """Average marginal contributions over random player orders, with standard errors.

    Every prefix of every sampled order is valued in one call (permutations × (n+1)
    coalitions)."""
    if n < 1 or permutations < 2:
        raise ValueError("need at least one player and two permutations")
    orders = np.argsort(rng.random((permutations, n)), axis=1)
    position = np.argsort(orders, axis=1)  # position[p, i]: where player i comes in order p
    steps = np.arange(n + 1)
    values = np.empty((permutations, n + 1))
    # Value the prefixes in batches of orders, so that memory stays bounded for large games.
    batch = max(1, CELLS // ((n + 1) * n))
    for start in range(0, permutations, batch):
        part = position[start : start + batch]
        # prefix[p, k, i]: is player i among the first k of order p?
        prefixes = part[:, None, :] < steps[None, :, None]
        values[start : start + batch] = np.asarray(
            game(prefixes.reshape(-1, n)), dtype=float
        ).reshape(len(part), n + 1)
    marginal = np.diff(values, axis=1)  # marginal[p, k]: what the (k+1)-th player adds
    contributions = np.take_along_axis(marginal, position, axis=1)  # per player
    mean = contributions.mean(axis=0)
    error = contributions.std(axis=0, ddof=1) / math.sqrt(permutations)
    return ShapleyEstimate(mean, error, exact=False, samples=permutations)
