"""The attrition core against published cases (shared/reference/validation-cases.md §1–2)."""

from __future__ import annotations

import numpy as np
import pytest

from guarantor.simulate.attrition import lanchester, square_law_outcome

# Engel (1954), Iwo Jima: a = 0.0544 (Japanese against US), b = 0.0106 (US against
# Japanese), y0 = 21,500, US landings 54,000 on day 1, 6,000 on day 3, 13,000 on day 6.
A, B, Y0 = 0.0544, 0.0106, 21_500
LANDINGS = np.zeros(36)
LANDINGS[[0, 2, 5]] = [54_000, 6_000, 13_000]
# Actual active US troops, days 1-35 (landed to date minus cumulative casualties; §1.2).
ACTUAL = [
    52_839,
    50_945,
    56_031,
    53_749,
    53_155,
    65_250,
    64_378,
    62_874,
    62_339,
    61_405,
    60_667,
    59_549,
    59_345,
    59_081,
    58_779,
    58_196,
    57_259,
    56_641,
    54_792,
    55_308,
    54_796,
    54_038,
    53_938,
    53_347,
    53_072,
    52_804,
    52_735,
    52_608,
    52_507,
    52_462,
    52_304,
    52_155,
    52_155,
    52_155,
    52_140,
]
# The day-by-day difference scheme's US column (§1.2, [D]); Japanese at the end of day 36.
EULER_US = [
    52_830,
    51_661,
    56_522,
    55_412,
    54_336,
    66_291,
    65_277,
    64_302,
    63_364,
    62_464,
    61_600,
    60_772,
    59_980,
    59_222,
    58_499,
    57_811,
    57_156,
    56_534,
    55_946,
    55_389,
    54_866,
    54_374,
    53_914,
    53_485,
    53_087,
    52_720,
    52_384,
    52_078,
    51_802,
    51_557,
    51_341,
    51_155,
    50_998,
    50_871,
    50_774,
    50_706,
]


def _iwo_jima():
    # The reference scheme: x[n+1] = x[n] + P_n - a*y[n] with P_n landing in day n + 1.
    return lanchester(0.0, Y0, A, B, 36, x_reinforcements=LANDINGS)


def test_iwo_jima_reproduces_the_daily_scheme_to_one_troop():
    battle = _iwo_jima()
    np.testing.assert_allclose(battle.x[1:], EULER_US, atol=1.0)
    assert battle.y[36] == pytest.approx(716, abs=1.0)


def test_iwo_jima_fits_the_historical_record_within_engel_accuracy():
    us = _iwo_jima().x[1:36]
    actual = np.array(ACTUAL, dtype=float)
    relative = np.abs(us - actual) / actual
    assert relative.max() < 0.035  # every day within 3.5 %
    assert relative.mean() < 0.015  # 1.5 % on average


@pytest.mark.parametrize(
    ("x0", "y0", "a", "b", "winner", "survivors", "end"),
    [
        (100, 60, 0.01, 0.01, "x", 80.0, 69.3147),
        (1000, 500, 0.01, 0.01, "x", 866.025, 54.9306),
        (1000, 2000, 0.01, 0.03, "y", 1000.0, 76.0346),  # Johnson & MacKay L3: a = r, b = g
        (54_000, 21_500, 0.0544, 0.0106, "x", 23_317.3, 61.744),
    ],
)
def test_square_law_closed_form(x0, y0, a, b, winner, survivors, end):
    outcome = square_law_outcome(x0, y0, a, b)
    assert outcome.winner == winner
    assert outcome.survivors == pytest.approx(survivors, rel=1e-5)
    assert outcome.end_time == pytest.approx(end, rel=1e-5)


def test_euler_converges_to_the_closed_form():
    coarse = lanchester(100, 60, 0.01, 0.01, 200).x[-1]
    fine = lanchester(100, 60, 0.01, 0.01, 200, steps=100).x[-1]
    assert coarse == pytest.approx(79.72, abs=0.01)  # the known first-order bias at dt = 1
    assert fine == pytest.approx(80.0, rel=1e-4)
    state = lanchester(100, 60, 0.01, 0.01, 30, steps=1000)
    assert state.x[-1] == pytest.approx(86.2626, rel=1e-4)
    assert state.y[-1] == pytest.approx(32.2683, rel=1e-4)


@pytest.mark.parametrize(
    ("a", "b", "x10", "y10", "x_end", "y_end"),
    [(0.001, 0.001, 66.9111, 26.9111, 40.0, 0.0), (0.002, 0.001, 42.9476, 31.4738, 0.0, 10.0)],
)
def test_linear_law_against_its_closed_form(a, b, x10, y10, x_end, y_end):
    early = lanchester(100, 60, a, b, 10, law="linear", steps=2000)
    assert early.x[-1] == pytest.approx(x10, rel=1e-4)
    assert early.y[-1] == pytest.approx(y10, rel=1e-4)
    late = lanchester(100, 60, a, b, 2000, law="linear", steps=20)
    assert late.x[-1] == pytest.approx(x_end, abs=0.05)
    assert late.y[-1] == pytest.approx(y_end, abs=0.05)


def test_batches_broadcast_and_match_single_battles():
    batch = lanchester(np.array([100.0, 1000.0]), np.array([60.0, 500.0]), 0.01, 0.01, 20)
    single = lanchester(1000.0, 500.0, 0.01, 0.01, 20)
    np.testing.assert_allclose(batch.x[1], single.x)
    assert batch.x.shape == (2, 21)
