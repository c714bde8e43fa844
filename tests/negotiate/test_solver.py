"""CP-SAT feasibility, blocking red lines (minimal sets) and bad input, against brute force."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from guarantor.model.diagnostics import InvalidInput
from guarantor.negotiate.problem import compile_problem
from guarantor.negotiate.solver import Constraint, blocking_sets, feasible_deal
from tests.negotiate.builders import T, all_deals, fig, negotiation
from tests.negotiate.test_frontier import instances


def holds_under(problem, deals, active: set[Constraint]) -> np.ndarray:
    """Deals that satisfy exactly the constraints in ``active`` (brute force)."""
    ok = np.ones(len(deals), dtype=bool)
    for clause in problem.clauses:
        key = Constraint("red_line", problem.parties[clause.party], clause.red_line.id)
        if key in active:
            ok &= np.array([not clause.triggered(d) for d in deals], dtype=bool)
    scores = problem.scores(deals)
    for p, party in enumerate(problem.parties):
        if Constraint("reservation", party) in active:
            ok &= scores[:, p] >= problem.reservation[p]
    return ok


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_feasibility_and_blocking_sets_match_brute_force(n):
    problem = compile_problem(n)
    deals = all_deals(problem)
    any_deal = bool(problem.acceptable(deals).any())
    found = feasible_deal(problem)
    assert (found is not None) == any_deal
    if found is not None:
        assert problem.acceptable(found[None, :])[0]
    blocks = blocking_sets(problem)
    assert bool(blocks) == (not any_deal)
    for block in blocks:
        members = set(block)
        assert not holds_under(problem, deals, members).any()  # together they block all
        for member in members:  # minimal: without any one of them some deal is left
            assert holds_under(problem, deals, members - {member}).any()


def test_two_red_lines_that_cannot_both_hold_are_named():
    n = negotiation(
        [[[50, 50, 50]], [[50, 50, 50]], [[50, 50, 50]]],
        red_lines=[
            [{"id": "not_o0", "when": [{"issue": "i0", "in": ["o0"]}]}],
            [{"id": "only_o0", "when": [{"issue": "i0", "not_in": ["o0"]}]}],
            [{"id": "not_o2", "when": [{"issue": "i0", "in": ["o2"]}]}],
        ],
    )
    problem = compile_problem(n)
    assert feasible_deal(problem) is None
    assert blocking_sets(problem) == [
        (Constraint("red_line", "P0", "not_o0"), Constraint("red_line", "P1", "only_o0"))
    ]


def test_several_blocking_sets_are_all_found():
    # P0 wants o0 or o1 on i0; P1 refuses o0; P2 refuses o1 -> one set of three.
    # Reservations: P3 needs i1=o1, P4 needs i1=o0 -> a second, disjoint set.
    n = negotiation(
        [[[0, 0, 0], [0, 0]]] * 3 + [[[0, 0, 0], [0, 100]], [[0, 0, 0], [100, 0]]],
        weights=[[1, 1]] * 3 + [[0, 1], [0, 1]],
        reservation=[0, 0, 0, 50, 50],
        red_lines=[
            [{"id": "o0_or_o1", "when": [{"issue": "i0", "in": ["o2"]}]}],
            [{"id": "no_o0", "when": [{"issue": "i0", "in": ["o0"]}]}],
            [{"id": "no_o1", "when": [{"issue": "i0", "in": ["o1"]}]}],
        ],
    )
    blocks = blocking_sets(compile_problem(n))
    assert {frozenset(b) for b in blocks} == {
        frozenset({Constraint("reservation", "P3"), Constraint("reservation", "P4")}),
        frozenset(
            {
                Constraint("red_line", "P0", "o0_or_o1"),
                Constraint("red_line", "P1", "no_o0"),
                Constraint("red_line", "P2", "no_o1"),
            }
        ),
    }
    assert len(blocks[0]) == 2  # smallest first


def _with(n, **changes):
    data = n.model_dump(mode="json", by_alias=True)
    for path, value in changes.items():
        target = data
        keys = path.split("/")
        for key in keys[:-1]:
            target = target[int(key)] if isinstance(target, list) else target[key]
        last = keys[-1]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return type(n).model_validate(data)


@pytest.mark.parametrize(
    ("changes", "code", "path"),
    [
        (
            {"positions/0/utilities/i0/o0": fig(120)},
            "value.out_of_range",
            "positions.P0.utilities.i0.o0",
        ),
        ({"positions/1/reservation": fig(-5)}, "value.out_of_range", "positions.P1.reservation"),
        (
            {
                "positions/0/red_lines": [
                    {
                        "id": "r",
                        "label": T,
                        "assumption": True,
                        "when": [{"issue": "i0", "in": ["o9"]}],
                    }
                ]
            },
            "option.unknown",
            "positions.P0.red_lines[0].when[0].in",
        ),
        (
            {
                "positions/0/red_lines": [
                    {
                        "id": "r",
                        "label": T,
                        "assumption": True,
                        "when": [{"issue": "nope", "in": ["o0"]}],
                    }
                ]
            },
            "issue.unknown",
            "positions.P0.red_lines[0].when[0].issue",
        ),
        ({"issues/0/options": [{"id": "o0", "label": T}]}, "issue.one_option", "issues.i0.options"),
        ({"positions/1/party": "P0"}, "id.repeated", "positions[1].party"),
        ({"positions/0/weights/i0": fig(0)}, "position.no_weight", "positions.P0.weights"),
    ],
)
def test_bad_input_is_refused_before_solving(changes, code, path):
    n = negotiation([[[10, 20]], [[20, 10]]])
    with pytest.raises(InvalidInput) as caught:
        compile_problem(_with(n, **changes))
    assert (code, path) in {(d.code, d.path_text()) for d in caught.value.diagnostics}


def test_a_party_without_a_position_is_refused():
    n = negotiation([[[10, 20]], [[20, 10]]])
    data = n.model_dump(mode="json", by_alias=True)
    data["positions"] = data["positions"][:1]
    with pytest.raises(InvalidInput) as caught:
        compile_problem(type(n).model_validate(data))
    assert ("party.no_position", "parties.P1") in {
        (d.code, d.path_text()) for d in caught.value.diagnostics
    }


def test_a_weighted_issue_needs_a_utility_for_every_option():
    n = negotiation([[[10, 20]], [[20, 10]]])
    data = n.model_dump(mode="json", by_alias=True)
    del data["positions"][0]["utilities"]["i0"]["o1"]
    with pytest.raises(InvalidInput) as caught:
        compile_problem(type(n).model_validate(data))
    assert ("position.utility_missing", "positions.P0.utilities.i0.o1") in {
        (d.code, d.path_text()) for d in caught.value.diagnostics
    }
