"""Guarantee instruments and threats: the inputs of a stress test, as data."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from guarantor.model.base import Frozen, Text
from guarantor.model.provenance import Figure

Form = Literal["collective_defence", "assistance_pledge", "assurance", "reassurance_presence"]
DecisionRule = Literal["each_decides", "consensus", "un_security_council"]
Law = Literal["square", "linear"]


class GuarantorRole(Frozen):
    """A guarantor of an instrument; its own probability of acting overrides the form's."""

    country: str
    act_probability: Figure | None = None


class Backstop(Frozen):
    """When this guarantor does not act, the others act with their probability × factor."""

    country: str
    factor: Figure


class Instrument(Frozen):
    """The guarantee's legal form, who gives it, and how they decide to act."""

    id: str
    label: Text
    description: Text
    form: Form
    decision_rule: DecisionRule
    guarantors: tuple[GuarantorRole, ...]
    act_probability: Figure
    """Probability that a guarantor acts when an attack triggers the instrument."""
    consult_days: Figure
    """Days of consultation before assistance starts."""
    exposed_boost: Figure
    """Added probability of acting for a guarantor whose own forces are in the line of fire."""
    correlation: Figure
    """Loading of the common factor in the guarantors' decisions (0 independent, 1 as one)."""
    backstop: Backstop | None = None
    sources: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _has_guarantors(self) -> Instrument:
        if not self.guarantors:
            raise ValueError("an instrument needs at least one guarantor")
        countries = [g.country for g in self.guarantors]
        if len(set(countries)) != len(countries):
            raise ValueError("a guarantor is listed twice")
        return self


class Distribution(Frozen):
    """A random input: ``fixed`` (low), ``uniform`` (low, high), ``triangular`` (low, mode,
    high) or ``lognormal`` (median, sigma)."""

    kind: Literal["fixed", "uniform", "triangular", "lognormal"]
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    median: float | None = None
    sigma: float | None = None
    unit: str = ""
    sources: tuple[str, ...] = ()
    assumption: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _parameters(self) -> Distribution:
        needed = {
            "fixed": ("low",),
            "uniform": ("low", "high"),
            "triangular": ("low", "mode", "high"),
            "lognormal": ("median", "sigma"),
        }
        missing = [p for p in needed[self.kind] if getattr(self, p) is None]
        if missing:
            raise ValueError(f"a {self.kind} distribution needs {', '.join(missing)}")
        if self.kind in ("uniform", "triangular") and self.low > self.high:  # type: ignore[operator]
            raise ValueError("low must not exceed high")
        if self.kind == "triangular" and not self.low <= self.mode <= self.high:  # type: ignore[operator]
            raise ValueError("the mode must lie between low and high")
        if self.kind == "lognormal" and (self.median <= 0 or self.sigma < 0):  # type: ignore[operator]
            raise ValueError("a lognormal needs median > 0 and sigma >= 0")
        return self


class Axis(Frozen):
    """An axis of attack: how likely, and what share of the defence can meet it in time."""

    id: str
    label: Text
    probability: float
    defender_share: Figure


class Threat(Frozen):
    """Who attacks, with what, how much warning, and how the battle is fought."""

    id: str
    label: Text
    attacker: str
    protected_state: str
    attacker_strength: Distribution
    """Attacking force committed to the axis, in medium-brigade equivalents."""
    warning_days: Distribution
    defender_strength: Figure
    """The protected state's own force, in medium-brigade equivalents."""
    axes: tuple[Axis, ...]
    attacker_effectiveness: Figure
    """Lanchester ``a``: defender losses per attacker unit per day."""
    defender_effectiveness: Figure
    """Lanchester ``b``: attacker losses per defender unit per day."""
    breakthrough_ratio: Figure
    culmination_loss: Figure
    """Share of its force the attacker can lose before the offensive culminates."""
    horizon_days: int
    law: Law = "square"
    veto_holders: tuple[str, ...] = ()
    """Permanent members of the UN Security Council (for the UN decision rule)."""
    un_support: Figure | None = None
    """Probability that a veto holder who is neither guarantor nor attacker lets action pass."""
    sources: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _axes(self) -> Threat:
        total = sum(a.probability for a in self.axes)
        if not self.axes or abs(total - 1.0) > 1e-6:
            raise ValueError(f"axis probabilities must add up to 1 (they add up to {total})")
        if not 1 <= self.horizon_days <= 3650:
            raise ValueError("horizon_days must be between 1 and 3650")
        return self
