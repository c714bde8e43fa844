"""The enforceable search against brute force on small random negotiations, every deal
evaluated through the same chain; and monotonicity: a package that grows never makes a deal
less enforceable."""

from __future__ import annotations

import itertools
from dataclasses import replace
from functools import cache
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guarantor.enforce.chain import Evaluator, enforcement_issues, evaluate, stress_job
from guarantor.enforce.search import candidates, search
from guarantor.model.diagnostics import InvalidInput
from guarantor.model.negotiation import Negotiation
from guarantor.model.offers import Offer
from guarantor.negotiate.problem import SCALE, compile_problem
from guarantor.services.sweep import compute
from guarantor.simulate.stress import Interval

T = {"en": "x", "ar": "س"}
DRAWS = 300


def _fig(value: float) -> dict[str, Any]:
    return {"value": float(value), "unit": "utility", "assumption": True}


def _negotiation(seed: int) -> Negotiation:
    rng = np.random.default_rng(seed)
    issues = [
        {
            "id": "territory_donetsk",
            "kind": "territory",
            "region": "UA-14",
            "label": T,
            "options": [
                {"id": t, "territory": t, "label": T} for t in ("cede_rest", "freeze", "return_all")
            ],
        },
        {
            "id": "guarantee_form",
            "kind": "guarantee_form",
            "label": T,
            "options": [
                {"id": "article5-like", "instrument": "article5-like", "label": T},
                {"id": "budapest-like", "instrument": "budapest-like", "label": T},
                {"id": "none", "label": T},
            ],
        },
        {
            "id": "guarantors",
            "kind": "guarantors",
            "label": T,
            "options": [
                {"id": "us_europe", "guarantors": ["USA", "GBR", "FRA", "DEU"], "label": T},
                {"id": "europe_only", "guarantors": ["GBR", "FRA", "DEU"], "label": T},
            ],
        },
        {
            "id": "other",
            "kind": "other",
            "label": T,
            "options": [{"id": f"o{k}", "label": T} for k in range(3)],
        },
    ]
    parties = 3
    positions = []
    for p in range(parties):
        red = []
        if rng.random() < 0.5:
            red.append(
                {
                    "id": "r",
                    "label": T,
                    "assumption": True,
                    "when": [
                        {
                            "issue": "territory_donetsk",
                            "in": [str(rng.choice(["cede_rest", "return_all"]))],
                        },
                        {"issue": "other", "in": [f"o{int(rng.integers(3))}"]},
                    ],
                }
            )
        positions.append(
            {
                "party": f"P{p}",
                "weights": {i["id"]: _fig(float(rng.integers(1, 5))) for i in issues},
                "utilities": {
                    i["id"]: {o["id"]: _fig(float(rng.integers(0, 101))) for o in i["options"]}
                    for i in issues
                },
                "reservation": _fig(float(rng.integers(0, 45))),
                "red_lines": red,
            }
        )
    return Negotiation.model_validate(
        {
            "id": "random",
            "label": T,
            "date": "2025-08-18",
            "occupier": "RUS",
            "protected_state": "UKR",
            "regions": "ukraine",
            "parties": [{"id": f"P{p}", "label": T, "kind": "state"} for p in range(parties)],
            "issues": issues,
            "positions": positions,
        }
    )


@cache
def _result(blob: str) -> dict[str, Any]:
    import json

    return compute(json.loads(blob))


def _hold(case) -> Interval:
    import json

    job = stress_job(
        case.instrument,
        case.threat,
        case.forces,
        draws=DRAWS,
        seed=7,
        shapley_draws=0,
        version="test",
    )
    holds = _result(json.dumps(job, sort_keys=True))["holds"]
    return Interval(holds["value"], holds["low"], holds["high"])


def _pareto(rows: list[tuple[int, ...]]) -> set[tuple[int, ...]]:
    return {
        r
        for r in rows
        if not any(all(o[k] >= r[k] for k in range(len(r))) and o != r for o in rows)
    }


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("threshold", [0.0, 0.85, 0.9])
def test_the_enforceable_set_equals_brute_force(shipped, seed, threshold):
    negotiation = _negotiation(seed)
    setting = replace(shipped.setting, negotiation=negotiation)
    problem = compile_problem(negotiation)
    issues = enforcement_issues(negotiation, setting.enforcement)
    found = candidates(problem, issues)
    evaluator = Evaluator(setting)
    hold = {key: _hold(evaluator.case(found.options(key))) for key in found.distinct()}
    result = search(found, hold, threshold)
    fast = {(*map(int, found.scores[i]), round(result.hold[i] * SCALE)) for i in result.enforceable}

    deals = np.array(list(itertools.product(*(range(len(o)) for o in problem.options))))
    ok = deals[problem.acceptable(deals)]
    rows = []
    gains = []
    for deal in ok:
        options = {
            issue: problem.options[i][int(deal[i])] for i, issue in enumerate(problem.issues)
        }
        p = _hold(evaluate(setting, options)).value  # a fresh chain for every deal
        if p >= threshold:
            score = problem.scores(deal[None, :])[0]
            rows.append((*map(int, score), round(p * SCALE)))
            gains.append([int(v) for v in score - problem.reservation])
    assert fast == _pareto(rows)
    # The bargaining solutions among enforceable deals: the largest Nash product, the largest
    # least gain.
    if not gains:
        assert result.nash is None and result.egalitarian is None
        return
    best_product = max(int(np.prod(g)) if min(g) > 0 else 0 for g in gains)
    at = result.nash
    if best_product > 0:
        assert at is not None
        got = [int(v) for v in found.scores[at] - problem.reservation]
        assert int(np.prod(got)) == best_product
    got_min = int((found.scores[result.egalitarian] - problem.reservation).min())
    assert got_min == max(min(g) for g in gains)


@pytest.mark.parametrize("threshold", [-0.1, 1.5, float("nan")])
def test_a_threshold_outside_0_1_is_refused(shipped, threshold):
    negotiation = _negotiation(0)
    found = candidates(compile_problem(negotiation), ("territory_donetsk",))
    with pytest.raises(InvalidInput) as raised:
        search(found, {}, threshold)
    assert raised.value.diagnostics[0].path == ("min_hold",)


COUNTRIES = ["USA", "GBR", "FRA", "DEU"]
CAPABILITIES = ["land_brigade_medium", "land_brigade_heavy", "fighter_squadron"]
ZONES = ["rear_area", "contact_line", "neighbouring_states"]


@settings(max_examples=12, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(COUNTRIES),
            st.sampled_from(CAPABILITIES),
            st.integers(1, 3),
            st.sampled_from(ZONES),
            st.sampled_from([7, 30, 90, 180]),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_a_package_that_grows_never_makes_a_deal_less_enforceable(shipped, added):
    negotiation = _negotiation(3)
    base = replace(shipped.setting, negotiation=negotiation)
    offers = tuple(
        Offer(
            country=c,
            capability=cap,
            quantity=n,
            role="reassurance",
            zone=zone,
            readiness_days=days,
            duration_months=60,
        )
        for c, cap, n, zone, days in added
    )
    grown = replace(
        base, package=base.package.model_copy(update={"offers": base.package.offers + offers})
    )
    before, after = Evaluator(base), Evaluator(grown)
    for territory, form, who in itertools.product(
        ("cede_rest", "freeze", "return_all"),
        ("article5-like", "budapest-like"),
        ("us_europe", "europe_only"),
    ):
        options = {
            "territory_donetsk": territory,
            "guarantee_form": form,
            "guarantors": who,
            "other": "o0",
        }
        assert _hold(after.case(options)).value >= _hold(before.case(options)).value, options
