"""The vectorised stress test against a per-draw Python loop of the same model.

    /tmp/venv/bin/python benchmarks/stress_loop.py

Two cases are run:

- ``article5-like``: the shipped ``article5-like`` instrument (12 guarantors, US backstop)
  against the shipped ``ukraine-2025`` threat (180 days), with the forces of the shipped
  scenario's package (the counted offers, as ``guarantor stress`` derives them);
- ``synthetic-30x180``: 30 guarantors x 180 days, a stalemate-prone threat (slow attrition:
  most battles last months, many reach the horizon), for the throughput target.

For each case the main result (every guarantor takes part) is computed twice: by the
library's vectorised path (``prepare``, ``_draw``, then the backend's decisions and
battles: what ``stress_test`` does before its Shapley step) and by ``loop_stress`` below,
which does the same draw by draw with plain Python floats, ``random`` and ``math``. The
benchmark prints draws per second for each, their ratio, and P(holds) with 95 % intervals.
It also feeds the vectorised draws, one at a time, to the loop's decision and battle
functions and checks that every draw ends the same way (same holds, end day and outcome):
that checks the loop implements the same model, beyond agreeing statistically.

Speed goals are printed as PASS/FAIL. The exit status is 1 only for a correctness failure
(a draw that ends differently, or P(holds) estimates that differ by more than
1.96 standard errors of the difference; with independent random streams the latter happens by
chance for about 1 seed in 20 per case).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from guarantor.model.instrument import Distribution, Instrument, Threat
from guarantor.simulate.stress import (
    MAX_CELLS,
    GuarantorForces,
    _act,
    _battle,
    _draw,
    _latent,
    _Model,
    prepare,
    simulate_function,
    stress_test,
)

SIMULATE = simulate_function("auto")
"""Decisions and battles as the library runs them by default: Numba where installed."""

SPEEDUP_TARGET = 100.0
THROUGHPUT_TARGET = 200_000.0  # draws/s, 30 guarantors x 180 days, 2 CPU cores
PROGRESS_SECONDS = 2.0
Z = 1.96

# --------------------------------------------------------------------------------------
# The per-draw reference: the model of guarantor.simulate.stress, one draw at a time.
# --------------------------------------------------------------------------------------


@dataclass
class Attack:
    """One draw: the attack and the guarantors' decision uniforms."""

    attacker: float
    warning: float
    share: float
    uniforms: list[float]  # one per guarantor (the copula's uniforms)
    outside: list[float]  # votes of veto holders that are not guarantors


@dataclass
class LoopModel:
    """The validated numbers of ``prepare()`` as plain Python values."""

    probability: list[float]
    in_theatre: list[float]
    reinforcement: list[list[float]]  # per guarantor, per tranche (zero padded)
    readiness: list[list[float]]
    backstop: int | None
    backstop_factor: float
    rule: str
    consult: float
    correlation: float
    veto_guarantors: list[int]
    outside_vetoes: int
    attacker_vetoes: bool
    un_support: float
    defender: float
    a: float
    b: float
    breakthrough: float
    culmination: float
    horizon: int
    law: str


def loop_model(model: _Model) -> LoopModel:
    return LoopModel(
        probability=[float(p) for p in model.probability],
        in_theatre=[float(v) for v in model.in_theatre],
        reinforcement=[[float(v) for v in row] for row in model.reinforcement],
        readiness=[[float(v) for v in row] for row in model.readiness],
        backstop=model.backstop,
        backstop_factor=model.backstop_factor,
        rule=model.rule,
        consult=model.consult,
        correlation=model.correlation,
        veto_guarantors=[int(i) for i in model.veto_guarantors],
        outside_vetoes=model.outside_vetoes,
        attacker_vetoes=model.attacker_vetoes,
        un_support=model.un_support,
        defender=model.defender,
        a=model.a,
        b=model.b,
        breakthrough=model.breakthrough,
        culmination=model.culmination,
        horizon=model.horizon,
        law=model.law,
    )


