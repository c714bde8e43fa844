"""The Monte Carlo stress test: determinism, the decision rules, the attacker's veto,
Shapley efficiency, and clear errors before any work starts."""

from __future__ import annotations

import json
from dataclasses import asdict

import numpy as np
import pytest

from guarantor.model.diagnostics import InvalidInput
from guarantor.model.instrument import Instrument, Threat
from guarantor.simulate.attrition import lanchester
from guarantor.simulate.stress import GuarantorForces, stress_test

T = {"en": "x", "ar": "س"}


def fig(value):
    return {"value": value, "unit": "", "assumption": True}


def instrument(
    rule="each_decides", guarantors=("AAA", "BBB", "CCC"), p=0.7, rho=0.3, backstop=None, **extra
):
    data = {
        "id": "test",
        "label": T,
        "description": T,
        "form": "collective_defence",
        "decision_rule": rule,
        "guarantors": [{"country": c} for c in guarantors],
        "act_probability": fig(p),
        "consult_days": fig(3),
        "exposed_boost": fig(0.2),
        "correlation": fig(rho),
        **extra,
    }
    if backstop:
        data["backstop"] = {"country": backstop, "factor": fig(0.3)}
    return Instrument.model_validate(data)


def threat(attacker="RRR", strength=None, vetoes=(), **extra):
    data = {
        "id": "t",
        "label": T,
        "attacker": attacker,
        "protected_state": "PPP",
        "attacker_strength": strength or {"kind": "lognormal", "median": 30, "sigma": 0.3},
        "warning_days": {"kind": "uniform", "low": 0, "high": 10},
        "defender_strength": fig(10),
        "axes": [
            {"id": "n", "label": T, "probability": 0.5, "defender_share": fig(1.0)},
            {"id": "s", "label": T, "probability": 0.5, "defender_share": fig(0.8)},
        ],
        "attacker_effectiveness": fig(0.02),
        "defender_effectiveness": fig(0.05),
        "breakthrough_ratio": fig(3.0),
        "culmination_loss": fig(0.4),
        "horizon_days": 90,
        "veto_holders": list(vetoes),
        "un_support": fig(0.5),
        **extra,
    }
    return Threat.model_validate(data)


FORCES = [
    GuarantorForces("AAA", 4, ((6, 30),), exposed=True),
    GuarantorForces("BBB", 2, ((3, 10),)),
    GuarantorForces("CCC", 0, ((5, 60),)),
]


def run(inst, thr, forces=FORCES, seed=1, draws=4000):
    return stress_test(
        inst, thr, forces, np.random.default_rng(seed), draws=draws, shapley_draws=1000
    )


def test_same_seed_same_result_and_ci_covers_another_seed():
    first = run(instrument(), threat(), seed=11)
    again = run(instrument(), threat(), seed=11)
    other = run(instrument(), threat(), seed=12, draws=20_000)
    assert first == again
    assert first.holds.low <= other.holds.value <= first.holds.high
    assert 0.0 < first.holds.value < 1.0


def test_outcome_shares_add_up():
    result = run(instrument(), threat())
    total = result.held_by_culmination + result.held_to_horizon + result.broke_through
    assert total == pytest.approx(1.0)
    assert result.holds.value == pytest.approx(result.held_by_culmination + result.held_to_horizon)


def test_more_forces_hold_more_often():
    weak = run(instrument(p=0.9), threat())
    strong = run(
        instrument(p=0.9),
        threat(),
        forces=[
            GuarantorForces(f.country, f.in_theatre * 4, tuple((v * 4, d) for v, d in f.tranches))
            for f in FORCES
        ],
    )
    assert strong.holds.value > weak.holds.high


def test_deterministic_case_matches_the_attrition_core():
    """Everyone acts, fixed attack, no reinforcements: the outcome is the Lanchester one."""
    forces = [GuarantorForces("AAA", 5)]
    fixed = threat(
        strength={"kind": "fixed", "low": 40},
        axes=[{"id": "n", "label": T, "probability": 1.0, "defender_share": fig(1.0)}],
    )
    result = run(instrument(guarantors=("AAA",), p=1.0), fixed, forces=forces, draws=50)
    battle = lanchester(15.0, 40.0, 0.02, 0.05, 90)  # x defender, y attacker
    ratio = battle.y / np.maximum(battle.x, 1e-9)
    culminated = np.flatnonzero(battle.y <= 0.6 * 40.0)
    broke = np.flatnonzero(ratio >= 3.0)
    expected = culminated.size and (not broke.size or culminated[0] < broke[0])
    assert result.holds.value == (1.0 if expected else 0.0)


