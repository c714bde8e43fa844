"""The Monte Carlo stress test of a guarantee (documented in ``docs/stress-test.md``).

Per draw: an attack (strength, warning time, axis) is drawn from the threat; each guarantor
decides to act or not (a one-factor Gaussian copula correlates the decisions; the form, the
decision rule, the attacker's veto, a backstop and forces in the line of fire shape them);
the acting guarantors' forces in theatre fight from day 0 and their reinforcements arrive
in tranches, each after its readiness and consultation, less the warning time; the battle
is fought day by day with Lanchester attrition; the defence holds if the attacker
culminates (or the horizon passes) before its strength reaches the breakthrough ratio. All
draws run at once as arrays (coalitions x draws x guarantors); the only Python loop is over
days.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtri

from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.model.instrument import Distribution, Instrument, Threat
from guarantor.model.provenance import Figure
from guarantor.simulate.parallel import run_all
from guarantor.simulate.shapley import (
    ShapleyEstimate,
    all_coalitions,
    shapley_from_values,
    shapley_sampled,
)

MAX_CELLS = 400_000_000
"""draws x guarantors x days above which a run is refused before it starts (memory)."""
EXACT_SHAPLEY_UP_TO = 12
BATCH_CELLS = 20_000_000


Tranche = tuple[float, float]
"""(combat value, readiness days): reinforcements that arrive together."""


@dataclass(frozen=True)
class GuarantorForces:
    """What one guarantor brings: combat value in theatre (fights from day 0 if it acts),
    combat value that must travel, in tranches of (combat value, readiness days) that each
    arrive on their own day, and whether it stands in the line of fire.

    Tranches, not one arrival at a mean readiness: a package that grows (a tranche added, a
    value raised) then never arrives later, so it never lowers P(holds) on the same draws.
    Lists are accepted for tranches (what JSON makes of tuples) and stored as tuples, so
    ``GuarantorForces(**json.loads(json.dumps(asdict(f)))) == f``."""

    country: str
    in_theatre: float
    tranches: tuple[Tranche, ...] = ()
    exposed: bool = False

    def __post_init__(self) -> None:
        tranches: Any = self.tranches
        object.__setattr__(
            self,
            "tranches",
            tuple(tuple(t) if isinstance(t, (list, tuple)) else t for t in tranches),
        )

    @property
    def reinforcement(self) -> float:
        """The combat value of all its tranches."""
        return float(sum(value for value, _ in self.tranches))


def _is_tranche(tranche: object) -> bool:
    return (
        isinstance(tranche, tuple)
        and len(tranche) == 2
        and all(isinstance(v, Real) and not isinstance(v, bool) for v in tranche)
    )


def _tranche_arrays(
    countries: Sequence[str], by_country: dict[str, GuarantorForces]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Combat value and readiness of each guarantor's tranches, (G, K), in the given order,
    padded with zeros (K is the most tranches any guarantor has, at least 1)."""
    rows = [
        [t for t in by_country[c].tranches if _is_tranche(t)] if c in by_country else []
        for c in countries
    ]
    width = max([1, *(len(r) for r in rows)])
    value, readiness = np.zeros((len(countries), width)), np.zeros((len(countries), width))
    for g, row in enumerate(rows):
        for k, (v, d) in enumerate(row):
            value[g, k], readiness[g, k] = float(v), float(d)
    return value, readiness


@dataclass(frozen=True)
class Interval:
    """An estimate with a 95 % confidence interval."""

    value: float
    low: float
    high: float


@dataclass(frozen=True)
class GuarantorResult:
    """One guarantor's part: how often it acts, what it commits, what it contributes."""

    country: str
    acts: Interval
    committed: Interval
    shapley: Interval


@dataclass(frozen=True)
class StressResult:
    """The outcome distribution of a stress test."""

    instrument: str
    threat: str
    draws: int
    holds: Interval
    held_by_culmination: float
    held_to_horizon: float
    broke_through: float
    days_to_end: dict[str, float]
    """Quantiles (p10, p50, p90) of the day the battle ended (culmination or breakthrough)."""
    guarantors: tuple[GuarantorResult, ...]
    shapley_exact: bool
    shapley_draws: int


