"""One deal through the whole chain: line, posture, requirement, package under the deal's
terms, assessment, and the inputs of its stress test.

The stress test itself is not run here: its inputs are returned as plain data
(:func:`stress_job`) so that a sweep can compute each distinct one once and a store can
cache it; the search then reads P(holds) by the job's hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from guarantor.assess.sufficiency import AssessParams, assess
from guarantor.enforce.geometry import Boundaries
from guarantor.enforce.line import Line, line_of_contact
from guarantor.enforce.requirement import covered_km, deal_requirement
from guarantor.enforce.terms import DealTerms, deal_package, deal_posture, deal_terms
from guarantor.model.assessment import Assessment
from guarantor.model.base import Text
from guarantor.model.diagnostics import Diagnostic, InvalidInput
from guarantor.model.enforcement import Enforcement
from guarantor.model.instrument import GuarantorRole, Instrument, Threat
from guarantor.model.negotiation import Negotiation
from guarantor.model.offers import Offer
from guarantor.model.package import Package
from guarantor.model.provenance import Figure
from guarantor.model.reference import Reference
from guarantor.model.requirement import Requirement
from guarantor.model.territory import RegionSet
from guarantor.simulate.forces import guarantor_forces
from guarantor.simulate.stress import GuarantorForces

NO_GUARANTEE = "none"


@dataclass(frozen=True)
class Setting:
    """Everything fixed across the deals of one search."""

    negotiation: Negotiation
    regions: RegionSet
    enforcement: Enforcement
    boundaries: Boundaries
    package: Package
    reference: Reference
    instruments: Mapping[str, Instrument]
    threat: Threat
    params: AssessParams = field(default_factory=AssessParams)


@dataclass(frozen=True)
class Case:
    """A deal (its enforcement-relevant terms) through the chain."""

    options: Mapping[str, str]
    line: Line
    posture: str
    requirement: Requirement
    terms: DealTerms
    package: Package
    closed: tuple[Offer, ...]
    """Offers in zones the deal closes to foreign forces."""
    assessment: Assessment
    covered_km: float
    """The line the offered units could watch at the deal's posture density."""
    instrument: Instrument
    threat: Threat
    forces: tuple[GuarantorForces, ...]

    @property
    def counted(self) -> tuple[Offer, ...]:
        """The offers that count under the deal."""
        excluded = {e.offer for e in self.assessment.excluded}
        return tuple(o for o in self.package.offers if o not in excluded)


def enforcement_issues(negotiation: Negotiation, enforcement: Enforcement) -> tuple[str, ...]:
    """The issues whose settlement can change whether a deal holds: territory, the
    guarantee's form and guarantors, and every issue a posture or term rule reads."""
    named = {c.issue for rule in enforcement.posture_rules for c in rule.when}
    named |= {c.issue for rule in enforcement.terms for c in rule.when}
    kinds = {"territory", "guarantee_form", "guarantors"}
    return tuple(i.id for i in negotiation.issues if i.kind in kinds or i.id in named)


def deal_instrument(
    negotiation: Negotiation, instruments: Mapping[str, Instrument], options: Mapping[str, str]
) -> Instrument:
    """The guarantee the deal names, given by the guarantors it names. A deal without a
    guarantee gets an instrument whose guarantors never act, so the stress test measures
    the protected state alone."""
    form_issue = next((i for i in negotiation.issues if i.kind == "guarantee_form"), None)
    who_issue = next((i for i in negotiation.issues if i.kind == "guarantors"), None)
    form = (
        next((o for o in form_issue.options if o.id == options.get(form_issue.id)), None)
        if form_issue
        else None
    )
    who = (
        next((o for o in who_issue.options if o.id == options.get(who_issue.id)), None)
        if who_issue
        else None
    )
    if form is not None and form.instrument is not None:
        if form.instrument not in instruments:
            raise InvalidInput(
                [
                    Diagnostic(
                        code="instrument.unknown",
                        path=("issues", form_issue.id if form_issue else "", form.id),
                        params={"value": form.instrument},
                    )
                ]
            )
        base = instruments[form.instrument]
    else:
        countries = who.guarantors if who and who.guarantors else ("NONE",)
        never = Figure(value=0.0, unit="probability", assumption=True, note="no guarantee")
        return Instrument(
            id=NO_GUARANTEE,
            label=Text(en="No security guarantee", ar="بلا ضمان أمني"),
            description=Text(en="No guarantor acts.", ar="لا يتحرك أي ضامن."),
            form="assurance",
            decision_rule="each_decides",
            guarantors=tuple(GuarantorRole(country=c) for c in countries),
            act_probability=never,
            consult_days=Figure(value=0.0, unit="days", assumption=True),
            exposed_boost=Figure(value=0.0, unit="probability", assumption=True),
            correlation=Figure(value=0.0, unit="ratio", assumption=True),
        )
    if who is None or not who.guarantors:
        return base
    roles = {r.country: r for r in base.guarantors}
    backstop = base.backstop if base.backstop and base.backstop.country in who.guarantors else None
    return base.model_copy(
        update={
            "guarantors": tuple(roles.get(c, GuarantorRole(country=c)) for c in who.guarantors),
            "backstop": backstop,
        }
    )


