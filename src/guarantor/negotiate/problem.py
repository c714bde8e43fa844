"""A negotiation compiled to integers: what every solver, the brute force and the tests read.

A deal picks one option per issue. Party ``p`` values it at
``U_p = sum_i w_pi * u_pio`` with its weights normalised to sum 1, so ``U_p`` is on the
same 0-100 scale as the utilities and the reservation value. Solvers need integers, so
each term is stored as ``points = round(SCALE * w_pi * u_pio)``; every solver (CP-SAT, the
Pareto front, the brute force) reads the same points, so they agree exactly.

Bad input is refused here, before any solving, with a diagnostic naming the path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.model.negotiation import Negotiation, Position, RedLine

SCALE = 10_000
"""Points per unit of utility: utilities are kept to four decimals."""


@dataclass(frozen=True)
class Clause:
    """A red line compiled: forbidden when, for every (issue, options) term, the deal
    settles the issue with one of the options."""

    party: int
    red_line: RedLine
    terms: tuple[tuple[int, frozenset[int]], ...]

    def triggered(self, deal: NDArray[np.int64]) -> bool:
        """Whether ``deal`` (one option index per issue) crosses this red line."""
        return all(int(deal[issue]) in options for issue, options in self.terms)


@dataclass(frozen=True)
class Problem:
    """The integers of a negotiation."""

    negotiation: Negotiation
    parties: tuple[str, ...]
    issues: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    points: tuple[NDArray[np.int64], ...]
    """Per issue, (options, parties): weighted utility points."""
    reservation: NDArray[np.int64]
    """(parties,) points a deal must reach for each party to accept it."""
    clauses: tuple[Clause, ...]
    utility: tuple[NDArray[np.float64], ...]
    """Per issue, (options, parties): the raw 0-100 utilities, for explanations."""
    weight: NDArray[np.float64]
    """(parties, issues): normalised weights."""

    @property
    def size(self) -> int:
        """The number of possible deals."""
        return math.prod(len(o) for o in self.options)

    def scores(self, deals: NDArray[np.int64]) -> NDArray[np.int64]:
        """(deals, parties) points of deals given as (deals, issues) option indices."""
        total = np.zeros((len(deals), len(self.parties)), dtype=np.int64)
        for i, table in enumerate(self.points):
            total += table[deals[:, i]]
        return total

    def allowed(self, deals: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Which deals cross no red line."""
        ok = np.ones(len(deals), dtype=bool)
        for clause in self.clauses:
            hit = np.ones(len(deals), dtype=bool)
            for issue, options in clause.terms:
                hit &= np.isin(deals[:, issue], list(options))
            ok &= ~hit
        return ok

    def acceptable(self, deals: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Which deals cross no red line and reach every party's reservation value."""
        reached = np.all(self.scores(deals) >= self.reservation, axis=1)
        return np.asarray(self.allowed(deals) & reached, dtype=bool)

    def deal(self, labels: dict[str, str]) -> NDArray[np.int64]:
        """A deal from ``{issue: option}`` ids."""
        return np.array(
            [self.options[i].index(labels[issue]) for i, issue in enumerate(self.issues)],
            dtype=np.int64,
        )


def _figure_value(
    value: float | None,
    path: tuple[str | int, ...],
    low: float,
    high: float,
    problems: list[Diagnostic],
) -> float:
    if value is None or not math.isfinite(value) or not low <= value <= high:
        problems.append(
            Diagnostic(
                code="value.out_of_range",
                path=path,
                params={"value": value, "low": low, "high": high},
            )
        )
        return low
    return float(value)


def _check_structure(n: Negotiation, problems: list[Diagnostic]) -> None:
    parties = [p.id for p in n.parties]
    for index, party in enumerate(parties):
        if parties.index(party) != index:
            problems.append(
                Diagnostic(
                    code="id.repeated", path=("parties", index, "id"), params={"value": party}
                )
            )
    issues = [i.id for i in n.issues]
    for index, issue in enumerate(n.issues):
        if issues.index(issue.id) != index:
            problems.append(
                Diagnostic(
                    code="id.repeated", path=("issues", index, "id"), params={"value": issue.id}
                )
            )
        if len(issue.options) < 2:
            problems.append(
                Diagnostic(
                    code="issue.one_option",
                    path=("issues", issue.id, "options"),
                    params={"count": len(issue.options)},
                )
            )
        ids = [o.id for o in issue.options]
        for o_index, option in enumerate(ids):
            if ids.index(option) != o_index:
                problems.append(
                    Diagnostic(
                        code="id.repeated",
                        path=("issues", issue.id, "options", o_index, "id"),
                        params={"value": option},
                    )
                )
    with_position = [p.party for p in n.positions]
    for index, party in enumerate(with_position):
        if party not in parties:
            problems.append(
                Diagnostic(
                    code="party.unknown",
                    path=("positions", index, "party"),
                    params={"value": party, "known": parties},
                )
            )
        elif with_position.index(party) != index:
            problems.append(
                Diagnostic(
                    code="id.repeated", path=("positions", index, "party"), params={"value": party}
                )
            )
    for party in parties:
        if party not in with_position:
            problems.append(
                Diagnostic(
                    code="party.no_position", path=("parties", party), params={"value": party}
                )
            )
    for t_index, track in enumerate(n.tracks):
        for party in track.parties:
            if party not in parties:
                problems.append(
                    Diagnostic(
                        code="party.unknown",
                        path=("tracks", t_index, "parties"),
                        params={"value": party, "known": parties},
                    )
                )


def _compile_red_line(
    red_line: RedLine,
    party: int,
    path: tuple[str | int, ...],
    n: Negotiation,
    problems: list[Diagnostic],
) -> Clause | None:
    issues = {issue.id: k for k, issue in enumerate(n.issues)}
    terms = []
    for c_index, condition in enumerate(red_line.when):
        where = (*path, "when", c_index)
        if condition.issue not in issues:
            problems.append(
                Diagnostic(
                    code="issue.unknown",
                    path=(*where, "issue"),
                    params={"value": condition.issue, "known": list(issues)},
                )
            )
            return None
        issue = n.issues[issues[condition.issue]]
        known = [o.id for o in issue.options]
        named = condition.in_ or condition.not_in
        unknown = [o for o in named if o not in known]
        if unknown:
            problems.append(
                Diagnostic(
                    code="option.unknown",
                    path=(*where, "in" if condition.in_ else "not_in"),
                    params={"value": unknown[0], "issue": issue.id, "known": known},
                )
            )
            return None
        chosen = (
            {known.index(o) for o in condition.in_}
            if condition.in_
            else {k for k, o in enumerate(known) if o not in condition.not_in}
        )
        terms.append((issues[condition.issue], frozenset(chosen)))
    return Clause(party, red_line, tuple(terms))


def _compile_position(
    position: Position,
    n: Negotiation,
    problems: list[Diagnostic],
) -> tuple[NDArray[np.float64], list[NDArray[np.float64]], float]:
    base = ("positions", position.party)
    issue_ids = [i.id for i in n.issues]
    for named in list(position.weights) + list(position.utilities):
        if named not in issue_ids:
            problems.append(
                Diagnostic(
                    code="issue.unknown",
                    path=(*base, "weights" if named in position.weights else "utilities", named),
                    params={"value": named, "known": issue_ids},
                )
            )
    raw = np.zeros(len(n.issues))
    for k, issue in enumerate(n.issues):
        figure = position.weights.get(issue.id)
        if figure is not None:
            raw[k] = _figure_value(
                figure.value, (*base, "weights", issue.id), 0.0, math.inf, problems
            )
    if raw.sum() <= 0:
        problems.append(Diagnostic(code="position.no_weight", path=(*base, "weights")))
    utilities = []
    for k, issue in enumerate(n.issues):
        table = position.utilities.get(issue.id, {})
        known = [o.id for o in issue.options]
        for named in table:
            if named not in known:
                problems.append(
                    Diagnostic(
                        code="option.unknown",
                        path=(*base, "utilities", issue.id, named),
                        params={"value": named, "issue": issue.id, "known": known},
                    )
                )
        row = np.zeros(len(issue.options))
        for o, option in enumerate(issue.options):
            figure = table.get(option.id)
            if figure is None:
                if raw[k] > 0:
                    problems.append(
                        Diagnostic(
                            code="position.utility_missing",
                            path=(*base, "utilities", issue.id, option.id),
                        )
                    )
                continue
            row[o] = _figure_value(
                figure.value, (*base, "utilities", issue.id, option.id), 0.0, 100.0, problems
            )
        utilities.append(row)
    reservation = _figure_value(
        position.reservation.value, (*base, "reservation"), 0.0, 100.0, problems
    )
    weights = raw / raw.sum() if raw.sum() > 0 else raw
    return weights, utilities, reservation


def compile_problem(negotiation: Negotiation) -> Problem:
    """Check a negotiation and turn it into integers; :class:`InvalidInput` names every
    problem before any solving starts."""
    problems: list[Diagnostic] = []
    _check_structure(negotiation, problems)
    if problems:
        raise InvalidInput(problems)
    parties = tuple(p.id for p in negotiation.parties)
    positions = {p.party: p for p in negotiation.positions}
    n_issues = len(negotiation.issues)
    weight = np.zeros((len(parties), n_issues))
    utility = [np.zeros((len(i.options), len(parties))) for i in negotiation.issues]
    reservation = np.zeros(len(parties), dtype=np.int64)
    clauses: list[Clause] = []
    for p, party in enumerate(parties):
        position = positions[party]
        weights, rows, floor = _compile_position(position, negotiation, problems)
        weight[p] = weights
        for k, row in enumerate(rows):
            utility[k][:, p] = row
        reservation[p] = round(SCALE * floor)
        for r_index, red_line in enumerate(position.red_lines):
            clause = _compile_red_line(
                red_line, p, ("positions", party, "red_lines", r_index), negotiation, problems
            )
            if clause is not None:
                clauses.append(clause)
    if problems:
        raise InvalidInput(problems)
    points = tuple(
        np.rint(SCALE * table * weight[:, k][None, :]).astype(np.int64)
        for k, table in enumerate(utility)
    )
    return Problem(
        negotiation=negotiation,
        parties=parties,
        issues=tuple(i.id for i in negotiation.issues),
        options=tuple(tuple(o.id for o in i.options) for i in negotiation.issues),
        points=points,
        reservation=reservation,
        clauses=tuple(clauses),
        utility=tuple(utility),
        weight=weight,
    )