def sample_one(dist: Distribution, rnd: random.Random) -> float:
    """One draw of a distribution, as ``guarantor.simulate.stress.sample`` defines it."""
    if dist.kind == "fixed":
        return float(dist.low or 0.0)
    if dist.kind == "uniform":
        return rnd.uniform(float(dist.low or 0.0), float(dist.high or 0.0))
    if dist.kind == "triangular":
        low, mode, high = float(dist.low or 0), float(dist.mode or 0), float(dist.high or 0)
        return low if low == high else rnd.triangular(low, high, mode)
    return float(dist.median or 1.0) * math.exp(float(dist.sigma or 0.0) * rnd.gauss(0.0, 1.0))


def normal_cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def draw_attack(m: LoopModel, threat: Threat, rnd: random.Random) -> Attack:
    """Strength, warning, axis, then the one-factor Gaussian copula of the decisions."""
    attacker = sample_one(threat.attacker_strength, rnd)
    warning = sample_one(threat.warning_days, rnd)
    pick = rnd.random()
    share = float(threat.axes[-1].defender_share.value or 0.0)
    cumulative = 0.0
    for axis in threat.axes:
        cumulative += axis.probability
        if pick < cumulative:
            share = float(axis.defender_share.value or 0.0)
            break
    common = rnd.gauss(0.0, 1.0)
    load, rest = math.sqrt(m.correlation), math.sqrt(1.0 - m.correlation)
    uniforms = []
    for _ in m.probability:
        uniforms.append(normal_cdf(load * common + rest * rnd.gauss(0.0, 1.0)))
    outside = [rnd.random() for _ in range(max(m.outside_vetoes, 1))]
    return Attack(attacker, warning, share, uniforms, outside)


def decide(m: LoopModel, attack: Attack) -> list[bool]:
    """Who acts: own probability; the backstop; then the decision rule."""
    u, p = attack.uniforms, m.probability
    acts = [u[i] < p[i] for i in range(len(p))]
    if m.backstop is not None and not acts[m.backstop]:
        # The backstop stays out: the others act with their probability x factor.
        acts = [
            u[i] < (p[i] if i == m.backstop else p[i] * m.backstop_factor) for i in range(len(p))
        ]
    if m.rule == "consensus":
        if not all(acts):
            acts = [False] * len(acts)
    elif m.rule == "un_security_council":
        passed = not m.attacker_vetoes
        for i in m.veto_guarantors:
            if not acts[i]:
                passed = False
        for k in range(m.outside_vetoes):
            if not attack.outside[k] < m.un_support:
                passed = False
        if not passed:
            acts = [False] * len(acts)
    return acts


def fight(m: LoopModel, attack: Attack, acts: Sequence[bool]) -> tuple[bool, int, int]:
    """The day-by-day Lanchester battle: holds, end day, how (0 culmination, 1 breakthrough,
    2 horizon)."""
    share = attack.share
    in_theatre = m.defender
    arriving = [0.0] * m.horizon
    for i, acting in enumerate(acts):
        if acting:
            in_theatre += m.in_theatre[i]
            for value, ready in zip(m.reinforcement[i], m.readiness[i], strict=True):
                # Each tranche on its own day.
                day = round(m.consult + max(ready - attack.warning, 0.0))
                if day < m.horizon:
                    arriving[day] += value
    defender = in_theatre * share
    attacker = attack.attacker
    culminates_at = (1.0 - m.culmination) * attack.attacker
    for day in range(m.horizon):
        defender = defender + arriving[day] * share
        if attacker >= m.breakthrough * max(defender, 1e-9):
            return False, day, 1
        if attacker <= culminates_at:
            return True, day, 0
        if m.law == "square":
            loss_d, loss_a = m.a * attacker, m.b * defender
        else:
            loss_d, loss_a = m.a * attacker * defender, m.b * attacker * defender
        defender = max(defender - loss_d, 0.0)
        attacker = max(attacker - loss_a, 0.0)
    return True, m.horizon, 2


@dataclass
class Outcomes:
    draws: int
    holds: int
    how: list[int]  # counts: culminated, broke through, horizon
    ends: list[int]  # end days of battles that ended before the horizon
    seconds: float


