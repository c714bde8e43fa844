"""The tornado: every ranged input is swung, widest first, with common random numbers."""

from __future__ import annotations

from guarantor.scenario import load_instrument, load_threat
from guarantor.simulate.sensitivity import holds_probability, tornado
from guarantor.simulate.stress import GuarantorForces

FORCES = [
    GuarantorForces("GBR", 1.5, ((0.5, 20),), exposed=True),
    GuarantorForces("FRA", 2),
    GuarantorForces("DEU", 0, ((1, 30),)),
]


def test_tornado_ranks_ranged_inputs_and_reproduces_the_base_value():
    instrument, threat = load_instrument("article5-like"), load_threat("ukraine-2025")
    base, swings = tornado(instrument, threat, FORCES, seed=5, draws=3000)
    assert base == holds_probability(instrument, threat, FORCES, 5, 3000)
    names = [s.name for s in swings]
    assert "threat.defender_effectiveness" in names and "instrument.act_probability" in names
    assert "threat.breakthrough_ratio" not in names  # sourced, no range: not swung
    widths = [s.width for s in swings]
    assert widths == sorted(widths, reverse=True)
    effectiveness = next(s for s in swings if s.name == "threat.defender_effectiveness")
    assert effectiveness.at_high > effectiveness.at_low  # a better defence holds more often
