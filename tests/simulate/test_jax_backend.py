"""The JAX backend agrees with the NumPy one (on the CPU here; on a GPU where there is one)."""

from __future__ import annotations

import numpy as np
import pytest

from guarantor.scenario import load_instrument, load_threat
from guarantor.simulate.stress import GuarantorForces, stress_test

jax = pytest.importorskip("jax", reason="the JAX backend is the optional 'gpu' extra")

FORCES = [
    GuarantorForces("GBR", 1.5, ((0.5, 20),), exposed=True),
    GuarantorForces("FRA", 2, ((1, 30),)),
    GuarantorForces("DEU", 0, ((1, 30),)),
    GuarantorForces("USA", 0, ((1, 10), (1, 60))),  # two tranches
]


@pytest.mark.parametrize("instrument", ["article5-like", "istanbul-2022"])
def test_jax_agrees_with_numpy(instrument):
    inst, threat = load_instrument(instrument), load_threat("ukraine-2025")
    forces = [f for f in FORCES if f.country in {g.country for g in inst.guarantors}]
    runs = {
        backend: stress_test(
            inst,
            threat,
            forces,
            np.random.default_rng(3),
            draws=20_000,
            shapley_draws=10,
            backend=backend,
        )
        for backend in ("numpy", "jax")
    }
    numpy_run, jax_run = runs["numpy"], runs["jax"]
    # Same draws and decisions; 32-bit arithmetic may flip a battle on a knife edge.
    assert abs(numpy_run.holds.value - jax_run.holds.value) < 0.005
    assert jax_run.holds.low <= numpy_run.holds.value <= jax_run.holds.high
    assert numpy_run.days_to_end["p50"] == pytest.approx(jax_run.days_to_end["p50"], abs=1)


def test_unknown_backend_is_refused():
    from guarantor.model.diagnostics import InvalidInput

    with pytest.raises(InvalidInput):
        stress_test(
            load_instrument("article5-like"),
            load_threat("ukraine-2025"),
            [],
            np.random.default_rng(0),
            draws=10,
            backend="cuda",
        )
