"""Shapley values against published games (shared/reference/validation-cases.md §4)."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from guarantor.simulate.shapley import shapley_exact, shapley_sampled


def table_game(values: dict[frozenset[int], float]):
    def game(coalitions):
        return np.array([values.get(frozenset(np.flatnonzero(row)), 0.0) for row in coalitions])

    return game


def weighted_majority(quota: float, weights: list[float], min_members: int = 0):
    w = np.array(weights, dtype=float)

    def game(coalitions):
        return ((coalitions @ w >= quota) & (coalitions.sum(axis=1) >= min_members)).astype(float)

    return game


def airport(costs: list[float]):
    c = np.array(costs, dtype=float)

    def game(coalitions):
        return np.where(coalitions.any(axis=1), (coalitions * c).max(axis=1), 0.0)

    return game


def test_glove_game():
    game = table_game({frozenset({0, 2}): 1, frozenset({1, 2}): 1, frozenset({0, 1, 2}): 1})
    np.testing.assert_allclose(shapley_exact(game, 3).values, [1 / 6, 1 / 6, 2 / 3])


def test_glove_game_with_three_right_gloves():
    def game(c):
        return np.minimum(c[:, 0], c[:, 1:].sum(axis=1)).astype(float)

    np.testing.assert_allclose(shapley_exact(game, 4).values, [3 / 4, 1 / 12, 1 / 12, 1 / 12])


@pytest.mark.parametrize(
    ("quota", "weights", "expected"),
    [
        (6, [4, 3, 2], [2 / 3, 1 / 6, 1 / 6]),
        (5, [4, 2, 1], [2 / 3, 1 / 6, 1 / 6]),
        (51, [50, 49, 1], [2 / 3, 1 / 6, 1 / 6]),
        (4, [3, 2, 1, 1], [1 / 2, 1 / 6, 1 / 6, 1 / 6]),
        (10.5, [5, 5, 6, 3], [1 / 4, 1 / 4, 5 / 12, 1 / 12]),
    ],
)
def test_shapley_shubik_indices(quota, weights, expected):
    np.testing.assert_allclose(
        shapley_exact(weighted_majority(quota, weights), len(weights)).values, expected, atol=1e-12
    )


def test_eec_council_1958():
    weights = [4, 4, 4, 2, 2, 1]  # France, Germany, Italy, Belgium, Netherlands, Luxembourg
    commission = shapley_exact(weighted_majority(12, weights), 6).values
    np.testing.assert_allclose(commission, [7 / 30] * 3 + [3 / 20] * 2 + [0], atol=1e-12)
    other = shapley_exact(weighted_majority(12, weights, min_members=4), 6).values
    np.testing.assert_allclose(other, [13 / 60] * 3 + [1 / 6] * 2 + [1 / 60], atol=1e-12)


@pytest.mark.parametrize(
    ("costs", "expected"),
    [
        ([8, 11, 13, 18], [2, 3, 4, 9]),
        ([1500, 2200, 3000], [500, 850, 1650]),
        ([1500, 2200, 3500], [500, 850, 2150]),
        ([40, 50, 60, 70, 80, 90], [40 / 6, 52 / 6, 67 / 6, 87 / 6, 117 / 6, 177 / 6]),
    ],
)
def test_airport_games(costs, expected):
    np.testing.assert_allclose(shapley_exact(airport(costs), len(costs)).values, expected)


@pytest.mark.parametrize(
    ("v", "expected"),
    [
        ([6, 12, 42, 12, 42, 42, 42], [2, 5, 35]),
        ([68, 102, 0, 170, 710, 762, 992], [229, 272, 491]),
        ([1, 1, 2, 1, 2, 2, 2], [1 / 3, 1 / 3, 4 / 3]),
    ],
)
def test_three_player_games_in_the_published_coalition_order(v, expected):
    order = [frozenset(s) for k in (1, 2, 3) for s in combinations(range(3), k)]
    game = table_game(dict(zip(order, v, strict=True)))
    np.testing.assert_allclose(shapley_exact(game, 3).values, expected, atol=1e-9)


def test_owner_and_workers():
    def game(c):
        return c[:, 0] * c[:, 1:].sum(axis=1) * 1.0

    np.testing.assert_allclose(shapley_exact(game, 4).values, [3 / 2, 1 / 2, 1 / 2, 1 / 2])


def test_sampling_agrees_within_its_error_bound():
    game = weighted_majority(10.5, [5, 5, 6, 3])
    estimate = shapley_sampled(game, 4, np.random.default_rng(7), permutations=4000)
    low, high = estimate.interval(z=4.0)
    exact = np.array([1 / 4, 1 / 4, 5 / 12, 1 / 12])
    assert np.all((low <= exact) & (exact <= high))
    assert np.all(estimate.standard_errors < 0.01)
    np.testing.assert_allclose(estimate.values.sum(), 1.0, atol=1e-12)  # efficiency holds exactly


def test_sampled_shubik_index_of_a_large_body():
    # S2f: one holder of 400 shares and 600 holders of one share, quota 501: 400/601.
    game = weighted_majority(501, [400] + [1] * 600)
    estimate = shapley_sampled(game, 601, np.random.default_rng(1), permutations=1000)
    assert abs(estimate.values[0] - 400 / 601) < 4 * estimate.standard_errors[0] + 1e-9


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError):
        shapley_exact(lambda c: c.sum(axis=1) * 1.0, 40)
    with pytest.raises(ValueError):
        shapley_sampled(lambda c: c.sum(axis=1) * 1.0, 3, np.random.default_rng(0), 1)
