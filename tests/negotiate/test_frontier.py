"""The Pareto front found issue by issue equals the one found by visiting every deal."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guarantor.negotiate.frontier import issue_order, pareto_front, pareto_indices
from guarantor.negotiate.problem import compile_problem
from tests.negotiate.builders import brute_front, negotiation


@st.composite
def instances(draw):
    parties = draw(st.integers(2, 4))
    issues = draw(st.integers(1, 4))
    options = [draw(st.integers(2, 4)) for _ in range(issues)]
    utilities = [
        [[draw(st.integers(0, 100)) for _ in range(options[i])] for i in range(issues)]
        for _ in range(parties)
    ]
    weights = [[draw(st.integers(0, 10)) for _ in range(issues)] for _ in range(parties)]
    for row in weights:
        row[0] = max(row[0], 1)
    reservation = [draw(st.integers(0, 80)) for _ in range(parties)]
    red_lines = []
    for _ in range(parties):
        lines = []
        for r in range(draw(st.integers(0, 2))):
            picked = draw(st.lists(st.integers(0, issues - 1), min_size=1, max_size=3))
            when = []
            for i in picked:
                chosen = draw(
                    st.lists(st.integers(0, options[i] - 1), min_size=1, max_size=2, unique=True)
                )
                key = "in" if draw(st.booleans()) else "not_in"
                if key == "not_in" and len(chosen) == options[i]:
                    key = "in"
                when.append({"issue": f"i{i}", key: [f"o{o}" for o in chosen]})
            lines.append({"id": f"r{r}", "when": when})
        red_lines.append(lines)
    return negotiation(utilities, weights=weights, reservation=reservation, red_lines=red_lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_front_equals_brute_force(n):
    problem = compile_problem(n)
    front = pareto_front(problem)
    assert {tuple(int(v) for v in row) for row in front.scores} == brute_front(problem)
    if len(front.deals):
        assert problem.acceptable(front.deals).all()
        assert (problem.scores(front.deals) == front.scores).all()
    assert len({tuple(row) for row in front.scores}) == len(front.scores)


def test_a_red_line_across_issues_is_kept_exactly():
    # Two parties, two issues; P0 refuses (i0=o1 and i1=o1), the deal everyone likes best.
    n = negotiation(
        [[[0, 100], [0, 100]], [[0, 100], [0, 100]]],
        red_lines=[
            [{"id": "both", "when": [{"issue": "i0", "in": ["o1"]}, {"issue": "i1", "in": ["o1"]}]}]
        ],
    )
    problem = compile_problem(n)
    front = pareto_front(problem)
    chosen = {tuple(d) for d in front.deals.tolist()}
    assert (1, 1) not in chosen
    # (0,1) and (1,0) score the same for both parties: one point of the front stands for both.
    assert len(chosen) == 1
    assert chosen <= {(0, 1), (1, 0)}


def test_issues_tied_by_red_lines_are_settled_next_to_each_other():
    n = negotiation(
        [[[1, 2]] * 4, [[2, 1]] * 4],
        red_lines=[
            [{"id": "a", "when": [{"issue": "i0", "in": ["o0"]}, {"issue": "i3", "in": ["o0"]}]}]
        ],
    )
    order = issue_order(compile_problem(n))
    assert abs(order.index(0) - order.index(3)) == 1


def test_pareto_indices_keeps_one_row_per_vector_and_drops_dominated():
    scores = np.array([[1, 1], [2, 0], [1, 1], [0, 0], [0, 2], [1, 0]])
    kept = pareto_indices(scores)
    assert sorted(map(tuple, scores[kept].tolist())) == [(0, 2), (1, 1), (2, 0)]


def test_no_acceptable_deal_gives_an_empty_front():
    n = negotiation([[[10, 20]], [[20, 10]]], reservation=[50, 50])
    front = pareto_front(compile_problem(n))
    assert len(front.deals) == 0