def thinned_threat(threat: Threat, enforcement: Enforcement, line_km: float) -> Threat:
    """The threat with the defender's strength on an axis scaled to the line: a longer line
    than the reference spreads the same army thinner."""
    reference = float(enforcement.reference_km.value or 0.0)
    exponent = float(enforcement.thinning.value or 0.0)
    if reference <= 0 or line_km <= 0:
        return threat
    factor = (reference / line_km) ** exponent
    figure = threat.defender_strength
    value = float(figure.value or 0.0) * factor
    scaled = figure.model_copy(
        update={
            "value": value,
            "range": (figure.range[0] * factor, figure.range[1] * factor) if figure.range else None,
            "note": f"{figure.value:g} at {reference:,.0f} km, x {factor:.4f} for "
            f"a line of {line_km:,.0f} km",
        }
    )
    return threat.model_copy(update={"defender_strength": scaled})


class Evaluator:
    """Deals through the chain, each step computed once per distinct input: many deals
    share a line, a posture or a guarantee, so a search evaluates thousands in seconds."""

    def __init__(self, setting: Setting) -> None:
        self.setting = setting
        n = setting.negotiation
        self._territory = tuple(i.id for i in n.issues if i.kind == "territory")
        self._form = tuple(i.id for i in n.issues if i.kind in ("guarantee_form", "guarantors"))
        self._lines: dict[tuple[str | None, ...], Line] = {}
        self._requirements: dict[Any, Requirement] = {}
        self._assessed: dict[Any, tuple[Package, tuple[Offer, ...], Assessment, float]] = {}
        self._instruments: dict[tuple[str | None, ...], Instrument] = {}
        self._forces: dict[Any, tuple[GuarantorForces, ...]] = {}
        self._threats: dict[float, Threat] = {}

    def case(self, options: Mapping[str, str]) -> Case:
        """The deal ``{issue: option}`` through the chain (every enforcement issue settled)."""
        s = self.setting
        territory = tuple(options.get(i) for i in self._territory)
        line = self._lines.get(territory)
        if line is None:
            line = line_of_contact(s.negotiation, s.regions, s.enforcement, s.boundaries, options)
            self._lines[territory] = line
        posture = deal_posture(s.enforcement, options)
        lengths = tuple(sorted(line.km_by_posture(posture).items()))
        requirement = self._requirements.get((posture, lengths))
        if requirement is None:
            requirement = deal_requirement(s.enforcement, posture, line)
            self._requirements[(posture, lengths)] = requirement
        terms = deal_terms(s.enforcement, options)
        assessed_key = (
            posture,
            lengths,
            tuple(sorted(terms.sets.items())),
            tuple(sorted(terms.closed_zones)),
        )
        assessed = self._assessed.get(assessed_key)
        if assessed is None:
            package, closed = deal_package(s.package, terms)
            assessment = assess(package, requirement, s.reference, s.params)
            offered = {c.item: c.offered for c in assessment.coverage}
            covered = covered_km(s.enforcement, posture, offered)
            assessed = (package, closed, assessment, covered)
            self._assessed[assessed_key] = assessed
        package, closed, assessment, covered = assessed
        form = tuple(options.get(i) for i in self._form)
        instrument = self._instruments.get(form)
        if instrument is None:
            instrument = deal_instrument(s.negotiation, s.instruments, options)
            self._instruments[form] = instrument
        forces = self._forces.get((assessed_key, form))
        if forces is None:
            excluded = {e.offer for e in assessment.excluded}
            counted = [o for o in package.offers if o not in excluded]
            countries = [g.country for g in instrument.guarantors]
            forces = tuple(guarantor_forces(counted, s.reference, countries))
            self._forces[(assessed_key, form)] = forces
        threat = self._threats.get(line.front_km)
        if threat is None:
            threat = thinned_threat(s.threat, s.enforcement, line.front_km)
            self._threats[line.front_km] = threat
        return Case(
            options=dict(options),
            line=line,
            posture=posture,
            requirement=requirement,
            terms=terms,
            package=package,
            closed=closed,
            assessment=assessment,
            covered_km=covered,
            instrument=instrument,
            threat=threat,
            forces=forces,
        )


def evaluate(setting: Setting, options: Mapping[str, str]) -> Case:
    """The deal ``{issue: option}`` through the chain (every enforcement issue settled)."""
    return Evaluator(setting).case(options)


def stress_job(
    instrument: Instrument,
    threat: Threat,
    forces: Sequence[GuarantorForces],
    *,
    draws: int,
    seed: int,
    shapley_draws: int,
    version: str,
) -> dict[str, Any]:
    """The stress test's inputs as plain data (what a worker receives and the cache keys)."""
    return {
        "instrument": instrument.model_dump(mode="json"),
        "threat": threat.model_dump(mode="json"),
        "forces": [asdict(f) for f in forces],
        "seed": seed,
        "draws": draws,
        "shapley_draws": shapley_draws,
        "version": version,
    }


def job_hash(job: Mapping[str, Any]) -> str:
    """SHA-256 of a job's inputs: the cache key."""
    return hashlib.sha256(json.dumps(job, sort_keys=True).encode()).hexdigest()