def test_an_attacker_with_a_veto_disables_a_consensus_guarantee():
    guarantors = ("AAA", "BBB", "RRR")  # the attacker is among the guarantors
    forces = FORCES[:2]
    consensus = run(
        instrument(rule="consensus", guarantors=guarantors, p=0.95), threat(), forces=forces
    )
    alone = run(
        instrument(rule="each_decides", guarantors=guarantors, p=0.95), threat(), forces=forces
    )
    nobody = run(
        instrument(rule="each_decides", guarantors=("AAA",), p=0.0),
        threat(),
        forces=[GuarantorForces("AAA", 0)],
    )
    rrr = next(g for g in consensus.guarantors if g.country == "RRR")
    assert all(g.acts.value == 0.0 for g in consensus.guarantors)
    assert consensus.holds.value == pytest.approx(nobody.holds.value, abs=0.03)
    assert alone.holds.value > consensus.holds.high
    assert rrr.shapley.value < 0  # its veto costs the guarantee: it contributes negatively
    assert rrr.shapley.high < 0


def test_un_rule_is_blocked_by_an_attacking_veto_holder():
    blocked = run(instrument(rule="un_security_council"), threat(vetoes=("RRR", "AAA")))
    assert all(g.acts.value == 0.0 for g in blocked.guarantors)
    open_ = run(
        instrument(rule="un_security_council", p=0.9), threat(vetoes=("AAA",), attacker="ZZZ")
    )
    assert open_.guarantors[1].acts.value > 0.5


def test_backstop_lowers_the_others_when_it_stays_out():
    with_backstop = run(instrument(p=0.8, backstop="CCC"), threat())
    without = run(instrument(p=0.8), threat())
    assert with_backstop.guarantors[1].acts.value < without.guarantors[1].acts.low


def test_exposed_forces_make_a_guarantor_more_likely_to_act():
    result = run(instrument(p=0.5, rho=0.0), threat(), draws=20_000)
    exposed, other = result.guarantors[0], result.guarantors[1]
    assert exposed.acts.value == pytest.approx(0.7, abs=0.02)
    assert other.acts.value == pytest.approx(0.5, abs=0.02)


def test_correlation_ties_decisions_together():
    def both_act(rho):
        result = run(
            instrument(p=0.5, rho=rho, guarantors=("BBB", "CCC")),
            threat(),
            forces=FORCES[1:],
            draws=20_000,
        )
        return result

    independent, tied = both_act(0.0), both_act(1.0)
    # With equal probabilities and full correlation both act together: committed forces
    # then co-vary; the joint action rate shows in P(holds) dispersion, the marginals stay.
    assert independent.guarantors[0].acts.value == pytest.approx(0.5, abs=0.02)
    assert tied.guarantors[0].acts.value == pytest.approx(tied.guarantors[1].acts.value, abs=1e-9)


def test_shapley_values_add_up_to_what_the_guarantee_adds():
    def full(p, boost):
        rng = np.random.default_rng(3)
        inst = instrument(p=p, exposed_boost=fig(boost))
        return stress_test(inst, threat(), FORCES, rng, draws=2000, shapley_draws=2000)

    result, nobody = full(0.8, 0.2), full(0.0, 0.0)
    total = sum(g.shapley.value for g in result.guarantors)
    # Efficiency: on the same draws the values add up to v(all) - v(nobody acts) exactly.
    assert total == pytest.approx(result.holds.value - nobody.holds.value, abs=1e-9)
    assert result.holds.value - nobody.holds.value > 0.1
    assert result.shapley_exact


@pytest.mark.parametrize(
    ("kwargs", "code", "path"),
    [
        ({"inst": {"p": 1.5}}, "value.out_of_range", "act_probability"),
        ({"inst": {"rho": -0.1}}, "value.out_of_range", "correlation"),
        ({"forces": [GuarantorForces("AAA", -1)]}, "value.negative", "forces[0].in_theatre"),
        ({"forces": [GuarantorForces("XYZ", 1)]}, "guarantor.not_in_instrument", "forces"),
        (
            {"forces": [GuarantorForces("AAA", 1, ((1, 10), (-1, 5)))]},
            "value.negative",
            "forces[0].tranches[1]",
        ),
        (
            {"forces": [GuarantorForces("AAA", 1, ((1, float("inf")),))]},
            "value.negative",
            "forces[0].tranches[0]",
        ),
        (
            {"forces": [GuarantorForces("AAA", 1, ((1, 10),)), GuarantorForces("BBB", 1, [[1]])]},
            "value.wrong_type",
            "forces[1].tranches[0]",
        ),
        ({"draws": 0}, "draws.out_of_range", "draws"),
        ({"draws": 10**9}, "draws.out_of_range", "draws"),
    ],
)
def test_bad_input_is_refused_before_work_starts(kwargs, code, path):
    inst = instrument(**kwargs.get("inst", {}))
    with pytest.raises(InvalidInput) as caught:
        stress_test(
            inst,
            threat(),
            kwargs.get("forces", FORCES),
            np.random.default_rng(0),
            draws=kwargs.get("draws", 100),
        )
    assert (code, path) in {(d.code, d.path_text()) for d in caught.value.diagnostics}