def loop_stress(
    model: _Model,
    threat: Threat,
    seed: int,
    draws: int,
    progress: Callable[[int, float], None] | None = None,
) -> Outcomes:
    """The main result of the stress test, one draw after another."""
    start = time.perf_counter()
    m = loop_model(model)
    rnd = random.Random(seed)
    holds, how, ends = 0, [0, 0, 0], []
    last = start
    for k in range(draws):
        attack = draw_attack(m, threat, rnd)
        held, end, ended = fight(m, attack, decide(m, attack))
        holds += held
        how[ended] += 1
        if ended != 2:
            ends.append(end)
        if progress and time.perf_counter() - last >= PROGRESS_SECONDS:
            last = time.perf_counter()
            progress(k + 1, last - start)
    return Outcomes(draws, holds, how, ends, time.perf_counter() - start)


# --------------------------------------------------------------------------------------
# The vectorised path, timed as stress_test runs it (main result only).
# --------------------------------------------------------------------------------------


def vectorised(
    instrument: Instrument,
    threat: Threat,
    forces: Sequence[GuarantorForces],
    rng: np.random.Generator,
    draws: int,
) -> Outcomes:
    start = time.perf_counter()
    model = prepare(instrument, threat, forces, draws)
    sampled = _draw(model, threat, rng, draws)
    _, holds, end, how = SIMULATE(model, sampled, np.ones((1, len(model.countries)), dtype=bool))
    seconds = time.perf_counter() - start
    how0 = how[0]
    return Outcomes(
        draws,
        int(holds[0].sum()),
        [int(np.sum(how0 == 0)), int(np.sum(how0 == 1)), int(np.sum(how0 == 2))],
        end[0][how0 != 2].tolist(),
        seconds,
    )


def same_draws(
    instrument: Instrument, threat: Threat, forces: Sequence[GuarantorForces], n: int, seed: int
) -> int:
    """Feed ``n`` vectorised draws to the loop's ``decide`` and ``fight``: how many differ."""
    model = prepare(instrument, threat, forces, n)
    sampled = _draw(model, threat, np.random.default_rng(seed), n)
    act = _act(model, sampled, np.ones((1, len(model.countries)), dtype=bool))
    holds, end, how = _battle(model, sampled, act)
    m = loop_model(model)
    uniforms = [[normal_cdf(x) for x in row] for row in _latent(model, sampled).tolist()]
    differ = 0
    for k in range(n):
        attack = Attack(
            float(sampled.attacker[k]),
            float(sampled.warning[k]),
            float(sampled.share[k]),
            uniforms[k],
            sampled.outside[k].tolist(),
        )
        acts = decide(m, attack)
        if acts != act[0, k].tolist() or fight(m, attack, acts) != (
            bool(holds[0, k]),
            int(end[0, k]),
            int(how[0, k]),
        ):
            differ += 1
    return differ


# --------------------------------------------------------------------------------------
# The cases.
# --------------------------------------------------------------------------------------

TEXT = {"en": "benchmark", "ar": "benchmark"}


def fig(value: float) -> dict[str, Any]:
    return {"value": value, "unit": "", "assumption": True}


def shipped_case() -> tuple[Instrument, Threat, list[GuarantorForces]]:
    """``article5-like`` vs ``ukraine-2025``, forces from the shipped scenario's package: its
    counted offers (as ``guarantor.services.stress.run_stress`` does with a fresh round)."""
    import guarantor
    from guarantor.assess import AssessParams
    from guarantor.scenario import load_instrument, load_threat
    from guarantor.simulate.forces import guarantor_forces

    instrument = load_instrument("article5-like")
    threat = load_threat("ukraine-2025")
    scenario = guarantor.load_scenario()
    reference = guarantor.load_reference()
    package = guarantor.package_of(scenario)
    assessment = guarantor.assess(
        package,
        guarantor.load_requirement(scenario.default_requirement),
        reference,
        AssessParams(candidates=tuple(scenario.round.invited)),
    )
    excluded = {e.offer for e in assessment.excluded}
    counted = [o for o in package.offers if o not in excluded]
    forces = guarantor_forces(counted, reference, [g.country for g in instrument.guarantors])
    return instrument, threat, forces


SYNTHETIC = [f"G{i:02d}" for i in range(30)]


