"""Lanchester attrition, day by day, for many battles at once.

Square law (aimed fire): ``dx/dt = -a*y + P(t)``, ``dy/dt = -b*x + Q(t)``; linear law
(area fire): ``dx/dt = -a*x*y + P(t)``, ``dy/dt = -b*x*y + Q(t)``. ``a`` is the per-capita
kill rate of side y against side x, ``b`` that of x against y (the sign convention of
``shared/reference/validation-cases.md``). Integration is forward Euler with ``steps``
sub-steps per day; with one step a day it is the day-by-day difference scheme that
reproduces Engel's 1954 fit of Iwo Jima (``tests/simulate/test_attrition.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Law = Literal["square", "linear"]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Battle:
    """Strengths day by day: ``x`` and ``y`` shaped (..., days + 1), day 0 first."""

    x: FloatArray
    y: FloatArray


def lanchester(
    x0: ArrayLike,
    y0: ArrayLike,
    a: ArrayLike,
    b: ArrayLike,
    days: int,
    *,
    law: Law = "square",
    x_reinforcements: ArrayLike | None = None,
    y_reinforcements: ArrayLike | None = None,
    steps: int = 1,
) -> Battle:
    """Integrate a battle (or a batch of them: every argument broadcasts).

    ``x_reinforcements``/``y_reinforcements`` are troops arriving per day, shaped
    (..., days): entry ``d`` arrives during day ``d + 1`` (between t = d and t = d + 1),
    spread evenly over its sub-steps. Strengths never go below zero.
    """
    if days < 0 or steps < 1:
        raise ValueError("days must be >= 0 and steps >= 1")
    x = np.asarray(x0, dtype=float)
    y = np.asarray(y0, dtype=float)
    a_ = np.asarray(a, dtype=float)
    b_ = np.asarray(b, dtype=float)
    shape = np.broadcast_shapes(x.shape, y.shape, a_.shape, b_.shape)
    x = np.broadcast_to(x, shape).astype(float, copy=True)
    y = np.broadcast_to(y, shape).astype(float, copy=True)
    p = _schedule(x_reinforcements, shape, days)
    q = _schedule(y_reinforcements, shape, days)
    xs = np.empty((*shape, days + 1))
    ys = np.empty((*shape, days + 1))
    xs[..., 0], ys[..., 0] = x, y
    dt = 1.0 / steps
    for day in range(days):
        for _ in range(steps):
            if law == "square":
                dx, dy = -a_ * y, -b_ * x
            else:
                dx, dy = -a_ * x * y, -b_ * x * y
            x = np.maximum(x + dt * (dx + p[..., day]), 0.0)
            y = np.maximum(y + dt * (dy + q[..., day]), 0.0)
        xs[..., day + 1], ys[..., day + 1] = x, y
    return Battle(xs, ys)


def _schedule(values: ArrayLike | None, shape: tuple[int, ...], days: int) -> FloatArray:
    if values is None:
        return np.zeros((*shape, max(days, 1)))
    schedule = np.asarray(values, dtype=float)
    if schedule.shape[-1] < days:
        pad = np.zeros((*schedule.shape[:-1], days - schedule.shape[-1]))
        schedule = np.concatenate([schedule, pad], axis=-1)
    return np.broadcast_to(schedule[..., : max(days, 1)], (*shape, max(days, 1)))


@dataclass(frozen=True)
class SquareOutcome:
    """The closed-form end of a square-law battle without reinforcements."""

    winner: Literal["x", "y", "draw"]
    survivors: float
    end_time: float


def square_law_outcome(x0: float, y0: float, a: float, b: float) -> SquareOutcome:
    """Winner, survivors and end time from the square-law invariant ``b(x0²-x²) = a(y0²-y²)``."""
    strength_x, strength_y = b * x0**2, a * y0**2
    if math.isclose(strength_x, strength_y):
        return SquareOutcome("draw", 0.0, math.inf)
    rate = math.sqrt(a * b)
    if strength_x > strength_y:
        return SquareOutcome(
            "x", math.sqrt(x0**2 - (a / b) * y0**2), math.atanh(math.sqrt(a / b) * y0 / x0) / rate
        )
    return SquareOutcome(
        "y", math.sqrt(y0**2 - (b / a) * x0**2), math.atanh(math.sqrt(b / a) * x0 / y0) / rate
    )