def _value(
    figure: Figure,
    name: str,
    problems: list[Diagnostic],
    *,
    low: float = 0.0,
    high: float = math.inf,
) -> float:
    value = figure.value
    if value is None or not low <= value <= high:
        problems.append(
            Diagnostic(
                code="value.out_of_range",
                path=(name,),
                params={"value": value, "low": low, "high": high},
            )
        )
        return low
    return float(value)


def _check_distribution(dist: Distribution, name: str, problems: list[Diagnostic]) -> None:
    values = [v for v in (dist.low, dist.high, dist.mode, dist.median) if v is not None]
    if any(v < 0 for v in values):
        problems.append(
            Diagnostic(code="value.negative", path=(name,), params={"value": min(values)})
        )


def sample(dist: Distribution, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
    """``n`` draws of a distribution."""
    if dist.kind == "fixed":
        return np.full(n, float(dist.low or 0.0))
    if dist.kind == "uniform":
        return rng.uniform(float(dist.low or 0.0), float(dist.high or 0.0), n)
    if dist.kind == "triangular":
        low, mode, high = float(dist.low or 0), float(dist.mode or 0), float(dist.high or 0)
        return low + np.zeros(n) if low == high else rng.triangular(low, mode, high, n)
    return float(dist.median or 1.0) * np.exp(float(dist.sigma or 0.0) * rng.standard_normal(n))


@dataclass(frozen=True)
class _Model:
    """Validated numbers of one stress test."""

    countries: tuple[str, ...]
    probability: NDArray[np.float64]  # (G,) before the backstop
    in_theatre: NDArray[np.float64]
    reinforcement: NDArray[np.float64]  # (G, K) combat value per tranche, zero padded
    readiness: NDArray[np.float64]  # (G, K) readiness days per tranche, zero padded
    backstop: int | None
    backstop_factor: float
    rule: str
    consult: float
    correlation: float
    veto_guarantors: NDArray[np.intp]  # guarantor indices that hold a veto (UN rule)
    outside_vetoes: int  # veto holders that are not guarantors (nor the attacker)
    attacker_vetoes: bool
    un_support: float
    threshold: NDArray[np.float64]  # (G,) a guarantor decides to act when its latent is below
    backstop_threshold: NDArray[np.float64]  # (G,) the same once the backstop stays out
    un_threshold: float  # a veto holder outside the coalition votes yes below this latent
    defender: float
    a: float
    b: float
    breakthrough: float
    culmination: float
    horizon: int
    law: str


def prepare(
    instrument: Instrument, threat: Threat, forces: Sequence[GuarantorForces], draws: int
) -> _Model:
    """Check every input before any work starts; raise :class:`InvalidInput` naming fields."""
    problems: list[Diagnostic] = []
    by_country = {f.country: f for f in forces}
    if draws < 1 or draws * len(instrument.guarantors) * threat.horizon_days > MAX_CELLS:
        problems.append(
            Diagnostic(
                code="draws.out_of_range",
                path=("draws",),
                params={
                    "value": draws,
                    "limit": MAX_CELLS // max(1, len(instrument.guarantors) * threat.horizon_days),
                },
            )
        )
    for index, force in enumerate(forces):
        if not math.isfinite(force.in_theatre) or force.in_theatre < 0:
            problems.append(
                Diagnostic(
                    code="value.negative",
                    path=("forces", index, "in_theatre"),
                    params={"value": force.in_theatre, "country": force.country},
                )
            )
        for number, tranche in enumerate(force.tranches):
            where = ("forces", index, "tranches", number)
            if not _is_tranche(tranche):
                problems.append(
                    Diagnostic(
                        code="value.wrong_type",
                        path=where,
                        params={
                            "expected": "(combat value, readiness days)",
                            "found": type(tranche).__name__,
                            "value": repr(tranche),
                            "country": force.country,
                        },
                    )
                )
                continue
            bad = [v for v in tranche if not math.isfinite(v) or v < 0]
            if bad:
                problems.append(
                    Diagnostic(
                        code="value.negative",
                        path=where,
                        params={"value": bad[0], "country": force.country},
                    )
                )
    known = {g.country for g in instrument.guarantors}
    for force in forces:
        if force.country not in known:
            problems.append(
                Diagnostic(
                    code="guarantor.not_in_instrument",
                    path=("forces",),
                    params={"value": force.country, "instrument": instrument.id},
                )
            )
    probability = []
    for index, role in enumerate(instrument.guarantors):
        figure = role.act_probability or instrument.act_probability
        path = f"guarantors[{index}].act_probability" if role.act_probability else "act_probability"
        base = _value(figure, path, problems, high=1.0)
        boost = _value(instrument.exposed_boost, "exposed_boost", problems, high=1.0)
        exposed = by_country.get(role.country, GuarantorForces(role.country, 0)).exposed
        p = min(1.0, base + (boost if exposed else 0.0))
        probability.append(0.0 if role.country == threat.attacker else p)
    consult = _value(instrument.consult_days, "consult_days", problems, high=365)
    correlation = _value(instrument.correlation, "correlation", problems, high=1.0)
    factor = (
        _value(instrument.backstop.factor, "backstop.factor", problems, high=1.0)
        if instrument.backstop
        else 1.0
    )
    countries = tuple(g.country for g in instrument.guarantors)
    backstop = None
    if instrument.backstop:
        if instrument.backstop.country not in countries:
            problems.append(
                Diagnostic(
                    code="guarantor.not_in_instrument",
                    path=("backstop",),
                    params={"value": instrument.backstop.country, "instrument": instrument.id},
                )
            )
        else:
            backstop = countries.index(instrument.backstop.country)
    _check_distribution(threat.attacker_strength, "attacker_strength", problems)
    _check_distribution(threat.warning_days, "warning_days", problems)
    for index, axis in enumerate(threat.axes):
        _value(axis.defender_share, f"axes[{index}].defender_share", problems, high=1.0)
    un_support = (
        _value(threat.un_support, "un_support", problems, high=1.0) if threat.un_support else 0.0
    )
    reinforcement, readiness = _tranche_arrays(countries, by_country)
    model = _Model(
        countries=countries,
        probability=np.array(probability),
        in_theatre=np.array(
            [by_country[c].in_theatre if c in by_country else 0.0 for c in countries]
        ),
        reinforcement=reinforcement,
        readiness=readiness,
        backstop=backstop,
        backstop_factor=factor,
        rule=instrument.decision_rule,
        consult=consult,
        correlation=correlation,
        veto_guarantors=np.array(
            [
                i
                for i, c in enumerate(countries)
                if c in threat.veto_holders and c != threat.attacker
            ],
            dtype=np.intp,
        ),
        outside_vetoes=sum(
            1 for h in threat.veto_holders if h not in countries and h != threat.attacker
        ),
        attacker_vetoes=threat.attacker in threat.veto_holders,
        un_support=un_support,
        # u < p with u = Phi(latent) is latent < Phi^-1(p): the decisions need no CDF per draw.
        threshold=ndtri(np.array(probability)),
        backstop_threshold=ndtri(np.array(probability) * factor),
        un_threshold=float(ndtri(un_support)),
        defender=_value(threat.defender_strength, "defender_strength", problems),
        a=_value(threat.attacker_effectiveness, "attacker_effectiveness", problems),
        b=_value(threat.defender_effectiveness, "defender_effectiveness", problems),
        breakthrough=_value(threat.breakthrough_ratio, "breakthrough_ratio", problems, low=1e-9),
        culmination=_value(threat.culmination_loss, "culmination_loss", problems, high=1.0),
        horizon=threat.horizon_days,
        law=threat.law,
    )
    if problems:
        # A figure shared by every guarantor is reported once, not once per guarantor.
        unique = {(d.code, d.path, str(d.params)): d for d in problems}
        raise InvalidInput(unique.values())
    return model


@dataclass(frozen=True)
class _Draws:
    attacker: NDArray[np.float64]  # (D,)
    warning: NDArray[np.float64]  # (D,)
    share: NDArray[np.float64]  # (D,)
    common: NDArray[np.float64]  # (D,) the copula's common factor
    own: NDArray[np.float64]  # (D, G) each guarantor's own factor
    outside: NDArray[np.float64]  # (D, H) votes of veto holders outside the instrument

    def head(self, n: int) -> _Draws:
        """The first ``n`` draws."""
        return _Draws(
            self.attacker[:n],
            self.warning[:n],
            self.share[:n],
            self.common[:n],
            self.own[:n],
            self.outside[:n],
        )


DRAWS_CHUNK = 8192
"""Draws made from one child generator: fixed, so that the numbers do not depend on how many
threads make them."""


def _draw(model: _Model, threat: Threat, rng: np.random.Generator, n: int) -> _Draws:
    """``n`` draws, chunk by chunk from generators spawned from ``rng`` and made on threads
    (NumPy releases the GIL while it fills arrays): the same numbers for the same seed on
    any machine, in a fraction of the time on several cores."""
    weights = np.cumsum([a.probability for a in threat.axes])
    weights /= weights[-1]
    shares = np.array([float(a.defender_share.value or 0.0) for a in threat.axes])
    attacker, warning, share = np.empty(n), np.empty(n), np.empty(n)
    outside = np.empty((n, max(model.outside_vetoes, 1)))
    normals = np.empty((n, len(model.countries) + 1))
    starts = range(0, n, DRAWS_CHUNK)
    # Children are SFC64: the stress test spends most of its time drawing normals, and
    # SFC64 draws them a sixth faster than the default PCG64 (same seed, same numbers).
    # The children's seeds come from ``rng`` itself, so any Generator will do.
    root = np.random.SeedSequence(rng.integers(0, 2**63, size=4).tolist())
    children = [np.random.Generator(np.random.SFC64(seeds)) for seeds in root.spawn(len(starts))]

    def fill(i: int) -> None:
        rows, child = slice(starts[i], starts[i] + DRAWS_CHUNK), children[i]
        size = len(attacker[rows])
        attacker[rows] = sample(threat.attacker_strength, child, size)
        warning[rows] = sample(threat.warning_days, child, size)
        axis = np.searchsorted(weights, child.random(size), side="right")
        share[rows] = shares[np.minimum(axis, len(shares) - 1)]
        child.random(out=outside[rows])
        child.standard_normal(out=normals[rows])

    run_all(fill, range(len(starts)))
    return _Draws(attacker, warning, share, normals[:, 0], normals[:, 1:], outside)


def _latent(model: _Model, draws: _Draws) -> NDArray[np.float64]:
    """The one-factor Gaussian copula: each guarantor's latent propensity, (D, G)."""
    rho = model.correlation
    return math.sqrt(rho) * draws.common[:, None] + math.sqrt(1.0 - rho) * draws.own


def _act(model: _Model, draws: _Draws, members: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Who acts, per coalition of participating guarantors: (C, D, G)."""
    latent = _latent(model, draws)[None, :, :]
    decide = latent < model.threshold
    if model.backstop is not None:
        present = members[:, None, model.backstop]
        missing = present & ~decide[..., model.backstop] | ~present
        threshold = np.where(missing[..., None], model.backstop_threshold, model.threshold)
        threshold[..., model.backstop] = model.threshold[model.backstop]
        decide = latent < threshold
    inside = members[:, None, :]
    decide = decide & inside
    if model.rule == "consensus":
        # Every participating guarantor holds a veto: one refusal stops collective action.
        agreed = np.all(decide | ~inside, axis=2, keepdims=True)
        return np.asarray(decide & agreed, dtype=bool)
    if model.rule == "un_security_council":
        passed = np.ones(decide.shape[:2], dtype=bool)
        if model.attacker_vetoes:
            passed[:] = False
        for index in model.veto_guarantors:
            vote = np.where(
                members[:, None, index],
                decide[..., index],
                latent[..., index] < model.un_threshold,
            )
            passed &= vote
        if model.outside_vetoes:
            passed &= np.all(draws.outside < model.un_support, axis=1)[None, :]
        return np.asarray(decide & passed[..., None], dtype=bool)
    return np.asarray(decide, dtype=bool)


def _defender_start(model: _Model, act: NDArray[np.bool_]) -> NDArray[np.float64]:
    """The defender's own strength plus the acting guarantors' forces in theatre, (C, D),
    summed guarantor by guarantor (every backend adds in this order, so they agree to the
    last bit)."""
    total = np.full(act.shape[:2], model.defender)
    for g in range(act.shape[2]):
        total = total + act[..., g] * model.in_theatre[g]
    return total


def _battle(
    model: _Model, draws: _Draws, act: NDArray[np.bool_]
) -> tuple[NDArray[np.bool_], NDArray[np.int64], NDArray[np.int64]]:
    """Fight every (coalition, draw) battle: holds, end day, how it ended (0 culmination,
    1 breakthrough, 2 horizon)."""
    share = draws.share[None, :]
    defender = _defender_start(model, act) * share
    attacker0 = np.broadcast_to(draws.attacker[None, :], defender.shape).copy()
    attacker = attacker0.copy()
    schedule = _schedule(
        act[..., None] * model.reinforcement, _arrival(model, draws), model.horizon
    )  # (C, D, T)
    open_ = np.ones(defender.shape, dtype=bool)
    holds = np.zeros(defender.shape, dtype=bool)
    end = np.full(defender.shape, model.horizon, dtype=np.int64)
    how = np.full(defender.shape, 2, dtype=np.int64)
    floor = 1e-9
    for day in range(model.horizon):
        defender = defender + schedule[..., day] * share
        broke = open_ & (attacker >= model.breakthrough * np.maximum(defender, floor))
        culminated = open_ & ~broke & (attacker <= (1.0 - model.culmination) * attacker0)
        end = np.where(broke | culminated, day, end)
        how = np.where(broke, 1, np.where(culminated, 0, how))
        holds |= culminated
        open_ &= ~(broke | culminated)
        if not open_.any():
            break
        if model.law == "square":
            loss_d, loss_a = model.a * attacker, model.b * defender
        else:
            loss_d, loss_a = model.a * attacker * defender, model.b * attacker * defender
        defender = np.maximum(defender - loss_d, 0.0)
        attacker = np.maximum(attacker - loss_a, 0.0)
    holds |= open_  # neither culmination nor breakthrough within the horizon: the line held
    return holds, end, how


def _arrival(model: _Model, draws: _Draws) -> NDArray[np.int64]:
    """The day each tranche arrives, (D, G, K): consultation, then readiness less warning."""
    return np.rint(
        model.consult + np.maximum(model.readiness[None, :, :] - draws.warning[:, None, None], 0.0)
    ).astype(np.int64)


def _schedule(
    reinforcement: NDArray[np.float64], arrival: NDArray[np.int64], horizon: int
) -> NDArray[np.float64]:
    """Combat value arriving per (coalition, draw, day), from the value (C, D, ...) that
    arrives on day ``arrival`` (D, ...): one scatter-add, not a pass per day. A day's
    arrivals are summed guarantor by guarantor, tranche by tranche (as the Numba kernel)."""
    coalitions, draws = reinforcement.shape[:2]
    reinforcement = reinforcement.reshape(coalitions, draws, -1)
    arrival = arrival.reshape(draws, -1)
    day = np.broadcast_to(arrival[None, :, :], reinforcement.shape)
    inside = day < horizon
    cell = (
        np.arange(coalitions)[:, None, None] * draws + np.arange(draws)[None, :, None]
    ) * horizon + np.minimum(day, horizon - 1)
    flat = np.bincount(
        cell[inside], weights=reinforcement[inside], minlength=coalitions * draws * horizon
    )
    return np.asarray(flat, dtype=np.float64).reshape(coalitions, draws, horizon)


Battle = Callable[
    ["_Model", "_Draws", NDArray[np.bool_]],
    tuple[NDArray[np.bool_], NDArray[np.int64], NDArray[np.int64]],
]
Outcome = tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.int64], NDArray[np.int64]]
"""Who acts (C, D, G); holds, end day and how it ended (C, D)."""
Simulate = Callable[["_Model", "_Draws", NDArray[np.bool_]], Outcome]
BACKENDS = ("auto", "numba", "numpy", "jax")


def simulate_function(backend: str) -> Simulate:
    """Decisions and battles of a backend, for coalitions of participating guarantors:
    ``simulate(model, draws, members)`` with ``members`` (C, G). Numba decides and fights
    in one compiled pass per draw; NumPy and JAX decide with NumPy, then fight."""
    if backend not in BACKENDS:
        raise InvalidInput(
            [
                Diagnostic(
                    code="value.not_in_choices",
                    path=("backend",),
                    params={"value": backend, "choices": list(BACKENDS)},
                )
            ]
        )
    fight: Battle = _battle
    if backend == "jax":
        from guarantor.simulate import jax_backend

        fight = jax_backend.battle
    else:
        from guarantor.simulate import numba_backend

        if backend == "numba" or (backend == "auto" and numba_backend.available()):
            return numba_backend.simulate

    def simulate(model: _Model, draws: _Draws, members: NDArray[np.bool_]) -> Outcome:
        act = _act(model, draws, members)
        return (act, *fight(model, draws, act))

    return simulate


def _wilson(successes: float, n: int, z: float = 1.96) -> Interval:
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


def _mean(values: NDArray[np.float64]) -> Interval:
    mean = float(values.mean())
    half = 1.96 * float(values.std(ddof=1)) / math.sqrt(len(values)) if len(values) > 1 else 0.0
    return Interval(mean, mean - half, mean + half)


def stress_test(
    instrument: Instrument,
    threat: Threat,
    forces: Sequence[GuarantorForces],
    rng: np.random.Generator,
    *,
    draws: int = 10_000,
    shapley_draws: int = 500,
    shapley_permutations: int = 400,
    backend: str = "auto",
) -> StressResult:
    """Run the stress test; a new :class:`StressResult`, the inputs untouched.

    ``backend`` fights the battles: ``numba`` (compiled, one loop per draw that stops when
    its battle ends; identical results), ``numpy`` (elementwise), ``jax`` (the main battles
    on a GPU when JAX has one; 32-bit, agrees statistically) or ``auto`` (numba where it is
    installed, else numpy). The draws and decisions are the same with every backend."""
    run = simulate_function(backend)
    model = prepare(instrument, threat, forces, draws)
    sampled = _draw(model, threat, rng, draws)
    everyone = np.ones((1, len(model.countries)), dtype=bool)
    act, holds, end, how = (array[0] for array in run(model, sampled, everyone))
    # The many small Shapley battles stay on the CPU: a GPU gains nothing on them.
    coalitions = simulate_function("numpy" if backend == "jax" else backend)
    players = len(model.countries)
    shapley = (
        _shapley(model, sampled, min(shapley_draws, draws), rng, shapley_permutations, coalitions)
        if shapley_draws > 0
        # Not asked for (a sweep that needs P(holds) only): zeros, and shapley_draws = 0 says so.
        else ShapleyEstimate(np.zeros(players), np.zeros(players), exact=False, samples=0)
    )
    low, high = shapley.interval()
    committed = act * (model.in_theatre + model.reinforcement.sum(axis=1))
    finished = end[how != 2]
    quantiles = np.quantile(finished, [0.1, 0.5, 0.9]) if finished.size else np.full(3, np.nan)
    return StressResult(
        instrument=instrument.id,
        threat=threat.id,
        draws=draws,
        holds=_wilson(float(holds.sum()), draws),
        held_by_culmination=float(np.mean(how == 0)),
        held_to_horizon=float(np.mean(how == 2)),
        broke_through=float(np.mean(how == 1)),
        days_to_end={
            "p10": float(quantiles[0]),
            "p50": float(quantiles[1]),
            "p90": float(quantiles[2]),
        },
        guarantors=tuple(
            GuarantorResult(
                country=c,
                acts=_wilson(float(act[:, i].sum()), draws),
                committed=_mean(committed[:, i]),
                shapley=Interval(float(shapley.values[i]), float(low[i]), float(high[i])),
            )
            for i, c in enumerate(model.countries)
        ),
        shapley_exact=shapley.exact,
        shapley_draws=max(0, min(shapley_draws, draws)),
    )


def _shapley(
    model: _Model,
    sampled: _Draws,
    n: int,
    rng: np.random.Generator,
    permutations: int,
    run: Simulate,
) -> ShapleyEstimate:
    """Each guarantor's contribution to P(holds): a coalition is valued by the share of the
    first ``n`` draws it holds with only its members taking part (common draws). Exactly,
    the Shapley value is linear in the game, so it is the mean of per-draw Shapley values,
    and their spread gives the Monte Carlo error."""
    subset = sampled.head(n)
    players = len(model.countries)
    # The arrival schedule is (coalitions, draws, days): bound it per batch.
    batch = max(1, BATCH_CELLS // max(1, n * model.horizon))

    def per_draw(coalitions: NDArray[np.bool_]) -> NDArray[np.float64]:
        holds = np.empty((len(coalitions), n))
        for start in range(0, len(coalitions), batch):
            part = coalitions[start : start + batch]
            holds[start : start + batch] = run(model, subset, part)[1]
        return holds

    if players <= EXACT_SHAPLEY_UP_TO:
        phi = shapley_from_values(per_draw(all_coalitions(players)), players)  # (G, n)
        error = phi.std(axis=1, ddof=1) / math.sqrt(n) if n > 1 else np.zeros(players)
        return ShapleyEstimate(phi.mean(axis=1), error, exact=True, samples=n)
    return shapley_sampled(lambda c: per_draw(c).mean(axis=1), players, rng, permutations)