def test_an_instrument_without_guarantors_is_invalid():
    with pytest.raises(ValueError, match="at least one guarantor"):
        instrument(guarantors=())
    with pytest.raises(ValueError, match="add up to 1"):
        threat(axes=[{"id": "n", "label": T, "probability": 0.4, "defender_share": fig(1)}])


@pytest.mark.parametrize("rule", ["each_decides", "consensus", "un_security_council"])
def test_numba_and_numpy_backends_give_identical_results(rule):
    pytest.importorskip("numba")
    inst = instrument(rule=rule, guarantors=("AAA", "BBB", "RRR"), backstop="BBB")
    thr = threat(vetoes=("AAA", "ZZZ"), law="linear" if rule == "consensus" else "square")
    forces = [
        GuarantorForces("AAA", 4, ((6, 30),), exposed=True),
        GuarantorForces("BBB", 2, ((3, 10),)),
    ]
    runs = [
        stress_test(
            inst,
            thr,
            forces,
            np.random.default_rng(5),
            draws=3000,
            shapley_draws=200,
            backend=backend,
        )
        for backend in ("numpy", "numba")
    ]
    assert runs[0] == runs[1]


@pytest.mark.parametrize("law", ["square", "linear"])
def test_numba_and_numpy_agree_with_several_tranches(law):
    pytest.importorskip("numba")
    inst = instrument(guarantors=("AAA", "BBB", "CCC"), backstop="BBB")
    forces = [
        GuarantorForces("AAA", 4, ((2, 3), (3, 30), (1, 200)), exposed=True),
        GuarantorForces("BBB", 2, ((3, 10),)),
        GuarantorForces("CCC", 0, ((1, 5), (0, 8), (2, 5), (2.5, 12.5))),
    ]
    runs = [
        stress_test(
            inst,
            threat(law=law),
            forces,
            np.random.default_rng(9),
            draws=3000,
            shapley_draws=200,
            backend=backend,
        )
        for backend in ("numpy", "numba")
    ]
    assert runs[0] == runs[1]
    # What each guarantor commits counts all its tranches.
    acts = runs[0].guarantors[2].acts.value
    assert runs[0].guarantors[2].committed.value == pytest.approx(5.5 * acts)


def test_tranches_on_one_day_are_one_tranche():
    """Two tranches with the same readiness arrive together, as their sum would."""
    split = [*FORCES[:2], GuarantorForces("CCC", 0, ((2, 60), (3, 60)))]
    assert run(instrument(), threat(), forces=split).holds == run(instrument(), threat()).holds


def test_forces_round_trip_through_json():
    for force in [*FORCES, GuarantorForces("DDD", 1.5, ((1.0, 7.0), (2, 180)), exposed=True)]:
        data = json.loads(json.dumps(asdict(force)))
        assert data["tranches"] == [list(t) for t in force.tranches]
        again = GuarantorForces(**data)
        assert again == force
        assert hash(again) == hash(force)
        assert again.reinforcement == sum(v for v, _ in force.tranches)


def test_without_shapley_draws_the_holds_are_the_same_and_no_shapley_is_claimed():
    from guarantor.scenario import load_instrument, load_threat

    instrument, threat = load_instrument("article5-like"), load_threat("ukraine-2025")
    forces = [GuarantorForces("GBR", 1.0, ((1.0, 7.0),)), GuarantorForces("FRA", 0.5)]
    full = stress_test(instrument, threat, forces, np.random.default_rng(5), draws=800)
    bare = stress_test(
        instrument, threat, forces, np.random.default_rng(5), draws=800, shapley_draws=0
    )
    assert bare.holds == full.holds
    assert bare.shapley_draws == 0 and full.shapley_draws > 0
    assert all(g.shapley.value == 0.0 for g in bare.guarantors)
