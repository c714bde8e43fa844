"""One-at-a-time sensitivity of P(holds) to every input that has a range (a tornado).

Each input is set to the low and the high end of its documented range while every other
input keeps its value; all runs use the same seed, so the differences are not noise from
different draws (common random numbers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from guarantor.model.instrument import Instrument, Threat
from guarantor.model.provenance import Figure
from guarantor.simulate.stress import GuarantorForces, _draw, prepare, simulate_function


@dataclass(frozen=True)
class Swing:
    """How far P(holds) moves when one input goes from the low to the high end of its range."""

    name: str
    low: float
    high: float
    at_low: float
    at_high: float

    @property
    def width(self) -> float:
        """The size of the swing, whatever its direction."""
        return abs(self.at_high - self.at_low)


def holds_probability(
    instrument: Instrument, threat: Threat, forces: Sequence[GuarantorForces], seed: int, draws: int
) -> float:
    """P(holds) with every guarantor taking part, no Shapley values (the fast path)."""
    model = prepare(instrument, threat, forces, draws)
    sampled = _draw(model, threat, np.random.default_rng(seed), draws)
    everyone = np.ones((1, len(model.countries)), dtype=bool)
    return float(simulate_function("auto")(model, sampled, everyone)[1].mean())


Variant = Callable[[float], tuple[Instrument, Threat]]


def _inputs(instrument: Instrument, threat: Threat) -> list[tuple[str, Figure, Variant]]:
    def on_instrument(name: str) -> Variant:
        def make(value: float) -> tuple[Instrument, Threat]:
            figure = getattr(instrument, name).with_value(value, "sensitivity")
            return instrument.model_copy(update={name: figure}), threat

        return make

    def on_threat(name: str) -> Variant:
        def make(value: float) -> tuple[Instrument, Threat]:
            figure = getattr(threat, name).with_value(value, "sensitivity")
            return instrument, threat.model_copy(update={name: figure})

        return make

    def on_backstop(value: float) -> tuple[Instrument, Threat]:
        assert instrument.backstop is not None
        backstop = instrument.backstop.model_copy(
            update={"factor": instrument.backstop.factor.with_value(value, "sensitivity")}
        )
        return instrument.model_copy(update={"backstop": backstop}), threat

    found: list[tuple[str, Figure, Variant]] = [
        (f"instrument.{name}", getattr(instrument, name), on_instrument(name))
        for name in ("act_probability", "consult_days", "exposed_boost", "correlation")
    ]
    if instrument.backstop is not None:
        found.append(("instrument.backstop.factor", instrument.backstop.factor, on_backstop))
    for name in (
        "defender_strength",
        "attacker_effectiveness",
        "defender_effectiveness",
        "breakthrough_ratio",
        "culmination_loss",
        "un_support",
    ):
        figure = getattr(threat, name)
        if figure is not None:
            found.append((f"threat.{name}", figure, on_threat(name)))
    return [(name, figure, make) for name, figure, make in found if figure.range is not None]


def tornado(
    instrument: Instrument,
    threat: Threat,
    forces: Sequence[GuarantorForces],
    seed: int,
    draws: int = 5_000,
) -> tuple[float, list[Swing]]:
    """P(holds) at the inputs' values, and the swings, widest first."""
    base = holds_probability(instrument, threat, forces, seed, draws)
    swings = []
    for name, figure, make in _inputs(instrument, threat):
        assert figure.range is not None
        low, high = figure.range
        at = [holds_probability(*make(value), forces, seed, draws) for value in (low, high)]
        swings.append(Swing(name, low, high, at[0], at[1]))
    return base, sorted(swings, key=lambda s: s.width, reverse=True)
