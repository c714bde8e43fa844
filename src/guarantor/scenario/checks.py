"""Named consistency checks over scenarios and reference data (PyPSA's ``check_*`` habit).

Each returns diagnostics; none raises, prints or fixes anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from guarantor.model.diagnostics import Diagnostic, PathPart, Severity
from guarantor.model.enforcement import Border, Enforcement, Segment
from guarantor.model.instrument import Instrument, Threat
from guarantor.model.negotiation import Negotiation
from guarantor.model.provenance import Figure, Provenance
from guarantor.model.reference import Reference
from guarantor.model.requirement import Requirement
from guarantor.model.scenario import Scenario
from guarantor.model.territory import RegionSet


def _figure(
    figure: Figure | None, path: tuple[PathPart, ...], reference: Reference
) -> Iterator[Diagnostic]:
    if figure is None:
        return
    if not figure.provenanced:
        yield Diagnostic(code="provenance.missing", path=path, params={"value": figure.value})
    yield from _known_sources(figure.sources, path, reference)


def _known_sources(
    sources: Iterable[str], path: tuple[PathPart, ...], reference: Reference
) -> Iterator[Diagnostic]:
    for source in sources:
        if source not in reference.sources:
            yield Diagnostic(code="source.unknown", path=path, params={"source": source})


def _leaves(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}[{index}]")
    else:
        yield path, value


def _covered(path: str, provenance: Mapping[str, Provenance]) -> Provenance | None:
    """The provenance entry for ``path`` or its nearest enclosing path."""
    candidate = path
    while candidate:
        if candidate in provenance:
            return provenance[candidate]
        cut = max(candidate.rfind("."), candidate.rfind("["))
        candidate = candidate[:cut] if cut > 0 else ""
    return None


def check_provenance(
    reference: Reference,
    scenario: Scenario | None = None,
    requirements: Iterable[Requirement] = (),
) -> list[Diagnostic]:
    """Every figure, answer and assumption cites known sources or is flagged an assumption."""
    found: list[Diagnostic] = []
    for code, country in reference.countries.items():
        for name in (
            "gdp_usd_bn",
            "defence_pct_gdp",
            "defence_spending_usd_bn",
            "active_personnel",
        ):
            found += _figure(country.figure(name), ("countries", code, name), reference)
    for code, cap in reference.capabilities.items():
        for name in ("personnel", "cost_per_year_usd_m", "combat_value", "unit_cost_usd_m"):
            found += _figure(getattr(cap, name), ("capabilities", code, name), reference)
    for requirement in requirements:
        base: tuple[PathPart, ...] = ("requirements", requirement.id)
        found += _figure(requirement.sustain_years, (*base, "sustain_years"), reference)
        found += _figure(requirement.rotation_ratio, (*base, "rotation_ratio"), reference)
        found += _known_sources(requirement.basis, (*base, "basis"), reference)
        for item in requirement.items:
            found += _figure(item.units, (*base, "items", item.id, "units"), reference)
        found += check_requirement(requirement, reference)
    if scenario is not None:
        found += _scenario_provenance(scenario, reference)
    return found


def _scenario_provenance(scenario: Scenario, reference: Reference) -> Iterator[Diagnostic]:
    yield from _known_sources(scenario.sources, ("scenario", "sources"), reference)
    for key, assumption in scenario.assumptions.items():
        path: tuple[PathPart, ...] = ("scenario", "assumptions", key)
        if not assumption.provenance.provenanced:
            yield Diagnostic(
                code="provenance.missing", path=path, params={"value": assumption.value}
            )
        yield from _known_sources(assumption.provenance.sources, path, reference)
    if not scenario.round.provenance.provenanced:
        yield Diagnostic(code="provenance.missing", path=("scenario", "round"))
    yield from _known_sources(scenario.round.provenance.sources, ("scenario", "round"), reference)
    for submission in scenario.submissions:
        base: tuple[PathPart, ...] = ("submissions", submission.country)
        for key, provenance in submission.provenance.items():
            yield from _known_sources(provenance.sources, (*base, key), reference)
        for leaf, value in _leaves(dict(submission.answers), ""):
            # Numbers and offers need a source; free text is the capital's own words.
            needs = isinstance(value, int | float) and not isinstance(value, bool)
            needs = needs or leaf.startswith(("forces[", "equipment["))
            entry = _covered(leaf, submission.provenance)
            if needs and (entry is None or not entry.provenanced):
                yield Diagnostic(
                    code="provenance.missing", path=(*base, leaf), params={"value": value}
                )


def check_instrument(instrument: Instrument, reference: Reference) -> list[Diagnostic]:
    """Guarantors are known countries; every figure is cited or flagged; sources exist."""
    base: tuple[PathPart, ...] = ("instruments", instrument.id)
    found: list[Diagnostic] = list(
        _known_sources(instrument.sources, (*base, "sources"), reference)
    )
    for name in ("act_probability", "consult_days", "exposed_boost", "correlation"):
        found += _figure(getattr(instrument, name), (*base, name), reference)
    if instrument.backstop is not None:
        found += _figure(instrument.backstop.factor, (*base, "backstop", "factor"), reference)
    for index, role in enumerate(instrument.guarantors):
        if role.country not in reference.countries:
            found.append(
                Diagnostic(
                    code="country.unknown",
                    path=(*base, "guarantors", index),
                    params={"value": role.country},
                )
            )
        found += _figure(role.act_probability, (*base, "guarantors", index), reference)
    return found


def check_threat(threat: Threat, reference: Reference) -> list[Diagnostic]:
    """Countries are known; every figure and distribution is cited or flagged."""
    base: tuple[PathPart, ...] = ("threats", threat.id)
    found: list[Diagnostic] = list(_known_sources(threat.sources, (*base, "sources"), reference))
    for code in (threat.attacker, threat.protected_state, *threat.veto_holders):
        if code not in reference.countries:
            found.append(Diagnostic(code="country.unknown", path=base, params={"value": code}))
    for name in ("attacker_strength", "warning_days"):
        dist = getattr(threat, name)
        if not dist.sources and not dist.assumption:
            found.append(
                Diagnostic(
                    code="provenance.missing", path=(*base, name), params={"value": dist.kind}
                )
            )
        found += _known_sources(dist.sources, (*base, name), reference)
    for name in (
        "defender_strength",
        "attacker_effectiveness",
        "defender_effectiveness",
        "breakthrough_ratio",
        "culmination_loss",
        "un_support",
    ):
        found += _figure(getattr(threat, name), (*base, name), reference)
    for axis in threat.axes:
        found += _figure(axis.defender_share, (*base, "axes", axis.id), reference)
    return found


def check_requirement(requirement: Requirement, reference: Reference) -> list[Diagnostic]:
    """Every line names known capabilities and a known number of units."""
    found = []
    for index, item in enumerate(requirement.items):
        path: tuple[PathPart, ...] = ("requirement", requirement.id, "items", index)
        for code in item.capabilities:
            if code not in reference.capabilities:
                found.append(
                    Diagnostic(
                        code="capability.unknown",
                        path=(*path, "capabilities"),
                        params={"value": code},
                    )
                )
        if item.units.value is None or item.units.value < 0:
            found.append(
                Diagnostic(
                    code="value.too_small",
                    path=(*path, "units"),
                    params={"value": item.units.value, "limit": 0},
                )
            )
    return found


def check_scenario(scenario: Scenario, reference: Reference) -> list[Diagnostic]:
    """Countries exist, submissions come from invited capitals, one submission each."""
    found: list[Diagnostic] = []
    for code in (scenario.protected_state, scenario.round.coordinator, *scenario.round.invited):
        if code not in reference.countries:
            found.append(
                Diagnostic(code="country.unknown", path=("scenario",), params={"value": code})
            )
    seen: set[str] = set()
    for index, submission in enumerate(scenario.submissions):
        if submission.country not in scenario.round.invited:
            found.append(
                Diagnostic(
                    code="submission.not_invited",
                    severity=Severity.WARNING,
                    path=("submissions", index),
                    params={"country": submission.country},
                )
            )
        if submission.country in seen:
            found.append(
                Diagnostic(
                    code="submission.duplicate",
                    path=("submissions", index),
                    params={"country": submission.country},
                )
            )
        seen.add(submission.country)
    return found


def check_negotiation(
    negotiation: Negotiation, reference: Reference, regions: RegionSet | None = None
) -> list[Diagnostic]:
    """Every utility, weight and reservation value is cited or an assumption (an assumption
    with a range, so robustness can vary it), every red line cites its sources or says it is
    an assumption, every cited source exists, and territorial issues name known regions."""
    found: list[Diagnostic] = []
    base: tuple[PathPart, ...] = ("negotiations", negotiation.id)
    found += _known_sources(negotiation.sources, (*base, "sources"), reference)
    for party in negotiation.parties:
        found += _known_sources(party.sources, (*base, "parties", party.id), reference)
    for track in negotiation.tracks:
        where = (*base, "tracks", track.id)
        found += _known_sources(track.sources, where, reference)
        for envoy in track.envoys:
            found += _known_sources(envoy.sources, (*where, "envoys"), reference)
        for index, item in enumerate(track.discussed):
            found += _known_sources(item.sources, (*where, "discussed", index), reference)
            if not item.sources:
                found.append(
                    Diagnostic(code="provenance.missing", path=(*where, "discussed", index))
                )
    for position in negotiation.positions:
        where = (*base, "positions", position.party)
        figures: list[tuple[tuple[PathPart, ...], Figure]] = [
            ((*where, "reservation"), position.reservation)
        ]
        figures += [((*where, "weights", k), f) for k, f in position.weights.items()]
        figures += [
            ((*where, "utilities", issue, option), f)
            for issue, table in position.utilities.items()
            for option, f in table.items()
        ]
        for path, figure in figures:
            found += _figure(figure, path, reference)
            if figure.assumption and not figure.sources and figure.range is None:
                found.append(
                    Diagnostic(
                        code="assumption.no_range",
                        severity=Severity.WARNING,
                        path=path,
                        params={"value": figure.value},
                    )
                )
        for red_line in position.red_lines:
            path = (*where, "red_lines", red_line.id)
            if not red_line.provenanced:
                found.append(
                    Diagnostic(code="provenance.missing", path=path, params={"value": red_line.id})
                )
            found += _known_sources(red_line.sources, path, reference)
    for issue in negotiation.issues:
        known = regions is None or issue.region is None or regions.region(issue.region)
        if issue.kind == "territory" and not known:
            found.append(
                Diagnostic(
                    code="region.unknown",
                    path=(*base, "issues", issue.id, "region"),
                    params={"value": issue.region},
                )
            )
    return found


def check_regions(regions: RegionSet, reference: Reference) -> list[Diagnostic]:
    """Areas and control shares are cited or assumptions; shares lie in [0, 1]."""
    found: list[Diagnostic] = []
    base: tuple[PathPart, ...] = ("regions", regions.id)
    found += _known_sources(regions.sources, base, reference)
    for region in regions.regions:
        where = (*base, region.code)
        found += _figure(region.area_km2, (*where, "area_km2"), reference)
        if region.control is not None:
            share = region.control.share
            found += _figure(share, (*where, "control", "share"), reference)
            values = [v for v in (share.value, *(share.range or ())) if v is not None]
            if any(not 0 <= v <= 1 for v in values):
                found.append(
                    Diagnostic(
                        code="value.out_of_range",
                        path=(*where, "control", "share"),
                        params={"value": share.value, "low": 0, "high": 1},
                    )
                )
    return found


def check_enforcement(
    enforcement: Enforcement,
    reference: Reference,
    negotiation: Negotiation | None = None,
    regions: RegionSet | None = None,
    known_regions: Iterable[str] = (),
) -> list[Diagnostic]:
    """Every figure is cited or an assumption, densities are positive, rules name issues and
    options the negotiation has, and segments and borders name known regions."""
    from guarantor.enforce.requirement import check_densities

    found: list[Diagnostic] = []
    base: tuple[PathPart, ...] = ("enforcement", enforcement.id)
    found += _known_sources(enforcement.sources, base, reference)
    for name in ("reference_km", "thinning", "reserve_ratio", "sustain_years", "rotation_ratio"):
        found += _figure(getattr(enforcement, name), (*base, name), reference)
    codes = set(known_regions) | ({r.code for r in regions.regions} if regions else set())
    lines: tuple[tuple[str, tuple[Segment | Border, ...]], ...] = (
        ("segments", enforcement.segments),
        ("borders", enforcement.borders),
    )
    for field, stretches in lines:
        for i, stretch in enumerate(stretches):
            found += _figure(stretch.km, (*base, field, i, "km"), reference)
            if codes and stretch.region not in codes:
                found.append(
                    Diagnostic(
                        code="region.unknown",
                        path=(*base, field, i, "region"),
                        params={"value": stretch.region},
                    )
                )
    for p, posture in enumerate(enforcement.postures):
        for i, item in enumerate(posture.items):
            for field in ("per_100km", "fixed"):
                found += _figure(
                    getattr(item, field), (*base, "postures", p, "items", i, field), reference
                )
            for capability in item.capabilities:
                if capability not in reference.capabilities:
                    found.append(
                        Diagnostic(
                            code="capability.unknown",
                            path=(*base, "postures", p, "items", i, "capabilities"),
                            params={"value": capability},
                        )
                    )
    found += [d.model_copy(update={"path": (*base, *d.path)}) for d in check_densities(enforcement)]
    rules: list[tuple[PathPart, ...]] = []
    conditions = []
    for i, rule in enumerate(enforcement.posture_rules):
        rules.append((*base, "posture_rules", i))
        conditions.append(rule.when)
        found += _known_sources(rule.sources, (*base, "posture_rules", i), reference)
    for i, term in enumerate(enforcement.terms):
        rules.append((*base, "terms", i))
        conditions.append(term.when)
        found += _known_sources(term.sources, (*base, "terms", i), reference)
    if negotiation is not None:
        options = {i.id: {o.id for o in i.options} for i in negotiation.issues}
        for where, when in zip(rules, conditions, strict=True):
            for c, condition in enumerate(when):
                if condition.issue not in options:
                    found.append(
                        Diagnostic(
                            code="issue.unknown",
                            path=(*where, "when", c, "issue"),
                            params={"value": condition.issue, "known": sorted(options)},
                        )
                    )
                    continue
                for option in (*condition.in_, *condition.not_in):
                    if option not in options[condition.issue]:
                        found.append(
                            Diagnostic(
                                code="option.unknown",
                                path=(*where, "when", c),
                                params={
                                    "value": option,
                                    "issue": condition.issue,
                                    "known": sorted(options[condition.issue]),
                                },
                            )
                        )
    for region, leader in enforcement.follows.items():
        for side, code in (("region", region), ("leader", leader)):
            if codes and code not in codes:
                found.append(
                    Diagnostic(
                        code="region.unknown",
                        path=(*base, "follows", region, side),
                        params={"value": code},
                    )
                )
    reference_km = enforcement.reference_km.value
    if reference_km is None or not reference_km > 0:
        found.append(
            Diagnostic(
                code="value.out_of_range",
                path=(*base, "reference_km"),
                params={"value": reference_km, "low": "> 0", "high": "∞"},
            )
        )
    if enforcement.fix_unit and enforcement.fix_unit.capability not in reference.capabilities:
        found.append(
            Diagnostic(
                code="capability.unknown",
                path=(*base, "fix_unit", "capability"),
                params={"value": enforcement.fix_unit.capability},
            )
        )
    return found
