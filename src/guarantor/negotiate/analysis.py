"""The whole negotiation analysis: feasibility, the ranked Pareto-optimal deals, the Nash
and egalitarian solutions, the red lines that block every deal, the tracks, robustness and
the territory each deal moves. What-ifs are compared with the base case deal by deal."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from guarantor.model.negotiation import Negotiation
from guarantor.model.territory import RegionSet
from guarantor.negotiate.bargaining import Explained, explain, nash_index, nash_products, ranking
from guarantor.negotiate.frontier import Front, pareto_front
from guarantor.negotiate.problem import Problem, compile_problem
from guarantor.negotiate.robustness import acceptable_share
from guarantor.negotiate.solver import Constraint, blocking_sets, egalitarian_deal
from guarantor.negotiate.territory import Transfer, transfers
from guarantor.negotiate.tracks import TrackReport, track_report
from guarantor.negotiate.whatif import Change, apply_changes


@dataclass(frozen=True)
class Deal:
    """One deal of the analysis."""

    explained: Explained
    nash_product: int
    robust: float | None
    """Share of sampled utilities under which every party still accepts it."""
    transfers: tuple[Transfer, ...]

    @property
    def options(self) -> dict[str, str]:
        """``{issue: option}``."""
        return self.explained.options


@dataclass(frozen=True)
class Analysis:
    """Everything ``guarantor negotiate`` reports."""

    negotiation: Negotiation
    problem: Problem
    changes: tuple[Change, ...]
    front: Front
    deals: tuple[Deal, ...]
    """The first ``limit`` Pareto-optimal acceptable deals, by falling Nash product."""
    nash: Deal | None
    egalitarian: Deal | None
    blocking: tuple[tuple[Constraint, ...], ...]
    tracks: TrackReport
    samples: int

    @property
    def feasible(self) -> bool:
        """Whether any deal is acceptable to every party."""
        return len(self.front.deals) > 0


def _deal(
    problem: Problem,
    deal: NDArray[np.int64],
    product: int,
    robust: float | None,
    regions: RegionSet | None,
) -> Deal:
    explained = explain(problem, deal)
    moved = transfers(problem.negotiation, regions, explained.options) if regions else []
    return Deal(explained, product, robust, tuple(moved))


def analyse(
    negotiation: Negotiation,
    *,
    changes: tuple[Change, ...] = (),
    regions: RegionSet | None = None,
    limit: int = 10,
    samples: int = 1000,
    seed: int = 0,
) -> Analysis:
    """Analyse the negotiation with ``changes`` applied."""
    negotiation = apply_changes(negotiation, changes)
    problem = compile_problem(negotiation)
    front = pareto_front(problem)
    products = nash_products(front, problem.reservation)
    order = ranking(front, problem.reservation)[:limit]
    nash = nash_index(front, problem.reservation)
    egal = egalitarian_deal(problem) if len(front.deals) else None
    shown = [front.deals[k] for k in order]
    extra = [d for d in (front.deals[nash] if nash is not None else None, egal) if d is not None]
    rng = np.random.default_rng(seed)
    candidates = np.array(shown + extra, dtype=np.int64).reshape(-1, len(problem.issues))
    shares = (
        acceptable_share(problem, candidates, rng, samples) if samples and len(candidates) else None
    )

    def robust(k: int) -> float | None:
        return float(shares[k]) if shares is not None else None

    deals = tuple(
        _deal(problem, front.deals[k], products[k], robust(j), regions) for j, k in enumerate(order)
    )
    nash_deal = (
        _deal(problem, front.deals[nash], products[nash], robust(len(shown)), regions)
        if nash is not None
        else None
    )
    egal_deal = None
    if egal is not None:
        gains = problem.scores(egal[None, :])[0] - problem.reservation
        product = int(np.prod([int(g) for g in gains])) if bool(np.all(gains > 0)) else 0
        egal_deal = _deal(problem, egal, product, robust(len(candidates) - 1), regions)
    blocking = () if len(front.deals) else tuple(blocking_sets(problem))
    return Analysis(
        negotiation=negotiation,
        problem=problem,
        changes=changes,
        front=front,
        deals=deals,
        nash=nash_deal,
        egalitarian=egal_deal,
        blocking=blocking,
        tracks=track_report(negotiation),
        samples=samples,
    )


@dataclass(frozen=True)
class Difference:
    """What a what-if opens and closes against the base case."""

    opened: tuple[dict[str, str], ...]
    """Pareto-optimal deals of the what-if that the base case did not accept."""
    closed: tuple[dict[str, str], ...]
    """Pareto-optimal deals of the base case that the what-if no longer accepts."""
    feasible_before: bool
    feasible_after: bool


def compare(base: Analysis, what_if: Analysis) -> Difference:
    """Deals opened and closed by the what-if (among both fronts)."""

    def labelled(problem: Problem, deals: NDArray[np.int64]) -> tuple[dict[str, str], ...]:
        return tuple(
            {issue: problem.options[i][int(d[i])] for i, issue in enumerate(problem.issues)}
            for d in deals
        )

    new = what_if.front.deals
    old = base.front.deals
    opened = new[~base.problem.acceptable(new)] if len(new) else new
    closed = old[~what_if.problem.acceptable(old)] if len(old) else old
    return Difference(
        opened=labelled(what_if.problem, opened),
        closed=labelled(base.problem, closed),
        feasible_before=base.feasible,
        feasible_after=what_if.feasible,
    )
