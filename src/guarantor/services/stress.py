"""Use case: stress-test the round's package under a guarantee instrument and a threat."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

import numpy as np

from guarantor.config import Settings
from guarantor.model.instrument import Instrument, Threat
from guarantor.scenario import load_instrument, load_threat
from guarantor.services.rounds import (
    AssessRequest,
    RunRecord,
    _open,
    assess_revisions,
    code_version,
    questionnaire_context,
)
from guarantor.simulate.forces import guarantor_forces
from guarantor.simulate.sensitivity import Swing, tornado
from guarantor.simulate.stress import GuarantorForces, StressResult, stress_test


@dataclass(frozen=True)
class StressRequest:
    """Which instrument against which threat, how many draws, which seed."""

    instrument: str = "article5-like"
    threat: str = "ukraine-2025"
    requirement: str | None = None
    assume: Mapping[str, bool] = field(default_factory=dict)
    draws: int = 20_000
    seed: int = 20250815
    shapley_draws: int = 500
    backend: str = "auto"


@dataclass(frozen=True)
class StressRun:
    """A stress-test result with what it was run on and how to reproduce it."""

    result: StressResult
    instrument: Instrument
    threat: Threat
    forces: tuple[GuarantorForces, ...]
    run: RunRecord


def _forces(
    settings: Settings, request: StressRequest, instrument: Instrument
) -> tuple[GuarantorForces, ...]:
    """What each guarantor brings: the round's counted offers under the assumptions."""
    context = questionnaire_context(settings)
    with _open(settings, context) as store:
        revisions = tuple(store.latest(context.scenario.round.id))
    assessed = assess_revisions(
        context, revisions, AssessRequest(requirement=request.requirement, assume=request.assume)
    )
    excluded = {e.offer for e in assessed.assessment.excluded}
    counted = [o for o in assessed.package.offers if o not in excluded]
    return tuple(
        guarantor_forces(counted, context.reference, [g.country for g in instrument.guarantors])
    )


def run_stress(settings: Settings, request: StressRequest) -> StressRun:
    """Load the round's package (counted offers under the assumptions), run the test."""
    instrument = load_instrument(request.instrument)
    threat = load_threat(request.threat)
    forces = _forces(settings, request, instrument)
    result = stress_test(
        instrument,
        threat,
        forces,
        np.random.default_rng(request.seed),
        draws=request.draws,
        shapley_draws=request.shapley_draws,
        backend=request.backend,
    )
    payload = json.dumps(
        {
            "instrument": instrument.model_dump(mode="json"),
            "threat": threat.model_dump(mode="json"),
            "forces": [asdict(f) for f in forces],
            "draws": request.draws,
            "shapley_draws": request.shapley_draws,
        },
        sort_keys=True,
        default=str,
    )
    run = RunRecord(
        code_version=code_version(),
        inputs_hash=hashlib.sha256(payload.encode()).hexdigest(),
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        seed=request.seed,
    )
    return StressRun(result, instrument, threat, forces, run)


def run_tornado(settings: Settings, request: StressRequest) -> tuple[float, list[Swing]]:
    """One-at-a-time sensitivity of P(holds) to every input with a documented range."""
    instrument = load_instrument(request.instrument)
    threat = load_threat(request.threat)
    forces = _forces(settings, request, instrument)
    return tornado(instrument, threat, forces, request.seed, min(request.draws, 10_000))