def synthetic_instrument(rule: str = "each_decides") -> Instrument:
    """30 guarantors, each acts with p = 0.6 (+0.2 when exposed), correlation 0.5, G00 a
    backstop (the others at half their probability without it), 2 days of consultation."""
    return Instrument.model_validate(
        {
            "id": "synthetic-30",
            "label": TEXT,
            "description": TEXT,
            "form": "collective_defence",
            "decision_rule": rule,
            "guarantors": [{"country": c} for c in SYNTHETIC],
            "act_probability": fig(0.6),
            "consult_days": fig(2),
            "exposed_boost": fig(0.2),
            "correlation": fig(0.5),
            "backstop": {"country": "G00", "factor": fig(0.5)},
        }
    )


def synthetic_threat(**changes: Any) -> Threat:
    """A stalemate-prone threat over 180 days: attacker lognormal (median 50, sigma 0.3)
    against 30 (times the axis share 1.0/0.8/0.6), slow square-law attrition (a = 0.003,
    b = 0.002 a day), breakthrough at 3:1, culmination at 35 % losses. Battles last: about
    38 % reach the horizon, a battle lasts about 120 days on average."""
    data: dict[str, Any] = {
        "id": "synthetic-stalemate",
        "label": TEXT,
        "attacker": "RRR",
        "protected_state": "PPP",
        "attacker_strength": {"kind": "lognormal", "median": 50, "sigma": 0.3},
        "warning_days": {"kind": "uniform", "low": 0, "high": 30},
        "defender_strength": fig(30),
        "axes": [
            {"id": "a", "label": TEXT, "probability": 0.5, "defender_share": fig(1.0)},
            {"id": "b", "label": TEXT, "probability": 0.3, "defender_share": fig(0.8)},
            {"id": "c", "label": TEXT, "probability": 0.2, "defender_share": fig(0.6)},
        ],
        "attacker_effectiveness": fig(0.003),
        "defender_effectiveness": fig(0.002),
        "breakthrough_ratio": fig(3.0),
        "culmination_loss": fig(0.35),
        "horizon_days": 180,
        "law": "square",
        **changes,
    }
    return Threat.model_validate(data)


def synthetic_forces() -> list[GuarantorForces]:
    """G00-G09 have 0.5 in theatre; every guarantor brings 0.3-0.9 more in one tranche,
    ready after 5 + 4 i days (5 to 121); G00-G02 are exposed."""
    return [
        GuarantorForces(c, 0.5 if i < 10 else 0.0, ((0.3 + 0.1 * (i % 7), 5.0 + 4 * i),), i < 3)
        for i, c in enumerate(SYNTHETIC)
    ]


def variants() -> list[tuple[str, Instrument, Threat, list[GuarantorForces]]]:
    """Other branches of the model, for the same-draws check only."""
    forces = synthetic_forces()
    return [
        ("consensus", synthetic_instrument("consensus"), synthetic_threat(), forces),
        (
            "UN rule, 2 guarantor + 2 outside vetoes",
            synthetic_instrument("un_security_council"),
            synthetic_threat(veto_holders=["G00", "G05", "XXX", "YYY"], un_support=fig(0.7)),
            forces,
        ),
        (
            "UN rule, attacker vetoes",
            synthetic_instrument("un_security_council"),
            synthetic_threat(veto_holders=["G00", "RRR"], un_support=fig(0.7)),
            forces,
        ),
        (
            "linear law, triangular attack, fixed warning",
            synthetic_instrument(),
            synthetic_threat(
                law="linear",
                attacker_effectiveness=fig(0.0001),
                defender_effectiveness=fig(0.00007),
                attacker_strength={"kind": "triangular", "low": 30, "mode": 45, "high": 80},
                warning_days={"kind": "fixed", "low": 7},
            ),
            forces,
        ),
    ]


# --------------------------------------------------------------------------------------
# Running and reporting.
# --------------------------------------------------------------------------------------


def pooled(runs: Sequence[Outcomes]) -> Outcomes:
    """All runs' draws together (for the estimate); the time is the best run's."""
    return Outcomes(
        sum(o.draws for o in runs),
        sum(o.holds for o in runs),
        [sum(o.how[i] for o in runs) for i in range(3)],
        [e for o in runs for e in o.ends],
        min(o.seconds for o in runs),
    )


