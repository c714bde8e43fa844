"""Bargaining solutions over the Pareto front, and a deal explained issue by issue."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from guarantor.negotiate.frontier import Front
from guarantor.negotiate.problem import SCALE, Problem


def nash_products(front: Front, reservation: NDArray[np.int64]) -> list[int]:
    """Each front point's Nash product: the product of every party's gain over its
    reservation value, in points (exact integers); 0 where some party gains nothing."""
    gains = front.scores - reservation
    return [math.prod(int(g) for g in row) if bool(np.all(row > 0)) else 0 for row in gains]


def nash_index(front: Front, reservation: NDArray[np.int64]) -> int | None:
    """The Nash bargaining solution: the front point with the largest product of gains
    over the reservation values (it is Pareto-optimal, so searching the front is exact).
    None when no acceptable deal gives every party more than no deal."""
    products = nash_products(front, reservation)
    if not products or max(products) == 0:
        return None
    return int(np.argmax(products))


def ranking(front: Front, reservation: NDArray[np.int64]) -> NDArray[np.int64]:
    """Front points by falling Nash product, then by falling total gain."""
    products = nash_products(front, reservation)
    totals = (front.scores - reservation).sum(axis=1)
    return np.array(
        sorted(range(len(products)), key=lambda k: (-products[k], -int(totals[k]), k)),
        dtype=np.int64,
    )


@dataclass(frozen=True)
class Term:
    """How a deal settles one issue, and what that means to each party."""

    issue: str
    option: str
    utility: tuple[float, ...]
    """Per party, its 0-100 utility for this option."""
    best: tuple[float, ...]
    """Per party, its utility for its favourite option of this issue."""
    weight: tuple[float, ...]
    """Per party, the issue's normalised weight."""


@dataclass(frozen=True)
class Explained:
    """A deal with every party's overall utility and the terms issue by issue."""

    options: dict[str, str]
    utility: tuple[float, ...]
    reservation: tuple[float, ...]
    terms: tuple[Term, ...]

    @property
    def gain(self) -> tuple[float, ...]:
        """Per party, utility above its reservation value."""
        return tuple(u - r for u, r in zip(self.utility, self.reservation, strict=True))


def explain(problem: Problem, deal: NDArray[np.int64]) -> Explained:
    """A deal, issue by issue."""
    scores = problem.scores(deal[None, :])[0]
    terms = tuple(
        Term(
            issue=issue,
            option=problem.options[i][int(deal[i])],
            utility=tuple(float(u) for u in problem.utility[i][int(deal[i])]),
            best=tuple(float(u) for u in problem.utility[i].max(axis=0)),
            weight=tuple(float(w) for w in problem.weight[:, i]),
        )
        for i, issue in enumerate(problem.issues)
    )
    return Explained(
        options={t.issue: t.option for t in terms},
        utility=tuple(float(s) / SCALE for s in scores),
        reservation=tuple(float(r) / SCALE for r in problem.reservation),
        terms=terms,
    )
