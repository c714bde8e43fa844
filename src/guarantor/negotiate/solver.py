"""CP-SAT over a compiled negotiation: is there a deal, which red lines block every deal, and
the max-min (egalitarian) deal. Build, solve and interpret are separate functions.

Each red line and each reservation value is a constraint switched on by its own literal,
passed to the solver as an assumption; when no deal exists the solver names a subset of
those literals that cannot all hold, which is then shrunk to a minimal one (removing a
literal and solving again) and further minimal sets are found with Reiter's hitting-set
tree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from guarantor.negotiate.problem import Problem

WORKERS = 2
TIME_LIMIT = 30.0


@dataclass(frozen=True)
class Constraint:
    """One switchable constraint: a party's red line, or its reservation value."""

    kind: str  # "red_line" | "reservation"
    party: str
    red_line: str | None = None


@dataclass
class Built:
    """A CP-SAT model of the problem and the handles to read it."""

    model: Any
    choice: list[list[Any]]
    """Per issue, one 0/1 variable per option."""
    score: list[Any]
    """Per party, its points."""
    switches: list[tuple[Constraint, Any]]
    """Every switchable constraint with its literal."""


def build(problem: Problem, *, reservations: bool = True) -> Built:
    """The model: one option per issue, scores, and every red line and reservation value
    as a constraint under its own literal."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    choice = [
        [model.new_bool_var(f"{issue}={option}") for option in problem.options[i]]
        for i, issue in enumerate(problem.issues)
    ]
    for row in choice:
        model.add_exactly_one(row)
    score = []
    for p, party in enumerate(problem.parties):
        total = sum(
            int(problem.points[i][o, p]) * choice[i][o]
            for i in range(len(problem.issues))
            for o in range(len(problem.options[i]))
        )
        upper = int(sum(int(t[:, p].max()) for t in problem.points))
        variable = model.new_int_var(0, upper, f"score[{party}]")
        model.add(variable == total)
        score.append(variable)
    switches: list[tuple[Constraint, Any]] = []
    for clause in problem.clauses:
        literal = model.new_bool_var(
            f"red_line[{problem.parties[clause.party]}.{clause.red_line.id}]"
        )
        met = sum(choice[issue][o] for issue, options in clause.terms for o in sorted(options))
        model.add(met <= len(clause.terms) - 1).only_enforce_if(literal)
        switches.append(
            (Constraint("red_line", problem.parties[clause.party], clause.red_line.id), literal)
        )
    if reservations:
        for p, party in enumerate(problem.parties):
            literal = model.new_bool_var(f"reservation[{party}]")
            model.add(score[p] >= int(problem.reservation[p])).only_enforce_if(literal)
            switches.append((Constraint("reservation", party), literal))
    return Built(model, choice, score, switches)


@dataclass(frozen=True)
class Outcome:
    """What one solve found."""

    feasible: bool
    deal: NDArray[np.int64] | None
    core: tuple[int, ...] = ()
    """Indices into ``Built.switches`` that cannot all hold (when infeasible)."""


def solve(built: Built, active: Sequence[int], *, objective: Any = None) -> Outcome:
    """Solve with the switches ``active`` on (the others off); maximise ``objective`` if
    given. Raises ``TimeoutError`` if the solver can prove nothing in ``TIME_LIMIT``."""
    from ortools.sat.python import cp_model

    model = built.model.clone()
    model.clear_assumptions()
    literals = [built.switches[k][1] for k in active]
    off = [built.switches[k][1] for k in range(len(built.switches)) if k not in set(active)]
    for literal in off:
        model.add(literal == 0)
    model.add_assumptions(literals)
    if objective is not None:
        model.maximize(objective)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = WORKERS if objective is not None else 1
    solver.parameters.max_time_in_seconds = TIME_LIMIT
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        deal = np.array(
            [next(o for o, v in enumerate(row) if solver.boolean_value(v)) for row in built.choice],
            dtype=np.int64,
        )
        return Outcome(True, deal)
    if status == cp_model.INFEASIBLE:
        index = {literal.index: k for k, (_, literal) in enumerate(built.switches)}
        core = tuple(sorted(index[i] for i in solver.sufficient_assumptions_for_infeasibility()))
        return Outcome(False, None, core)
    raise TimeoutError(f"CP-SAT status {solver.status_name(status)} after {TIME_LIMIT} s")


def feasible_deal(problem: Problem) -> NDArray[np.int64] | None:
    """A deal inside every red line and at or above every reservation value, or None."""
    built = build(problem)
    return solve(built, range(len(built.switches))).deal


def _minimal(built: Built, core: tuple[int, ...]) -> tuple[int, ...]:
    """Shrink an infeasible set of switches until removing any one makes it feasible."""
    current = list(core)
    for k in list(core):
        if k not in current:
            continue
        trial = [c for c in current if c != k]
        outcome = solve(built, trial)
        if not outcome.feasible:
            current = [c for c in trial if c in outcome.core] or trial
    return tuple(current)


def blocking_sets(
    problem: Problem, *, limit: int = 10, nodes: int = 200
) -> list[tuple[Constraint, ...]]:
    """Minimal sets of red lines and reservation values that cannot all hold: each blocks
    every deal, and dropping any one of its members unblocks it. Empty when a deal exists.
    Up to ``limit`` sets, smallest first, from at most ``nodes`` solves (Reiter's tree: each
    child drops one more member of a set found above it, until every set is hit)."""
    built = build(problem)
    everything = tuple(range(len(built.switches)))
    found: list[tuple[int, ...]] = []
    unblocked: list[frozenset[int]] = []
    queue: list[frozenset[int]] = [frozenset()]
    seen: set[frozenset[int]] = set()
    while queue and len(found) < limit and nodes > 0:
        dropped = queue.pop(0)
        if dropped in seen or any(u <= dropped for u in unblocked):
            continue
        seen.add(dropped)
        block = next((m for m in found if not dropped & set(m)), None)
        if block is None:
            nodes -= 1
            outcome = solve(built, [k for k in everything if k not in dropped])
            if outcome.feasible:
                unblocked.append(dropped)
                continue
            block = _minimal(built, outcome.core)
            found.append(block)
        queue.extend(dropped | {k} for k in block)
    found.sort(key=lambda m: (len(m), m))
    return [tuple(built.switches[k][0] for k in m) for m in found]


def egalitarian_deal(problem: Problem) -> NDArray[np.int64] | None:
    """The deal that maximises the smallest gain over the reservation values (in utility
    points), ties broken by the largest total gain; None when no deal is acceptable."""
    built = build(problem)
    everything = list(range(len(built.switches)))
    model = built.model
    span = int(sum(int(t.max()) for t in problem.points)) + 1
    least = model.new_int_var(-span, span, "least_gain")
    for p in range(len(problem.parties)):
        model.add(least <= built.score[p] - int(problem.reservation[p]))
    first = solve(built, everything, objective=least)
    if not first.feasible or first.deal is None:
        return None
    floor = int(min(problem.scores(first.deal[None, :])[0] - problem.reservation))
    model.add(least >= floor)
    second = solve(built, everything, objective=sum(built.score))
    return second.deal if second.feasible else first.deal