def speed(runs: Sequence[Outcomes]) -> float:
    """Draws per second of the fastest run."""
    best = min(runs, key=lambda o: o.seconds)
    return best.draws / best.seconds


def interval(o: Outcomes) -> tuple[float, float, float, float]:
    """P(holds), its standard error and a 95 % Wilson interval."""
    n, p = o.draws, o.holds / o.draws
    denominator = 1 + Z * Z / n
    centre = (p + Z * Z / (2 * n)) / denominator
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / denominator
    return p, math.sqrt(p * (1 - p) / n), max(0.0, centre - half), min(1.0, centre + half)


def row(name: str, runs: Sequence[Outcomes]) -> str:
    o = pooled(runs)
    p, _, low, high = interval(o)
    median = f"{np.median(o.ends):5.0f}" if o.ends else "    -"
    return (
        f"  {name:<11} {len(runs)} x {runs[0].draws:>7,} {o.seconds:>8.3f} {speed(runs):>10,.0f}"
        f"   {p:.4f} [{low:.4f}, {high:.4f}]"
        f"   {o.how[0] / o.draws:.3f} / {o.how[2] / o.draws:.3f} / {o.how[1] / o.draws:.3f}"
        f"   {median}"
    )


def run_case(
    name: str,
    instrument: Instrument,
    threat: Threat,
    forces: Sequence[GuarantorForces],
    args: argparse.Namespace,
) -> tuple[float, float, bool]:
    """Time both implementations on one case; vectorised draws/s, ratio, estimates agree."""
    guarantors, days = len(instrument.guarantors), threat.horizon_days
    limit = MAX_CELLS // (guarantors * days)
    draws = min(args.draws, limit)
    print(f"\n== {name}: {guarantors} guarantors x {days} days ==", flush=True)
    if draws < args.draws:
        print(f"  (--draws capped at {limit:,}: stress_test refuses more in one run)")
    rng = np.random.default_rng(args.seed)
    vectorised(instrument, threat, forces, rng, draws)  # warm-up (not timed, not pooled)
    vec = [vectorised(instrument, threat, forces, rng, draws) for _ in range(args.repeats)]

    model = prepare(instrument, threat, forces, 1)
    loop = []
    for r in range(args.repeats):

        def progress(done: int, seconds: float, r: int = r) -> None:
            print(
                f"  loop run {r + 1}/{args.repeats}: {done:,}/{args.loop_draws:,} draws, "
                f"{seconds:.1f} s, {done / seconds:,.0f} draws/s",
                flush=True,
            )

        loop.append(loop_stress(model, threat, args.seed + r, args.loop_draws, progress))
        o = loop[-1]
        print(
            f"  loop run {r + 1}/{args.repeats}: {o.draws:,} draws in {o.seconds:.2f} s, "
            f"{o.draws / o.seconds:,.0f} draws/s",
            flush=True,
        )

    start = time.perf_counter()
    stress_test(
        instrument, threat, forces, np.random.default_rng(args.seed), draws=draws, shapley_draws=2
    )
    full = time.perf_counter() - start

    print(
        f"  {'':<11} {'runs x draws':>12} {'best s':>8} {'draws/s':>10}   P(holds) [95 % CI]"
        "           culminated / horizon / broke through   median end day"
    )
    print(row("vectorised", vec))
    print(row("loop", loop))
    print(
        "  vectorised: prepare + _draw + simulate (decisions and battles), all guarantors "
        "(stress_test without "
        f"its Shapley step); runs took {', '.join(f'{o.seconds:.3f}' for o in vec)} s"
    )
    print(f"  loop: runs took {', '.join(f'{o.seconds:.3f}' for o in loop)} s")
    print(
        f"  info: full stress_test(draws={draws:,}, shapley_draws=2) took {full:.3f} s, "
        f"{draws / full:,.0f} draws/s (the Shapley step on 2 draws included)"
    )

    sizes = sorted({n for n in (5_000, 20_000) if n < draws})
    if sizes:
        by_size = {
            n: speed([vectorised(instrument, threat, forces, rng, n) for _ in range(args.repeats)])
            for n in sizes
        }
        print(
            "  info: vectorised draws/s by run size: "
            + ", ".join(f"{n:,} draws {v:,.0f}" for n, v in by_size.items())
            + f", {draws:,} draws {speed(vec):,.0f}"
        )

    ratio = speed(vec) / speed(loop)
    p1, se1, low1, high1 = interval(pooled(vec))
    p2, se2, low2, high2 = interval(pooled(loop))
    difference, bound = abs(p1 - p2), Z * math.sqrt(se1 * se1 + se2 * se2)
    agree = difference <= bound
    overlap = low1 <= high2 and low2 <= high1
    print(
        f"ratio {name} vectorised/loop: {ratio:,.1f}x "
        f"({speed(vec):,.0f} vs {speed(loop):,.0f} draws/s, best runs)"
    )
    print(
        f"{'PASS' if ratio >= SPEEDUP_TARGET else 'FAIL'} {name} vectorised at least "
        f"{SPEEDUP_TARGET:.0f}x faster than the per-draw loop: {ratio:,.1f}x"
    )
    print(
        f"{'PASS' if agree else 'FAIL'} {name} same P(holds): |{p1:.4f} - {p2:.4f}| = "
        f"{difference:.4f} {'<=' if agree else '>'} 1.96 sqrt(se1^2 + se2^2) = {bound:.4f}; "
        f"95 % intervals {'overlap' if overlap else 'do not overlap'}"
    )
    return speed(vec), ratio, agree


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--draws", type=int, default=100_000, help="vectorised draws per run (stress's example)"
    )
    parser.add_argument("--loop-draws", type=int, default=20_000, help="loop draws per run")
    parser.add_argument(
        "--repeats", type=int, default=10, help="runs of each (fastest timed, all draws pooled)"
    )
    parser.add_argument(
        "--check-draws", type=int, default=500, help="draws compared one by one (0: none)"
    )
    parser.add_argument("--seed", type=int, default=20250815)
    parser.add_argument(
        "--backend",
        choices=["auto", "numba", "numpy"],
        default="auto",
        help="backend of the vectorised path (decisions and battles)",
    )
    args = parser.parse_args()
    global SIMULATE  # noqa: PLW0603 - chosen once, from the command line
    SIMULATE = simulate_function(args.backend)
    print(f"vectorised path: {SIMULATE.__module__}.{SIMULATE.__qualname__}")

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"stress_loop: {cores} CPU cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, numpy {np.__version__}; "
        f"--draws {args.draws:,} --loop-draws {args.loop_draws:,} --repeats {args.repeats} "
        f"--check-draws {args.check_draws:,} --seed {args.seed}"
    )
    failures = []

    cases = [
        ("article5-like", *shipped_case()),
        ("synthetic-30x180", synthetic_instrument(), synthetic_threat(), synthetic_forces()),
    ]

    if args.check_draws:
        print(
            f"\n== same draws: the loop's decide() and fight() on {args.check_draws:,} "
            "vectorised draws =="
        )
        for name, instrument, threat, forces in [*cases, *variants()]:
            differ = same_draws(instrument, threat, forces, args.check_draws, args.seed)
            ok = differ == 0
            failures += [] if ok else [f"same draws {name}"]
            print(
                f"{'PASS' if ok else 'FAIL'} same draws {name}: {differ} of "
                f"{args.check_draws:,} draws end differently"
            )

    throughput = 0.0
    for name, instrument, threat, forces in cases:
        rate, _, agree = run_case(name, instrument, threat, forces, args)
        failures += [] if agree else [f"P(holds) {name}"]
        if name.startswith("synthetic"):
            throughput = rate

    print()
    print(
        f"{'PASS' if throughput >= THROUGHPUT_TARGET else 'FAIL'} throughput 30 guarantors x "
        f"180 days on {cores} CPU cores: {throughput:,.0f} draws/s "
        f"(target {THROUGHPUT_TARGET:,.0f}, set for 2 cores)"
    )
    print("not measured: GPU throughput target (this benchmark runs on the CPU only)")
    if failures:
        print(f"correctness failures: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
