"""The Nash and egalitarian solutions on the textbook problems of
shared/reference/validation-cases.md §3 (N1, N2a, N3, N4), discretised where the
original is continuous, and against brute force on random instances."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from guarantor.negotiate.bargaining import explain, nash_index, ranking
from guarantor.negotiate.frontier import pareto_front
from guarantor.negotiate.problem import SCALE, compile_problem
from guarantor.negotiate.solver import egalitarian_deal
from tests.negotiate.builders import all_deals, negotiation
from tests.negotiate.test_frontier import instances


def split(steps: int, u1, u2, d=(0.0, 0.0)):
    """One issue 'x' with options x = k/steps; utilities on the 0-100 scale."""
    xs = [k / steps for k in range(steps + 1)]
    n = negotiation(
        [[[100 * u1(x) for x in xs]], [[100 * u2(x) for x in xs]]],
        reservation=[100 * d[0], 100 * d[1]],
    )
    return n, xs


def nash_x(n, xs):
    problem = compile_problem(n)
    front = pareto_front(problem)
    k = nash_index(front, problem.reservation)
    return xs[int(front.deals[k][0])]


def test_n1_split_a_unit_surplus():
    # validation-cases.md §3 N1: x = 1/2 (Mittweida course, Berkeley tutorial) [S].
    n, xs = split(100, lambda x: x, lambda x: 1 - x)
    assert nash_x(n, xs) == pytest.approx(0.5)
    egal = egalitarian_deal(compile_problem(n))
    assert xs[int(egal[0])] == pytest.approx(0.5)


def test_n3_disagreement_point_moves_the_split():
    # validation-cases.md §3 N3: d = (0.4, 0) gives x1 = 0.7 [S].
    n, xs = split(100, lambda x: x, lambda x: 1 - x, d=(0.4, 0.0))
    assert nash_x(n, xs) == pytest.approx(0.7)


def test_n2a_risk_averse_player_gets_less():
    # validation-cases.md §3 N2a [D]: u2 = sqrt(1 - x): x = 2/3.
    n, xs = split(300, lambda x: x, lambda x: math.sqrt(1 - x))
    assert nash_x(n, xs) == pytest.approx(2 / 3)
    # K1 note: egalitarian (max-min) and Nash differ here; max-min at x = (sqrt 5 - 1)/2.
    egal = egalitarian_deal(compile_problem(n))
    assert xs[int(egal[0])] == pytest.approx((math.sqrt(5) - 1) / 2, abs=1 / 300)


BILL = {"book": (2, 4), "whip": (2, 2), "ball": (2, 1), "bat": (2, 2), "box": (4, 1)}
JACK = {"pen": (10, 1), "toy": (4, 1), "knife": (6, 2), "hat": (2, 2)}


def bill_and_jack():
    """Nash (1950): each good is an issue, kept or given; utility to Bill and Jack."""
    goods = list(BILL) + list(JACK)
    bill, jack = [], []
    for good in goods:
        to_bill, to_jack = BILL.get(good) or JACK[good]
        if good in BILL:  # Bill owns it: options keep (Bill has it) / give (Jack has it)
            bill.append([to_bill, 0])
            jack.append([0, to_jack])
        else:
            bill.append([0, to_bill])
            jack.append([to_jack, 0])
    # No trade: each keeps his own goods: the disagreement point, on the weighted scale.
    d_bill = sum(v[0] for v in BILL.values()) / len(goods)
    d_jack = sum(v[1] for v in JACK.values()) / len(goods)
    return goods, negotiation([bill, jack], reservation=[d_bill, d_jack])


def test_n4_nash_bill_and_jack():
    # validation-cases.md §3 N4 [P] Nash 1950 via [S]/[M] copies: Bill gives book, whip,
    # ball, bat; Jack gives pen, toy, knife; gains (12, 5), product 60.
    goods, n = bill_and_jack()
    problem = compile_problem(n)
    front = pareto_front(problem)
    k = nash_index(front, problem.reservation)
    traded = {g for g, o in zip(goods, front.deals[k], strict=True) if o == 1}
    assert traded == {"book", "whip", "ball", "bat", "pen", "toy", "knife"}
    gains = (front.scores[k] - problem.reservation) * len(goods) / SCALE
    assert gains.tolist() == pytest.approx([12, 5], abs=0.01)  # points keep 4 decimals


def test_n4_egalitarian_is_max_min_over_pure_trades():
    # validation-cases.md §3 N4 [D]: over the 512 pure outcomes the best smallest gain is 6.
    goods, n = bill_and_jack()
    problem = compile_problem(n)
    deal = egalitarian_deal(problem)
    gains = (problem.scores(deal[None, :])[0] - problem.reservation) * len(goods) / SCALE
    assert min(gains) == pytest.approx(6, abs=0.01)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_nash_and_egalitarian_equal_brute_force(n):
    problem = compile_problem(n)
    deals = all_deals(problem)
    ok = problem.acceptable(deals)
    gains = problem.scores(deals[ok]) - problem.reservation
    front = pareto_front(problem)
    k = nash_index(front, problem.reservation)
    positive = np.all(gains > 0, axis=1)
    if not positive.any():
        assert k is None
    else:
        best = max(math.prod(int(g) for g in row) for row in gains[positive])
        found = front.scores[k] - problem.reservation
        assert math.prod(int(g) for g in found) == best
    egal = egalitarian_deal(problem)
    if not ok.any():
        assert egal is None
    else:
        floor = int(gains.min(axis=1).max())
        egal_gains = problem.scores(egal[None, :])[0] - problem.reservation
        assert int(egal_gains.min()) == floor
        assert problem.acceptable(egal[None, :])[0]
        at_floor = gains[gains.min(axis=1) == floor]
        assert int(egal_gains.sum()) == int(at_floor.sum(axis=1).max())


def test_ranking_puts_the_nash_solution_first_and_explains_each_issue():
    goods, n = bill_and_jack()
    problem = compile_problem(n)
    front = pareto_front(problem)
    order = ranking(front, problem.reservation)
    assert order[0] == nash_index(front, problem.reservation)
    explained = explain(problem, front.deals[order[0]])
    assert [t.issue for t in explained.terms] == [f"i{i}" for i in range(len(goods))]
    assert explained.gain[0] == pytest.approx(12 / len(goods), abs=1e-3)
    book = explained.terms[0]
    assert book.option == "o1" and book.utility == (0.0, 4.0) and book.best == (2.0, 4.0)
